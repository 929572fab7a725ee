"""Fixtures of credit's desk pages: signed-in desk clients (credit staff, a
kuaiban clerk, an HR company's own user), declarations in each stage made
through the services, and the helpers the tests share."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.credit.conftest import YEAR, hr_company
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access
from zhonglou_hrss.credit.services import declarations, scoring

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def submitted_declaration(account, points=1):
    """The company's declaration of YEAR, every bonus item self-scored, submitted (inside the window)."""
    user = account.user
    d = declarations.create_declaration(actor=user, year=YEAR)
    codes = list(d.lines.values_list("item__code", flat=True))
    declarations.save_declaration(actor=user, declaration_id=d.pk, data=declarations.DeclarationInput(
        [declarations.LineInput(c, points, "见证明材料") for c in codes]))
    declarations.submit_declaration(actor=user, declaration_id=d.pk)
    return d


def scored(staff, d, *, points=1, final=False):
    codes = list(d.lines.values_list("item__code", flat=True))
    scoring.score_items(actor=staff, declaration_id=d.pk, stage="initial",
                        items=[scoring.ScoreInput(c, points, "材料齐全") for c in codes])
    scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="initial")
    if final:
        scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="final")
    return d


def approved_company(staff, n: int):
    company = hr_company(n)
    decide_access(actor=staff, account_id=company.pk, subsystem=Subsystem.CREDIT, approve=True)
    return company


@pytest.fixture
def staff_client(credit_staff):
    return desk(credit_staff)


@pytest.fixture
def clerk_client(make_user):
    return desk(make_user("k_clerk_desk", roles=["district_clerk"], name="王内勤"))


@pytest.fixture
def submitted(companies, in_window):
    return submitted_declaration(companies.approved)
