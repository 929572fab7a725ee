"""帮助 on the pages of the part-B manuals (issue 18), against the REAL manuals in
docs/manual: each opens at /help/<manual>/, the desk's 帮助 of 就业后台 and
信用评价管理员 opens their own manual at the section naming the page (the
enterprise-account list is in both, each role its own), and the portal's and
QR pages' 帮助 open 企业 / 人力资源企业 / 群众 at theirs. 急难愁盼's pages are
public.md's (enterprise.md repeats the steps without claiming the pages)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhonglou_hrss.core import manuals

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_manuals():
    manuals.reload()
    yield
    manuals.reload()


def help_link(client, url: str, pattern: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} 答复 {response.status_code}"
    match = re.search(pattern, response.content.decode())
    assert match, f"{url} 没有帮助链接"
    return match.group(1)


def desk_help(client, url):
    return help_link(client, url, r'<a id="desk-help" href="([^"]+)"')


def page_help(client, url):
    return help_link(client, url, r'<a class="(?:pt|kb)-help" href="([^"]+)"')


@pytest.mark.parametrize(("manual", "title"), [
    ("portal_staff", "就业后台"), ("credit_staff", "信用评价管理员"), ("enterprise", "企业使用手册"),
    ("hr_company", "人力资源企业"), ("public", "群众使用手册"),
])
def test_part_b_manuals_open_as_help_pages(client_as, manual, title):
    """issue 18: each part-B manual opens at /help/<manual>/ (the staff ones as staff, the others to anyone)."""
    reader = client_as("portal_staff") if manuals.SPECS[manual].audience == "staff" else Client()
    response = reader.get(f"/help/{manual}/")
    assert response.status_code == 200
    assert title in response.content.decode()


def test_portal_staff_desk_help_opens_the_section_of_the_page(client_as):
    """issue 18, R-PT-02: 就业后台's 帮助 on its lists opens portal_staff.md at that page's task."""
    staff = client_as("portal_staff")
    assert desk_help(staff, "/desk/core/enterpriseaccount/") == "/help/portal_staff/#accounts"
    assert desk_help(staff, "/desk/portal/demand/") == "/help/portal_staff/#demands"
    assert desk_help(staff, "/desk/portal/jobfair/") == "/help/portal_staff/#jobfairs"
    assert desk_help(staff, "/desk/portal/concern/") == "/help/portal_staff/#concerns"


def test_credit_staff_desk_help_opens_the_section_of_the_page(client_as):
    """issue 18, R-CR-01: 信用评价管理员's 帮助 opens credit_staff.md — the same account list as 就业后台, its own section."""
    staff = client_as("credit_staff")
    assert desk_help(staff, "/desk/core/enterpriseaccount/") == "/help/credit_staff/#accounts"
    assert desk_help(staff, "/desk/credit/criteriayear/") == "/help/credit_staff/#criteria"
    assert desk_help(staff, "/desk/credit/declaration/") == "/help/credit_staff/#declarations"
    assert desk_help(staff, "/desk/credit/resultversion/") == "/help/credit_staff/#results"


def test_portal_and_qr_pages_help_opens_their_readers_manual(client):
    """issue 18: the portal → enterprise.md, the credit portal → hr_company.md, 急难愁盼 and the QR pages → public.md."""
    assert page_help(client, "/portal/register/") == "/help/enterprise/#register"
    assert page_help(client, "/portal/credit/register/") == "/help/hr_company/#register"
    assert page_help(client, "/portal/concerns/") == "/help/public/#concerns"
    assert page_help(client, "/kuaiban/report/") == "/help/public/#report"
    assert page_help(client, "/kuaiban/progress/") == "/help/public/#progress"
