#!/usr/bin/env python
"""Credit results at the district's full volume (issue 15): H HR companies
(default 2,000) with approved credit accounts, licences and a declaration
confirmed at 终评 each (L lines per declaration, default 5: 10,000 items),
plus R questionnaire responses (default 200,000, written by
``bench_questionnaires.fill``), then

- generating the year's results (``services.results.generate_results``: the
  questionnaire composites, the three dimensions, four rankings, a new
  version with every row) — goal under 5 s;
- the rankings as staff read them: ``GET /api/v1/credit/results/{year}/`` (all
  rows and one grade) and the desk's rankings page when it exists — goal
  under 200 ms.

    ZHONGLOU_SITE=benchcredit .venv/bin/python benchmarks/bench_credit.py \\
        [--hr-companies 2000] [--responses 200000] [--lines 5] [--repeat 7] [--generate 3] [--json out.json]

The site needs the base fixtures (``sync_fixtures``: the default criteria
year) and the demo users (``load_demo``: ``credit_staff``). Data are written
once in bulk; a second run measures at once. Each generation makes a new
version, as staff would by generating again."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from decimal import Decimal

from benchlib import Timing, analyze_tables, client_for, database_line, get_ok, production_like, setup_django

BATCH = 2000


def fill_credit(args, out) -> int:
    """Accounts, licences, accesses and final declarations for the HR companies of
    ``bench_questionnaires`` (USCC prefix 91320404B). Returns the rating year."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from bench_questionnaires import uscc_for
    from zhonglou_hrss.core import clock
    from zhonglou_hrss.core.models import (
        AccessStatus,
        Enterprise,
        EnterpriseAccount,
        LookupEntry,
        LookupKind,
        Subsystem,
        SubsystemAccess,
        User,
    )
    from zhonglou_hrss.credit.models import CriteriaItem, Declaration, DeclarationItem, DeclarationStatus, HRCompanyLicence
    from zhonglou_hrss.credit.selectors.criteria import latest_scheme

    scheme = latest_scheme()
    if scheme is None:
        sys.exit("站点没有信用评价标准：先运行 manage.py sync_fixtures")
    codes = [uscc_for("91320404B", n) for n in range(args.hr_companies)]
    enterprises = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))
    have = Declaration.objects.filter(scheme=scheme, account__enterprise__uscc__in=codes).count()
    if have >= args.hr_companies:
        print(f"已有 {have:,} 份 {scheme.year} 年度基准申报，跳过生成", file=out)
        return scheme.year
    started = time.perf_counter()
    rng = random.Random(args.seed)
    industry = LookupEntry.objects.filter(kind=LookupKind.INDUSTRY).order_by("id").first()
    chain = LookupEntry.objects.filter(kind=LookupKind.INDUSTRIAL_CHAIN).order_by("id").first()
    password = make_password("Bench#pass2026")  # one hash for every account: hashing 2,000 would dominate
    items = list(CriteriaItem.objects.filter(scheme=scheme, category__kind="bonus").order_by("order")[:args.lines])
    now = clock.now()
    with transaction.atomic():
        users = [User(username=f"bench_hr{n:05d}", password=password, name=f"基准人力资源{n}号")
                 for n in range(args.hr_companies)]
        User.objects.bulk_create(users, batch_size=BATCH, ignore_conflicts=True)
        user_ids = dict(User.objects.filter(username__startswith="bench_hr").values_list("username", "id"))
        accounts = [EnterpriseAccount(user_id=user_ids[f"bench_hr{n:05d}"], enterprise_id=enterprises[code],
                                      company_name=f"常州基准人力资源{n}号有限公司", uscc_checksum_confirmed=True,
                                      industry=industry, industrial_chain=chain, address="常州市钟楼区基准路1号",
                                      contact_name="基准", contact_phone="13900000000")
                    for n, code in enumerate(codes)]
        EnterpriseAccount.objects.bulk_create(accounts, batch_size=BATCH)
        account_ids = list(EnterpriseAccount.objects.filter(enterprise__uscc__in=codes).values_list("id", flat=True))
        SubsystemAccess.objects.bulk_create(
            [SubsystemAccess(account_id=a, subsystem=Subsystem.CREDIT, status=AccessStatus.APPROVED,
                             requested_at=now, decided_at=now) for a in account_ids], batch_size=BATCH)
        HRCompanyLicence.objects.bulk_create(
            [HRCompanyLicence(account_id=a, licence_no=f"BENCH{a:08d}", licence_date=date(2015, 3, 1))
             for a in account_ids], batch_size=BATCH)
        grades = ["AAA", "AA", "A", "B", "C"]
        declarations = []
        for a in account_ids:
            score = Decimal(rng.randint(6000, 12000)) / 100
            declarations.append(Declaration(scheme=scheme, account_id=a, status=DeclarationStatus.FINAL_DONE,
                                            submitted_at=now, confirmed_at=now, credit_score=score,
                                            grade=grades[min(4, int((120 - score) // 10))]))
        Declaration.objects.bulk_create(declarations, batch_size=BATCH)
        ids = Declaration.objects.filter(scheme=scheme, account_id__in=account_ids).values_list("id", flat=True)
        DeclarationItem.objects.bulk_create(
            [DeclarationItem(declaration_id=d, item=item, self_points=1, final_points=1, initial_points=1)
             for d in ids for item in items], batch_size=BATCH)
    print(f"生成 {len(account_ids):,} 家人力资源企业的账号与申报（{len(items)} 项/份）用时 "
          f"{time.perf_counter() - started:.1f} s", file=out, flush=True)
    return scheme.year


def measure(args, year, out) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from zhonglou_hrss.credit.models import ResultVersion
    from zhonglou_hrss.credit.services.results import generate_results

    staff = get_user_model().objects.get(username="credit_staff")
    generate, generate_cpu = Timing(), Timing()
    version = None
    for _ in range(args.generate):
        t0, c0 = time.perf_counter(), time.process_time()
        version = generate_results(actor=staff, year=year)
        generate.samples.append((time.perf_counter() - t0) * 1000)
        generate_cpu.samples.append((time.process_time() - c0) * 1000)
    rows = version.rows.count()
    client, headers = client_for("credit_staff", "token")
    api, api_grade = Timing(), Timing()
    response = None
    for i in range(args.repeat + 1):
        t0 = time.perf_counter()
        response = get_ok(client, f"/api/v1/credit/results/{year}/", {}, headers, "results")
        t1 = time.perf_counter()
        get_ok(client, f"/api/v1/credit/results/{year}/", {"grade": "AA"}, headers, "results AA")
        t2 = time.perf_counter()
        if i:
            api.samples.append((t1 - t0) * 1000)
            api_grade.samples.append((t2 - t1) * 1000)
    from django.urls import reverse

    desk_client, _ = client_for("credit_staff", "session")
    url = reverse("admin:credit_results")  # the desk's rankings: 50 rows a page, the charts' figures
    timing = Timing()
    for i in range(args.repeat + 1):
        t0 = time.perf_counter()
        get_ok(desk_client, url, {"year": year}, {}, "desk rankings")
        if i:
            timing.samples.append((time.perf_counter() - t0) * 1000)
    page = {"url": url, **timing.summary()}
    return {
        "database": database_line(), "vendor": connection.vendor, "year": year, "rows": rows,
        "inputs": version.inputs, "versions": ResultVersion.objects.filter(scheme__year=year).count(),
        "generate": generate.summary(), "generate_cpu_ms": round(generate_cpu.median, 1),
        "api_all": api.summary(), "api_bytes": len(response.content), "api_grade": api_grade.summary(),
        "desk_page": page,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hr-companies", type=int, default=2000)
    parser.add_argument("--enterprises", type=int, default=1000)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--generate", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    setup_django()
    production_like()
    import bench_questionnaires

    out = sys.stdout
    bench_questionnaires.ensure_published()
    bench_questionnaires.fill(args, out)
    year = fill_credit(args, out)
    analyze_tables(["credit_declaration", "credit_declarationitem", "credit_resultrow", "questionnaires_response"], out)
    result = measure(args, year, out)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str), file=out)
    print(f"生成结果 中位数 {result['generate']['median_ms']:.0f} ms（目标 < 5000 ms）；"
          f"排名 API 中位数 {result['api_all']['median_ms']:.0f} ms（目标 < 200 ms）", file=out)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
