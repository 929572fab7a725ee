"""R-KB-15 / R-KB-17 — petition export: the shipped template, rows exactly as
the user's petition list (visibility, the same filters as the API and the desk
list), personal data masked unless a full export is asked with a reason by
a holder of core.export_pii, one audit row per export,
and the desk list's "导出当前列表" button with its current filters."""

from __future__ import annotations

import datetime as dt
import html
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import id_number_for

from zhonglou_hrss.core.exports import jobs, templates
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.fixtures_sync import sync_base
from zhonglou_hrss.core.exports.registry import kind_label
from zhonglou_hrss.core.models import AuditLog, ExportJob, ExportTemplate, Grid, LookupEntry
from zhonglou_hrss.kuaiban.models import Petition
from zhonglou_hrss.kuaiban.exports.petitions import FIELDS
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

pytestmark = pytest.mark.django_db

KIND = "kuaiban_petition"
HEADER_ROWS = 2  # the shipped template: title row + header row
SH = ZoneInfo("Asia/Shanghai")
ID_MAIN = "11010519491231002X"


def enter(actor, **overrides) -> Petition:
    data = dict(name="赵六", id_number=ID_MAIN, phone="13800138000", respondent_name="常州某机械有限公司",
                reason="wage_arrears", grid="320404001", demand="要求支付工资")
    data.update(overrides)
    if data.get("companions") and isinstance(data["companions"][0], dict):
        data["companions"] = [CompanionInput(**c) for c in data["companions"]]
    return save_petition(actor=actor, data=PetitionInput(**data))


def export(user, *, full=False, why="", **filters) -> ExportJob:
    """``filters`` are the list's (``reason`` is one: 案由); ``why`` a full export's reason."""
    job = jobs.start_export(user=user, kind=KIND, filters=filters, full=full, reason=why)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return job


def records(job) -> list[dict]:
    """Data rows as {field key: value}, via the shipped template's column order."""
    ws = load_workbook(jobs.export_path(job)).worksheets[0]
    return [dict(zip(FIELDS, row)) for row in ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)]


def numbers(job) -> set[str]:
    return {r["number"] for r in records(job)}


def no(*petitions) -> set[str]:
    return {p.number for p in petitions}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def role(make_user, username, codenames):
    group, _ = Group.objects.get_or_create(name=f"测试：{username}")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["core", "kuaiban"],
                                                    codename__in=codenames))
    user = make_user(username, name=username)
    user.groups.add(group)
    return user


@pytest.fixture
def no_pii_user(make_user):
    """Sees and exports petitions but lacks core.view_pii."""
    return role(make_user, "k_petition_nopii", ["access_desk", "view_petition", "export_petition"])


# --- the shipped template ----------------------------------------------------------------------
def test_r_kb_15_default_template_shipped_and_registered_once(db):
    """R-KB-17: the kind's default template ships in fixtures and the sync registers it once."""
    assert kind_label(KIND) == "信访记录"
    template = ExportTemplate.objects.get(kind=KIND)
    assert template.is_default and template.active and template.file == templates.BUILTIN_PREFIX + f"{KIND}.xlsx"
    assert template.name == "信访记录（系统默认）"
    spec = templates.template_spec(template, KIND)
    assert spec.keys == list(FIELDS)  # the script writes every field, in the registry's order
    assert spec.header_rows[0][0].value == "钟楼区信访记录导出"
    assert [c.value for c in spec.header_rows[1]] == [f.label for f in FIELDS.values()]
    sync_base()
    assert ExportTemplate.objects.filter(kind=KIND).count() == 1
    template.delete()
    sync_base()
    assert not ExportTemplate.objects.filter(kind=KIND).exists()
    assert templates.template_spec(None, KIND).keys == list(FIELDS)  # the shipped file is still the fallback


def test_r_kb_15_field_registry_names_every_asked_field():
    assert list(FIELDS) == ["number", "name", "id_number", "phone", "companions", "respondent_name",
                            "respondent_uscc", "reason", "grid", "demand", "result", "handled_at", "completed",
                            "created_at", "registered_by"]
    assert {k for k, f in FIELDS.items() if f.personal} == {"id_number", "phone"}


# --- who may export what -------------------------------------------------------------------
def test_r_kb_15_clerk_and_leader_export_every_petition(people):
    a = enter(people.clerk, grid="320404001")
    b = enter(people.clerk, grid="320404", id_number=id_number_for(701))
    assert numbers(export(people.clerk)) == no(a, b)
    assert numbers(export(people.leader)) == no(a, b)


@pytest.mark.parametrize("who", ["grid1", "inspector1", "admin"])
def test_r_kb_15_export_needs_the_permission(people, who):
    """R-KB-15: grid workers, inspectors and the admin hold no kuaiban.export_petition."""
    enter(people.clerk)
    with pytest.raises(ActionForbidden) as exc:
        jobs.start_export(user=getattr(people, who), kind=KIND, filters={})
    assert exc.value.message == "您没有导出信访记录的权限"
    assert not ExportJob.objects.exists()
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()
    response = client_for(getattr(people, who)).post(f"{reverse('kuaiban_export:start')}?kind={KIND}")
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_r_kb_15_export_permission_without_view_exports_nothing(people, make_user):
    """The rows are the user's list: export_petition alone shows no petition."""
    enter(people.clerk)
    user = role(make_user, "k_export_only", ["access_desk", "export_petition", "view_pii"])
    job = export(user)
    assert job.rows == 0 and records(job) == []


# --- filters: the list's ---------------------------------------------------------------------
def test_r_kb_15_filters_grid_reason_completed_respondent_keyword(people):
    a = enter(people.clerk, grid="320404001", respondent_name="甲机械公司",
              companions=[{"name": "钱七", "id_number": "440524196001010014"}])
    b = enter(people.clerk, grid="320404002", reason="social_insurance", name="孙八", phone="13700001111",
              id_number=id_number_for(702), respondent_name="乙公司",
              result="已协调", handled_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=SH))
    c = enter(people.clerk, grid="320404", id_number=id_number_for(703), respondent_name="丙公司")
    leader = people.leader
    assert numbers(export(leader, grid="320404001")) == no(a)
    assert numbers(export(leader, grid="320404")) == no(c)
    assert numbers(export(leader, reason="social_insurance")) == no(b)
    assert numbers(export(leader, completed="true")) == no(b)
    assert numbers(export(leader, completed="false")) == no(a, c)
    assert numbers(export(leader, respondent="机械")) == no(a)
    assert numbers(export(leader, q="孙八")) == no(b)
    assert numbers(export(leader, q="钱七")) == no(a)
    assert numbers(export(leader, q="13700001111")) == no(b)
    assert numbers(export(leader, q=id_number_for(703))) == no(c)


def test_r_kb_15_filters_created_and_handled_time(people, fake_clock):
    fake_clock.set(dt.datetime(2026, 5, 31, 23, 30, tzinfo=SH))
    may = enter(people.clerk, result="已处理", handled_at=dt.datetime(2026, 5, 31, 23, 0, tzinfo=SH))
    fake_clock.set(dt.datetime(2026, 6, 1, 0, 30, tzinfo=SH))
    june = enter(people.clerk, id_number=id_number_for(704), result="已处理",
                 handled_at=dt.datetime(2026, 6, 1, 0, 10, tzinfo=SH))
    leader = people.leader
    assert numbers(export(leader, created_before="2026-05-31")) == no(may)
    assert numbers(export(leader, created_after="2026-06-01")) == no(june)
    assert numbers(export(leader, handled_after="2026-06-01T00:00:00+08:00")) == no(june)
    assert numbers(export(leader, handled_before="2026-06-01")) == no(may, june)  # a bare date: the whole day
    assert numbers(export(leader, handled_before="2026-06-01T00:00:00+08:00")) == no(may)


def test_r_kb_15_bad_filters_are_refused_in_chinese(people):
    with pytest.raises(InvalidInput) as exc:
        jobs.start_export(user=people.leader, kind=KIND, filters={"completed": "也许", "created_after": "昨天"})
    assert set(exc.value.errors) == {"completed", "created_after"}
    assert not ExportJob.objects.exists()


# --- content, masking, audit ---------------------------------------------------------------
def test_r_kb_15_row_content(people, fake_clock):
    open_one = enter(people.clerk, companions=[{"name": "钱七", "id_number": "440524196001010014"},
                                               {"name": "孙八", "id_number": id_number_for(705)}],
                     respondent_uscc="91350100M000100Y43", demand="三个月工资")
    done = enter(people.clerk, id_number=id_number_for(706), grid="320404", reason="social_insurance",
                 result="已协调补缴", handled_at=dt.datetime(2026, 6, 1, 9, 30, tzinfo=SH))
    rows = {r["number"]: r for r in records(export(people.leader))}
    row = rows[open_one.number]
    assert row["name"] == "赵六" and row["companions"] == "钱七、孙八"
    assert row["respondent_name"] == "常州某机械有限公司" and row["respondent_uscc"] == "91350100M000100Y43"
    assert row["reason"] == LookupEntry.objects.get(code="wage_arrears").label
    assert row["grid"] == Grid.objects.get(code="320404001").name
    assert row["demand"] == "三个月工资" and row["result"] is None and row["handled_at"] is None
    assert row["completed"] == "否"
    assert row["created_at"] == dt.datetime(2026, 6, 1, 10, 0)  # local time in the sheet
    assert row["registered_by"] == "王内勤"
    row = rows[done.number]
    assert row["grid"] == "区本级" and row["result"] == "已协调补缴" and row["completed"] == "是"
    assert row["handled_at"] == dt.datetime(2026, 6, 1, 9, 30)


def test_r_kb_15_masked_unless_asked_full_with_export_pii(people, no_pii_user):
    """Masked by default, for everyone; whole only when asked with a reason by
    a holder of core.export_pii (issue 10 item 6)."""
    enter(people.clerk, phone="13812345678")
    masked = export(no_pii_user)
    [row] = records(masked)
    assert row["id_number"] == "110105********002X" and row["phone"] == "138****5678"
    assert masked.masked
    assert export(people.leader).masked
    full = export(people.leader, full=True, why="核对信访人身份")
    [row] = records(full)
    assert row["id_number"] == ID_MAIN and row["phone"] == "13812345678"
    assert not full.masked
    details = [a.detail for a in AuditLog.objects.filter(action=AuditLog.Action.EXPORT).order_by("id")]
    assert [d["masked"] for d in details] == [True, True, False]


def test_r_kb_15_every_export_writes_one_audit_row(people):
    enter(people.clerk, grid="320404001")
    enter(people.clerk, grid="320404002", id_number=id_number_for(707))
    job = export(people.leader, grid="320404002")
    logs = AuditLog.objects.filter(action=AuditLog.Action.EXPORT)
    assert logs.count() == 1
    log = logs.get()
    assert log.actor == people.leader and log.target_id == str(job.pk)
    assert log.detail["kind"] == KIND and log.detail["rows"] == 1
    assert log.detail["filters"] == {"grid": "320404002"} and log.detail["masked"] is True


def test_r_kb_15_query_count_does_not_grow_with_rows(people):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            export(people.leader)
        return len(ctx.captured_queries)

    enter(people.clerk, companions=[{"name": "钱七", "id_number": "440524196001010014"}])
    export(people.leader)  # warm the permission cache
    few = queries()
    for n in range(5):
        enter(people.clerk, id_number=id_number_for(710 + n),
              companions=[{"name": "孙八", "id_number": id_number_for(720 + n)}])
    assert queries() == few


# --- the desk: the petition list's button ------------------------------------------------------
def test_r_kb_15_desk_list_button_exports_the_current_filters(people):
    """The list's "导出当前列表" posts its own filters; the export holds exactly what the list shows."""
    grid = Grid.objects.get(code="320404001")
    wanted = enter(people.clerk, grid="320404001")
    enter(people.clerk, grid="320404001", id_number=id_number_for(730), result="已处理",
          handled_at=dt.datetime(2026, 1, 1, 9, 0, tzinfo=SH))
    enter(people.clerk, grid="320404002", id_number=id_number_for(731))
    client = client_for(people.leader)
    query = f"grid__id__exact={grid.pk}&completed=false"
    page = html.unescape(client.get(f"/desk/kuaiban/petition/?{query}").content.decode())
    assert f'action="{reverse("kuaiban_export:start")}?kind={KIND}&{query}"' in page and wanted.number in page
    response = client.post(f"{reverse('kuaiban_export:start')}?kind={KIND}&{query}")
    job = ExportJob.objects.get(user=people.leader)
    assert response.status_code == 302 and response.url == reverse("kuaiban_export:job", args=[job.pk])
    assert job.kind == KIND and job.filters == {"grid": "320404001", "completed": "false"}
    page = client.get(response.url).content.decode()
    assert "导出信访记录" in page and "网格：" + grid.name in page and "办结情况：未办结" in page
    assert f"?kind={KIND}" in page  # back to the petition export page
    status = client.get(reverse("kuaiban_export:status", args=[job.pk]))
    assert 'data-status="done"' in status.content.decode()
    download = client.get(reverse("kuaiban_export:download", args=[job.pk]))
    assert download.status_code == 200
    assert "filename*=utf-8''%E4%BF%A1%E8%AE%BF" in download["Content-Disposition"]  # 信访记录导出_…
    ws = load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [r[0] for r in ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True)] == [wanted.number]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, target_id=str(job.pk)).count() == 1


def test_r_kb_15_desk_date_filters_translate_like_the_list(people, fake_clock):
    """The desk's date ranges (whole local Asia/Shanghai days) export what the list shows."""
    fake_clock.set(dt.datetime(2026, 5, 31, 23, 30, tzinfo=SH))
    may = enter(people.clerk, result="已处理", handled_at=dt.datetime(2026, 5, 31, 23, 0, tzinfo=SH))
    fake_clock.set(dt.datetime(2026, 6, 1, 0, 30, tzinfo=SH))
    june = enter(people.clerk, id_number=id_number_for(732), result="已处理",
                 handled_at=dt.datetime(2026, 6, 1, 0, 10, tzinfo=SH))
    client = client_for(people.clerk)
    cases = [
        ("created_at_from=2026-06-01", no(june)),
        ("created_at_to=2026-05-31", no(may)),
        ("handled_at_from=2026-05-31", no(may, june)),
        ("handled_at_from=2026-06-01", no(june)),
        ("handled_at_to=2026-05-31", no(may)),  # the whole of the 31st, up to local midnight
    ]
    for query, expected in cases:
        listed = client.get(f"/desk/kuaiban/petition/?{query}").content.decode()
        for petition in (may, june):
            assert (f"{petition.number}<" in listed) == (petition.number in expected), (query, petition.pk)
        ExportJob.objects.all().delete()
        client.post(f"{reverse('kuaiban_export:start')}?kind={KIND}&{query}")
        job = ExportJob.objects.get()
        assert job.status == ExportJob.Status.DONE, job.error
        assert numbers(job) == expected, query


def test_r_kb_15_desk_start_page_and_bad_filters(people):
    enter(people.clerk, grid="320404002")
    client = client_for(people.leader)
    url = reverse("kuaiban_export:start")
    page = client.get(url, {"kind": KIND, "grid": "320404002"}).content.decode()
    assert "导出信访记录" in page and "信访记录数" in page and "1 条" in page
    assert "筛选条件有误" in client.get(url, {"kind": KIND, "completed": "也许"}).content.decode()
    response = client.post(f"{url}?kind={KIND}&grid__id__exact=999999", follow=True)
    assert any("网格不存在" in str(m) for m in response.context["messages"])
    assert not ExportJob.objects.exists()
    assert client.get(url, {"kind": "nonsense"}).status_code == 404
    # Without a kind the page stays the case export.
    assert "导出快办事件" in client.get(url).content.decode()


def test_r_kb_15_nobody_else_can_fetch_a_petition_export(people):
    enter(people.clerk)
    job = export(people.leader)
    for user in (people.clerk, people.grid1):
        client = client_for(user)
        for name in ("job", "status", "download"):
            assert client.get(reverse(f"kuaiban_export:{name}", args=[job.pk])).status_code == 404, (user, name)
    assert client_for(people.leader).get(reverse("kuaiban_export:download", args=[job.pk])).status_code == 200
