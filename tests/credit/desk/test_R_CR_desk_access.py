"""Credit's desk pages (issue 15): the sidebar group 信用评价 and who may open
each page — 信用评价管理员 yes; a kuaiban clerk (a desk user without credit
permissions) 403; an HR company's own user (no desk access) is sent to the
desk's sign-in page."""

from __future__ import annotations

import pytest

from tests.credit.conftest import YEAR
from tests.credit.desk.conftest import desk

pytestmark = pytest.mark.django_db


def pages(declaration_id):
    return [
        "/desk/credit/criteriayear/",
        f"/desk/credit/criteriayear/{YEAR}/",
        "/desk/credit/declaration/",
        f"/desk/credit/declaration/{declaration_id}/",
        "/desk/credit/resultversion/",
    ]


def test_R_CR_01_sidebar_group_lists_credit_entries_for_credit_staff_only(staff_client, clerk_client):
    home = staff_client.get("/desk/").content.decode()
    for title in ("信用评价", "企业账号", "评价标准", "信用申报", "评价结果"):
        assert title in home
    assert "/desk/core/enterpriseaccount/?credit=pending" in home
    assert "/desk/credit/declaration/" in home and "/desk/credit/resultversion/" in home
    other = clerk_client.get("/desk/").content.decode()
    assert "/desk/credit/declaration/" not in other and "?credit=pending" not in other


def test_R_CR_01_account_queue_link_opens_for_credit_staff(staff_client, companies):
    """The 企业账号 entry: the enterprise accounts filtered to credit's pending requests."""
    response = staff_client.get("/desk/core/enterpriseaccount/?credit=pending")
    assert response.status_code == 200
    body = response.content.decode()
    assert companies.pending.company_name in body
    assert companies.approved.company_name not in body


def test_R_CR_01_credit_staff_see_the_accounts_that_asked_for_credit_only(staff_client, companies):
    """Deciding credit access shows the HR companies' accounts, not every portal enterprise's."""
    from tests.accounts import registration
    from zhonglou_hrss.core.services.accounts import register_account

    portal_only = register_account(data=registration(77))
    listed = staff_client.get("/desk/core/enterpriseaccount/").content.decode()
    assert companies.pending.company_name in listed and portal_only.company_name not in listed
    assert staff_client.get(f"/desk/core/enterpriseaccount/{portal_only.pk}/").status_code == 404
    assert staff_client.get(f"/desk/core/enterpriseaccount/{companies.pending.pk}/").status_code == 200


def test_R_CR_03_each_page_allowed_for_credit_staff(staff_client, submitted):
    for url in pages(submitted.pk):
        assert staff_client.get(url).status_code == 200, url


def test_R_CR_03_each_page_refused_to_a_kuaiban_clerk(clerk_client, submitted):
    for url in pages(submitted.pk):
        assert clerk_client.get(url).status_code == 403, url


def test_R_CR_03_each_page_sends_an_hr_company_user_to_sign_in(companies, submitted):
    client = desk(companies.approved.user)
    for url in pages(submitted.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/desk/login/" in response["Location"], url


def test_R_CR_03_unknown_records_answer_404(staff_client):
    assert staff_client.get("/desk/credit/declaration/999999/").status_code == 404
    assert staff_client.get("/desk/credit/criteriayear/1999/").status_code == 404


def test_R_CR_03_desk_home_cards_and_badges_count_the_waiting_work(staff_client, clerk_client, companies,
                                                                    submitted):
    """工作台 answers "what do I do now": accounts to review (hrco2 is pending) and declarations
    waiting for 初评 (one submitted) and 终评 (none), each linking to its filtered list."""
    response = staff_client.get("/desk/")
    body = response.content.decode()
    for text in ("待审核信用评价账号", "待初评信用申报", "待终评信用申报"):
        assert text in body, text
    assert "/desk/credit/declaration/?status=submitted" in body
    from zhonglou_hrss.credit import dashboard

    request = response.wsgi_request
    assert dashboard.pending_accounts_badge(request) == "1"
    assert dashboard.to_score_badge(request) == "1"
    assert "待初评信用申报" not in clerk_client.get("/desk/").content.decode()
