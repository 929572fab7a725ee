#!/usr/bin/env python
"""Server CPU of one request (issue 19: ≤ 12 ms for the API's list, detail and
map), for the pages the load test opens most: the desk's case list, case page
and home, the API's case list (leader, grid worker, inspector), a case's
detail and the one map's data.

    ZHONGLOU_SITE=bench1m .venv/bin/python benchmarks/bench_request_cpu.py [--repeat 30] [--json out.json]

Each request is timed with this process's CPU clock (Python's share; the
database's own work is not in it), after warm-up requests, with nothing
wrapped around the cursor. On a shared machine the figure drifts from one
minute to the next: to compare two versions, run this script from both
checkouts one after the other, twice, alternating (``--only`` narrows it).

Users: the demo site's ``leader`` and ``grid_320404001``, and the inspector
with the most open assignments; the case is the newest one in 网格处置中.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchlib import Timing, client_for, production_like, setup_django


def scenarios() -> list[tuple[str, str, str, str]]:
    from django.db.models import Count

    from zhonglou_hrss.kuaiban.models import Case, CaseStatus, InspectorAssignment

    case = Case.objects.filter(status=CaseStatus.GRID_HANDLING).order_by("-id").values_list("pk", flat=True).first()
    inspector = (InspectorAssignment.objects.filter(open_case__isnull=False).values("inspector__username")
                 .annotate(n=Count("pk")).order_by("-n").values_list("inspector__username", flat=True).first())
    grid = "grid_320404001"
    return [
        ("领导 桌面 全部事件", "leader", "/desk/kuaiban/case/", "session"),
        ("网格员 桌面 全部事件", grid, "/desk/kuaiban/case/", "session"),
        ("领导 桌面 事件页", "leader", f"/desk/kuaiban/case/{case}/", "session"),
        ("领导 工作台", "leader", "/desk/", "session"),
        ("网格员 工作台", grid, "/desk/", "session"),
        ("领导 API 事件列表", "leader", "/api/v1/kuaiban/cases/", "token"),
        ("网格员 API 事件列表", grid, "/api/v1/kuaiban/cases/", "token"),
        ("监察员 API 事件列表", inspector or "inspector1", "/api/v1/kuaiban/cases/", "token"),
        ("领导 API 事件详情", "leader", f"/api/v1/kuaiban/cases/{case}/", "token"),
        ("领导 API 一张图", "leader", "/api/v1/kuaiban/stats/map/", "token"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", help="run the scenarios whose name contains this")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    setup_django()
    production_like()
    results = []
    print(f"{'请求':<20}{'CPU 中位 ms':>12}{'p95':>8}", flush=True)
    for name, username, url, auth in scenarios():
        if args.only and args.only not in name:
            continue
        client, headers = client_for(username, auth)
        for _ in range(args.warmup):
            if client.get(url, **headers).status_code != 200:
                raise RuntimeError(f"{name}: {url} did not answer 200")
        cpu = Timing()
        for _ in range(args.repeat):
            started = time.process_time()
            client.get(url, **headers)
            cpu.samples.append((time.process_time() - started) * 1000)
        results.append({"name": name, "user": username, "url": url, "cpu": cpu.summary()})
        print(f"{name:<20}{cpu.median:>12.1f}{cpu.p95:>8.1f}", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
