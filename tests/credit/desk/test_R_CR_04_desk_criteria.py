"""评价标准 in the desk (R-CR-04): the years list, a year's whole scheme,
editing the year's settings through the service (validated, errors in
Chinese beside the field, nothing half-saved), "复制上一年", and a frozen
(published) year read-only with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.credit.conftest import YEAR
from tests.credit.desk.conftest import messages_of
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.credit.models import CriteriaYear
from zhonglou_hrss.credit.services.criteria import freeze_year

pytestmark = pytest.mark.django_db

URL = f"/desk/credit/criteriayear/{YEAR}/"
FORM = {"name": "2026年度人力资源企业信用评价标准", "initial_score": "80", "floor": "0",
        "window_start": f"{YEAR + 1}-01-01", "window_end": f"{YEAR + 1}-03-31",
        "weight_credit": "0.7", "weight_questionnaire": "0.3", "weight_hr": "0.5", "weight_employee": "0.5"}


def test_R_CR_04_years_list_shows_each_year_and_the_copy_button(staff_client, scheme):
    body = staff_client.get("/desk/credit/criteriayear/").content.decode()
    assert f"{YEAR}年度" in body and "可修改" in body
    assert f"复制上一年（创建{YEAR + 1}年度）" in body


def test_R_CR_04_year_page_shows_the_whole_scheme_in_chinese(staff_client, scheme):
    response = staff_client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("初始分", "80分", "企业自评 → 初评 → 终评", "基本指标（BI）", "类别上限 20分", "BI-01", "经营年限",
                 "每满一个计分单位+1分（上限5分）", "分档（取最高档）：达到100得1分；达到200得2分",
                 "SX-01", "每次-10分", "由评价人员酌定，-5至-1分", "营业执照", "一票否决项", "VETO-06",
                 "AAA", "以下类别无扣分：违法行为、劳资纠纷", "无一票否决项", "等级比例限制：未启用"):
        assert text in body, text
    assert 'id="year-form"' in body


def test_R_CR_04_edit_year_settings_saves_through_the_service(staff_client, scheme, credit_staff):
    form = FORM | {"initial_score": "82", "window_end": f"{YEAR + 1}-04-15"}
    response = staff_client.post(URL + "edit/", form)
    assert response.status_code == 302 and response["Location"] == URL
    scheme.refresh_from_db()
    assert scheme.initial_score == Decimal("82")
    assert scheme.weights["credit"] == 0.7 and scheme.weights["hr"] == 0.5
    assert f"{scheme.window_end}" == f"{YEAR + 1}-04-15"
    assert scheme.edited_at is not None
    (row,) = AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE)  # the year's record of the change
    assert row.actor == credit_staff
    assert "已保存" in messages_of(staff_client.get(URL))[0]


def test_R_CR_04_bad_settings_are_refused_beside_the_field_and_nothing_is_saved(staff_client, scheme):
    form = FORM | {"initial_score": "85", "weight_credit": "0.9", "floor": "abc"}
    response = staff_client.post(URL + "edit/", form)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err_floor"' in body and "分值应为数字" in body
    assert 'value="85"' in body and 'value="abc"' in body  # what was typed is kept
    scheme.refresh_from_db()
    assert scheme.initial_score == Decimal("80")
    weights = staff_client.post(URL + "edit/", FORM | {"weight_credit": "0.9", "initial_score": "85"})
    assert weights.status_code == 400
    assert "信用与问卷的权重之和、HR与员工的权重之和都应为1" in weights.content.decode()
    window = staff_client.post(URL + "edit/", FORM | {"window_end": f"{YEAR}-01-01", "initial_score": "85"})
    assert window.status_code == 400 and "申报截止日期不能早于开始日期" in window.content.decode()
    scheme.refresh_from_db()
    assert scheme.initial_score == Decimal("80") and scheme.edited_at is None
    assert not AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE).exists()


def test_R_CR_04_edit_refused_to_a_kuaiban_clerk(clerk_client, scheme):
    assert clerk_client.post(URL + "edit/", FORM | {"initial_score": "1"}).status_code == 403
    assert clerk_client.post("/desk/credit/criteriayear/copy/").status_code == 403
    scheme.refresh_from_db()
    assert scheme.initial_score == Decimal("80")
    assert not CriteriaYear.objects.filter(year=YEAR + 1).exists()


def test_R_CR_04_copy_last_year_creates_the_next_year(staff_client, scheme, credit_staff):
    response = staff_client.post("/desk/credit/criteriayear/copy/")
    assert response.status_code == 302 and response["Location"] == f"/desk/credit/criteriayear/{YEAR + 1}/"
    new = CriteriaYear.objects.get(year=YEAR + 1)
    assert (new.source, new.created_by) == ("copy", credit_staff)
    assert new.items.count() == scheme.items.count() and new.window_start.year == YEAR + 2
    page = staff_client.get(response["Location"])
    assert f"已按{YEAR}年度的标准创建{YEAR + 1}年度评价标准" in messages_of(page)[0]
    assert staff_client.get("/desk/credit/criteriayear/").content.decode().count("年度</a>") == 2


def test_R_CR_04_frozen_year_is_read_only_with_the_reason(staff_client, scheme):
    freeze_year(scheme)
    body = staff_client.get(URL).content.decode()
    assert "已冻结" in body and "评价标准已冻结，只能查看，不能修改" in body
    assert 'id="year-form"' not in body
    response = staff_client.post(URL + "edit/", FORM | {"initial_score": "90"})
    assert response.status_code == 409
    assert f"{YEAR}年度的评价结果已发布，评价标准已冻结，不能修改" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.initial_score == Decimal("80")
    assert "已冻结" in staff_client.get("/desk/credit/criteriayear/").content.decode()
