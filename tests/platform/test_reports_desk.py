"""The saved reports in the desk (issue 17): the list, the builder and a
report's page as each role may open them, the sidebar (统计分析 → 自定义报表
and one entry per report shared with the user's roles), the role editor's
task, and the Excel export in the government's layout through the export
jobs — masked unless a full export with a reason, audited either way."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.platform.conftest import api_as, local, save
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.core.models import AuditLog, ExportJob
from zhonglou_hrss.core.registry import sidebar
from zhonglou_hrss.platform.models import SavedReport

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def shared(people, case_at):
    case_at(local(2026, 2, 3, 9, 0), grid="320404001")
    case_at(local(2026, 2, 4, 9, 0), grid="320404002")
    return save(api_as(people.leader), name="网格员的事件表", source="cases", columns=["number", "reporter_phone"],
                shared_with=["网格员"]).json()


def test_list_page_shows_mine_and_shared(people, shared):
    page = desk(people.grid1).get(reverse("admin:platform_savedreport_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "共享给我的报表" in html and "网格员的事件表" in html and 'id="new-report"' not in html
    leader = desk(people.leader).get(reverse("admin:platform_savedreport_changelist")).content.decode()
    assert 'id="new-report"' in leader and "网格员的事件表" in leader


def test_builder_needs_build_report(people):
    assert desk(people.leader).get(reverse("admin:platform_report_builder")).status_code == 200
    assert desk(people.grid1).get(reverse("admin:platform_report_builder")).status_code == 403


def test_report_page_for_shared_role_and_404_for_others(people, shared):
    url = reverse("admin:platform_report_page", args=[shared["id"]])
    page = desk(people.grid1).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "网格员的事件表" in html and 'id="rb-form"' not in html  # read-only for a role it is shared with
    assert 'id="rb-form"' in desk(people.leader).get(url).content.decode()
    assert desk(people.inspector1).get(url).status_code == 404


def test_sidebar_has_builder_and_shared_reports(people, shared, rf):
    def titles(user):
        request = rf.get("/desk/")
        request.user = user
        groups = {g["title"]: g for g in sidebar(request)}
        figures = groups.get("统计分析", {"items": []})
        return [(i["title"], i["permission"](request)) for i in figures["items"]]

    leader = titles(people.leader)
    assert ("自定义报表", True) in leader
    assert not any(t == "网格员的事件表" for t, _ in leader)  # their own: on the list, not under shared entries
    worker = titles(people.grid1)
    assert ("网格员的事件表", True) in worker
    assert ("自定义报表", False) in worker  # builder hidden without platform.build_report
    assert not any(t == "网格员的事件表" for t, _ in titles(people.inspector1))


def test_role_editor_lists_the_permission():
    from zhonglou_hrss.core.registry import permission_layout

    tasks = {t.title: t.permissions for group, items in permission_layout() for t in items
             if group.title == "工作台与系统设置"}
    assert tasks["自定义报表"] == ("platform.build_report", "platform.manage_reports")


def workbook_rows(job):
    sheet = load_workbook(jobs.export_path(job)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_export_masked_in_government_layout_and_audited(people, shared):
    client = desk(people.grid1)
    response = client.post(reverse("admin:platform_report_export", args=[shared["id"]]))
    job = ExportJob.objects.get(kind="platform_report")
    assert response.status_code == 302 and response.url == reverse("admin:platform_report_export_job", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.masked and job.rows == 1
    rows = workbook_rows(job)
    assert rows[0][0] == "网格员的事件表"
    assert "数据来源：快办事件" in rows[1][0] and "筛选条件" in rows[1][0]
    assert rows[2][0].startswith("填报单位：") and any(str(v).startswith("导出时间：") for v in rows[2] if v)
    assert rows[3][:3] == ["序号", "事件编号", "上报人手机号"]
    assert rows[5][0] == 1 and rows[5][2] == "138****8000"  # only the grid worker's case, masked
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.actor == people.grid1 and audit.detail["kind"] == "platform_report" and audit.detail["masked"] is True
    download = client.get(reverse("admin:platform_report_export_download", args=[job.pk]))
    assert download.status_code == 200
    # Someone else's job is not theirs to see.
    assert desk(people.grid2).get(reverse("admin:platform_report_export_job", args=[job.pk])).status_code == 404


def test_full_export_needs_permission_and_reason(people, shared):
    url = reverse("admin:platform_report_export", args=[shared["id"]])
    # A grid worker holds no core.export_pii: refused, no job.
    desk(people.grid1).post(url, {"full": "1", "export_reason": "核对"})
    assert not ExportJob.objects.exists()
    leader = desk(people.leader)
    leader.post(url, {"full": "1", "export_reason": ""})
    assert not ExportJob.objects.exists()
    leader.post(url, {"full": "1", "export_reason": "向市局报送核对"})
    job = ExportJob.objects.get()
    assert not job.masked and job.rows == 2
    assert {r[2] for r in workbook_rows(job)[5:]} == {"13800138000"}
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.detail["masked"] is False and audit.detail["reason"] == "向市局报送核对"


def test_grouped_export_has_all_groups(people, shared):
    report = save(api_as(people.leader), name="按月", source="cases", group_by=["grid__name", "created_at:month"],
                  aggregates=[{"op": "count"}]).json()
    desk(people.leader).post(reverse("admin:platform_report_export", args=[report["id"]]))
    job = ExportJob.objects.get()
    rows = workbook_rows(job)
    assert rows[3][:4] == ["序号", "所属网格", "登记时间（按月）", "数量"]
    assert [r[2:4] for r in rows[5:]] == [["2026-02", 1], ["2026-02", 1]]
    assert SavedReport.objects.count() == 2


def test_issue_17_an_ungrouped_export_keeps_the_reports_sort(people, case_at, monkeypatch):
    """Issue 17: the Excel of a sorted ungrouped report lists its rows in the report's sort (as its
    page does), not newest first — across chunks too."""
    from zhonglou_hrss.platform.exports import reports as report_exports

    monkeypatch.setattr(report_exports, "CHUNK_SIZE", 2)  # three rows: two chunks
    for n, name in enumerate(["C排序有限公司", "A排序有限公司", "B排序有限公司"]):
        case_at(local(2026, 3, 1 + n, 9, 0), grid="320404001", respondent_name=name)
    client = api_as(people.leader)
    report = save(client, name="按对方单位", source="cases", columns=["respondent_name", "number"],
                  sort=[{"key": "respondent_name", "desc": False}]).json()
    shown = [row[0] for row in client.get(f"/api/v1/platform/reports/{report['id']}/run/").json()["rows"]]
    assert shown == ["A排序有限公司", "B排序有限公司", "C排序有限公司"]
    desk(people.leader).post(reverse("admin:platform_report_export", args=[report["id"]]))
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE, job.error
    assert [r[:2] for r in workbook_rows(job)[5:]] == [[1, "A排序有限公司"], [2, "B排序有限公司"], [3, "C排序有限公司"]]
    newest = save(client, name="不排序", source="cases", columns=["respondent_name"]).json()
    desk(people.leader).post(reverse("admin:platform_report_export", args=[newest["id"]]))
    job = ExportJob.objects.latest("id")
    assert [r[1] for r in workbook_rows(job)[5:]] == ["B排序有限公司", "A排序有限公司", "C排序有限公司"]


def _sidebar_reads(client) -> tuple[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        html = client.get("/desk/").content.decode()
    reads = [q for q in captured.captured_queries if "platform_savedreport_shared_with" in q["sql"]]
    return html, len(reads)


@pytest.mark.django_db(transaction=True)
def test_shared_entries_are_kept_until_a_report_sharing_or_role_changes(base_data, make_user):
    """issue 19: the sidebar's shared reports are kept across requests (``core.memo.kept``), not
    read on every desk page; saving, sharing, deleting a report or changing someone's roles
    shows on the next page."""
    from zhonglou_hrss.core.fixtures_sync import role_group
    from zhonglou_hrss.platform.services.reports import delete_report, share_report, update_report

    leader = make_user("kept_report_leader", roles=["leader"])
    worker = make_user("kept_report_worker", roles=["grid_worker"], grids=["320404001"])
    report = save(api_as(leader), name="共享的事件表", source="cases", columns=["number"], shared_with=["网格员"]).json()
    client = desk(worker)
    html, reads = _sidebar_reads(client)
    assert "共享的事件表" in html and reads == 1
    html, reads = _sidebar_reads(client)
    assert "共享的事件表" in html and reads == 0  # kept
    update_report(actor=leader, report_id=report["id"], data={**report, "name": "改名的事件表"})
    html, reads = _sidebar_reads(client)
    assert "改名的事件表" in html and reads == 1
    worker.groups.remove(role_group("grid_worker"))
    worker.groups.add(role_group("inspector"))
    assert "改名的事件表" not in _sidebar_reads(client)[0]
    worker.groups.add(role_group("grid_worker"))
    assert "改名的事件表" in _sidebar_reads(client)[0]
    share_report(actor=leader, report_id=report["id"], roles=[])
    assert "改名的事件表" not in _sidebar_reads(client)[0]
    share_report(actor=leader, report_id=report["id"], roles=["网格员"])
    assert "改名的事件表" in _sidebar_reads(client)[0]
    from zhonglou_hrss.core.models import Role

    temporary = Role.objects.create(name="临时角色")
    worker.groups.add(temporary)
    share_report(actor=leader, report_id=report["id"], roles=["临时角色"])
    assert "改名的事件表" in _sidebar_reads(client)[0]
    temporary.delete()  # as the desk deletes a role: signalled for core.Role, its rows go unsignalled
    assert "改名的事件表" not in _sidebar_reads(client)[0]
    share_report(actor=leader, report_id=report["id"], roles=["网格员"])
    assert "改名的事件表" in _sidebar_reads(client)[0]
    delete_report(actor=leader, report_id=report["id"])
    assert "改名的事件表" not in _sidebar_reads(client)[0]
