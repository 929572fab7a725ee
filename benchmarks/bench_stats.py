#!/usr/bin/env python
"""Statistics speed (issue #4): the one map, the analysis and the desk home's
number cards, as the leader and as a grid worker, on a site filled by
``generate.py --cases … --petitions …``.

    ZHONGLOU_SITE=benchmaria .venv/bin/python benchmarks/bench_stats.py [--repeat 30] [--warmup 3]
        [--year 2026] [--auth session|token] [--only 一张图] [--grid-worker grid_320404001]
        [--leader leader] [--analyze] [--explain] [--statements] [--json out.json]

For each scenario it runs, interleaved so that a busy machine slows every side
alike:

- **request**: the whole request through Django's test client (DEBUG off):
  ``GET /api/v1/kuaiban/stats/map/?year=``, ``GET …/analysis/?year=`` and the
  desk home ``GET /desk/`` (whose cards are ``stats.dashboard_figures``);
- **bare SQL**: every SELECT that request ran, captured once with
  ``connection.execute_wrapper`` and run again with the same parameters
  through the same driver (the session's UPDATE and transaction statements
  are counted, not replayed).

Reported per scenario: median and p95 in milliseconds, queries per request,
the bare SQL's median and its slowest statement, and on MariaDB the InnoDB pages
the request's statements touch (``benchlib.page_reads``; per statement with
``--statements``): what a small buffer pool reads from disk once other work has
evicted them. The goal in issue #4: each
stats endpoint under 200 ms (median) at 1,000,000 cases and 200,000 petitions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import (
    Recorder,
    Timing,
    analyze_tables,
    client_for,
    database_line,
    get_ok,
    page_reads,
    print_explain,
    production_like,
    run_sql,
    selects,
    setup_django,
    single_grid_worker,
)

MAP_URL = "/api/v1/kuaiban/stats/map/"
ANALYSIS_URL = "/api/v1/kuaiban/stats/analysis/"
DESK_HOME_URL = "/desk/"
TABLES = ["kuaiban_case", "kuaiban_gridround", "kuaiban_inspectorassignment", "kuaiban_petition"]


@dataclass
class Scenario:
    name: str
    username: str
    url: str
    params: dict
    request: Timing = field(default_factory=Timing)
    bare: Timing = field(default_factory=Timing)
    statement_ms: list[Timing] = field(default_factory=list)  # per statement of the request
    statements: list[tuple[str, tuple | None]] = field(default_factory=list)  # the SELECTs
    statement_pages: list[int | None] = field(default_factory=list)  # InnoDB pages each touched
    queries: int = 0  # every statement of the request
    size: int = 0  # bytes of the response

    def summary(self) -> dict:
        slowest = max(range(len(self.statements)), key=lambda i: self.statement_ms[i].median, default=None)
        return {
            "name": self.name, "user": self.username, "url": self.url, "params": self.params,
            "queries_per_request": self.queries, "selects_per_request": len(self.statements), "response_bytes": self.size,
            "pages_touched": (sum(self.statement_pages) if self.statement_pages and None not in self.statement_pages
                              else None),
            "samples": len(self.request.samples), "request": self.request.summary(), "bare_sql": self.bare.summary(),
            "slowest_statement": None if slowest is None else {
                "median_ms": round(self.statement_ms[slowest].median, 2),
                "sql": self.statements[slowest][0][:400]},
        }


def measure(scenario: Scenario, *, repeat: int, warmup: int, auth: str, explain: bool, out) -> None:
    from django.db import connection

    client, headers = client_for(scenario.username, auth if scenario.url != DESK_HOME_URL else "session")
    if scenario.url == DESK_HOME_URL:
        headers = {}

    def call():
        return get_ok(client, scenario.url, scenario.params, headers, scenario.name)

    for _ in range(warmup):
        call()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        scenario.size = len(call().content)
    scenario.queries = len(recorder.calls)
    scenario.statements = selects(recorder.calls)
    scenario.statement_ms = [Timing() for _ in scenario.statements]
    for sql, params in scenario.statements:
        run_sql(sql, params)  # the pages it needs in the pool first: its touches, not its misses
    scenario.statement_pages = [page_reads(sql, params) for sql, params in scenario.statements]
    if explain:
        print_explain(scenario.name, [(f"statement {i + 1}", call_) for i, call_ in enumerate(scenario.statements)
                                      if "kuaiban_" in call_[0]], out)
    for _ in range(warmup):
        for sql, params in scenario.statements:
            run_sql(sql, params)
    for _ in range(repeat):  # interleaved: load on the machine hits both sides alike
        started = time.perf_counter()
        call()
        scenario.request.samples.append((time.perf_counter() - started) * 1000)

        total = 0.0
        for i, (sql, params) in enumerate(scenario.statements):
            started = time.perf_counter()
            run_sql(sql, params)
            took = (time.perf_counter() - started) * 1000
            scenario.statement_ms[i].samples.append(took)
            total += took
        scenario.bare.samples.append(total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_stats.py",
                                     description="快办统计接口（一张图、分析）和工作台首页的耗时（ZHONGLOU_SITE 选择站点）。")
    parser.add_argument("--repeat", type=int, default=30, help="每种情形测量次数（默认 30）")
    parser.add_argument("--warmup", type=int, default=3, help="预热次数（默认 3）")
    parser.add_argument("--year", type=int, default=None, help="统计年份（默认今年）")
    parser.add_argument("--grid-worker", default="grid_320404001", help="只负责一个网格的网格员用户名")
    parser.add_argument("--leader", default="leader", help="领导用户名")
    parser.add_argument("--only", default="", help="只测名称含此文字的情形")
    parser.add_argument("--auth", choices=["session", "token"], default="session",
                        help="接口的认证方式：session（默认，浏览器）或 token（小程序等 API 客户端）")
    parser.add_argument("--analyze", action="store_true", help="测量前对快办各表执行 ANALYZE TABLE（MariaDB）")
    parser.add_argument("--explain", action="store_true", help="打印每条快办语句的 EXPLAIN")
    parser.add_argument("--statements", action="store_true", help="列出每条查询的中位数耗时")
    parser.add_argument("--json", type=Path, help="结果另存为 JSON")
    args = parser.parse_args(argv)

    setup_django()
    from django.conf import settings
    from zhonglou_hrss.kuaiban import rules
    from zhonglou_hrss.kuaiban.models import Case, Petition

    production_like()
    grid = single_grid_worker(args.grid_worker)
    year = args.year or rules.this_year()
    params = {"year": str(year)}
    scenarios = [
        Scenario("领导 一张图", args.leader, MAP_URL, params),
        Scenario("网格员 一张图", args.grid_worker, MAP_URL, params),
        Scenario("领导 分析", args.leader, ANALYSIS_URL, params),
        Scenario("网格员 分析", args.grid_worker, ANALYSIS_URL, params),
        Scenario("领导 工作台首页", args.leader, DESK_HOME_URL, {}),
        Scenario("网格员 工作台首页", args.grid_worker, DESK_HOME_URL, {}),
    ]
    scenarios = [s for s in scenarios if args.only in s.name]
    print(f"站点 {settings.SITE.name}（{database_line()}）：{Case.objects.count():,} 件事件，"
          f"{Petition.objects.count():,} 条信访；{year} 年；网格员 {args.grid_worker}（网格 {grid}）；"
          f"认证 {args.auth}；每种情形预热 {args.warmup} 次、测量 {args.repeat} 次", flush=True)
    if args.analyze:
        analyze_tables(TABLES, sys.stdout)
    for scenario in scenarios:
        measure(scenario, repeat=args.repeat, warmup=args.warmup, auth=args.auth, explain=args.explain,
                out=sys.stdout)
        s = scenario.summary()
        print(f"\n{scenario.name}（{scenario.url}）：每次请求 {s['queries_per_request']} 条 SQL（查询 {s['selects_per_request']} 条），"
              f"响应 {s['response_bytes']:,} 字节", flush=True)
        print(f"  整个请求   中位数 {s['request']['median_ms']:9.2f} ms   p95 {s['request']['p95_ms']:9.2f} ms",
              flush=True)
        print(f"  裸 SQL 合计 中位数 {s['bare_sql']['median_ms']:9.2f} ms   p95 {s['bare_sql']['p95_ms']:9.2f} ms",
              flush=True)
        if s["pages_touched"] is not None:
            print(f"  InnoDB 页访问 {s['pages_touched']:,} 页/请求", flush=True)
        if args.statements:
            for (sql, _), timing, pages in zip(scenario.statements, scenario.statement_ms, scenario.statement_pages,
                                               strict=True):
                print(f"    {timing.median:9.2f} ms  {'' if pages is None else f'{pages:>7,} 页  '}{sql[:220]}",
                      flush=True)
        if s["slowest_statement"]:
            print(f"  最慢的一条 {s['slowest_statement']['median_ms']:9.2f} ms：{s['slowest_statement']['sql'][:160]}…",
                  flush=True)
    if args.json:
        args.json.write_text(json.dumps({"cases": Case.objects.count(), "petitions": Petition.objects.count(),
                                         "year": year, "auth": args.auth,
                                         "scenarios": [s.summary() for s in scenarios]},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
