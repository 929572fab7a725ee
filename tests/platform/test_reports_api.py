"""The saved reports' API (issue 17, fixed contract): who may call it, saving
and its 400s naming each bad part in Chinese, sharing with roles (a shared
role sees and runs a report, anyone else gets 404), changes by the owner or a
系统管理员, audit rows, a report whose field is gone, JSON export/import."""

from __future__ import annotations

import pytest

from tests.platform.conftest import API, api_as, local, rows_of, run, save
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.platform.models import SavedReport

pytestmark = pytest.mark.django_db

GROUPED = {"source": "cases", "group_by": ["grid__name"], "aggregates": [{"op": "count", "field": ""}]}


def config_rows(report_id):
    return list(AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE, target_type="platform.SavedReport",
                                        target_id=str(report_id)).order_by("id"))


# --- who may call it ---------------------------------------------------------------------------
def test_R_SYS_anonymous_gets_401_and_enterprise_user_403(make_user):
    assert api_as(None).get(API).status_code == 401
    assert api_as(None).get(f"{API}sources/").status_code == 401
    enterprise = make_user("ent_user", roles=["enterprise_user"])
    for response in (api_as(enterprise).get(API), api_as(enterprise).get(f"{API}sources/"),
                     save(api_as(enterprise), **GROUPED)):
        assert response.status_code == 403
        assert response.json()["detail"]


def test_saving_needs_build_report(people):
    # A grid worker may open reports shared with them but not build one.
    response = save(api_as(people.grid1), **GROUPED)
    assert response.status_code == 403
    assert "构建自定义报表" in response.json()["detail"]
    assert not SavedReport.objects.exists()


def test_sources_are_those_the_caller_may_use(people, make_user):
    leader = api_as(people.leader).get(f"{API}sources/").json()
    keys = [s["key"] for s in leader]
    assert "cases" in keys and "petitions" in keys and "enterprises" in keys
    assert "concerns" not in keys and "credit_results" not in keys
    cases = next(s for s in leader if s["key"] == "cases")
    fields = {f["key"]: f for f in cases["fields"]}
    assert fields["grid__name"] == {**fields["grid__name"], "label": "所属网格", "groupable": True, "related": True}
    assert fields["status"]["type"] == "choice" and {"code": "closed", "label": "已办结"} in fields["status"]["choices"]
    assert fields["reporter_phone"]["personal"] and fields["reporter_phone"]["pii_kind"] == "mobile"
    assert fields["handling_amount"]["summable"] and not fields["number"]["summable"]
    assert cases["custom_object"] == "case"
    credit = make_user("cs", roles=["credit_staff"])
    credit_keys = [s["key"] for s in api_as(credit).get(f"{API}sources/").json()]
    assert "credit_results" in credit_keys and "cases" not in credit_keys


# --- saving: success, refusals, audit -----------------------------------------------------------
def test_save_and_read_back_with_audit_row(people):
    client = api_as(people.leader)
    response = save(client, name="各网格事件数", shared_with=["领导"], **GROUPED)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "各网格事件数" and body["source"] == "cases" and body["source_label"] == "快办事件"
    assert body["group_by"] == ["grid__name"] and body["aggregates"] == [{"op": "count", "field": ""}]
    assert body["shared_with"] == ["领导"] and body["mine"] and body["may_change"]
    assert client.get(f"{API}{body['id']}/").json()["name"] == "各网格事件数"
    (row,) = config_rows(body["id"])
    assert row.actor == people.leader and row.detail["action"] == "create" and row.detail["shared_with"] == ["领导"]


@pytest.mark.parametrize("body, field, words", [
    ({"name": "", **GROUPED}, "name", "报表名称"),
    ({"source": "nothing", "columns": ["number"]}, "source", "没有这个数据来源"),
    ({"source": "cases", "columns": ["number", "no_such"]}, "columns[1]", "没有这个字段"),
    ({"source": "cases", "group_by": ["grid__name", "status", "source"]}, "group_by", "最多按2个字段分组"),
    ({"source": "cases", "group_by": ["number"]}, "group_by[0]", "不能用于分组"),
    ({"source": "cases", "group_by": ["grid__name:month"]}, "group_by[0]", "不是日期"),
    ({"source": "cases", "group_by": ["created_at:week"]}, "group_by[0]", "按月"),
    ({"source": "cases", "group_by": ["status"], "aggregates": [{"op": "sum", "field": "number"}]},
     "aggregates[0].field", "不能合计"),
    ({"source": "cases", "group_by": ["status"], "aggregates": [{"op": "median", "field": ""}]},
     "aggregates[0].op", "统计方式"),
    ({"source": "cases", "columns": ["number"], "filters": {"status": {"op": "contains", "value": "x"}}},
     "filters.status", "只能用这些条件"),
    ({"source": "cases", "columns": ["number"], "filters": {"status": {"op": "eq", "value": "nope"}}},
     "filters.status", "没有这个选项"),
    ({"source": "cases", "columns": ["number"], "filters": {"created_at": {"op": "range", "value": ["2026-13-01", ""]}}},
     "filters.created_at", "日期格式"),
    ({"source": "cases", "columns": ["number"], "filters": {"handling_amount": {"op": "eq", "value": "abc"}}},
     "filters.handling_amount", "应为数字"),
    ({"source": "cases", "columns": ["number"], "filters": {"reporter_phone": {"op": "eq", "value": "138"}}},
     "filters.reporter_phone", "个人信息"),
    ({"source": "cases", "columns": ["number"], "sort": [{"key": "status"}]}, "sort[0]", "只能按结果中的列排序"),
    ({"source": "cases", "columns": []}, "columns", "至少选择一列"),
    ({"source": "cases", "columns": ["number"], "chart": "radar"}, "chart", "柱状图"),
    ({"source": "cases", "columns": ["number"], "shared_with": ["没有的角色"]}, "shared_with", "没有这个角色"),
])
def test_bad_definitions_get_400_naming_the_part(people, body, field, words):
    body = {"name": "坏报表", **body}
    response = api_as(people.leader).post(API, body, format="json")
    assert response.status_code == 400, response.content.decode()
    errors = response.json()["errors"]
    assert field in errors, errors
    assert words in "".join(errors[field])
    assert not SavedReport.objects.exists()


def test_source_the_user_may_not_use_is_refused(people):
    response = save(api_as(people.leader), source="concerns", columns=["number"])
    assert response.status_code == 400
    assert "无权使用" in response.json()["errors"]["source"][0]


# --- lists and sharing --------------------------------------------------------------------------
def test_list_holds_own_and_shared_reports_only(people, make_user):
    leader2 = make_user("leader2", roles=["leader"])
    own = save(api_as(people.leader), name="自己的", **GROUPED).json()
    shared = save(api_as(leader2), name="共享给网格员", shared_with=[role_group("grid_worker").name], **GROUPED).json()
    private = save(api_as(leader2), name="不共享", **GROUPED).json()
    assert {r["name"] for r in api_as(people.leader).get(API).json()} == {"自己的"}
    assert {r["name"] for r in api_as(people.grid1).get(API).json()} == {"共享给网格员"}
    # The shared role opens and runs it; anyone else gets 404, as for a missing report.
    assert api_as(people.grid1).get(f"{API}{shared['id']}/").status_code == 200
    assert run(api_as(people.grid1), shared["id"]).status_code == 200
    for path in (f"{API}{private['id']}/", f"{API}{private['id']}/run/", f"{API}{own['id']}/definition/"):
        assert api_as(people.grid1).get(path).status_code == 404
    assert api_as(people.inspector1).get(f"{API}{shared['id']}/").status_code == 404
    # 系统管理员 (platform.manage_reports) sees every report.
    assert {r["name"] for r in api_as(people.admin).get(API).json()} == {"自己的", "共享给网格员", "不共享"}


def test_shared_role_may_run_but_not_change(people):
    report = save(api_as(people.leader), shared_with=[role_group("grid_worker").name], **GROUPED).json()
    worker = api_as(people.grid1)
    assert worker.get(f"{API}{report['id']}/").json()["may_change"] is False
    assert worker.put(f"{API}{report['id']}/", {"name": "改名", **GROUPED}, format="json").status_code == 403
    assert worker.delete(f"{API}{report['id']}/").status_code == 403
    assert SavedReport.objects.get().name == "测试报表"


def test_owner_changes_and_shares_with_audit(people):
    client = api_as(people.leader)
    report = save(client, **GROUPED).json()
    response = client.put(f"{API}{report['id']}/", {"name": "改过的", "shared_with": ["网格员"], **GROUPED,
                                                    "group_by": ["status"]}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["group_by"] == ["status"] and response.json()["shared_with"] == ["网格员"]
    rows = config_rows(report["id"])
    assert [r.detail["action"] for r in rows] == ["create", "update"]
    assert rows[1].detail["shared_with"] == {"from": [], "to": ["网格员"]}
    # A bad change saves nothing.
    bad = client.put(f"{API}{report['id']}/", {"name": "再改", "source": "cases", "columns": ["zzz"]}, format="json")
    assert bad.status_code == 400 and "columns[0]" in bad.json()["errors"]
    assert SavedReport.objects.get().name == "改过的"


def test_admin_may_change_and_delete_anyones_report(people):
    report = save(api_as(people.leader), **GROUPED).json()
    admin = api_as(people.admin)
    # The admin may change it only with sources they may use: the enterprises here.
    response = admin.put(f"{API}{report['id']}/", {"name": "管理员改", "source": "enterprises",
                                                   "columns": ["name"]}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert admin.delete(f"{API}{report['id']}/").status_code == 204
    assert not SavedReport.objects.exists()
    assert [r.detail["action"] for r in config_rows(report["id"])] == ["create", "update", "delete"]
    assert config_rows(report["id"])[-1].actor == people.admin


def test_other_leader_may_not_delete(people, make_user):
    report = save(api_as(people.leader), shared_with=["领导"], **GROUPED).json()
    other = api_as(make_user("leader2", roles=["leader"]))
    assert other.get(f"{API}{report['id']}/").status_code == 200
    assert other.delete(f"{API}{report['id']}/").status_code == 403
    assert SavedReport.objects.exists()


# --- a field that is gone -----------------------------------------------------------------------
def test_report_with_a_missing_field_runs_without_it_and_warns(people, case_at):
    case_at(local(2026, 3, 3, 9, 0), grid="320404001")
    client = api_as(people.leader)
    report = save(client, source="cases", group_by=["grid__name"], aggregates=[{"op": "count"}]).json()
    # As when a custom field is retired (or a field removed in a release): the saved definition names it.
    SavedReport.objects.filter(pk=report["id"]).update(definition={
        "columns": [], "group_by": ["grid__name", "custom.retired_code"],
        "aggregates": [{"op": "count", "field": ""}, {"op": "sum", "field": "custom.amount_gone"}],
        "filters": {"custom.area": {"op": "eq", "value": "x"}}, "sort": [{"key": "custom.retired_code", "desc": True}],
        "chart": "bar"})
    response = run(client, report["id"])
    assert response.status_code == 200
    body = response.json()
    assert [c["key"] for c in body["columns"]] == ["grid__name", "count"]
    assert len(body["rows"]) == 1 and body["rows"][0][1] == 1
    text = "".join(body["warnings"])
    for name in ("custom.retired_code", "custom.amount_gone", "custom.area"):
        assert name in text
    assert "已不存在" in text and "筛选条件" in text


def test_report_whose_source_is_gone_warns(people):
    report = save(api_as(people.leader), **GROUPED).json()
    SavedReport.objects.filter(pk=report["id"]).update(source="removed_app")
    body = run(api_as(people.leader), report["id"]).json()
    assert body["rows"] == [] and "数据来源" in body["warnings"][0]


# --- definitions as data --------------------------------------------------------------------------
def test_definition_export_import_round_trip(people, case_at):
    case_at(local(2026, 3, 3, 9, 0), grid="320404001")
    client = api_as(people.leader)
    report = save(client, name="往返", shared_with=["领导"], source="cases", group_by=["created_at:month"],
                  aggregates=[{"op": "count"}], filters={"status": {"op": "in", "value": ["grid_pending"]}},
                  sort=[{"key": "count", "desc": True}], chart="line").json()
    document = client.get(f"{API}{report['id']}/definition/").json()
    assert document["format"] == "zhonglou-report" and document["source"] == "cases"
    imported = client.post(f"{API}import/", document, format="json")
    assert imported.status_code == 201, imported.content.decode()
    again = imported.json()
    for key in ("name", "source", "columns", "filters", "group_by", "aggregates", "sort", "chart", "shared_with"):
        assert again[key] == report[key], key
    assert again["id"] != report["id"]
    assert rows_of(run(client, again["id"])) == rows_of(run(client, report["id"])) == [["2026-03", 1]]
    bad = client.post(f"{API}import/", {**document, "group_by": ["nope"]}, format="json")
    assert bad.status_code == 400 and "group_by[0]" in bad.json()["errors"]
    assert client.post(f"{API}import/", {**document, "format": "other"}, format="json").status_code == 400


def test_share_changes_only_the_roles_with_audit(people):
    client = api_as(people.leader)
    report = save(client, **GROUPED).json()
    assert api_as(people.grid1).get(f"{API}{report['id']}/").status_code == 404
    response = client.post(f"{API}{report['id']}/share/", {"shared_with": ["网格员", "领导"]}, format="json")
    assert response.status_code == 200 and response.json()["shared_with"] == ["网格员", "领导"]
    assert api_as(people.grid1).get(f"{API}{report['id']}/").status_code == 200
    assert config_rows(report["id"])[-1].detail == {
        "what": "saved_report", "action": "share", "source": "cases",
        "shared_with": {"from": [], "to": ["网格员", "领导"]}}
    bad = client.post(f"{API}{report['id']}/share/", {"shared_with": ["无此角色"]}, format="json")
    assert bad.status_code == 400 and "shared_with" in bad.json()["errors"]
    # Only the owner (or a 系统管理员) shares: a role it is shared with may not.
    refused = api_as(people.grid1).post(f"{API}{report['id']}/share/", {"shared_with": []}, format="json")
    assert refused.status_code == 403
    assert sorted(SavedReport.objects.get().shared_with.values_list("name", flat=True)) == ["网格员", "领导"]
