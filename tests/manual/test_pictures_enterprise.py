"""The pictures of docs/manual/enterprise.md (企业, issue 18): the PC portal as
ent_demo1 (1366×768) and the 码上办 phone client's H5 build under /m/ (375×812)."""

import pytest

from tests.e2e.test_miniprogram import h5_build  # noqa: F401  (the H5 build, made when missing)

pytestmark = pytest.mark.e2e


def test_enterprise_pictures_register_anonymous(demo_server, desk_as, shot):
    """R-PT-03: registration starts from the portal's home, nobody signed in."""
    page = desk_as(None)
    page.goto("/portal/")
    shot.texts.append(page.content())  # the home's 企业注册 link: a label of the section, no picture of its own
    page.goto("/portal/register/")
    shot(page, "enterprise/register", highlight=page.get_by_role("button", name="提交注册"))
    shot.assert_labels("enterprise", "register")


def test_enterprise_pictures_portal(demo_server, desk_as, shot):
    """R-PT-04..10, 11, R-CR-05: my account, a talent demand, a job-fair registration, 急难愁盼, HR evaluations."""
    page = desk_as("ent_demo1")
    page.goto("/portal/account/")
    shot(page, "enterprise/account", highlight=page.get_by_role("link", name="修改资料"))
    page.goto("/portal/demands/new/")
    shot(page, "enterprise/demand_new", highlight=page.get_by_role("button", name="提交审核"))
    page.goto("/portal/registrations/")
    page.get_by_role("link", name="修改").first.click()
    stamped = page.get_by_role("heading", name="盖章报名表")
    stamped.scroll_into_view_if_needed()
    shot(page, "enterprise/registration", highlight=page.get_by_label("更换盖章报名表"))
    page.goto("/portal/concerns/")
    shot(page, "enterprise/concern", highlight=page.get_by_role("button", name="提交咨询"))
    page.get_by_role("link", name="查询处理进度").first.click()
    page.wait_for_load_state("load")
    shot.texts.append(page.content())  # the look-up form: 咨询编号, 提交时填写的手机号, 查询
    shot.assert_labels("enterprise", "concerns")
    page.goto("/portal/evaluations/")
    shot(page, "enterprise/evaluations", highlight=page.get_by_role("button", name="加入名单"))


def _field(page, selector, value):
    page.locator(f"{selector} input, {selector} textarea").first.fill(value)


def test_enterprise_pictures_phone_client(demo_server, h5_build, phone_as, shot):  # noqa: F811
    """R-PT client side: the phone client's home, sign-in, my demands and the job fairs (ent_demo1)."""
    page = phone_as(None)
    page.goto("/m/")
    login = page.locator("#go-login")
    login.wait_for()
    shot(page, "enterprise/phone_home", highlight=login)
    login.click()
    _field(page, "#login-username", "ent_demo1")
    _field(page, "#login-password", "demo12345")
    shot.texts.append(page.content())  # the sign-in page (its 登录 button)
    page.locator("#login-submit").click()
    page.locator("#status-label").wait_for()  # signed in, the client opens 我的账号
    page.goto("/m/")
    page.locator("#my-account").wait_for()
    shot.texts.append(page.content())  # home signed in: 我的账号
    page.goto("/m/#/pages/demands/list")
    page.locator("#demand-new").wait_for()
    shot.texts.append(page.content())
    page.goto("/m/#/pages/jobfairs/list")
    button = page.locator("[id^=register-]").first
    button.wait_for()
    shot(page, "enterprise/phone_jobfairs", highlight=button)
    shot.assert_labels("enterprise", "phone")
