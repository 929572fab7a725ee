#!/usr/bin/env python
"""The portal's public reads at volume (issue 12): the home page and the news
list, on the PC portal and through the API, with N policy news (default
20,000, a few hundred of them pinned, some for a later day, some taken down).

    ZHONGLOU_SITE=benchportal .venv/bin/python benchmarks/bench_portal.py [--news 20000] [--repeat 30]
        [--warmup 3] [--json out.json] [--baseline earlier.json]

Adds news until the site has N (bulk, already clean HTML, as the desk's
editor saves it after ``services.richtext``), then for each read: median and
p95 wall time, median server CPU (this process), queries per request and the
count shown. Goals: home and list medians under 50 ms with 20,000 news, and
query counts that do not grow with the data (``--baseline``: the JSON of a
run with few news).

Anonymous visitors, as the public reads the portal. A demo site
(``manage.py load_demo``) gives the desk user the news are written by.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

from benchlib import Timing, database_line, production_like, setup_django

WORDS = ["招聘会", "稳岗返还", "社保补贴", "就业见习", "职业技能", "高校毕业生", "灵活就业", "创业担保贷款", "技能等级认定",
         "劳动合同", "工资支付", "农民工", "重点群体", "用工需求", "培训补贴"]
KINDS = ["通知", "公告", "政策解读", "办事指南", "公示", "问答"]
BODY = ("<h2>一、适用对象</h2><p>在钟楼区依法登记注册、正常经营的各类企业及其招用的劳动者。</p>"
        "<h2>二、办理方式</h2><ol><li>登录“码上办”企业门户；</li><li>按要求提交材料；</li><li>10个工作日内完成审核。</li></ol>"
        "<p><strong>咨询电话：</strong>0519-12333。</p>") * 3


@dataclass
class Scenario:
    name: str
    url: str
    params: dict
    wall: Timing = field(default_factory=Timing)
    cpu: Timing = field(default_factory=Timing)
    queries: int = 0
    count: int | None = None

    def summary(self) -> dict:
        return {"name": self.name, "url": self.url, "params": self.params, "wall": self.wall.summary(),
                "cpu_median_ms": round(self.cpu.median, 2), "queries": self.queries, "count": self.count}


def scenarios(last_page: int) -> list[Scenario]:
    return [
        Scenario("门户首页", "/portal/", {}),
        Scenario("API 首页", "/api/v1/portal/home/", {}),
        Scenario("门户 资讯列表", "/portal/news/", {}),
        Scenario("门户 资讯列表 末页", "/portal/news/", {"page": str(last_page)}),
        Scenario("门户 资讯搜索", "/portal/news/", {"q": "招聘会"}),
        Scenario("门户 资讯搜索 htmx", "/portal/news/", {"q": "稳岗返还"}),
        Scenario("API 资讯列表", "/api/v1/portal/news/", {}),
        Scenario("API 资讯搜索", "/api/v1/portal/news/", {"q": "招聘会"}),
        Scenario("API 资讯详情", "/api/v1/portal/news/{latest}/", {}),
    ]


def fill(target: int, seed: int) -> int:
    """Add news until there are ``target``; returns how many were added."""
    from django.db import transaction
    from django.utils import timezone

    from zhonglou_hrss.core.models import User
    from zhonglou_hrss.portal.models import News

    have = News.objects.count()
    if have >= target:
        return 0
    rng = random.Random(seed)
    author = User.objects.filter(username="portal_staff").first()
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for i in range(have, target):
        days = rng.randint(-30, 3650)  # a few for later days, most over ten years
        rows.append(News(
            title=f"{rng.choice(WORDS)}{rng.choice(['', '工作', '申报', '政策'])}{rng.choice(KINDS)}（第{i + 1}号）",
            published_on=today - timedelta(days=days), publisher=rng.choice(["钟楼区人社局就业促进科", "钟楼区人社局",
                                                                            "常州市人社局", "钟楼区就业服务中心"]),
            content_html=BODY, pinned=rng.random() < 0.02, is_published=rng.random() > 0.03,
            created_by=author, updated_by=author, created_at=now, updated_at=now))
    with transaction.atomic():
        News.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_portal.py")
    parser.add_argument("--news", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--baseline", help="a JSON of an earlier run (fewer news): print the growth")
    args = parser.parse_args(argv)

    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhonglou_hrss.portal.rules import NEWS_PAGE_SIZE
    from zhonglou_hrss.portal.selectors.news import public_news

    if not settings.SITE.is_demo:
        print("只能在演示站点上运行（site_config.toml 中 demo = true）。", file=sys.stderr)
        return 2
    production_like()
    started = time.perf_counter()
    added = fill(args.news, args.seed)
    if added:
        print(f"新增资讯 {added:,} 条，用时 {time.perf_counter() - started:.1f} 秒", flush=True)
    visible = public_news().count()
    latest = public_news().values_list("pk", flat=True).first()
    chosen = scenarios(max(1, -(-visible // NEWS_PAGE_SIZE)))
    for s in chosen:
        s.url = s.url.replace("{latest}", str(latest))
    client = Client()
    print(f"数据库：{database_line()}；资讯 {args.news:,} 条（公众可见 {visible:,} 条）", flush=True)
    for s in chosen:
        for _ in range(args.warmup):
            assert client.get(s.url, s.params).status_code == 200, s.name
    for _ in range(args.repeat):  # interleaved: a busy moment slows every read alike
        for s in chosen:
            headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "news-results"} if "htmx" in s.name else {}
            with CaptureQueriesContext(connection) as ctx:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(s.url, s.params, **headers)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            assert response.status_code == 200, s.name
            s.wall.samples.append(wall * 1000)
            s.cpu.samples.append(cpu * 1000)
            s.queries = len(ctx.captured_queries)
            if response.get("Content-Type", "").startswith("application/json"):
                s.count = response.json().get("count")
    baseline = {}
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as fh:
            baseline = {row["name"]: row for row in json.load(fh)["reads"]}
    print(f"\n{'读取':<18}{'中位 ms':>9}{'p95 ms':>9}{'CPU ms':>8}{'查询':>6}{'条数':>9}"
          + (f"{'耗时增长':>10}{'查询增长':>8}" if baseline else ""))
    for s in chosen:
        line = (f"{s.name:<18}{s.wall.median:>9.1f}{s.wall.p95:>9.1f}{s.cpu.median:>8.1f}{s.queries:>6}"
                f"{(s.count if s.count is not None else '—'):>9}")
        before = baseline.get(s.name)
        if before:
            line += f"{s.wall.median / before['wall']['median_ms']:>9.2f}×{s.queries - before['queries']:>+8}"
        print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database_line(), "news": args.news, "reads": [s.summary() for s in chosen]}, fh,
                      ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
