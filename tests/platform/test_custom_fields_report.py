"""Custom fields in saved reports (issue 17): an object's fields (core.custom_fields)
are columns, filters (through the value index), groups and sums as
``custom.<code>``; a personal one is masked without core.view_pii; a report
naming a field that was retired runs without it and says so."""

from __future__ import annotations

import pytest

from tests.platform.conftest import api_as, local, rows_of, run, save
from tests.platform.test_cases_report import without_view_pii
from zhonglou_hrss.core import custom_fields, pii
from zhonglou_hrss.kuaiban.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(people):
    admin = people.admin
    made = {}
    for data in (
        {"code": "area", "label": "片区", "type": "choice",
         "choices": [{"code": "east", "label": "东片"}, {"code": "west", "label": "西片"}]},
        {"code": "amount", "label": "涉及金额", "type": "decimal"},
        {"code": "visit", "label": "回访日期", "type": "date"},
        {"code": "contact", "label": "联系人微信", "type": "text", "personal": True},
    ):
        made[data["code"]] = custom_fields.define(actor=admin, data={"object": "case", **data})
    return made


def with_custom(case, values):
    stored = {k: (pii.encrypt(v) if k == "contact" else v) for k, v in values.items()}
    Case.objects.filter(pk=case.pk).update(custom=stored)
    custom_fields.index("case", case.pk, stored)
    return case


@pytest.fixture
def cases(case_at, fields):
    return [
        with_custom(case_at(local(2026, 1, 5, 9, 0), grid="320404001"),
                    {"area": "east", "amount": "100.50", "visit": "2026-01-31", "contact": "wx_zhang"}),
        with_custom(case_at(local(2026, 1, 6, 9, 0), grid="320404001"),
                    {"area": "east", "amount": "20", "visit": "2026-02-01"}),
        with_custom(case_at(local(2026, 1, 7, 9, 0), grid="320404002"), {"area": "west", "amount": "5.25"}),
        case_at(local(2026, 1, 8, 9, 0), grid="320404002"),
    ]


def test_custom_fields_are_offered_as_custom_code(people, fields):
    from tests.platform.conftest import API

    cases = next(s for s in api_as(people.leader).get(f"{API}sources/").json() if s["key"] == "cases")
    got = {f["key"]: f for f in cases["fields"] if f["custom"]}
    assert got["custom.area"]["label"] == "片区" and got["custom.area"]["groupable"]
    assert got["custom.area"]["choices"] == [{"code": "east", "label": "东片"}, {"code": "west", "label": "西片"}]
    assert got["custom.amount"]["summable"] and got["custom.amount"]["type"] == "number"
    assert got["custom.contact"]["personal"] and not got["custom.contact"]["groupable"]


def test_group_and_sum_by_a_custom_choice(people, cases):
    client = api_as(people.leader)
    created = save(client, source="cases", group_by=["custom.area"],
                   aggregates=[{"op": "count"}, {"op": "sum", "field": "custom.amount"}])
    assert created.status_code == 201, created.content.decode()
    body = run(client, created.json()["id"]).json()
    assert body["columns"][0]["label"] == "片区"
    assert sorted(body["rows"], key=str) == sorted([["", 1, ""], ["东片", 2, 120.5], ["西片", 1, 5.25]], key=str)


def test_group_by_month_of_a_custom_date(people, cases):
    client = api_as(people.leader)
    report = save(client, source="cases", group_by=["custom.visit:month"], aggregates=[{"op": "count"}]).json()
    assert rows_of(run(client, report["id"])) == [["", 2], ["2026-01", 1], ["2026-02", 1]]


def test_filters_on_custom_fields_use_the_index(people, cases):
    client = api_as(people.leader)
    numbers = lambda report: {r[0] for r in rows_of(run(client, report["id"]))}  # noqa: E731
    east = save(client, source="cases", columns=["number", "custom.area"],
                filters={"custom.area": {"op": "eq", "value": "east"}}).json()
    assert numbers(east) == {cases[0].number, cases[1].number}
    assert {r[1] for r in rows_of(run(client, east["id"]))} == {"东片"}
    big = save(client, source="cases", columns=["number"],
               filters={"custom.amount": {"op": "range", "value": [10, None]}}).json()
    assert numbers(big) == {cases[0].number, cases[1].number}
    none = save(client, source="cases", columns=["number"], filters={"custom.area": {"op": "isnull", "value": True}}).json()
    assert numbers(none) == {cases[3].number}
    bad = save(client, source="cases", columns=["number"], filters={"custom.area": {"op": "eq", "value": "north"}})
    assert bad.status_code == 400 and "filters.custom.area" in bad.json()["errors"]
    personal = save(client, source="cases", columns=["number"], filters={"custom.contact": {"op": "eq", "value": "x"}})
    assert personal.status_code == 400 and "个人信息" in personal.json()["errors"]["filters.custom.contact"][0]


def test_personal_custom_field_masked_without_view_pii(people, cases, make_user):
    from zhonglou_hrss.core.models import AuditLog

    group = without_view_pii("grid_worker", "网格员（不看个人信息）")
    worker = make_user("grid_no_pii", grids=["320404001"])
    worker.groups.set([group])
    leader = api_as(people.leader)
    report = save(leader, source="cases", columns=["number", "custom.contact"], shared_with=[group.name],
                  filters={"custom.area": {"op": "eq", "value": "east"}}).json()
    masked = {r[0]: r[1] for r in rows_of(run(api_as(worker), report["id"]))}
    assert masked[cases[0].number] == "w*******" and masked[cases[1].number] == ""
    whole = {r[0]: r[1] for r in rows_of(run(leader, report["id"]))}
    assert whole[cases[0].number] == "wx_zhang"
    row = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).latest("id")
    assert row.detail["fields"] == ["custom.contact"]


def test_retired_custom_field_warns_and_the_rest_runs(people, cases, fields):
    client = api_as(people.leader)
    report = save(client, source="cases", group_by=["grid__name", "custom.area"], aggregates=[{"op": "count"}],
                  filters={"custom.amount": {"op": "range", "value": [10, None]}}).json()
    custom_fields.retire(actor=people.admin, field_id=fields["area"].pk)
    body = run(client, report["id"]).json()
    assert [c["key"] for c in body["columns"]] == ["grid__name", "count"]
    assert rows_of(run(client, report["id"])) == [[body["rows"][0][0], 2]]
    assert any("custom.area" in w and "已不存在" in w for w in body["warnings"])
