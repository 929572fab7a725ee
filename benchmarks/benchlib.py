"""What the request benchmarks share (bench_case_list.py, bench_stats.py):
Django set-up, timings with median and p95, a recorder of the SQL a request
runs, running a statement bare, EXPLAIN, and the benchmark's client.

Imported as ``benchlib`` by the scripts in this folder (run as
``python benchmarks/<script>.py``: the folder is on ``sys.path``)."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    sys.path.insert(0, str(REPO_DIR / "apps"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
    import django

    django.setup()


def production_like() -> None:
    """DEBUG off (no query log, production error handling); the test client's host allowed."""
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # milliseconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def summary(self) -> dict:
        return {"median_ms": round(self.median, 2), "p95_ms": round(self.p95, 2)}


class Recorder:
    """``connection.execute_wrapper``: every statement with its parameters."""

    def __init__(self):
        self.calls: list[tuple[str, tuple | None]] = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, tuple(params) if params is not None else None))
        return execute(sql, params, many, context)


def selects(calls: list[tuple[str, tuple | None]]) -> list[tuple[str, tuple | None]]:
    """The reads among recorded statements: what can be replayed bare. The
    session's UPDATE and the transaction statements (SQLite's BEGIN, savepoints)
    are counted in a request's queries but not replayed — replaying them would
    nest transactions and end the session."""
    return [c for c in calls if c[0].lstrip().upper().startswith("SELECT")]


def run_sql(sql: str, params) -> int:
    """Run one statement through the same driver and fetch every row; return the row count."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall()) if cursor.description else 0


def page_reads(sql: str, params) -> int | None:
    """The InnoDB pages one run of a statement touched (Innodb_buffer_pool_read_requests, a
    server-wide counter: meaningful on an otherwise idle server), None on SQLite. Pages touched
    are what a small buffer pool has to read from disk when other queries evicted them."""
    from django.db import connection

    if connection.vendor != "mysql":
        return None

    def counter() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_read_requests'")
            return int(cursor.fetchone()[1])

    before = counter()
    run_sql(sql, params)
    return counter() - before


def client_for(username: str, auth: str = "session"):
    """A test client signed in as ``username`` and the extra request headers:
    ``session`` as the desk's browser (session cookie, saved on every request),
    ``token`` as an API client (``Authorization: Token``, no session)."""
    from django.test import Client
    from zhonglou_hrss.core.models import User

    user = User.objects.get(username=username)
    client = Client()
    headers = {"HTTP_ACCEPT": "application/json"}
    if auth == "token":
        from zhonglou_hrss.core import tokens

        headers["HTTP_AUTHORIZATION"] = f"Token {tokens.issue(user)[1]}"
    else:
        client.force_login(user)
    return client, headers


def get_ok(client, url: str, params: dict, headers: dict, name: str):
    """GET through the test client; anything but 200 stops the benchmark."""
    response = client.get(url, params, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{name}: HTTP {response.status_code}: {response.content[:300]!r}")
    return response


def print_explain(name: str, statements, out) -> None:
    """EXPLAIN each (label, (sql, params)) with the columns that tell the plan."""
    from django.db import connection

    with connection.cursor() as cursor:
        for label, (sql, params) in statements:
            cursor.execute("EXPLAIN " + sql, params)
            columns = [c[0] for c in cursor.description]
            print(f"\n-- EXPLAIN {name} / {label}", file=out)
            for row in cursor.fetchall():
                print("   " + "  ".join(f"{k}={v}" for k, v in zip(columns, row, strict=True)
                                        if k in ("id", "select_type", "table", "type", "key", "rows", "Extra")),
                      file=out)


def database_line() -> str:
    """'mysql 10.11.19, zhonglou_bench' — what the numbers were measured on."""
    from django.db import connection

    version = ".".join(map(str, connection.mysql_version)) if connection.vendor == "mysql" else ""
    return f"{connection.vendor} {version}".strip() + f"，{connection.settings_dict['NAME']}"


def analyze_tables(tables: list[str], out) -> None:
    """Refresh the optimizer's statistics (MariaDB) — after a bulk load they
    still describe a small table until InnoDB's background recalculation."""
    from django.db import connection

    if connection.vendor != "mysql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE TABLE {connection.ops.quote_name(table)}")
            cursor.fetchall()
    print(f"ANALYZE TABLE：{', '.join(tables)}", file=out, flush=True)


def single_grid_worker(username: str) -> str:
    """The code of the one grid this grid worker serves (the benchmarks compare
    one grid's view with the leader's); exits with a message otherwise."""
    from zhonglou_hrss.core.models import User

    grids = list(User.objects.get(username=username).grids.values_list("code", flat=True))
    if len(grids) != 1:
        raise SystemExit(f"错误：{username} 应只负责一个网格（现为 {grids}）")
    return grids[0]
