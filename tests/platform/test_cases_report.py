"""Saved reports over 快办事件 (issue 17, R-KB-16 visibility): grouped counts
and sums against cases registered at known moments; a grid worker's report
never holds another grid's case; month and year edges in the site's time zone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.platform.conftest import api_as, local, rows_of, run, save
from zhonglou_hrss.kuaiban.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(case_at):
    """五星 (001): 2 in Jan 2026 (one at 23:30 on the 31st), 1 on 1 Feb 00:10; 永红 (002): 1 in Jan, 1 in Dec 2025."""
    made = {
        "a": case_at(local(2026, 1, 5, 10, 0), grid="320404001"),
        "b": case_at(local(2026, 1, 31, 23, 30), grid="320404001"),
        "c": case_at(local(2026, 2, 1, 0, 10), grid="320404001"),
        "d": case_at(local(2026, 1, 20, 9, 0), grid="320404002"),
        "e": case_at(local(2025, 12, 31, 23, 59), grid="320404002"),
    }
    # Known amounts (the handling amount is what an inspector records; set here as data).
    for key, amount in (("a", "1000.50"), ("b", "200"), ("d", "300")):
        Case.objects.filter(pk=made[key].pk).update(handling_amount=Decimal(amount))
    return made


def grid_names():
    from zhonglou_hrss.core.models import Grid

    return dict(Grid.objects.filter(code__in=["320404001", "320404002"]).values_list("code", "name"))


def test_R_KB_16_count_by_grid_and_month_at_month_edges(people, cases):
    names = grid_names()
    client = api_as(people.leader)
    created = save(client, source="cases", group_by=["grid__name", "created_at:month"],
                   aggregates=[{"op": "count"}, {"op": "sum", "field": "handling_amount"}])
    assert created.status_code == 201, created.content.decode()
    body = run(client, created.json()["id"]).json()
    assert [c["key"] for c in body["columns"]] == ["grid__name", "created_at:month", "count", "sum:handling_amount"]
    assert body["columns"][1]["label"] == "登记时间（按月）"
    got = {(r[0], r[1]): (r[2], r[3]) for r in body["rows"]}
    assert got == {
        (names["320404001"], "2026-01"): (2, 1200.5),  # 23:30 on 31 Jan local stays in January
        (names["320404001"], "2026-02"): (1, ""),
        (names["320404002"], "2025-12"): (1, ""),
        (names["320404002"], "2026-01"): (1, 300.0),
    }
    assert body["warnings"] == []


def test_R_KB_16_count_by_year(people, cases):
    client = api_as(people.leader)
    report = save(client, source="cases", group_by=["created_at:year"], aggregates=[{"op": "count"}]).json()
    assert rows_of(run(client, report["id"])) == [["2025", 1], ["2026", 4]]


def test_R_KB_16_grid_worker_report_holds_only_their_grid(people, cases, make_user):
    from zhonglou_hrss.core.fixtures_sync import role_group

    leader = api_as(people.leader)
    report = save(leader, source="cases", columns=["number", "grid__name"],
                  shared_with=[role_group("grid_worker").name]).json()
    everyone = {r[0] for r in rows_of(run(leader, report["id"]))}
    assert everyone == {c.number for c in cases.values()}
    mine = {r[0] for r in rows_of(run(api_as(people.grid2), report["id"]))}
    assert mine == {cases["d"].number, cases["e"].number}
    grouped = save(leader, source="cases", group_by=["grid__name"], shared_with=[role_group("grid_worker").name]).json()
    assert rows_of(run(api_as(people.grid1), grouped["id"])) == [[grid_names()["320404001"], 3]]


def test_R_KB_16_filters_narrow_the_rows(people, cases):
    client = api_as(people.leader)
    report = save(client, source="cases", columns=["number"], filters={
        "created_at": {"op": "range", "value": ["2026-01-01", "2026-01-31"]},
        "grid__name": {"op": "eq", "value": grid_names()["320404001"]}}).json()
    assert {r[0] for r in rows_of(run(client, report["id"]))} == {cases["a"].number, cases["b"].number}
    amounts = save(client, source="cases", columns=["number"], sort=[{"key": "number", "desc": False}],
                   filters={"handling_amount": {"op": "range", "value": [250, None]}}).json()
    assert {r[0] for r in rows_of(run(client, amounts["id"]))} == {cases["a"].number, cases["d"].number}
    empty = save(client, source="cases", columns=["number"], filters={"handling_amount": {"op": "isnull", "value": True}}).json()
    assert {r[0] for r in rows_of(run(client, empty["id"]))} == {cases["c"].number, cases["e"].number}


def without_view_pii(role: str, name: str):
    """A role like ``role`` but without core.view_pii."""
    from django.contrib.auth.models import Group

    from zhonglou_hrss.core.fixtures_sync import role_group

    group = Group.objects.create(name=name)
    group.permissions.set(role_group(role).permissions.exclude(codename="view_pii"))
    return group


def test_R_KB_16_personal_fields_masked_without_view_pii(people, cases, make_user):
    from zhonglou_hrss.core.models import AuditLog

    group = without_view_pii("grid_worker", "网格员（不看个人信息）")
    worker = make_user("grid_no_pii", grids=["320404002"])
    worker.groups.set([group])
    leader = api_as(people.leader)
    report = save(leader, source="cases", columns=["number", "reporter_phone"],
                  filters={"grid__name": {"op": "eq", "value": grid_names()["320404002"]}},
                  shared_with=[group.name]).json()
    before = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count()
    # Without core.view_pii: masked, nothing recorded.
    phones = {r[1] for r in rows_of(run(api_as(worker), report["id"]))}
    assert phones == {"138****8000"}
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count() == before
    # The leader may see personal data: whole, and the view is one audit row.
    phones = {r[1] for r in rows_of(run(leader, report["id"]))}
    assert phones == {"13800138000"}
    row = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).latest("id")
    assert row.detail["fields"] == ["reporter_phone"] and row.target_type == "platform.SavedReport"


def test_row_cap_warns_and_the_export_has_every_row(people, cases):
    """The page shows at most ROW_CAP rows and says so; the export job writes them all."""
    from zhonglou_hrss.platform.models import SavedReport
    from zhonglou_hrss.platform.selectors.reports import run as run_report

    client = api_as(people.leader)
    report = SavedReport.objects.get(pk=save(client, source="cases", columns=["number"]).json()["id"])
    result = run_report(report, people.leader, cap=3)
    assert len(result.rows) == 3 and result.truncated
    assert "只显示前3行" in result.warnings[0]
    from zhonglou_hrss.platform.exports.reports import exporter

    rows = list(exporter.rows(people.leader, {"report": report.pk}, keys=[], masked=True, now=None))
    assert len(rows) == 5 and [r["serial"] for r in rows] == [1, 2, 3, 4, 5]
