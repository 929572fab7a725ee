#!/usr/bin/env python
"""Talent demands at volume (issue 13, R-PT-13, 14): N demands (default
100,000, about 4 positions each) from 2,000 enterprises over three years,
then the statistics API for a year and an enterprise's own list.

    ZHONGLOU_SITE=<demo site> .venv/bin/python benchmarks/bench_demands.py \\
        [--demands 100000] [--repeat 20] [--json out.json] [--baseline earlier.json]

Goals: the statistics median under 200 ms for a year with queries that do
not grow with the data; the enterprise's own list under 50 ms. The rows are
bulk-written as the services write them (lookup keys, encrypted mobiles); 50
of them belong to the demo's ent_demo1, whose list is measured. Bulk rows skip
the services, so the statistics' tallies are then rebuilt with
``services.demand_tallies.reconcile`` (timed: the nightly check's cost).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta

from benchlib import Timing, analyze_tables, client_for, database_line, get_ok, production_like, setup_django

ENTERPRISES = 2000
OWN = 50  # demands of ent_demo1


def fill(target: int, seed: int) -> int:
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from zhonglou_hrss.core.models import Enterprise, EnterpriseAccount, LookupEntry, LookupKind, User
    from zhonglou_hrss.core.validators import uscc_check_char
    from zhonglou_hrss.portal.models import (
        Demand,
        DemandMajor,
        DemandOutcome,
        DemandPosition,
        DemandService,
        DemandStatus,
    )

    have = Demand.objects.count()
    if have >= target:
        return 0
    rng = random.Random(seed + have)
    staff = User.objects.get(username="portal_staff")
    account = EnterpriseAccount.objects.get(user__username="ent_demo1")
    codes = []
    for i in range(ENTERPRISES):
        body = f"91320404{800_000 + i:09d}"
        codes.append(body + uscc_check_char(body))
    known = set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    Enterprise.objects.bulk_create([Enterprise(uscc=c, name=f"需求测试企业{i}号有限公司")
                                    for i, c in enumerate(codes) if c not in known], batch_size=1000)
    enterprise_ids = list(Enterprise.objects.filter(uscc__in=codes).values_list("id", flat=True))

    def ids(kind):
        return list(LookupEntry.objects.of(kind).values_list("id", flat=True))

    kinds = {name: ids(kind) for name, kind in (
        ("employment_type", LookupKind.EMPLOYMENT_TYPE), ("age_band", LookupKind.AGE_BAND),
        ("education", LookupKind.EDUCATION), ("skill_level", LookupKind.SKILL_REQUIREMENT),
        ("experience", LookupKind.EXPERIENCE), ("industry", LookupKind.INDUSTRY),
        ("chain", LookupKind.INDUSTRIAL_CHAIN), ("post", LookupKind.POSITION), ("major", LookupKind.MAJOR_CATEGORY),
        ("service", LookupKind.DEMAND_SERVICE))}
    posts = dict(LookupEntry.objects.filter(pk__in=kinds["post"]).values_list("id", "label"))
    now = timezone.now()
    start = now - timedelta(days=3 * 365)
    statuses = [DemandStatus.APPROVED] * 8 + [DemandStatus.PENDING, DemandStatus.REJECTED]
    outcomes = [DemandOutcome.COMPLETED] * 5 + [DemandOutcome.PARTIAL] * 3 + [DemandOutcome.NONE] * 2
    batch = 5000
    made = 0
    while have + made < target:
        n = min(batch, target - have - made)
        demands = []
        for i in range(n):
            status = rng.choice(statuses)
            outcome = rng.choice(outcomes) if status == DemandStatus.APPROVED else ""
            submitted = start + timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            own = have + made + i < OWN
            demands.append(Demand(
                account=account, enterprise_id=account.enterprise_id if own else rng.choice(enterprise_ids),
                company_name="常州钟晟精密机械有限公司" if own else f"需求测试企业{rng.randint(0, ENTERPRISES)}号有限公司",
                industry_id=rng.choice(kinds["industry"]), industrial_chain_id=rng.choice(kinds["chain"]),
                contact_name="联系人", contact_phone=f"139{rng.randint(0, 99_999_999):08d}", months=[3, 4],
                workforce_size=rng.randint(20, 2000), status=status, submitted_at=submitted,
                decided_by=staff if status != DemandStatus.PENDING else None,
                decided_at=submitted + timedelta(days=1) if status != DemandStatus.PENDING else None,
                outcome=outcome, outcome_at=submitted + timedelta(days=40) if outcome else None))
        with transaction.atomic():
            Demand.objects.bulk_create(demands, batch_size=1000)
            demand_ids = [d.pk for d in demands]
            if None in demand_ids:  # a database without RETURNING: the ids of one bulk insert are consecutive
                top = Demand.objects.aggregate(m=Max("id"))["m"]
                demand_ids = list(range(top - n + 1, top + 1))
            positions, services = [], []
            for demand_id in demand_ids:
                for k in range(rng.choice([2, 3, 4, 4, 5, 6])):
                    low = rng.randrange(2500, 12000, 500)
                    post = rng.choice(kinds["post"])
                    headcount = rng.randint(1, 30)
                    positions.append(DemandPosition(
                        demand_id=demand_id, order=k, position_entry_id=post, position_text=posts[post],
                        headcount=headcount, gender=rng.choice(["male", "female", "any", "any"]),
                        employment_type_id=rng.choice(kinds["employment_type"]), salary_min=low,
                        salary_max=low + rng.randrange(0, 5000, 500), age_band_id=rng.choice(kinds["age_band"]),
                        education_id=rng.choice(kinds["education"]), skill_level_id=rng.choice(kinds["skill_level"]),
                        experience_id=rng.choice(kinds["experience"]), hired=rng.randint(0, headcount)))
                for service in rng.sample(kinds["service"], rng.randint(1, 3)):
                    services.append(DemandService(demand_id=demand_id, service_id=service))
            DemandPosition.objects.bulk_create(positions, batch_size=2000)
            DemandService.objects.bulk_create(services, batch_size=2000)
            position_ids = [p.pk for p in positions]
            if None in position_ids:
                first = DemandPosition.objects.filter(demand_id=demand_ids[0]).order_by("id").values_list(
                    "id", flat=True).first()
                position_ids = list(range(first, first + len(positions)))
            majors = [DemandMajor(position_id=pid, category_id=rng.choice(kinds["major"]), headcount=1)
                      for pid in position_ids if rng.random() < 0.3]
            DemandMajor.objects.bulk_create(majors, batch_size=2000)
        made += n
        print(f"  已写入 {have + made:,} 条需求", flush=True)
    return made


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench_demands.py")
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    parser.add_argument("--baseline", help="a JSON of an earlier run (fewer demands): print the growth")
    args = parser.parse_args(argv)

    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zhonglou_hrss.portal.models import Demand, DemandPosition

    if not settings.SITE.is_demo:
        print("只能在演示站点上运行（site_config.toml 中 demo = true；先运行 manage.py load_demo）。", file=sys.stderr)
        return 2
    production_like()
    started = time.perf_counter()
    added = fill(args.demands, args.seed)
    if added:
        print(f"新增需求 {added:,} 条，用时 {time.perf_counter() - started:.1f} 秒", flush=True)
        analyze_tables(["portal_demand", "portal_demandposition", "portal_demandservice", "portal_demandmajor"],
                       sys.stdout)
    from zhonglou_hrss.portal.models import DemandTally
    from zhonglou_hrss.portal.services.demand_tallies import reconcile

    if added or not DemandTally.objects.exists():
        # The bulk rows skipped the services: the statistics' tallies are recomputed, as after any bulk load.
        began = time.perf_counter()
        repaired = reconcile()
        print(f"核对需求统计汇总：修正 {len(repaired):,} 项，用时 {time.perf_counter() - began:.1f} 秒", flush=True)
        analyze_tables(["portal_demandtally"], sys.stdout)
    year = timezone.localdate().year
    staff, staff_headers = client_for("portal_staff", "token")
    company, company_headers = client_for("ent_demo1", "token")
    reads = [
        ("统计 本年", staff, staff_headers, "/api/v1/portal/stats/demands/",
         {"from": f"{year}-01-01", "to": f"{year}-12-31"}),
        ("统计 三年", staff, staff_headers, "/api/v1/portal/stats/demands/",
         {"from": f"{year - 3}-01-01", "to": f"{year}-12-31"}),
        ("工作人员 需求列表", staff, staff_headers, "/api/v1/portal/demands/", {}),
        ("企业 本企业需求列表", company, company_headers, "/api/v1/portal/demands/", {}),
    ]
    timings = {name: Timing() for name, *_ in reads}
    queries = {}
    for name, client, headers, url, params in reads:
        for _ in range(args.warmup):
            get_ok(client, url, params, headers, name)
    for _ in range(args.repeat):
        for name, client, headers, url, params in reads:
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                get_ok(client, url, params, headers, name)
                timings[name].samples.append((time.perf_counter() - began) * 1000)
            queries[name] = len(ctx.captured_queries)
    baseline = {}
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as fh:
            baseline = {row["name"]: row for row in json.load(fh)["reads"]}
    print(f"数据库：{database_line()}；需求 {Demand.objects.count():,} 条，岗位 {DemandPosition.objects.count():,} 个")
    print(f"{'读取':<16}{'中位 ms':>9}{'p95 ms':>9}{'查询':>6}" + (f"{'查询增长':>9}" if baseline else ""))
    rows = []
    for name, *_ in reads:
        t = timings[name]
        line = f"{name:<16}{t.median:>9.1f}{t.p95:>9.1f}{queries[name]:>6}"
        if name in baseline:
            line += f"{queries[name] - baseline[name]['queries']:>+9}"
        print(line)
        rows.append({"name": name, **t.summary(), "queries": queries[name]})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database_line(), "demands": Demand.objects.count(), "reads": rows,
                       "at": datetime.now().isoformat(timespec="seconds")}, fh, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
