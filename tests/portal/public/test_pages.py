"""The PC portal's pages (/portal/) as each kind of visitor: the public, an
enterprise in each review state, staff. Same rules as the API: hidden news
stay hidden, the concern form has the captcha and the limits, an account sees
its status and reason and can never change its login or USCC."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import MODEL_BACKEND, PASSWORD
from tests.portal.conftest import make_concern, make_news, registration, uscc
from zhonglou_hrss.core import captcha
from zhonglou_hrss.core.models import AccessStatus, EnterpriseAccount, SubsystemAccess
from zhonglou_hrss.portal.models import Concern

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def captcha_fields() -> dict:
    key = captcha.new_challenge().key
    return {"captcha_0": key, "captcha_1": captcha.answer_for(key)}


def test_home_lists_the_four_services_and_pinned_news(client, staff):
    make_news(staff, 1, pinned=True, title="置顶的通知")
    make_news(staff, 2, pinned=True, published=False, title="下架的通知")
    html = page(client, "/portal/")
    for title in ("就业人才服务清单", "企业用工人才需求反馈", "“急难愁盼”事“码上办”", "招聘会报名", "置顶的通知"):
        assert title in html
    assert "下架的通知" not in html


def test_news_pages_search_and_hide_what_is_not_public(client, staff):
    shown = make_news(staff, 1, title="稳岗返还通知", content='<p>正文<img src="/media/p.jpg"></p>')
    hidden = make_news(staff, 2, days_ago=-1, title="明日的通知")
    html = page(client, "/portal/news/?q=稳岗")
    assert "稳岗返还通知" in html and "共 1 条" in html
    partial = client.get("/portal/news/?q=明日", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="news-results")
    assert "<html" not in partial.content.decode() and "没有找到相关资讯" in partial.content.decode()
    assert '<img src="/media/p.jpg">' in page(client, f"/portal/news/{shown.pk}/")
    page(client, f"/portal/news/{hidden.pk}/", 404)
    assert "明日的通知" in page(as_user(staff), f"/portal/news/{hidden.pk}/")  # staff preview


def test_the_concern_form_gives_the_number_and_the_lookup_finds_it(client):
    refused = client.post("/portal/concerns/", {"name": "", "phone": "123", "details": "x", "captcha_0": "k",
                                                "captcha_1": "x"})
    html = refused.content.decode()
    assert "请填写姓名" in html and "手机号格式不正确" in html and "验证码" in html and 'value="123"' in html
    response = client.post("/portal/concerns/", {"name": "李秀英", "phone": "13812345002", "details": "社保补贴",
                                                 **captcha_fields()})
    assert response.status_code == 302 and response["Location"] == "/portal/concerns/done/"
    number = Concern.objects.get().number
    assert number in page(client, "/portal/concerns/done/")
    again = client.post("/portal/concerns/", {"name": "李秀英", "phone": "13812345002", "details": "社保补贴",
                                              **captcha_fields()})
    assert again.status_code == 302 and Concern.objects.count() == 1  # the first number again
    found = client.post("/portal/concerns/lookup/", {"number": number, "phone": "13812345002"}).content.decode()
    assert "新提交" in found and number in found
    missing = client.post("/portal/concerns/lookup/", {"number": number, "phone": "13800000000"}).content.decode()
    assert "没有找到对应的咨询" in missing


def test_register_signs_in_and_shows_pending(client):
    data = registration(1)
    form = {k: getattr(data, k) for k in ("username", "uscc", "name", "industry", "address", "industrial_chain",
                                          "profile", "contact_name", "contact_phone")}
    refused = client.post("/portal/register/", {**form, "password": PASSWORD, "password2": "other", "captcha_0": "",
                                                "captcha_1": ""})
    assert "两次输入的密码不一致" in refused.content.decode() and "请输入验证码" in refused.content.decode()
    assert not EnterpriseAccount.objects.exists()
    bad_check = client.post("/portal/register/", {**form, "uscc": uscc(1, valid=False), "password": PASSWORD,
                                                  "password2": PASSWORD, **captcha_fields()}).content.decode()
    assert "确认代码无误" in bad_check
    response = client.post("/portal/register/", {**form, "password": PASSWORD, "password2": PASSWORD,
                                                 **captcha_fields()})
    assert response.status_code == 302
    html = page(client, response["Location"])
    assert "待审核" in html and "注册已提交" in html and uscc(1) in html


def test_login_pages(client, accounts, role_user):
    assert "忘记密码" in page(client, "/portal/login/")
    refused = client.post("/portal/login/", {"username": "ent2", "password": "wrong"})
    assert "账号或密码不正确" in refused.content.decode()
    staff = role_user("clerk")
    staff.set_password(PASSWORD)
    staff.save()
    assert "不是企业账号" in client.post("/portal/login/", {"username": staff.username, "password": PASSWORD}
                                        ).content.decode()
    ok = client.post("/portal/login/", {"username": "ent2", "password": PASSWORD, "next": "https://evil.example/"})
    assert ok.status_code == 302 and ok["Location"] == "/portal/account/"
    assert "待审核" in page(client, "/portal/account/")


def test_a_rejected_account_sees_the_reason_and_resubmits(accounts):
    client = as_user(accounts.rejected.user)
    html = page(client, "/portal/account/")
    assert "未通过" in html and "营业执照名称不一致" in html
    form = {"name": "改正后有限公司", "industry": "C", "industrial_chain": "other", "address": "地址", "profile": "",
            "contact_name": "周", "contact_phone": "13900000003"}
    response = client.post("/portal/account/", form)
    assert response.status_code == 302
    assert SubsystemAccess.objects.get(account=accounts.rejected).status == AccessStatus.PENDING


def test_the_account_page_refuses_changing_the_uscc(accounts):
    client = as_user(accounts.approved.user)
    response = client.post("/portal/account/", {"name": "x公司", "industry": "C", "industrial_chain": "other",
                                                "address": "地址", "contact_name": "周", "contact_phone": "13900000001",
                                                "uscc": uscc(8), "username": "hacker"})
    html = response.content.decode()
    assert response.status_code == 200 and "统一社会信用代码注册后不能修改" in html and "登录账号注册后不能修改" in html
    assert EnterpriseAccount.objects.get(pk=accounts.approved.pk).company_name == "常州测试1号有限公司"


def test_account_pages_need_an_enterprise(client, role_user):
    assert client.get("/portal/account/")["Location"].startswith("/portal/login/")
    assert page(as_user(role_user("portal_staff")), "/portal/account/", 403)


def test_an_enterprise_whose_password_was_reset_chooses_one_in_the_portal(accounts):
    user = accounts.approved.user
    user.password_change_required = True
    user.save(update_fields=["password_change_required"])
    client = as_user(user)
    response = client.get("/portal/account/")
    assert response.status_code == 302 and response["Location"] == "/portal/account/password/"
    assert "请先设置新密码" in page(client, "/portal/account/password/")
    done = client.post("/portal/account/password/", {"old_password": PASSWORD, "new_password1": "Neu#pass2027",
                                                     "new_password2": "Neu#pass2027"})
    assert done.status_code == 302
    assert page(client, "/portal/account/")


def test_concern_pages_show_nothing_of_other_people(client, staff):
    concern = make_concern(1, details="我的工资被拖欠")
    html = page(client, "/portal/concerns/lookup/?number=" + concern.number)
    assert "我的工资被拖欠" not in html and "13812340001" not in html
    assert timezone.localdate().year
