"""Questionnaire fixtures: the two default questionnaires (loaded as drafts by
the base sync) published, approved enterprise accounts with HR-company lists,
API clients with real tokens, answers built from the published definitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from tests.accounts import registration, uscc
from tests.tokens import authorize
from zhonglou_hrss.core import captcha, clock
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.questionnaires.demo import id_number
from zhonglou_hrss.questionnaires.models import Questionnaire, VersionStatus
from zhonglou_hrss.questionnaires.rules import questions_of
from zhonglou_hrss.questionnaires.selectors.definitions import definition_of, published_by_key
from zhonglou_hrss.questionnaires.services.definitions import publish
from zhonglou_hrss.questionnaires.services.hr_companies import add_hr_company

HR1, HR2, HR3 = uscc(901), uscc(902), uscc(903)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def api_as(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


def this_year() -> int:
    return timezone.localtime(clock.now()).year


@pytest.fixture
def published(db):
    """Both default questionnaires' version 1 published (they are drafts after sync_fixtures)."""
    for questionnaire in Questionnaire.objects.filter(key__in=["hr", "employee"]):
        draft = questionnaire.versions.get(status=VersionStatus.DRAFT)
        publish(actor=None, version_id=draft.pk)
    return {"hr": published_by_key("hr"), "employee": published_by_key("employee")}


@dataclass
class World:
    staff: object  # 信用评价管理员
    portal_staff: object  # 就业后台
    ent1: object  # approved, lists HR1, HR2
    ent2: object  # approved, lists HR2, HR3
    pending: object  # pending account
    outsider: object  # a desk user without questionnaire permissions


@pytest.fixture
def world(published, make_user):
    staff = make_user("q_credit", roles=["credit_staff"], name="周信用")
    portal_staff = make_user("q_portal", roles=["portal_staff"], name="陈就业")
    outsider = make_user("q_grid", roles=["grid_worker"], grids=["320404001"])
    accounts = [register_account(data=registration(n)) for n in (41, 42, 43)]
    for account in accounts[:2]:
        decide_access(actor=portal_staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    ent1, ent2, pending = (a.user for a in accounts)
    add_hr_company(actor=ent1, uscc=HR1, name="常州甲人力资源有限公司")
    add_hr_company(actor=ent1, uscc=HR2, name="常州乙劳务派遣有限公司")
    add_hr_company(actor=ent2, uscc=HR2, name="常州乙劳务派遣有限公司")
    add_hr_company(actor=ent2, uscc=HR3, name="常州丙人力资源有限公司")
    return World(staff, portal_staff, ent1, ent2, pending, outsider)


def full_answers(key: str, value: int = 3, *, yes: bool = True) -> dict:
    """Every shown question answered: scales at ``value`` of 1–5 (the same share of a 0–10 scale: 3 → 5), choices the
    first (scored: 是 or its first), numbers 10, dates, texts."""
    definition = definition_of(published_by_key(key))
    answers = {}
    for q in questions_of(definition):
        if q.get("show_if"):
            continue
        if q["type"] == "scale":
            lo, hi = q["scale"]["min"], q["scale"]["max"]
            answers[q["code"]] = lo + round((value - 1) / 4 * (hi - lo))
        elif q["type"] == "single":
            answers[q["code"]] = "yes" if yes and any(o["code"] == "yes" for o in q["options"]) else q["options"][0]["code"]
        elif q["type"] == "multiple":
            answers[q["code"]] = [q["options"][0]["code"]]
        elif q["type"] == "number":
            answers[q["code"]] = 10
        elif q["type"] == "date":
            answers[q["code"]] = "2024-01-01"
        else:
            answers[q["code"]] = "说明文字"
    return answers


def solved_captcha() -> dict:
    challenge = APIClient().get("/api/v1/captcha/").json()
    return {"captcha_key": challenge["key"], "captcha_value": captcha.answer_for(challenge["key"])}


def employee_body(n: int, target: str = HR1, answers: dict | None = None, **extra) -> dict:
    return {"year": this_year(), "target_uscc": target, "answers": answers or full_answers("employee"),
            "respondent": {"id_number": id_number(n)}, **solved_captcha(), **extra}


def hr_body(target: str = HR1, answers: dict | None = None, year: int | None = None) -> dict:
    return {"year": year or this_year(), "target_uscc": target, "answers": answers or full_answers("hr")}


def at(days_ago: float = 0, *, hours: float = 0):
    return clock.at(clock.now() - dt.timedelta(days=days_ago, hours=hours))
