"""Questionnaire demo data for a demo site, written through the services:
both default questionnaires published; the approved demo enterprises
(ent_demo1, and ent_demo4…6 added here, password demo12345) with their
HR-company lists; their HR evaluations for last year and this year; a few
hundred employee responses, among them a burst from one address with
identical answers and some answered too fast (flagged for review), one
marked invalid and one corrected. Deterministic, and quick (load_demo)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.demo import DEMO_PASSWORD
from zhonglou_hrss.core.models import EnterpriseAccount, Subsystem, User
from zhonglou_hrss.core.services.accounts import RegistrationInput, decide_access, register_account
from zhonglou_hrss.core.validators import id_number_check_char, uscc_check_char
from zhonglou_hrss.questionnaires.models import ClientHrCompany, Questionnaire, Response, VersionStatus
from zhonglou_hrss.questionnaires.rules import MULTIPLE, NUMBER, SCALE, SINGLE, is_shown, questions_of
from zhonglou_hrss.questionnaires.selectors.definitions import definition_of, published_by_key
from zhonglou_hrss.questionnaires.services.definitions import publish
from zhonglou_hrss.questionnaires.services.hr_companies import add_hr_company
from zhonglou_hrss.questionnaires.services.responses import ResponseInput, correct, review, submit_response

ENTERPRISES = [
    # username, USCC body (17), name, address, contact, mobile
    ("ent_demo4", "9132040457104004", "常州天宁电子科技有限公司", "常州市钟楼区玉龙南路88号", "吴洁", "13912340004"),
    ("ent_demo5", "9132040457104005", "常州新北物流仓储有限公司", "常州市钟楼区邹区镇工业园8号", "郑宇", "13912340005"),
    ("ent_demo6", "9132040457104006", "常州龙城食品有限公司", "常州市钟楼区西林街道12号", "冯丽", "13912340006"),
]
HR_COMPANIES = [
    ("9132040457203001", "常州钟楼人力资源服务有限公司"),
    ("9132040457203002", "常州龙城劳务派遣有限公司"),
    ("9132040457203003", "江苏创优人力资源有限公司"),
    ("9132040457203004", "常州聚才企业管理服务有限公司"),
    ("9132040457203005", "常州恒信劳务服务有限公司"),
    ("9132040457203006", "常州百业人力资源开发有限公司"),
]
EMPLOYEES_PER_PAIR = 22


def uscc_of(body: str) -> str:
    body = (body + "0" * 17)[:17]
    return body + uscc_check_char(body)


def id_number(n: int) -> str:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=(n * 37) % 12000)
    first17 = f"320404{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


def sample_answers(definition: dict, rng: random.Random, *, mood: float = 0.7) -> dict:
    """Answers as a respondent might give them: ``mood`` (0–1) leans the scales and choices."""
    answers: dict = {}
    for q in questions_of(definition):
        if not is_shown(q, answers):
            continue
        if q["type"] == SCALE:
            scale = q["scale"]
            if scale["na"] and rng.random() < 0.05:
                answers[q["code"]] = "na"
                continue
            span = scale["max"] - scale["min"]
            value = scale["min"] + round(span * min(1, max(0, rng.gauss(mood, 0.18))))
            answers[q["code"]] = value
        elif q["type"] == SINGLE:
            scored = [o for o in q["options"] if o["score"] is not None]
            if scored and rng.random() < mood + 0.15:
                answers[q["code"]] = max(scored, key=lambda o: o["score"])["code"]
            else:
                answers[q["code"]] = rng.choice(q["options"])["code"]
        elif q["type"] == MULTIPLE:
            if q["required"] or rng.random() < 0.3:
                answers[q["code"]] = [rng.choice(q["options"])["code"]]
        elif q["type"] == NUMBER:
            answers[q["code"]] = rng.randint(5, 200)
        elif q["required"]:
            answers[q["code"]] = "2022-03-01" if q["type"] == "date" else "一线操作工"
    return answers


def load_demo() -> int:
    """Once: a site that has questionnaire responses keeps what it has."""
    if Response.objects.exists():
        return 0
    _publish_defaults()
    enterprises = _enterprises()
    if not enterprises or not Questionnaire.objects.filter(key__in=["hr", "employee"]).count() == 2:
        return 0
    return _responses(enterprises)


def _publish_defaults():
    staff = User.objects.filter(username="credit_staff").first()
    for questionnaire in Questionnaire.objects.filter(key__in=["hr", "employee"]):
        if questionnaire.versions.filter(status=VersionStatus.PUBLISHED).exists():
            continue
        draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
        if draft is not None:
            publish(actor=staff, version_id=draft.pk)


def _enterprises() -> list:
    staff = User.objects.filter(username="portal_staff").first()
    for i, (username, body, name, address, contact, mobile) in enumerate(ENTERPRISES):
        if User.objects.filter(username=username).exists():
            continue
        account = register_account(data=RegistrationInput(
            username=username, password=DEMO_PASSWORD, uscc=uscc_of(body), name=name, industry="C", address=address,
            industrial_chain="other", profile=f"演示企业，现有员工约{200 + 50 * i}人。", contact_name=contact,
            contact_phone=mobile))
        decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    users = []
    for account in EnterpriseAccount.objects.filter(user__username__in=["ent_demo1"] + [e[0] for e in ENTERPRISES],
                                                    accesses__subsystem=Subsystem.PORTAL,
                                                    accesses__status="approved").select_related("user"):
        users.append(account.user)
    for n, user in enumerate(sorted(users, key=lambda u: u.username)):
        for body, name in HR_COMPANIES[n % 3: n % 3 + 4]:
            if not ClientHrCompany.objects.filter(enterprise=account_enterprise(user), name=name).exists():
                add_hr_company(actor=user, uscc=uscc_of(body), name=name)
    return sorted(users, key=lambda u: u.username)


def account_enterprise(user):
    return EnterpriseAccount.objects.get(user=user).enterprise


def _responses(users) -> int:
    rng = random.Random(2026)
    now = clock.now()
    this_year = timezone.localtime(now).year
    hr_def = definition_of(published_by_key("hr"))
    emp_def = definition_of(published_by_key("employee"))
    count = 0
    moods = {body: 0.45 + 0.08 * i for i, (body, _) in enumerate(HR_COMPANIES)}
    # HR evaluations: last year (in January, before its collection closed) and this year.
    for user in users:
        enterprise = account_enterprise(user)
        for row in ClientHrCompany.objects.filter(enterprise=enterprise).select_related("hr_company"):
            mood = moods.get(row.hr_company.uscc[:16], 0.7)
            january = timezone.make_aware(dt.datetime(this_year, 1, 15, 10, 0))
            for year, moment in ((this_year - 1, min(january, now)), (this_year, now - dt.timedelta(minutes=5))):
                with clock.at(moment):
                    submit_response(key="hr", user=user, data=ResponseInput(
                        year=year, target_uscc=row.hr_company.uscc,
                        answers=sample_answers(hr_def, rng, mood=mood)))
                count += 1
    # Employee responses, spread over the last days, each from its own address and device.
    person = 0
    pairs = [(row.enterprise.uscc, row.hr_company.uscc) for row in
             ClientHrCompany.objects.select_related("enterprise", "hr_company").order_by("id")]
    for enterprise_uscc, target_uscc in pairs:
        for _ in range(EMPLOYEES_PER_PAIR):
            person += 1
            moment = now - dt.timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 600))
            if timezone.localtime(moment).year != this_year:
                moment = now - dt.timedelta(hours=person % 48 + 1)
            with clock.at(moment):
                submit_response(key="employee", data=ResponseInput(
                    year=this_year, target_uscc=target_uscc, enterprise_uscc=enterprise_uscc,
                    answers=sample_answers(emp_def, rng, mood=moods.get(target_uscc[:16], 0.7)),
                    id_number=id_number(person), ip=f"10.{person // 250}.{person % 250}.7", device=f"demo{person}",
                    started_at=moment - dt.timedelta(seconds=40 if person % 25 == 0 else rng.choice([150, 240, 400]))))
            count += 1
    # A burst: six responses from one address within minutes, with identical answers.
    enterprise_uscc, target_uscc = pairs[0]
    same = sample_answers(emp_def, random.Random(7), mood=0.99)
    for i in range(6):
        person += 1
        moment = now - dt.timedelta(hours=3, minutes=30 - i * 2)
        with clock.at(moment):
            submit_response(key="employee", data=ResponseInput(
                year=this_year, target_uscc=target_uscc, enterprise_uscc=enterprise_uscc, answers=same,
                id_number=id_number(person), ip="10.99.0.1", device="demo-burst",
                started_at=moment - dt.timedelta(seconds=25)))
        count += 1
    staff = User.objects.filter(username="credit_staff").first()
    if staff is not None:
        flagged = Response.objects.filter(flagged=True).order_by("id").first()
        if flagged is not None:
            review(actor=staff, response_id=flagged.pk, valid=False, reason="同一网络地址短时间内重复提交，答案完全相同")
        hr = Response.objects.filter(questionnaire__key="hr").order_by("id").first()
        correct(actor=staff, response_id=hr.pk, score=85, reason="企业来电说明误选了H03，按核实情况更正")
    return count
