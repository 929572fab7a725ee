"""The pictures of docs/manual/hr_company.md (人力资源企业, issue 18): the credit
pages of the portal (/portal/credit/) on the demo data, 1366×768."""

import datetime

import pytest

pytestmark = pytest.mark.e2e


def test_hr_company_pictures_register_and_home(demo_server, desk_as, shot):
    """R-CR-01: the credit registration (nobody signed in); an approved company's home (hr_demo1)."""
    page = desk_as(None)
    page.goto("/portal/credit/")
    shot.texts.append(page.content())  # the intro's 信用评价注册 link
    page.goto("/portal/credit/register/")
    shot(page, "hr_company/register", highlight=page.get_by_role("button", name="提交注册"))
    shot.assert_labels("hr_company", "register")
    page = desk_as("hr_demo1")
    page.goto("/portal/credit/")
    shot(page, "hr_company/home", highlight=page.get_by_role("link", name="查看申报"))


def test_hr_company_picture_declaration_being_filled(demo_server, desk_as, shot):
    """R-CR-02, 03: hr_demo2 approved and the declaration window open: 开始填写, then the form."""
    from zhonglou_hrss.core.models import EnterpriseAccount, Subsystem, User
    from zhonglou_hrss.core.services.accounts import decide_access
    from zhonglou_hrss.credit.models import CriteriaYear

    account = EnterpriseAccount.objects.get(user__username="hr_demo2")
    decide_access(actor=User.objects.get(username="credit_staff"), account_id=account.pk,
                  subsystem=Subsystem.CREDIT, approve=True)
    today = datetime.date.today()
    CriteriaYear.objects.filter(year=2026).update(window_start=today - datetime.timedelta(days=1),
                                                  window_end=today + datetime.timedelta(days=60))
    page = desk_as("hr_demo2")
    page.goto("/portal/credit/")
    start = page.get_by_role("button", name="开始填写")
    shot.texts.append(page.content())
    start.click()
    page.wait_for_load_state("load")
    page.locator("#id_points-BI-01").fill("1")
    shot(page, "hr_company/declaration", highlight=page.get_by_role("button", name="保存草稿"))
    shot.assert_labels("hr_company", "declaration")
