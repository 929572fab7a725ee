"""R-PT-03 through the API as each role: registration, ``me`` (status, reason,
read-only login and USCC), the pending/rejected refusals, staff review."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.portal.conftest import api_as, register_body, uscc
from zhonglou_hrss.core.models import AccessStatus, EnterpriseAccount, SubsystemAccess, User

pytestmark = pytest.mark.django_db


def test_register_then_sign_in_and_see_the_status(db):
    anonymous = APIClient()
    response = anonymous.post("/api/v1/portal/accounts/register/", register_body(1), format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"id": EnterpriseAccount.objects.get().pk, "status": "pending"}
    token = anonymous.post("/api/v1/auth/token/", {"username": "ent1", "password": register_body(1)["password"]},
                           format="json")
    assert token.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = client.get("/api/v1/portal/me/").json()
    assert me["status"] == "pending" and me["reject_reason"] == "" and me["uscc"] == uscc(1)
    assert me["username"] == "ent1" and me["contact_phone"] == register_body(1)["contact_phone"]
    assert me["industry"] == "C" and me["industrial_chain"] == "new_energy"


def test_registration_errors_name_each_field_in_chinese(db):
    body = register_body(1, uscc=uscc(1, valid=False), contact_phone="123", industry="")
    response = APIClient().post("/api/v1/portal/accounts/register/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"uscc", "contact_phone", "industry"}
    assert "校验位不符" in errors["uscc"][0]
    ok = APIClient().post("/api/v1/portal/accounts/register/", {**body, "contact_phone": "13900000001",
                                                                "industry": "C", "confirm_uscc": True}, format="json")
    assert ok.status_code == 201
    assert EnterpriseAccount.objects.get().uscc_checksum_confirmed


def test_a_second_account_for_a_uscc_is_a_clear_400(accounts):
    response = APIClient().post("/api/v1/portal/accounts/register/", register_body(1, username="another"),
                                format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"uscc": ["该统一社会信用代码已注册过账号：一个企业只能注册一个账号。如忘记密码，请联系区人社局重置。"]}


def test_registration_attempts_are_limited_per_address(db, settings):
    settings.PORTAL_REGISTRATIONS_PER_IP_HOUR = 2
    client = APIClient(REMOTE_ADDR="10.9.8.7")
    for _ in range(2):
        assert client.post("/api/v1/portal/accounts/register/", {}, format="json").status_code == 400
    response = client.post("/api/v1/portal/accounts/register/", register_body(1), format="json")
    assert response.status_code == 429 and "注册尝试过多" in response.json()["detail"]


def test_me_answers_every_state_with_its_reason(accounts):
    assert api_as(accounts.approved.user).get("/api/v1/portal/me/").json()["status"] == "approved"
    assert api_as(accounts.pending.user).get("/api/v1/portal/me/").json()["status"] == "pending"
    rejected = api_as(accounts.rejected.user).get("/api/v1/portal/me/").json()
    assert (rejected["status"], rejected["reject_reason"]) == ("rejected", "营业执照名称不一致")


@pytest.mark.parametrize("role", ["portal_staff", "admin", "clerk"])
def test_me_refuses_staff(role_user, role):
    response = api_as(role_user(role)).get("/api/v1/portal/me/")
    assert response.status_code == 403 and response.json() == {"detail": "仅企业账号可以使用"}


def test_me_needs_a_sign_in(db):
    assert APIClient().get("/api/v1/portal/me/").status_code == 401


def test_patch_me_changes_the_profile_but_never_the_login_or_the_uscc(accounts):
    client = api_as(accounts.approved.user)
    refused = client.patch("/api/v1/portal/me/", {"uscc": uscc(9), "username": "renamed", "address": "新地址"},
                           format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"uscc", "username"}
    assert EnterpriseAccount.objects.get(pk=accounts.approved.pk).address == "常州市钟楼区测试路1号"
    ok = client.patch("/api/v1/portal/me/", {"uscc": uscc(1), "username": "ent1", "address": "新地址"}, format="json")
    assert ok.status_code == 200 and ok.json()["address"] == "新地址" and ok.json()["status"] == "approved"
    assert client.patch("/api/v1/portal/me/", {"contact_phone": "12"}, format="json").json()["errors"] == {
        "contact_phone": ["手机号格式不正确：应为以1开头的11位数字"]}


def test_patch_me_resubmits_a_rejected_account(accounts):
    response = api_as(accounts.rejected.user).patch("/api/v1/portal/me/", {"name": "改正后的名称有限公司"},
                                                    format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["name"] == "改正后的名称有限公司"


# --- the refusal of pending and rejected accounts (R-PT-03: only approved accounts use the services) ---------
ENTERPRISE_ENDPOINTS = ["/api/v1/portal/registrations/", "/api/v1/portal/demands/"]


@pytest.mark.parametrize("url", ENTERPRISE_ENDPOINTS)
def test_pending_and_rejected_accounts_are_told_why(accounts, url):
    """Every enterprise endpoint: the approved account in, the others told why (R-PT-03)."""
    assert api_as(accounts.approved.user).get(url).status_code == 200
    pending = api_as(accounts.pending.user).get(url)
    assert (pending.status_code, pending.json()) == (403, {"detail": "账号待审核"})
    rejected = api_as(accounts.rejected.user).get(url)
    assert (rejected.status_code, rejected.json()) == (403, {"detail": "账号未通过审核：营业执照名称不一致"})


def test_kuaiban_staff_are_not_enterprises(role_user):
    clerk = api_as(role_user("clerk"))
    for url in ENTERPRISE_ENDPOINTS:
        assert clerk.post(url, {}, format="json").status_code == 403


# --- staff review ---------------------------------------------------------------------------
def test_staff_list_the_requests_by_status_with_masked_phones(accounts):
    client = api_as(accounts.staff)
    everything = client.get("/api/v1/portal/accounts/").json()
    assert everything["count"] == 3
    pending = client.get("/api/v1/portal/accounts/?status=pending").json()["results"]
    assert [a["username"] for a in pending] == ["ent2"]
    assert pending[0]["contact_phone"] == "139****0002" and pending[0]["requested_at"]
    rejected = client.get("/api/v1/portal/accounts/?status=rejected").json()["results"][0]
    assert rejected["reject_reason"] == "营业执照名称不一致" and rejected["decided_by"] == "陈就业"
    assert client.get("/api/v1/portal/accounts/?status=nope").status_code == 400


@pytest.mark.parametrize("role", ["clerk", "leader", "credit_staff", "grid_worker", "enterprise_user"])
def test_others_cannot_list_or_decide(role_user, accounts, role):
    client = api_as(role_user(role))
    assert client.get("/api/v1/portal/accounts/").status_code == 403
    assert client.post(f"/api/v1/portal/accounts/{accounts.pending.pk}/approve/").status_code == 403
    assert SubsystemAccess.objects.get(account=accounts.pending).status == AccessStatus.PENDING


def test_an_account_cannot_approve_itself(accounts):
    client = api_as(accounts.pending.user)
    assert client.post(f"/api/v1/portal/accounts/{accounts.pending.pk}/approve/").status_code == 403


def test_approve_and_reject(accounts):
    client = api_as(accounts.staff)
    pk = accounts.pending.pk
    assert client.post(f"/api/v1/portal/accounts/{pk}/reject/", {}, format="json").json()["errors"] == {
        "reason": ["请填写未通过的原因"]}
    approved = client.post(f"/api/v1/portal/accounts/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = client.post(f"/api/v1/portal/accounts/{pk}/reject/", {"reason": "晚了"}, format="json")
    assert again.status_code == 409 and "已审核" in again.json()["detail"]
    assert client.post("/api/v1/portal/accounts/999999/approve/").status_code == 404
    user = User.objects.get(pk=accounts.pending.user_id)
    assert api_as(user).get(ENTERPRISE_ENDPOINTS[0]).status_code == 200  # approved: in


def test_an_enterprise_whose_password_was_reset_is_sent_to_the_portal_not_the_desk(accounts):
    """Issue 10 item 1 for enterprise accounts: no token until the password is changed,
    and the refusal names where they can change it (the portal; they never enter the desk)."""
    from tests.conftest import PASSWORD
    from zhonglou_hrss.core.tokens import MUST_CHANGE_PASSWORD_EXTERNAL

    user = accounts.approved.user
    user.password_change_required = True
    user.save(update_fields=["password_change_required"])
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                                format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == MUST_CHANGE_PASSWORD_EXTERNAL and "工作台" not in response.json()["detail"]
