#!/usr/bin/env python
"""Case list API speed (issue #3): the first page of GET /api/v1/kuaiban/cases/
against the bare SQL of the same page, through the same driver, in one run.

    ZHONGLOU_SITE=benchmaria .venv/bin/python benchmarks/bench_case_list.py [--repeat 50] [--warmup 5]
        [--auth session|token] [--one-query-repeat 3] [--only 领导] [--grid-worker grid_320404001]
        [--leader leader] [--explain] [--json out.json]

For each scenario — a grid worker (one grid) and the leader, each with
``?overdue=true`` and without a filter — it runs, interleaved so that a busy
machine slows both sides alike:

- **API**: the whole request through Django's test client (``force_login``, or
  ``--auth token`` for an API client's ``Authorization: Token``; DEBUG off):
  middleware, session and user look-up, DRF, visibility, filters, the
  paginator's count, the page, serialisation with masking, JSON rendering;
- **bare page SQL**: the page as one query — ``qs.query.sql_with_params()`` of
  the view's queryset sliced to the page, what a plain ``qs[0:20]`` runs —
  with ``cursor.execute`` and fetched;
- **bare list SQL**: the statements the list itself ran in the request (those
  on the kuaiban tables: the paginator's count and the page — one query, or
  ids then rows since ``core.paging``), captured with
  ``connection.execute_wrapper`` and run with the same parameters;
- **bare request SQL**: every read the request ran (session, user,
  permissions, grids, count, page; ``benchlib.selects``).

Reported per scenario: median and p95 in milliseconds, the ratios API / bare
page and API / bare list SQL, queries per request. The goal in issue #3:
the API under 2× the bare query and under 100 ms.
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
    client_for,
    database_line,
    get_ok,
    print_explain,
    production_like,
    run_sql,
    selects,
    setup_django,
    single_grid_worker,
)

LIST_URL = "/api/v1/kuaiban/cases/"


@dataclass
class Scenario:
    name: str
    username: str
    params: dict
    api: Timing = field(default_factory=Timing)
    bare_page: Timing = field(default_factory=Timing)
    bare_list: Timing = field(default_factory=Timing)  # the list's own statements (count + page)
    bare_request: Timing = field(default_factory=Timing)  # every read of the request
    queries: int = 0
    list_statements: int = 0
    count: int = 0
    page_rows: int = 0
    statements: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        out = {"name": self.name, "user": self.username, "params": self.params, "queries_per_request": self.queries,
               "samples": {"api": len(self.api.samples), "bare_page": len(self.bare_page.samples)},
               "list_statements": self.list_statements, "count": self.count, "page_rows": self.page_rows}
        for label in ("api", "bare_page", "bare_list", "bare_request"):
            out[label] = getattr(self, label).summary()
        out["ratio_api_to_bare_page"] = round(self.api.median / self.bare_page.median, 2)
        out["ratio_api_to_bare_list"] = round(self.api.median / self.bare_list.median, 2)
        return out


def page_queryset(user, params: dict):
    """The view's own queryset for this user and these filters, and the page size."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from zhonglou_hrss.kuaiban.api.cases import CaseListCreateView

    request = Request(APIRequestFactory().get(LIST_URL, params))
    request.user = user
    view = CaseListCreateView()
    view.setup(request)
    view.request, view.format_kwarg = request, None
    qs = view.get_queryset()
    return qs, view.paginator.get_page_size(request)


def measure(scenario: Scenario, *, repeat: int, warmup: int, explain: bool, out, auth: str = "session",
            one_query_repeat: int | None = None) -> None:
    from django.db import connection
    from zhonglou_hrss.core.models import User

    user = User.objects.get(username=scenario.username)
    client, headers = client_for(scenario.username, auth)

    def api_call():
        return get_ok(client, LIST_URL, scenario.params, headers, scenario.name)

    # One recorded request: the statements it runs, the COUNT and the page among them.
    for _ in range(warmup):
        api_call()
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        body = json.loads(api_call().content)
    scenario.queries = len(recorder.calls)
    scenario.count = body["count"]
    scenario.page_rows = len(body["results"])
    scenario.statements = [sql for sql, _ in recorder.calls]
    list_calls = [c for c in recorder.calls if "kuaiban_" in c[0]]
    scenario.list_statements = len(list_calls)
    # The count: COUNT over the cases or rounds, or (a user who sees every case) SUM of the case counts.
    if not any(("COUNT(" in sql.upper() or "SUM(" in sql.upper()) for sql, _ in list_calls) or len(list_calls) < 2:
        raise RuntimeError(f"{scenario.name}: count and page not found among {scenario.statements}")
    qs, page_size = page_queryset(User.objects.get(pk=user.pk), scenario.params)
    page_sql, page_params = qs[:page_size].query.sql_with_params()
    if explain:
        print_explain(scenario.name, [(f"list statement {i + 1}", call) for i, call in enumerate(list_calls)]
                      + [("page as one query", (page_sql, page_params))], out)

    one_query_repeat = repeat if one_query_repeat is None else min(repeat, one_query_repeat)
    for _ in range(min(warmup, one_query_repeat)):
        run_sql(page_sql, page_params)
    for _ in range(warmup):
        for call in list_calls:
            run_sql(*call)
    for i in range(repeat):  # interleaved: load on the machine hits every side alike
        started = time.perf_counter()
        api_call()
        scenario.api.samples.append((time.perf_counter() - started) * 1000)

        if i < one_query_repeat:  # the one-query page can take seconds: --one-query-repeat limits it
            started = time.perf_counter()
            rows = run_sql(page_sql, page_params)
            scenario.bare_page.samples.append((time.perf_counter() - started) * 1000)
            if rows != scenario.page_rows:
                raise RuntimeError(f"{scenario.name}: bare page gave {rows} rows, the API {scenario.page_rows}")

        started = time.perf_counter()
        for call in list_calls:
            run_sql(*call)
        scenario.bare_list.samples.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        for sql, params in selects(recorder.calls):
            run_sql(sql, params)
        scenario.bare_request.samples.append((time.perf_counter() - started) * 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_case_list.py",
                                     description="快办事件列表接口与同一页裸 SQL 的耗时对比（ZHONGLOU_SITE 选择站点）。")
    parser.add_argument("--repeat", type=int, default=50, help="每种情形测量次数（默认 50）")
    parser.add_argument("--warmup", type=int, default=5, help="预热次数（默认 5）")
    parser.add_argument("--grid-worker", default="grid_320404001", help="只负责一个网格的网格员用户名")
    parser.add_argument("--leader", default="leader", help="领导用户名")
    parser.add_argument("--only", default="", help="只测名称含此文字的情形")
    parser.add_argument("--one-query-repeat", type=int, default=None, metavar="N",
                        help="“一条分页查询”只测前 N 次（它在大列表上可能要几秒；默认与 --repeat 相同）")
    parser.add_argument("--explain", action="store_true", help="打印 COUNT 和分页查询的 EXPLAIN")
    parser.add_argument("--auth", choices=["session", "token"], default="session",
                        help="session：force_login 的会话（默认，每次请求保存会话）；token：Authorization: Token")
    parser.add_argument("--json", type=Path, help="结果另存为 JSON")
    args = parser.parse_args(argv)

    setup_django()
    from django.conf import settings
    from zhonglou_hrss.kuaiban.models import Case

    production_like()
    grid = single_grid_worker(args.grid_worker)
    scenarios = [
        Scenario("网格员 overdue=true", args.grid_worker, {"overdue": "true"}),
        Scenario("领导 overdue=true", args.leader, {"overdue": "true"}),
        Scenario("网格员 无筛选", args.grid_worker, {}),
        Scenario("领导 无筛选", args.leader, {}),
    ]
    scenarios = [s for s in scenarios if args.only in s.name]
    total = Case.objects.count()
    print(f"站点 {settings.SITE.name}（{database_line()}）：{total:,} 件事件；网格员 {args.grid_worker}（网格 {grid}）；"
          f"认证 {args.auth}；每种情形预热 {args.warmup} 次、测量 {args.repeat} 次", flush=True)
    for scenario in scenarios:
        measure(scenario, repeat=args.repeat, warmup=args.warmup, explain=args.explain, out=sys.stdout, auth=args.auth,
                one_query_repeat=args.one_query_repeat)
        s = scenario.summary()
        print(f"\n{scenario.name}：共 {s['count']:,} 件，本页 {s['page_rows']} 行，每次请求 {s['queries_per_request']} 条 SQL",
              flush=True)
        for label, text in (("api", "API 整个请求"), ("bare_page", "裸 SQL：一条分页查询"),
                            ("bare_list", "裸 SQL：列表的语句"), ("bare_request", "裸 SQL：请求的全部查询")):
            print(f"  {text:<16} 中位数 {s[label]['median_ms']:9.2f} ms   p95 {s[label]['p95_ms']:9.2f} ms", flush=True)
        print(f"  API / 裸一条分页查询 = {s['ratio_api_to_bare_page']:.2f}×   "
              f"API / 裸列表语句 = {s['ratio_api_to_bare_list']:.2f}×   列表语句 {s['list_statements']} 条", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"cases": total, "auth": args.auth,
                                         "scenarios": [s.summary() for s in scenarios],
                                         "statements": {s.name: s.statements for s in scenarios}},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
