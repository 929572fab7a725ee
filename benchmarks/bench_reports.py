#!/usr/bin/env python
"""Saved reports' speed (issue 17): a grouped report over the cases — count by
grid × month — as the leader (every case) and as a grid worker (their grid's,
through ``case_list_for``), on a site filled by ``generate.py --cases …``.

    ZHONGLOU_SITE=bench .venv/bin/python benchmarks/bench_reports.py [--repeat 20] [--warmup 2]
        [--leader leader] [--grid-worker grid_320404001] [--year 2026] [--explain] [--json out.json]

For each scenario, interleaved so that a busy machine slows every side alike:

- **request**: ``GET /api/v1/platform/reports/{id}/run/`` through Django's
  test client (DEBUG off), signed in as the user;
- **bare SQL**: the report's one GROUP BY statement, captured once and run
  again with the same parameters through the same driver.

The report is saved once (named ``基准：各网格每月事件数``, owned by the leader,
shared with the grid worker's roles) and reused on later runs. The goal in
issue 17: under 1 s at 1,000,000 cases on MariaDB.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from benchlib import (
    Recorder,
    Timing,
    analyze_tables,
    client_for,
    database_line,
    get_ok,
    print_explain,
    production_like,
    run_sql,
    selects,
    setup_django,
)

NAME = "基准：各网格每月事件数"
TABLES = ["kuaiban_case", "kuaiban_gridround", "core_grid"]


def saved_report(leader, worker, year: int | None):
    from zhonglou_hrss.platform.models import SavedReport
    from zhonglou_hrss.platform.services.reports import save_report, update_report

    data = {"name": NAME, "source": "cases", "group_by": ["grid__name", "created_at:month"],
            "aggregates": [{"op": "count", "field": ""}],
            "filters": {"created_at": {"op": "range", "value": [f"{year}-01-01", f"{year}-12-31"]}} if year else {},
            "shared_with": list(worker.groups.values_list("name", flat=True))}
    found = SavedReport.objects.filter(name=NAME, owner=leader).first()
    if found is None:
        return save_report(actor=leader, data=data)
    return update_report(actor=leader, report_id=found.pk, data=data)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--leader", default="leader")
    parser.add_argument("--grid-worker", default="grid_320404001")
    parser.add_argument("--year", type=int, default=None, help="only this year's cases (default: all)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--analyze", action="store_true", help="ANALYZE TABLE first (MariaDB, after a bulk load)")
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)

    setup_django()
    production_like()
    from django.db import connection

    from zhonglou_hrss.core.models import User
    from zhonglou_hrss.kuaiban.models import Case

    out = sys.stdout
    if args.analyze:
        analyze_tables(TABLES, out)
    leader = User.objects.get(username=args.leader)
    worker = User.objects.get(username=args.grid_worker)
    report = saved_report(leader, worker, args.year)
    url = f"/api/v1/platform/reports/{report.pk}/run/"
    print(f"数据库：{database_line()}；事件 {Case.objects.count():,} 件；报表 #{report.pk}", file=out, flush=True)

    scenarios = []
    for label, user in (("领导（全部事件）", leader), ("网格员（本网格）", worker)):
        client, headers = client_for(user.username)
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            response = get_ok(client, url, {}, headers, label)
        body = response.json()
        statements = selects(recorder.calls)
        # The report's own statement: the one with GROUP BY (the rest are session, permissions, the report row).
        grouped = [s for s in statements if "GROUP BY" in s[0].upper()]
        scenarios.append({"label": label, "client": client, "headers": headers, "grouped": grouped,
                          "rows": len(body["rows"]), "queries": len(recorder.calls),
                          "request": Timing(), "bare": Timing()})
        if args.explain:
            print_explain(label, [(f"statement {i + 1}", s) for i, s in enumerate(grouped)], out)

    for i in range(args.warmup + args.repeat):
        for s in scenarios:
            start = time.perf_counter()
            get_ok(s["client"], url, {}, s["headers"], s["label"])
            request_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            for sql, params in s["grouped"]:
                run_sql(sql, params)
            bare_ms = (time.perf_counter() - start) * 1000
            if i >= args.warmup:
                s["request"].samples.append(request_ms)
                s["bare"].samples.append(bare_ms)

    summary = []
    for s in scenarios:
        line = {"scenario": s["label"], "rows": s["rows"], "queries_per_request": s["queries"],
                "group_by_statements": len(s["grouped"]), "request": s["request"].summary(),
                "bare_sql": s["bare"].summary()}
        summary.append(line)
        print(f"{s['label']}：{s['rows']} 行，每次请求 {s['queries']} 条语句（GROUP BY {len(s['grouped'])} 条）；"
              f"请求 中位 {s['request'].median:.1f} ms / p95 {s['request'].p95:.1f} ms；"
              f"分组语句 中位 {s['bare'].median:.1f} ms / p95 {s['bare'].p95:.1f} ms", file=out, flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"database": database_line(), "report": report.pk, "scenarios": summary}, f,
                      ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
