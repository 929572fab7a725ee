"""R-CR-01 on the PC portal (/portal/credit/): an HR company registers with
its licence, signs in, sees its status (待审核 / 已通过 / 未通过 with the
reason) and the licence rule; a portal enterprise applies with its licence;
the navigation shows 信用评价 only to accounts that applied."""

from __future__ import annotations

from datetime import date

import pytest

from tests.accounts import registration, uscc
from tests.conftest import PASSWORD
from tests.credit.conftest import hr_company
from tests.credit.public.conftest import page_client
from zhonglou_hrss.core import captcha
from zhonglou_hrss.core.models import AuditLog, EnterpriseAccount, Subsystem, User
from zhonglou_hrss.core.services.accounts import decide_access
from zhonglou_hrss.credit.models import HRCompanyLicence

pytestmark = pytest.mark.django_db

HOME = "/portal/credit/"


def captcha_fields() -> dict:
    key = captcha.new_challenge().key
    return {"captcha_0": key, "captcha_1": captcha.answer_for(key)}


def register_form(n: int, **overrides) -> dict:
    data = registration(n, username=f"hrreg{n}")
    body = {k: getattr(data, k) for k in ("username", "uscc", "name", "industry", "address", "industrial_chain",
                                          "profile", "contact_name", "contact_phone")}
    body.update(password=PASSWORD, password2=PASSWORD, licence_no="320404LW0001", licence_date="2019-03-01",
                **captcha_fields())
    body.update(overrides)
    return body


def test_R_CR_01_anonymous_sees_what_it_is_and_where_to_register(client):
    page = client.get(HOME).content.decode()
    assert "人力资源企业信用评价" in page and "/portal/credit/register/" in page and "/portal/credit/login/" in page
    assert 'href="/portal/credit/">信用评价' not in page  # the menu entry is for accounts that applied


def test_R_CR_01_registration_with_licence_makes_a_pending_account_signed_in(client):
    response = client.post("/portal/credit/register/", register_form(1))
    assert response.status_code == 302 and response["Location"] == HOME + "?registered=1"
    account = EnterpriseAccount.objects.get(user__username="hrreg1")
    assert account.accesses.get().subsystem == Subsystem.CREDIT
    assert (account.credit_licence.licence_no, account.credit_licence.licence_date) == ("320404LW0001",
                                                                                       date(2019, 3, 1))
    assert AuditLog.objects.filter(action=AuditLog.Action.ACCOUNT_REGISTER, target_id=str(account.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "注册已提交" in page and 'id="credit-status-badge">待审核' in page
    assert 'href="/portal/credit/" aria-current="page">信用评价' in page  # the credit-only account's menu
    assert 'href="/portal/" aria-current="page"' not in page  # 首页 is not the current page here


def test_R_CR_01_registration_refused_field_by_field_saves_nothing(client):
    response = client.post("/portal/credit/register/", register_form(2, licence_no="", licence_date="2019-02-30",
                                                                     password2="other#pass1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="err-licence_no"' in page and "请填写劳务派遣经营许可证编号" in page
    assert 'id="err-licence_date"' in page and "日期格式应为 YYYY-MM-DD" in page
    assert "两次输入的密码不一致" in page
    assert not User.objects.filter(username="hrreg2").exists() and not HRCompanyLicence.objects.exists()
    future = client.post("/portal/credit/register/", register_form(2, licence_date="2999-01-01")).content.decode()
    assert "取得许可日期不能晚于今天" in future and not User.objects.filter(username="hrreg2").exists()


def test_R_CR_01_a_uscc_with_an_account_is_told_to_sign_in_and_apply(client, plain_enterprise):
    page = client.post("/portal/credit/register/", register_form(205, username="hr_again")).content.decode()
    assert "请用该账号登录" in page and not User.objects.filter(username="hr_again").exists()


def test_R_CR_01_credit_only_company_signs_in_here(client, companies):
    # The portal's own sign-in refuses an account without portal access; this one takes it.
    response = client.post("/portal/credit/login/", {"username": "hrco1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == HOME
    page = client.get(HOME).content.decode()
    assert 'id="credit-status-badge">已通过' in page and companies.approved.credit_licence.licence_no in page


def test_R_CR_01_sign_in_refusals(client, companies):
    wrong = client.post("/portal/credit/login/", {"username": "hrco1", "password": "nope"}).content.decode()
    assert "账号或密码不正确" in wrong
    staff = client.post("/portal/credit/login/", {"username": "c_staff", "password": PASSWORD}).content.decode()
    assert "该账号不是企业账号" in staff


def test_R_CR_01_pending_and_rejected_status_with_reason(companies):
    pending = page_client(companies.pending.user).get(HOME).content.decode()
    assert 'id="credit-status-badge">待审核' in pending and "审核通过后可以填写年度申报" in pending
    rejected = page_client(companies.rejected.user).get(HOME).content.decode()
    assert 'id="credit-status-badge">未通过' in rejected and "未通过原因：许可证与营业执照不符" in rejected


def test_R_CR_01_rejected_company_corrects_profile_and_is_reviewed_again(companies):
    client = page_client(companies.rejected.user)
    form = client.get("/portal/credit/profile/").content.decode()
    assert "保存并重新提交审核" in form and companies.rejected.credit_licence.licence_no in form
    body = {"name": "常州更正后人力资源有限公司", "industry": "C", "address": "常州市钟楼区测试路2号",
            "industrial_chain": "new_energy", "profile": "", "contact_name": "周联系", "contact_phone": "13900000103"}
    bad = client.post("/portal/credit/profile/", {**body, "contact_phone": "123"}).content.decode()
    assert 'id="err-contact_phone"' in bad
    companies.rejected.refresh_from_db()
    assert companies.rejected.company_name != body["name"]
    assert client.post("/portal/credit/profile/", body).status_code == 302
    access = companies.rejected.accesses.get(subsystem=Subsystem.CREDIT)
    assert access.status == "pending"
    assert AuditLog.objects.filter(action=AuditLog.Action.ACCOUNT_CHANGE, target_id=str(companies.rejected.pk)).exists()


def test_R_CR_01_licence_less_than_a_year_is_shown_as_not_rated(companies, scheme):
    young = hr_company(6, licence_date=date(scheme.year, 6, 1))
    decide_access(actor=companies.staff, account_id=young.pk, subsystem=Subsystem.CREDIT, approve=True)
    page = page_client(young.user).get(HOME).content.decode()
    assert "取得劳务派遣经营许可不满1年，本年度不参加评价" in page
    old = page_client(companies.approved.user).get(HOME).content.decode()
    assert "不参加评价" not in old


def test_R_CR_01_portal_enterprise_applies_with_its_licence(plain_enterprise):
    client = page_client(plain_enterprise.user)
    portal_menu = client.get("/portal/account/").content.decode()
    assert ">信用评价</a>" not in portal_menu  # not applied yet: no menu entry, a pointer on 我的账号
    assert '<a href="/portal/credit/">申请参加信用评价</a>' in portal_menu
    form = client.get(HOME).content.decode()
    assert "申请使用信用评价" in form and plain_enterprise.enterprise.uscc in form
    bad = client.post(HOME, {"licence_no": "", "licence_date": ""}).content.decode()
    assert 'id="err-licence_no"' in bad and 'id="err-licence_date"' in bad
    assert not plain_enterprise.accesses.filter(subsystem=Subsystem.CREDIT).exists()
    response = client.post(HOME, {"licence_no": "320404LW0205", "licence_date": "2018-05-05"})
    assert response.status_code == 302 and response["Location"] == HOME + "?applied=1"
    assert plain_enterprise.accesses.get(subsystem=Subsystem.CREDIT).status == "pending"
    assert plain_enterprise.user.groups.filter(name="人力资源企业用户").exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.ACCOUNT_CHANGE, target_id=str(plain_enterprise.pk),
                                   detail__applied="credit").exists()
    page = client.get(HOME + "?applied=1").content.decode()
    assert "申请已提交" in page and 'id="credit-status-badge">待审核' in page
    account_page = client.get("/portal/account/").content.decode()
    assert ">信用评价</a>" in account_page and "申请参加信用评价" not in account_page  # now in the portal's menu


def test_R_CR_01_staff_are_not_an_enterprise(companies):
    response = page_client(companies.staff).get(HOME)
    assert response.status_code == 403 and "仅企业账号可以使用" in response.content.decode()


def test_R_CR_01_signed_in_enterprise_is_sent_home_from_registration(companies):
    response = page_client(companies.approved.user).get("/portal/credit/register/")
    assert response.status_code == 302 and response["Location"] == HOME


def test_R_CR_01_registration_usccs_differ(client):
    # two registrations, two accounts (one per USCC)
    client.post("/portal/credit/register/", register_form(11))
    page_client(None).post("/portal/credit/register/", register_form(12))
    assert set(EnterpriseAccount.objects.values_list("enterprise__uscc", flat=True)) >= {uscc(11), uscc(12)}


def test_R_CR_01_the_portal_sign_in_sends_a_credit_only_company_to_its_pages(client, companies):
    response = client.post("/portal/login/", {"username": "hrco1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == HOME
    assert 'id="credit-status-badge">已通过' in client.get(HOME).content.decode()
