"""The pictures of docs/manual/portal_staff.md (就业后台, issue 18), taken on the
demo data as portal_staff at 1366×768: each names the section it serves."""

import pytest

pytestmark = pytest.mark.e2e


def test_portal_staff_pictures_home_accounts_news_demands(demo_server, desk_as, shot):
    """R-PT-02, 12, 13, 14: desk home, account review, news, talent demands and their statistics."""
    page = desk_as("portal_staff")
    page.goto("/desk/")
    shot(page, "portal_staff/home", highlight=page.get_by_text("待审核企业账号").first)
    page.goto("/desk/core/enterpriseaccount/?portal=pending")
    page.get_by_role("link", name="常州永红纺织服装有限公司").click()
    shot(page, "portal_staff/account", highlight=page.get_by_role("button", name="审核通过"))
    page.goto("/desk/portal/news/new/")
    shot(page, "portal_staff/news_new", highlight=page.get_by_role("button", name="保存"))
    page.goto("/desk/portal/demand/")
    page.get_by_role("link", name="查看 #5").click()
    shot(page, "portal_staff/demand", highlight=page.get_by_role("button", name="审核通过"))
    page.goto("/desk/portal/demand/stats/")
    shot(page, "portal_staff/demand_stats", highlight=page.get_by_role("link", name="导出Excel"))


def test_portal_staff_pictures_jobfairs_registrations_concerns_posters(demo_server, desk_as, shot):
    """R-PT-08, 09, 11, R-CR-08: a job fair's files, a registration with its stamped form, a concern, the QR posters."""
    page = desk_as("portal_staff")
    page.goto("/desk/portal/jobfair/")
    page.get_by_role("link", name="钟楼区2027年春风行动大型招聘会").click()
    shot(page, "portal_staff/jobfair", highlight=page.get_by_role("button", name="上传"))
    page.goto("/desk/portal/registration/")
    page.get_by_role("link", name="常州钟晟精密机械有限公司").first.click()
    assert page.locator("#stamped-form").get_by_text("盖章报名表.pdf").count() == 1
    shot(page, "portal_staff/registration", highlight=page.get_by_role("button", name="审核通过"))
    page.goto("/desk/portal/concern/")
    page.get_by_role("link", name="JN2026-000001").click()
    shot(page, "portal_staff/concern", highlight=page.get_by_role("button", name="标记已查看"))
    page.goto("/desk/questionnaires/questionnaire/posters/")
    shot(page, "portal_staff/posters", highlight=page.get_by_role("link", name="PDF").nth(1))
