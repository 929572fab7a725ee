#!/usr/bin/env python
"""The questionnaire engine at volume (issue 14): R responses (default
200,000) across H HR companies (default 2,000) in one rating year, then

- the composites of the year (R-CR-07, R-CR-09) — for the employee
  questionnaire (trimmed mean) and the HR one (headcount-weighted): the
  selector ``composites`` and the API ``GET /api/v1/questionnaires/{key}/composites/``;
- a response submit: ``POST /api/v1/questionnaires/employee/responses/``
  (captcha in test mode, ID number, scoring, the fraud checks, the timeline
  row) and the HR one (an approved enterprise, token).

    ZHONGLOU_SITE=benchquest .venv/bin/python benchmarks/bench_questionnaires.py \\
        [--responses 200000] [--hr-companies 2000] [--enterprises 1000] [--repeat 7] [--submits 60] [--json out.json]

Goals (issue 14): composites for a year under 1 s, a submit under 50 ms
median. Data are bulk-inserted once (answers drawn like the demo's, scores
computed by the engine's own rule), so a second run measures at once. The
site needs the base fixtures (``sync_fixtures``) and a desk user
``credit_staff`` (``load_demo`` on a demo site); the default questionnaires
are published if they are still drafts."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

from benchlib import Timing, analyze_tables, database_line, production_like, setup_django

BATCH = 2000


def uscc_for(prefix: str, n: int) -> str:
    from zhonglou_hrss.core.validators import uscc_check_char

    body = f"{prefix}{n:08d}"[:17]
    return body + uscc_check_char(body)


def ensure_published():
    from zhonglou_hrss.questionnaires.models import Questionnaire, VersionStatus
    from zhonglou_hrss.questionnaires.services.definitions import publish

    for questionnaire in Questionnaire.objects.filter(key__in=["hr", "employee"]):
        if not questionnaire.versions.filter(status=VersionStatus.PUBLISHED).exists():
            draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
            publish(actor=None, version_id=draft.pk)


def fill(args, out) -> dict:
    """HR companies, client enterprises with lists, and the responses (bulk, once)."""
    from django.db import transaction
    from django.utils import timezone

    from zhonglou_hrss.core import clock, pii
    from zhonglou_hrss.core.models import Enterprise
    from zhonglou_hrss.questionnaires.demo import sample_answers
    from zhonglou_hrss.questionnaires.models import ClientHrCompany, Response
    from zhonglou_hrss.questionnaires.rules import answers_fingerprint, response_score
    from zhonglou_hrss.questionnaires.selectors.definitions import definition_of, published_by_key

    year = timezone.localtime(clock.now()).year
    rng = random.Random(args.seed)
    started = time.perf_counter()
    hr_codes = [uscc_for("91320404B", n) for n in range(args.hr_companies)]
    ent_codes = [uscc_for("91320404C", n) for n in range(args.enterprises)]
    existing = set(Enterprise.objects.filter(uscc__in=hr_codes + ent_codes).values_list("uscc", flat=True))
    new = [Enterprise(uscc=c, name=f"常州基准人力资源{i}号有限公司", uscc_checksum_ok=True) for i, c in enumerate(hr_codes)
           if c not in existing]
    new += [Enterprise(uscc=c, name=f"常州基准用工单位{i}号有限公司", uscc_checksum_ok=True) for i, c in enumerate(ent_codes)
            if c not in existing]
    Enterprise.objects.bulk_create(new, batch_size=BATCH)
    ids = dict(Enterprise.objects.filter(uscc__in=hr_codes + ent_codes).values_list("uscc", "id"))
    hr_ids, ent_ids = [ids[c] for c in hr_codes], [ids[c] for c in ent_codes]
    lists = {}
    if not ClientHrCompany.objects.filter(enterprise_id__in=ent_ids).exists():
        rows = []
        for i, ent in enumerate(ent_ids):
            chosen = rng.sample(hr_ids, 4)
            lists[ent] = chosen
            rows += [ClientHrCompany(enterprise_id=ent, hr_company_id=h, name=f"常州基准人力资源{hr_ids.index(h)}号有限公司")
                     for h in chosen]
        ClientHrCompany.objects.bulk_create(rows, batch_size=BATCH)
    have = Response.objects.filter(year=year).count()
    if have >= args.responses:
        print(f"已有 {have:,} 份 {year} 年度答卷，跳过生成", file=out)
        return {"year": year, "generated": 0}
    employee = published_by_key("employee")
    hr = published_by_key("hr")
    emp_def, hr_def = definition_of(employee), definition_of(hr)
    pairs = list(ClientHrCompany.objects.filter(enterprise_id__in=ent_ids).values_list("enterprise_id", "hr_company_id"))
    now = clock.now()
    hr_share = len(pairs)  # every listed pair gets its HR evaluation; the rest are employees
    todo = args.responses - have
    made = 0
    moods = {h: 0.4 + 0.5 * rng.random() for h in hr_ids}
    make_hr = not Response.objects.filter(questionnaire=hr.questionnaire, year=year, enterprise_id__in=ent_ids).exists()
    with transaction.atomic():
        batch = []
        for n in range(todo):
            if make_hr and n < hr_share:
                ent, target = pairs[n]
                version, definition, key = hr, hr_def, f"e{ent}"
            else:
                ent, target = pairs[n % len(pairs)]
                version, definition, key = employee, emp_def, f"ib{have + n}"
            answers = sample_answers(definition, rng, mood=moods[target])
            moment = now.replace(month=1, day=2) if now.month > 1 else now
            batch.append(Response(
                questionnaire_id=version.questionnaire_id, version=version, year=year, target_id=target,
                enterprise_id=ent, respondent_key=key,
                id_number_hash=pii.pii_hash(pii.ID_CARD, f"3204041990{n % 100000:07d}X") if key[0] == "i" else "",
                answers=answers, headcount=answers.get("A4a") if key[0] == "e" else None,
                score=response_score(definition, answers), ip=f"10.{n % 250}.{n // 250 % 250}.1", device=f"b{n}",
                fingerprint=answers_fingerprint(answers, definition), submitted_at=moment, updated_at=moment))
            if len(batch) >= BATCH:
                Response.objects.bulk_create(batch)
                made += len(batch)
                batch = []
                if made % 20000 == 0:
                    print(f"  {made:,} / {todo:,} 份答卷（{time.perf_counter() - started:.0f} s）", file=out, flush=True)
        Response.objects.bulk_create(batch)
        made += len(batch)
    print(f"生成 {made:,} 份答卷用时 {time.perf_counter() - started:.1f} s", file=out, flush=True)
    return {"year": year, "generated": made}


def measure_composites(args, year, out) -> list[dict]:
    from zhonglou_hrss.questionnaires.models import Questionnaire
    from zhonglou_hrss.questionnaires.selectors.responses import composites
    from benchlib import client_for, get_ok

    client, headers = client_for("credit_staff", "token")
    results = []
    for key in ("employee", "hr"):
        questionnaire = Questionnaire.objects.get(key=key)
        selector, api, cpu = Timing(), Timing(), Timing()
        rows = []
        for i in range(args.repeat + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            rows = composites(questionnaire, year)
            t1, c1 = time.perf_counter(), time.process_time()
            response = get_ok(client, f"/api/v1/questionnaires/{key}/composites/", {"year": year}, headers, key)
            t2 = time.perf_counter()
            if i:  # the first round warms the caches
                selector.samples.append((t1 - t0) * 1000)
                cpu.samples.append((c1 - c0) * 1000)
                api.samples.append((t2 - t1) * 1000)
        counted = sum(c.responses for c in rows)
        results.append({"name": f"综合得分 {key}（{questionnaire.get_aggregation_display()}）", "companies": len(rows),
                        "responses": counted, "selector": selector.summary(), "selector_cpu_ms": round(cpu.median, 1),
                        "api": api.summary(), "api_bytes": len(response.content)})
    return results


def measure_submits(args, out) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    from zhonglou_hrss.core import tokens
    from zhonglou_hrss.core.models import Subsystem, User
    from zhonglou_hrss.core.services.accounts import RegistrationInput, decide_access, register_account
    from zhonglou_hrss.questionnaires.demo import id_number, sample_answers
    from zhonglou_hrss.questionnaires.models import ClientHrCompany
    from zhonglou_hrss.questionnaires.selectors.definitions import definition_of, published_by_key
    from zhonglou_hrss.questionnaires.services.hr_companies import add_hr_company

    settings.CAPTCHA_TEST_MODE = True
    settings.QUESTIONNAIRE_RESPONSES_PER_IP_HOUR = 10 ** 9
    rng = random.Random(args.seed + 1)
    emp_def = definition_of(published_by_key("employee"))
    hr_def = definition_of(published_by_key("hr"))
    pair = ClientHrCompany.objects.select_related("enterprise", "hr_company").order_by("id").first()
    client = Client()
    employee = Timing()
    stamp = int(time.time()) % 10 ** 6
    for i in range(args.submits):
        body = {"year": time.localtime().tm_year, "target_uscc": pair.hr_company.uscc,
                "answers": sample_answers(emp_def, rng), "respondent": {"id_number": id_number(10 ** 7 + stamp * 97 + i)},
                "captcha_key": "bench", "captcha_value": "PASSED"}
        t0 = time.perf_counter()
        response = client.post("/api/v1/questionnaires/employee/responses/", json.dumps(body),
                               content_type="application/json", REMOTE_ADDR=f"10.200.{i % 250}.{i // 250 % 250}")
        employee.samples.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 201:
            raise RuntimeError(f"员工问卷提交失败：{response.status_code} {response.content[:300]!r}")
    # An approved enterprise with many HR companies on its list, each evaluated once.
    username = f"bench_hr_{stamp}"
    staff = User.objects.filter(username="portal_staff").first()
    account = register_account(data=RegistrationInput(
        username=username, password="Bench#pass2026", uscc=uscc_for("91320404D", stamp), name=f"基准企业{stamp}",
        industry="C", address="常州市钟楼区基准路1号", industrial_chain="other", profile="", contact_name="基准",
        contact_phone="13900000000"))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    targets = [uscc_for("91320404E", stamp * 100 + i) for i in range(args.submits)]
    for i, code in enumerate(targets):
        add_hr_company(actor=account.user, uscc=code, name=f"基准人力资源E{i}")
    hr_client = Client(HTTP_AUTHORIZATION=f"Token {tokens.issue(account.user)[1]}")
    hr = Timing()
    for code in targets:
        body = {"year": time.localtime().tm_year, "target_uscc": code, "answers": sample_answers(hr_def, rng)}
        t0 = time.perf_counter()
        response = hr_client.post("/api/v1/questionnaires/hr/responses/", json.dumps(body),
                                  content_type="application/json")
        hr.samples.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 201:
            raise RuntimeError(f"HR问卷提交失败：{response.status_code} {response.content[:300]!r}")
    return [{"name": "提交员工问卷 POST", "samples": len(employee.samples), **employee.summary()},
            {"name": "提交HR问卷 POST", "samples": len(hr.samples), **hr.summary()}]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--hr-companies", type=int, default=2_000)
    parser.add_argument("--enterprises", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--submits", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    setup_django()
    production_like()
    out = sys.stdout
    print(f"数据库：{database_line()}", file=out)
    ensure_published()
    filled = fill(args, out)
    analyze_tables(["questionnaires_response", "questionnaires_clienthrcompany"], out)
    composites = measure_composites(args, filled["year"], out)
    submits = measure_submits(args, out)
    print("\n| 测量 | 单位数 | 答卷数 | 中位数 ms | p95 ms | 备注 |", file=out)
    print("|---|---:|---:|---:|---:|---|", file=out)
    for c in composites:
        print(f"| {c['name']}：selector | {c['companies']:,} | {c['responses']:,} | {c['selector']['median_ms']} | "
              f"{c['selector']['p95_ms']} | CPU {c['selector_cpu_ms']} ms |", file=out)
        print(f"| {c['name']}：API | {c['companies']:,} | {c['responses']:,} | {c['api']['median_ms']} | "
              f"{c['api']['p95_ms']} | {c['api_bytes']:,} 字节 |", file=out)
    for s in submits:
        print(f"| {s['name']} | | | {s['median_ms']} | {s['p95_ms']} | {s['samples']} 次 |", file=out)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"database": database_line(), "args": vars(args), "composites": composites, "submits": submits},
                      fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
