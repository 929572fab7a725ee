#!/usr/bin/env python
"""Benchmark the case export (R-KB-17): rows per second and peak memory for a
small and a large export, to show that memory stays flat.

    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/bench_export.py [--rows 100000] [--small 1000]
        [--engine fast|openpyxl|both] [--role leader|no_pii|grid_worker] [--fill] [--repeat 1]

Each measurement runs in a fresh child process (so its peak RSS belongs to that
export alone) and goes through the real path: ``core.jobs.start_export`` →
``run_export_job`` (count, keyset-chunked queries over the user's visible,
filtered list, companions, grid rounds and inspectors per chunk, personal data decrypted
and masked or not, template header rows, streaming writer, audit row). The
row count is chosen with the list's own ``created_after`` filter (the N newest
cases). A second child per size repeats the export under ``tracemalloc`` for
the Python heap's peak (tracemalloc slows Python down, so its time is not used).

Cases: when the site has fewer than ``--rows`` cases and ``--fill`` is given
(allowed on demo sites only), minimal cases are added with ``bulk_create``
(not through the services: a benchmark fixture, not business data): spread over
the street grids and three years, every case with one grid round, about a third
of them resolved with a way and an amount, one in five with a companion, PII
encrypted as usual. Use ``benchmarks/generate.py`` for realistic data when it
has a cases step.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
BENCH_USER = {"leader": ("bench_export_leader", ["leader"], []),
              "grid_worker": ("bench_export_grid", ["grid_worker"], ["320404001"]),
              "no_pii": ("bench_export_nopii", [], [])}


def setup_django() -> None:
    sys.path.insert(0, str(REPO_DIR / "apps"))
    sys.path.insert(0, str(REPO_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhonglou_hrss.settings")
    import django

    django.setup()


# --- data ------------------------------------------------------------------------------
def fill_cases(target: int, *, seed: int = 1, batch: int = 2000) -> int:
    """Add minimal cases (bulk_create) until the site has ``target``; return how many were added."""
    from datetime import timedelta
    from decimal import Decimal

    from django.conf import settings
    from django.db import reset_queries, transaction
    from django.utils import timezone
    from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind, User
    from zhonglou_hrss.core.validators import id_number_check_char
    from zhonglou_hrss.kuaiban.models import Case, CaseCompanion, CaseSource, CaseStatus, GridOutcome, GridRound

    have = Case.objects.count()
    missing = target - have
    if missing <= 0:
        return 0
    if not settings.SITE.is_demo:
        raise SystemExit("只有演示站点（demo = true）可以用 --fill 生成测试事件")
    rng = random.Random(seed + have)
    grids = list(Grid.objects.filter(kind="street", active=True)) or list(Grid.objects.filter(active=True))
    reasons = list(LookupEntry.objects.filter(kind=LookupKind.CASE_REASON, active=True))
    channels = list(LookupEntry.objects.filter(kind=LookupKind.CHANNEL, active=True))
    ways = list(LookupEntry.objects.filter(kind=LookupKind.RESOLUTION_WAY, active=True))
    clerk = User.objects.filter(username="bench_export_leader").first()
    now = timezone.now()
    start_serial = have + 1
    added = 0
    t0 = time.perf_counter()
    while added < missing:
        size = min(batch, missing - added)
        cases, meta = [], []
        for i in range(size):
            n = start_serial + added + i
            created = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            body = f"320404{1960 + n % 45}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
            resolved = rng.random() < 0.33
            grid = rng.choice(grids)
            cases.append(Case(
                number=f"BX{created:%Y}-{n:07d}", source=CaseSource.INTERNAL, channel=rng.choice(channels),
                status=CaseStatus.GRID_RESOLVED if resolved else CaseStatus.GRID_PENDING,
                reporter_name=rng.choice("张王李赵刘陈杨黄周吴") + rng.choice(["伟", "芳", "娜", "敏", "静", "强", "磊"]),
                reporter_id_number=body + id_number_check_char(body), reporter_phone=f"13{rng.randrange(10**9):09d}",
                respondent_name=f"常州测试机械有限公司{n % 5000}", reason=rng.choice(reasons), grid=grid,
                demand="要求支付拖欠的工资" + "，" * (n % 3), created_at=created, registered_by=clerk,
            ))
            meta.append((resolved, grid, created))
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=500)
            if cases[0].pk is None:  # backends without RETURNING: look the ids up
                by_number = dict(Case.objects.filter(number__in=[c.number for c in cases]).values_list("number", "pk"))
                for c in cases:
                    c.pk = by_number[c.number]
            rounds, companions = [], []
            for case, (resolved, grid, created) in zip(cases, meta):
                accepted = created + timedelta(hours=2)
                rounds.append(GridRound(
                    case_id=case.pk, grid=grid, sent_at=created, accepted_at=accepted if resolved else None,
                    open_case_id=None if resolved else case.pk,
                    outcome=GridOutcome.SUCCESS if resolved else "", outcome_at=accepted if resolved else None,
                    resolution_way=rng.choice(ways) if resolved else None,
                    amount=Decimal(rng.randrange(500, 50000)) if resolved else None,
                ))
                if rng.random() < 0.2:
                    companions.append(CaseCompanion(case_id=case.pk, name="同行人", id_number="", phone=""))
            GridRound.objects.bulk_create(rounds, batch_size=1000)
            CaseCompanion.objects.bulk_create(companions, batch_size=1000)
        added += size
        reset_queries()  # DEBUG sites keep every query's SQL
        print(f"  已生成 {have + added}/{target} 件（{time.perf_counter() - t0:.0f} 秒）", file=sys.stderr)
    from zhonglou_hrss.kuaiban.services.case_counts import reconcile

    reconcile(log_differences=False)  # the figures' case counts, which the services would have kept
    return added


def bench_user(role: str):
    from django.contrib.auth.models import Group, Permission
    from zhonglou_hrss.core.fixtures_sync import role_group
    from zhonglou_hrss.core.models import Grid, User

    username, roles, grids = BENCH_USER[role]
    user, _ = User.objects.get_or_create(username=username, defaults={"name": f"导出基准（{role}）"})
    groups = [role_group(code) for code in roles]
    if role == "no_pii":
        group, _ = Group.objects.get_or_create(name="导出基准：无个人信息权限")
        group.permissions.set(Permission.objects.filter(
            content_type__app_label__in=["core", "kuaiban"],
            codename__in=["access_desk", "view_case", "view_all_cases", "export_case"]))
        groups.append(group)
    user.groups.set(groups)
    user.grids.set(Grid.objects.filter(code__in=grids))
    return User.objects.get(pk=user.pk)


def created_after_for(user, rows: int) -> str:
    """The list filter that selects the user's ``rows`` newest cases."""
    from zhonglou_hrss.kuaiban.selectors import cases as selectors

    qs = selectors.case_list_for(user).order_by("-created_at", "-id").values_list("created_at", flat=True)
    found = list(qs[rows - 1:rows])
    if not found:
        raise SystemExit(f"该用户可见的事件不足 {rows} 件：请加 --fill 或换用更大的站点")
    return found[0].isoformat()


# --- one measurement (child process) -----------------------------------------------------
def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux: VmHWM (ru_maxrss would carry
    over the parent's peak across fork + exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args) -> dict:
    import tracemalloc

    from django.conf import settings
    from django.db import connection

    from zhonglou_hrss.core.exports import jobs, writer
    from zhonglou_hrss.core.models import ExportJob

    user = bench_user(args.role)
    filters = {"created_after": created_after_for(user, args.rows)}
    engine = args.engine
    original = writer.write_workbook
    writer.write_workbook = lambda *a, **kw: original(*a, **{**kw, "engine": engine})
    if args.trace:
        tracemalloc.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    job = jobs.start_export(user=user, kind="kuaiban_case", filters=filters)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak = tracemalloc.get_traced_memory()[1] if args.trace else None
    job.refresh_from_db()
    if job.status != ExportJob.Status.DONE:
        raise SystemExit(f"导出失败：{job.error}")
    path = jobs.export_path(job)
    result = {"rows": job.rows, "wall": wall, "cpu": cpu, "rows_per_s_wall": job.rows / wall,
              "rows_per_s_cpu": job.rows / cpu, "maxrss_mb": peak_rss_mb(),
              "trace_peak_mb": peak / 1024 / 1024 if peak is not None else None,
              "file_mb": path.stat().st_size / 1024 / 1024, "engine": engine, "role": args.role,
              "masked": job.masked, "db": connection.vendor, "jobs_inline": settings.JOBS_INLINE}
    path.unlink(missing_ok=True)
    return result


def run_child(rows: int, args, *, trace: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", "--rows", str(rows), "--engine", args.engine_one,
           "--role", args.role] + (["--trace"] if trace else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ.copy())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--sizes", default="", help="逗号分隔的行数，如 1000,10000,100000（默认 --small 和 --rows）")
    parser.add_argument("--engine", choices=["fast", "openpyxl", "both"], default="fast")
    parser.add_argument("--role", choices=list(BENCH_USER), default="leader")
    parser.add_argument("--fill", action="store_true", help="演示站点：事件不足时用 bulk_create 补足")
    parser.add_argument("--repeat", type=int, default=1, help="每个规模测几次（取中位数）")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    setup_django()
    if args.child:
        print(json.dumps(child(args)))
        return 0
    from django.db import connection

    if args.fill:
        bench_user("leader")
        added = fill_cases(args.rows)
        print(f"补充事件 {added} 件", file=sys.stderr)
    engines = ["fast", "openpyxl"] if args.engine == "both" else [args.engine]
    print(f"数据库 {connection.vendor}，站点 {os.environ.get('ZHONGLOU_SITE')}，角色 {args.role}")
    print("| engine | rows | wall s | CPU s | rows/s (wall) | rows/s (CPU) | max RSS MB | tracemalloc peak MB "
          "| file MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    import statistics

    for engine in engines:
        args.engine_one = engine
        sizes = [int(x) for x in args.sizes.split(",") if x.strip()] or [args.small, args.rows]
        for rows in sizes:
            runs = [run_child(rows, args, trace=False) for _ in range(args.repeat)]
            traced = run_child(rows, args, trace=True)
            med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
            print(f"| {engine} | {runs[0]['rows']:,} | {med('wall'):.2f} | {med('cpu'):.2f} | "
                  f"{med('rows_per_s_wall'):,.0f} | {med('rows_per_s_cpu'):,.0f} | {med('maxrss_mb'):.0f} | "
                  f"{traced['trace_peak_mb']:.1f} | {runs[0]['file_mb']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
