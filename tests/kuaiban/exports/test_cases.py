"""R-KB-17 — case export: each role exports exactly the cases it can see (R-KB-16),
filtered like its list, into the template; personal data masked unless a
full export is asked, with a reason, by a holder of core.export_pii; every
export audit-logged; files only for their owner."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import HANDLING, id_number_for
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.exports import jobs, templates
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.fixtures_sync import sync_base
from zhonglou_hrss.core.models import AuditLog, ExportJob, ExportTemplate, Grid, LookupEntry, LookupKind
from zhonglou_hrss.kuaiban.exports.cases import FIELDS
from zhonglou_hrss.kuaiban.models import Case
from zhonglou_hrss.kuaiban.services.transitions import perform

KIND = "kuaiban_case"
HEADER_ROWS = 2  # the shipped template: title row + header row


def export(user, *, full=False, why="", **filters) -> ExportJob:
    """``filters`` are the list's (``reason`` is one: 案由); ``why`` a full export's reason."""
    job = jobs.start_export(user=user, kind=KIND, filters=filters, full=full, reason=why)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return job


def sheet(job):
    wb = load_workbook(jobs.export_path(job))
    return wb.worksheets[0]


def records(job) -> list[dict]:
    """Data rows as {field key: value}, via the shipped template's column order."""
    ws = sheet(job)
    keys = list(FIELDS)
    return [dict(zip(keys, row)) for row in ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)]


def numbers(job) -> set[str]:
    return {r["number"] for r in records(job)}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def no_pii_user(make_user):
    """Sees and exports all cases but lacks core.view_pii."""
    group, _ = Group.objects.get_or_create(name="测试：无个人信息权限")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in=["core", "kuaiban"],
        codename__in=["access_desk", "view_case", "view_all_cases", "export_case"]))
    user = make_user("k_nopii", name="无权查看个人信息")
    user.groups.add(group)
    return user


# --- the shipped template -----------------------------------------------------------------
def test_r_kb_17_default_template_shipped_and_registered_once(db):
    template = ExportTemplate.objects.get(kind=KIND)
    assert template.is_default and template.active and template.file.startswith(templates.BUILTIN_PREFIX)
    spec = templates.template_spec(template, KIND)
    assert spec.keys == list(FIELDS)  # the script writes every field, in the registry's order
    assert spec.header_rows[0][0].value == "钟楼区劳动监督快办事件导出"
    assert [c.value for c in spec.header_rows[1]] == [f.label for f in FIELDS.values()]
    # Idempotent; a template the admin deleted is not brought back.
    sync_base()
    assert ExportTemplate.objects.filter(kind=KIND).count() == 1
    template.delete()
    sync_base()
    assert not ExportTemplate.objects.filter(kind=KIND).exists()


# --- visibility (R-KB-16) --------------------------------------------------------------
def test_r_kb_17_each_role_exports_exactly_its_visible_cases(people, new_case, case_in):
    mine = new_case(grid="320404001")
    failed = case_in("district_triage")  # grid 001 failed it: still visible to grid 001
    returned = case_in("awaiting_claim")  # grid 001 returned it, assigned to inspector1
    other_grid = new_case(grid="320404002")
    everything = {c.number for c in (mine, failed, returned, other_grid)}

    assert numbers(export(people.grid1)) == {mine.number, failed.number}
    assert numbers(export(people.grid2)) == {other_grid.number}
    assert numbers(export(people.inspector1)) == {returned.number}
    assert numbers(export(people.inspector2)) == set()
    assert numbers(export(people.leader)) == everything
    assert numbers(export(people.clerk)) == everything


def test_r_kb_17_export_needs_the_permission(people, new_case):
    new_case()
    with pytest.raises(ActionForbidden):
        jobs.start_export(user=people.admin, kind=KIND, filters={})  # admin: no kuaiban.export_case
    assert not ExportJob.objects.exists()
    response = client_for(people.admin).post(reverse("kuaiban_export:start"))
    assert response.status_code == 404


# --- filters: the list's ------------------------------------------------------------------
def test_r_kb_17_filters_status_grid_reason_keyword(people, new_case, case_in):
    pending = new_case(grid="320404001")
    handling = case_in("grid_handling")
    yonghong = new_case(grid="320404002", reason="social_insurance")
    assert numbers(export(people.leader, status="grid_pending")) == {pending.number, yonghong.number}
    assert numbers(export(people.leader, status="grid_pending,grid_handling")) == {
        pending.number, handling.number, yonghong.number}
    assert numbers(export(people.leader, grid="320404002")) == {yonghong.number}
    assert numbers(export(people.leader, reason="social_insurance")) == {yonghong.number}
    assert numbers(export(people.leader, q=pending.number)) == {pending.number}
    assert numbers(export(people.leader, q=pending.reporter_id_number)) == {pending.number}


def test_r_kb_17_filter_overdue_across_the_boundary(people, case_in, monkeypatch):
    late = case_in("grid_handling")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=14))
    fresh = case_in("grid_handling")
    assert numbers(export(people.leader, overdue="true")) == set()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(days=15, minutes=1))
    assert numbers(export(people.leader, overdue="true")) == {late.number}
    assert numbers(export(people.leader, overdue="false")) == {fresh.number}
    row = {r["number"]: r for r in records(export(people.leader))}
    assert row[late.number]["overdue"] == "是" and row[fresh.number]["overdue"] == "否"


def test_r_kb_17_desk_list_filter_names_are_understood(people, new_case, case_in):
    """The desk list's button posts the changelist's own query (status__exact, grid__id__exact, …):
    the export holds exactly what that list shows, not more."""
    new_case(grid="320404001")
    yonghong = new_case(grid="320404002", reason="social_insurance")
    closed = case_in("closed")
    grid2 = Grid.objects.get(code="320404002")
    reason = LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="social_insurance")
    today = timezone.localdate().isoformat()
    client = client_for(people.leader)
    query = (f"status__exact=grid_pending&grid__id__exact={grid2.pk}&reason__id__exact={reason.pk}"
             f"&created_at_from={today}&created_at_to={today}&o=-1&p=1")
    response = client.post(f"{reverse('kuaiban_export:start')}?{query}")
    job = ExportJob.objects.get(user=people.leader)
    assert response.status_code == 302
    assert job.filters == {"status": "grid_pending", "grid": "320404002", "reason": "social_insurance",
                           "created_after": today, "created_before": today}
    assert numbers(job) == {yonghong.number}
    assert numbers(export(people.leader, closed_at_from=today, closed_at_to=today)) == {closed.number}
    assert numbers(export(people.leader, stat_grid="320404002")) == {yonghong.number}
    year = timezone.localtime(yonghong.created_at).year
    in_year = {c.number for c in Case.objects.all() if timezone.localtime(c.created_at).year == year}
    assert yonghong.number in in_year and numbers(export(people.leader, year=str(year))) == in_year
    assert numbers(export(people.leader, year="2001")) == set()
    with pytest.raises(InvalidInput):
        jobs.start_export(user=people.leader, kind=KIND, filters={"grid__id__exact": "999999"})


def test_r_kb_17_bad_filters_are_refused_in_chinese(people):
    with pytest.raises(InvalidInput) as exc:
        jobs.start_export(user=people.leader, kind=KIND, filters={"status": "nonsense", "created_after": "昨天"})
    assert "状态不存在" in exc.value.errors["status"][0]
    assert "created_after" in exc.value.errors
    assert not ExportJob.objects.exists()


def test_r_kb_17_queue_mine(people, new_case, case_in):
    pending = new_case(grid="320404001")
    case_in("grid_resolved")  # done: not waiting for grid 001
    assert numbers(export(people.grid1, queue="mine")) == {pending.number}


# --- content, masking, audit ------------------------------------------------------------------
def test_r_kb_17_row_content(people, case_in, new_case):
    case = case_in("inspecting", companions=[
        {"name": "李四", "id_number": id_number_for(901), "phone": "13900139000"},
        {"name": "王五", "id_number": id_number_for(902), "phone": ""}])
    for action, data in (("record_filing", {}), ("record_handling", HANDLING), ("record_penalty_decision", {}),
                         ("close", {})):
        perform(case_id=case.pk, action=action, actor=people.inspector1, data=dict(data))
    perform(case_id=case.pk, action="record_execution", actor=people.inspector1,
            data={"executed_at": clock.now().isoformat()})
    resolved = case_in("grid_resolved")
    rows = {r["number"]: r for r in records(export(people.leader))}
    row = rows[case.number]
    assert row["status"] == "已办结" and row["source"] == "内部登记"
    assert row["companions"] == "李四、王五"
    assert row["grid"] == Grid.objects.get(code="320404001").name
    assert row["attributed_grid"] == Grid.objects.get(code=HANDLING["attributed_grid"]).name
    assert row["inspector"] == "张监察"
    assert float(row["handling_amount"]) == 3000.0 and row["handling_notes"] == "责令支付工资"
    assert row["respondent_uscc"] == "91350100M000100Y43"
    for key in ("filed_at", "handled_at", "penalty_decided_at", "closed_at", "executed_at"):
        assert row[key] is not None, key
    assert row["investigated_at"] is None and row["enforcement_applied_at"] is None
    assert row["registered_at"] is not None
    good = rows[resolved.number]
    assert good["resolution_amount"] == 1200 and good["resolution_way"]
    assert good["grid_accepted_at"] is not None  # kept from the round after the outcome
    ws = sheet(export(people.leader))
    assert ws.cell(row=HEADER_ROWS + 1, column=list(FIELDS).index("handling_amount") + 1).number_format in (
        "#,##0.00", "General")


def test_r_kb_17_masked_unless_asked_full_with_export_pii(people, new_case, no_pii_user):
    """Masked by default, for everyone; whole only when asked with a reason by
    a holder of core.export_pii (issue 10 item 6)."""
    case = new_case(reporter_phone="13812345678")
    masked_job = export(no_pii_user)
    [row] = records(masked_job)
    assert row["reporter_id_number"] == case.reporter_id_number[:6] + "********" + case.reporter_id_number[-4:]
    assert row["reporter_phone"] == "138****5678"
    assert masked_job.masked
    assert export(people.leader).masked
    full_job = export(people.leader, full=True, why="核对上报人身份")
    [row] = records(full_job)
    assert row["reporter_id_number"] == case.reporter_id_number
    assert row["reporter_phone"] == "13812345678"
    assert not full_job.masked
    details = [a.detail for a in AuditLog.objects.filter(action=AuditLog.Action.EXPORT).order_by("id")]
    assert [d["masked"] for d in details] == [True, True, False]


def test_r_kb_17_every_export_writes_one_audit_row(people, new_case):
    new_case()
    new_case(grid="320404002")
    before = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count()
    job = export(people.leader, grid="320404002")
    export(people.grid1)
    logs = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).order_by("id")
    assert logs.count() == before + 2
    first = logs[before]
    assert first.actor == people.leader and first.target_id == str(job.pk)
    assert first.detail["kind"] == KIND and first.detail["rows"] == 1
    assert first.detail["filters"] == {"grid": "320404002"} and first.detail["masked"] is True


def test_r_kb_17_header_rows_copied_from_the_template(people, new_case):
    new_case()
    ws = sheet(export(people.leader))
    assert ws["A1"].value == "钟楼区劳动监督快办事件导出" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == [f.label for f in FIELDS.values()]
    assert ws["A2"].font.b
    assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    assert ws.column_dimensions["N"].width == 40  # 具体诉求: the template's width


def test_r_kb_17_zero_rows_still_a_valid_file_with_headers(people, new_case):
    new_case()
    job = export(people.leader, q="没有这个关键词")
    assert job.rows == 0
    ws = sheet(job)
    assert ws.max_row == HEADER_ROWS and ws["A2"].value == "事件编号"


def test_r_kb_17_query_count_does_not_grow_with_rows(people, new_case, case_in):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            export(people.leader)
        return len(ctx.captured_queries)

    new_case(companions=[{"name": "李四", "id_number": id_number_for(903), "phone": ""}])
    export(people.leader)  # warm the user's permission cache
    few = queries()
    for _ in range(4):
        case_in("grid_resolved", companions=[{"name": "王五", "id_number": id_number_for(904), "phone": ""}])
    case_in("closed")
    assert queries() == few


def test_r_kb_17_uploaded_template_is_used(people, new_case, admin_template):
    case = new_case()
    job = export(people.leader)
    assert job.template == admin_template
    ws = sheet(job)
    assert [c.value for c in ws[1]] == ["状态", "编号"]
    assert [c.value for c in ws[2]] == ["待网格接收", case.number]


@pytest.fixture
def admin_template(people):
    wb = Workbook()
    ws = wb.active
    ws.append(["状态", "编号"])
    ws.append(["{{status}}", "{{number}}"])
    out = BytesIO()
    wb.save(out)
    return templates.save_template(actor=people.admin, template=ExportTemplate(name="简表", kind=KIND, is_default=True),
                                 content=out.getvalue(), filename="简表.xlsx")


def test_r_kb_17_one_default_template_per_kind(admin_template):
    assert list(ExportTemplate.objects.filter(kind=KIND, is_default=True)) == [admin_template]


# --- desk pages ------------------------------------------------------------------------------
def test_r_kb_17_desk_start_job_download(people, new_case):
    mine = new_case(grid="320404001")
    new_case(grid="320404002")
    client = client_for(people.grid1)
    url = reverse("kuaiban_export:start")
    page = client.get(url, {"grid": "320404001"})
    assert page.status_code == 200
    assert "网格：320404001" in page.content.decode() and "1 条" in page.content.decode()
    response = client.post(f"{url}?grid=320404001&status=grid_pending")
    job = ExportJob.objects.get(user=people.grid1)
    assert response.status_code == 302 and response.url == reverse("kuaiban_export:job", args=[job.pk])
    assert job.filters == {"grid": "320404001", "status": "grid_pending"}
    page = client.get(response.url)
    assert page.status_code == 200 and reverse("kuaiban_export:download", args=[job.pk]) in page.content.decode()
    status = client.get(reverse("kuaiban_export:status", args=[job.pk]))
    assert status.status_code == 200 and 'data-status="done"' in status.content.decode()
    download = client.get(reverse("kuaiban_export:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [r[0] for r in ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)] == [mine.number]


def test_r_kb_17_bad_filter_on_the_desk_shows_a_message(people):
    client = client_for(people.leader)
    url = reverse("kuaiban_export:start")
    assert "筛选条件有误" in client.get(url, {"status": "nonsense"}).content.decode()
    response = client.post(f"{url}?status=nonsense", follow=True)
    assert any("状态不存在" in str(m) for m in response.context["messages"])
    assert not ExportJob.objects.exists()


def test_r_kb_17_nobody_else_can_fetch_an_export(people, new_case):
    new_case()
    job = export(people.leader)
    for user in (people.clerk, people.grid1, people.admin):
        client = client_for(user)
        for name in ("job", "status", "download"):
            assert client.get(reverse(f"kuaiban_export:{name}", args=[job.pk])).status_code == 404, (user, name)
    assert Client().get(reverse("kuaiban_export:download", args=[job.pk])).status_code == 302  # sign in first
    assert client_for(people.leader).get(reverse("kuaiban_export:download", args=[job.pk])).status_code == 200


# --- the admin's template page ----------------------------------------------------------------
def _xlsx(rows) -> BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "模板.xlsx"
    return out


def test_r_kb_17_admin_uploads_validates_and_downloads_templates(people):
    client = client_for(people.admin)
    add = reverse("admin:core_exporttemplate_add")
    page = client.get(add)
    assert page.status_code == 200 and "{{reporter_id_number}}" in page.content.decode()
    bad = client.post(add, {"name": "坏模板", "kind": KIND, "active": "on",
                            "upload": _xlsx([["编号"], ["{{number}}", "{{bogus}}"]])})
    assert bad.status_code == 200 and "未知的占位符：{{bogus}}" in bad.content.decode()
    not_xlsx = BytesIO(b"a,b\n")
    not_xlsx.name = "x.csv"
    bad = client.post(add, {"name": "坏模板", "kind": KIND, "active": "on", "upload": not_xlsx})
    assert "不是 Excel 文件" in bad.content.decode()
    assert not ExportTemplate.objects.filter(name="坏模板").exists()
    good = client.post(add, {"name": "简表", "kind": KIND, "active": "on", "is_default": "on",
                             "upload": _xlsx([["编号", "状态"], ["{{number}}", "{{status}}"]])})
    assert good.status_code == 302
    template = ExportTemplate.objects.get(name="简表")
    assert template.placeholders == ["number", "status"] and template.uploaded_by == people.admin
    assert not template.file.startswith(templates.BUILTIN_PREFIX)
    assert not ExportTemplate.objects.filter(kind=KIND, is_default=True).exclude(pk=template.pk).exists()
    download = client.get(reverse("admin:core_exporttemplate_download", args=[template.pk]))
    assert download.status_code == 200
    ws = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    assert ws["A2"].value == "{{number}}"
    builtin = ExportTemplate.objects.get(kind=KIND, file__startswith=templates.BUILTIN_PREFIX)
    assert client.get(reverse("admin:core_exporttemplate_download", args=[builtin.pk])).status_code == 200
    # Not for users without the template permissions.
    assert client_for(people.leader).get(
        reverse("admin:core_exporttemplate_download", args=[template.pk])).status_code in (403, 404)


def test_r_kb_17_old_export_files_are_purged(people, new_case, monkeypatch):
    new_case()
    job = export(people.leader)
    path = jobs.export_path(job)
    assert jobs.purge_old_exports(days=7) == 0 and path.is_file()
    later = clock.now() + timedelta(days=8)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert jobs.purge_old_exports(days=7) == 1
    job.refresh_from_db()
    assert not path.exists() and job.status == ExportJob.Status.EXPIRED
    client = client_for(people.leader)
    assert client.get(reverse("kuaiban_export:download", args=[job.pk])).status_code == 404
    assert "已按规定清理" in client.get(reverse("kuaiban_export:job", args=[job.pk])).content.decode()
