"""The job-fair export in the government's format (R-PT-19), cell by cell:
title row with the fair's name, date and venue, 填报单位 and export time,
merged group headers, one row per position with its enterprise; masked
unless a full export with a reason; one audit row; staff only."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.portal.jobfairs import jpeg_with_exif, make_fair, position, registration_input
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.portal.exports.jobfairs import fair_export_response
from zhonglou_hrss.portal.services import jobfairs as service

pytestmark = pytest.mark.django_db


def _registered(user, fair, positions, *, approve=True, staff=None):
    reg = service.save_registration(actor=user, data=registration_input(fair, attendees=2, positions=positions))
    service.set_stamped_form(actor=user, registration_id=reg.pk, upload=jpeg_with_exif())
    service.submit_registration(actor=user, registration_id=reg.pk)
    if approve:
        service.decide_registration(actor=staff, registration_id=reg.pk, approve=True)
    return reg


def _sheet(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


def test_R_PT_19_export_cell_by_cell(accounts):
    fair = make_fair(accounts.staff, name="钟楼区春季招聘会")
    _registered(accounts.approved.user, fair, [position(1, salary_min=6000, salary_max=9000),
                                               position(2, title="焊工", count=5, education="senior_high",
                                                        salary_min=7000, salary_max=7000)], staff=accounts.staff)
    response = fair_export_response(user=accounts.staff, fair_id=fair.pk)
    assert response["Content-Disposition"].startswith("attachment")
    ws = _sheet(response)
    assert ws["A1"].value == "钟楼区春季招聘会参会企业及岗位信息表"
    assert f"{fair.date:%Y年%m月%d日}" in ws["A2"].value and fair.venue in ws["A2"].value
    assert ws["A3"].value.startswith("填报单位：") and ws["H3"].value.startswith("导出时间：")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:M1", "A4:A5", "B4:G4", "H4:M4"} <= merged
    assert (ws["B4"].value, ws["H4"].value) == ("企业信息", "招聘岗位")
    assert [c.value for c in ws[5]][1:] == ["企业名称", "统一社会信用代码", "联系人", "联系电话", "参会人数", "审核状态",
                                            "岗位名称", "招聘人数", "学历要求", "专业要求", "月薪（元）", "岗位描述"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6)]
    assert len(rows) == 2  # one row per position
    first, second = rows
    assert first[:7] == [1, accounts.approved.company_name, accounts.approved.enterprise.uscc, "周联系",
                         "139****5678", 2, "已通过"]
    assert first[7:] == ["岗位1", 2, "本科", "机械类", "6000-9000", "负责设备维护"]
    assert second[:2] == [1, accounts.approved.company_name] and second[7:12] == ["焊工", 5, "高中", "机械类", "7000"]
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT, target_id=str(fair.pk))
    assert log.detail["rows"] == 2 and log.detail["masked"] is True


def test_R_PT_19_default_scope_is_the_approved_enterprises(accounts):
    fair = make_fair(accounts.staff)
    _registered(accounts.approved.user, fair, 3, approve=False)
    assert _sheet(fair_export_response(user=accounts.staff, fair_id=fair.pk)).max_row == 5
    ws = _sheet(fair_export_response(user=accounts.staff, fair_id=fair.pk, scope="submitted"))
    assert [ws.cell(r, 7).value for r in range(6, 9)] == ["待审核"] * 3


def test_R_PT_19_full_export_needs_the_permission_and_a_reason(accounts, make_user):
    fair = make_fair(accounts.staff)
    _registered(accounts.approved.user, fair, 1, staff=accounts.staff)
    with pytest.raises(ActionForbidden):  # 就业后台 sees but may not write phones whole into a file
        fair_export_response(user=accounts.staff, fair_id=fair.pk, full=True, reason="通知参会")
    exporter = make_user("p_exporter", roles=["portal_staff", "leader"])
    with pytest.raises(InvalidInput):
        fair_export_response(user=exporter, fair_id=fair.pk, full=True, reason="")
    ws = _sheet(fair_export_response(user=exporter, fair_id=fair.pk, full=True, reason="通知参会企业"))
    assert ws["E6"].value == "13912345678"
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, detail__reason="通知参会企业").exists()


def test_R_PT_19_only_jobfair_staff_export(accounts, make_user):
    fair = make_fair(accounts.staff)
    for user in (accounts.approved.user, make_user("k_clerk_e", roles=["district_clerk"])):
        with pytest.raises(ActionForbidden):
            fair_export_response(user=user, fair_id=fair.pk)
