"""The pictures of docs/manual/public.md (群众, issue 18): the public QR pages
on a phone (375×812), nobody signed in, demo data."""

import pytest

pytestmark = pytest.mark.e2e


def test_public_pictures_report_progress_concern(demo_server, phone_as, shot):
    """R-KB-01, R-KB-09, R-PT-11: the complaint page, the progress look-up, 急难愁盼."""
    page = phone_as(None)
    page.goto("/kuaiban/report/")
    shot(page, "public/report", highlight=page.get_by_label("姓名"))
    page.goto("/kuaiban/progress/")
    shot(page, "public/progress", highlight=page.get_by_role("button", name="查询"))
    page.goto("/portal/concerns/")
    shot(page, "public/concern", highlight=page.get_by_role("button", name="提交咨询"))


def test_public_picture_employee_evaluation_from_the_poster(demo_server, phone_as, shot):
    """R-CR-08: the poster's address has the employer chosen; the employee picks the HR company."""
    page = phone_as(None)
    page.goto("/questionnaires/employee/?enterprise=91320404160819154T")
    assert page.get_by_text("常州钟晟精密机械有限公司").count() >= 1
    shot(page, "public/employee", highlight=page.get_by_role("link", name="常州钟楼人力资源服务有限公司"))
    shot.assert_labels("public", "employee")
