"""Credit portal fixtures: signed-in page clients for each kind of account
(the approved HR company hrco1, pending hrco2, rejected hrco3 of
tests/credit/conftest.py, another approved HR company, a plain portal
enterprise without credit access, credit staff), and small evidence files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.accounts import registration
from tests.conftest import MODEL_BACKEND
from tests.credit.conftest import hr_company
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def page_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def pdf(name="营业执照.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="场地照片.png"):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def other_company(companies):
    """A second approved HR company (it must never see the first one's declaration)."""
    account = hr_company(4)
    decide_access(actor=companies.staff, account_id=account.pk, subsystem=Subsystem.CREDIT, approve=True)
    return account


@pytest.fixture
def plain_enterprise(make_user):
    """An approved portal enterprise that never applied for credit (portal staff approve it)."""
    account = register_account(data=registration(205, username="plain205"))
    portal_staff = make_user("p_staff_cr", roles=["portal_staff"])
    decide_access(actor=portal_staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    return account


@pytest.fixture
def hr(companies):
    return page_client(companies.approved.user)
