#!/usr/bin/env python
"""Every list a role opens, desk and API (issue "fifty staff at once"): the
desk case list (whole, 待我处理, 超时, a status, a year, a name search), the
petition list, and the API's case and petition lists — for a leader, a
district clerk, an inspector and a grid worker.

    ZHONGLOU_SITE=benchmaria .venv/bin/python benchmarks/bench_lists.py [--repeat 20] [--warmup 3]
        [--json out.json] [--baseline earlier.json] [--only 网格员]

For each list: median and p95 wall time, median **server CPU** per request
(this process's CPU time around the request: Python's share, without the
database's), queries per request and the list's count. With ``--baseline``
(the JSON of a run on a smaller site) it prints how each median and each
query count grew with the data: the goal is ≤ 150 ms median for every list
at 1,000,000 cases and query counts that do not grow.

Users: the demo site's ``leader``, ``clerk``, the inspector with the most
cases assigned now, and ``grid_320404001`` (``manage.py load_demo`` on the
benchmark site makes them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field

from benchlib import Timing, client_for, database_line, get_ok, production_like, setup_django

DESK = "/desk/kuaiban/case/"
DESK_PETITIONS = "/desk/kuaiban/petition/"
API = "/api/v1/kuaiban/cases/"
API_PETITIONS = "/api/v1/kuaiban/petitions/"


@dataclass
class Scenario:
    name: str
    username: str
    url: str
    params: dict
    auth: str = "session"
    wall: Timing = field(default_factory=Timing)
    cpu: Timing = field(default_factory=Timing)
    queries: int = 0
    count: int | None = None

    def summary(self) -> dict:
        return {"name": self.name, "user": self.username, "url": self.url, "params": self.params,
                "wall": self.wall.summary(), "cpu_median_ms": round(self.cpu.median, 2), "queries": self.queries,
                "count": self.count}


def scenarios(year: int, inspector: str) -> list[Scenario]:
    s = []
    for role, user in (("领导", "leader"), ("网格员", "grid_320404001")):
        s += [
            Scenario(f"{role} 桌面 全部事件", user, DESK, {}),
            Scenario(f"{role} 桌面 待我处理", user, DESK, {"queue": "mine"}),
            Scenario(f"{role} 桌面 超时事件", user, DESK, {"overdue": "true"}),
            Scenario(f"{role} 桌面 网格处置中", user, DESK, {"status__exact": "grid_handling"}),
            Scenario(f"{role} 桌面 今年", user, DESK, {"year": str(year)}),
            Scenario(f"{role} 桌面 搜索姓名", user, DESK, {"q": "王"}),
            Scenario(f"{role} API 全部事件", user, API, {}, "token"),
            Scenario(f"{role} API 超时事件", user, API, {"overdue": "true"}, "token"),
        ]
    s += [
        Scenario("区后勤 桌面 待我处理", "clerk", DESK, {"queue": "mine"}),
        Scenario("区后勤 桌面 信访记录", "clerk", DESK_PETITIONS, {}),
        Scenario("区后勤 API 信访记录", "clerk", API_PETITIONS, {}, "token"),
        Scenario("监察员 桌面 全部事件", inspector, DESK, {}),
        Scenario("监察员 API 全部事件", inspector, API, {}, "token"),
    ]
    return s


def count_of(response) -> int | None:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json().get("count")
    cl = (getattr(response, "context_data", None) or {}).get("cl")
    return getattr(cl, "result_count", None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_lists.py")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--baseline", help="a JSON of an earlier run (a smaller site): print the growth")
    parser.add_argument("--only", help="run the scenarios whose name contains this")
    args = parser.parse_args(argv)

    setup_django()
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from zhonglou_hrss.kuaiban.models import Case, InspectorAssignment
    from zhonglou_hrss.kuaiban.rules import this_year

    production_like()
    inspector = (InspectorAssignment.objects.filter(open_case__isnull=False).values("inspector__username")
                 .annotate(n=Count("pk")).order_by("-n").values_list("inspector__username", flat=True).first())
    chosen = [s for s in scenarios(this_year(), inspector or "inspector1") if not args.only or args.only in s.name]
    clients = {}
    for s in chosen:
        key = (s.username, s.auth)
        if key not in clients:
            clients[key] = client_for(s.username, s.auth)
    print(f"数据库：{database_line()}；事件 {Case.objects.count():,} 件", flush=True)
    for s in chosen:
        client, headers = clients[(s.username, s.auth)]
        for _ in range(args.warmup):
            get_ok(client, s.url, s.params, headers, s.name)
        # Queries are counted on a request of their own: capturing them wraps every cursor,
        # which would add a few ms to the timed requests' wall and CPU time.
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            s.count = count_of(get_ok(client, s.url, s.params, headers, s.name))
        s.queries = len(ctx.captured_queries)
    for _ in range(args.repeat):  # interleaved: a busy moment slows every list alike
        for s in chosen:
            client, headers = clients[(s.username, s.auth)]
            wall, cpu = time.perf_counter(), time.process_time()
            get_ok(client, s.url, s.params, headers, s.name)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            s.wall.samples.append(wall * 1000)
            s.cpu.samples.append(cpu * 1000)
    baseline = {}
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as fh:
            baseline = {row["name"]: row for row in json.load(fh)["lists"]}
    print(f"\n{'列表':<22}{'中位 ms':>9}{'p95 ms':>9}{'CPU ms':>8}{'查询':>6}{'条数':>11}" +
          (f"{'耗时增长':>10}{'查询增长':>8}" if baseline else ""))
    for s in chosen:
        line = (f"{s.name:<22}{s.wall.median:>9.1f}{s.wall.p95:>9.1f}{s.cpu.median:>8.1f}{s.queries:>6}"
                f"{(s.count if s.count is not None else '—'):>11}")
        before = baseline.get(s.name)
        if before:
            line += f"{s.wall.median / before['wall']['median_ms']:>9.2f}×{s.queries - before['queries']:>+8}"
        print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database_line(), "cases": Case.objects.count(),
                       "lists": [s.summary() for s in chosen]}, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
