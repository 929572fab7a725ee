"""Kuaiban REST API (issue #3 "REST API" contract): sign-in, lookups, the case
list (visibility R-KB-16, filters, overdue R-KB-05, masking), the case detail
(timeline R-KB-20, allowed actions, full personal data + audit), internal
registration (R-KB-02) and the OpenAPI schema. Actions: test_api_actions.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND, PASSWORD
from tests.kuaiban.conftest import id_number_for
from tests.tokens import authorize
from zhonglou_hrss.core.models import AuditLog, Grid
from zhonglou_hrss.kuaiban.models import Case, CaseCompanion, CaseEvent, CaseSource
from zhonglou_hrss.kuaiban.workflow import ACTIONS

pytestmark = pytest.mark.django_db

CASES = "/api/v1/kuaiban/cases/"


def api(user=None) -> APIClient:
    """A client signed in with a real token (``Authorization: Token …``)."""
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content.decode()
    return {item["number"] for item in response.json()["results"]}


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- sign-in -----------------------------------------------------------------------------
def test_token_for_right_password_then_token_auth_works(people):
    """Contract: POST auth/token/ → {"token"}; then Authorization: Token <token>."""
    response = APIClient().post("/api/v1/auth/token/", {"username": "k_clerk", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(CASES).status_code == 200


def test_token_wrong_password_is_400_in_chinese(people):
    """Contract: a wrong password is a 400 naming the field, in Chinese; no token."""
    response = APIClient().post("/api/v1/auth/token/", {"username": "k_clerk", "password": "nope"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "用户名或密码不正确" in body["errors"]["password"][0]
    assert "用户名或密码不正确" in body["detail"]
    assert not AuthToken.objects.filter(user=people.clerk).exists()


def test_token_missing_fields_named(db):
    """Contract: 400 names each missing field in Chinese."""
    body = APIClient().post("/api/v1/auth/token/", {}, format="json").json()
    assert body["errors"] == {"username": ["请填写用户名"], "password": ["请填写密码"]}


def test_no_or_bad_credentials_are_401_in_chinese(people):
    """Contract: no or a bad token → 401 with a Chinese message (R-KB-16: fail closed)."""
    response = APIClient().get(CASES)
    assert response.status_code == 401 and is_chinese(response.json()["detail"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(CASES)
    assert response.status_code == 401 and is_chinese(response.json()["detail"])


def test_session_login_works_too(people):
    """Contract: session login works too."""
    client = APIClient()
    client.force_login(people.leader, backend=MODEL_BACKEND)
    assert client.get(CASES).status_code == 200


# --- lookups (R-SYS-05) ------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["grids", "case_reasons"])
def test_public_lookups_need_no_login(db, kind):
    """R-SYS-05 / R-KB-01: the lists the public page uses need no sign-in."""
    response = APIClient().get(f"/api/v1/lookups/{kind}/")
    assert response.status_code == 200
    entries = response.json()
    assert entries and set(entries[0]) == {"code", "label"}


@pytest.mark.parametrize("kind", ["resolution_ways", "channels"])
def test_staff_lookups_need_login(people, kind):
    """R-SYS-05: the other lists need a signed-in user."""
    assert APIClient().get(f"/api/v1/lookups/{kind}/").status_code == 401
    entries = api(people.grid1).get(f"/api/v1/lookups/{kind}/").json()
    assert {"code", "label"} == set(entries[0])
    assert "mediation" in {e["code"] for e in entries} or "walk_in" in {e["code"] for e in entries}


def test_lookups_list_only_active_entries(db):
    """R-SYS-02: an inactive grid is not offered."""
    Grid.objects.filter(code="320404002").update(active=False)
    codes = {e["code"] for e in APIClient().get("/api/v1/lookups/grids/").json()}
    assert "320404001" in codes and "320404002" not in codes


def test_unknown_lookup_is_json_404(people):
    """Contract: errors are JSON with a Chinese detail."""
    response = api(people.clerk).get("/api/v1/lookups/nothing/")
    assert response.status_code == 404 and is_chinese(response.json()["detail"])


# --- list: visibility (R-KB-16) ----------------------------------------------------------
@pytest.fixture
def spread(case_in, new_case):
    """Cases in and out of each role's sight, by name."""
    return {
        "g1_pending": case_in("grid_pending"),
        "g1_handling": case_in("grid_handling"),
        "g1_resolved": case_in("grid_resolved"),
        "g1_failed": case_in("district_triage"),  # R-KB-06: the grid still sees it
        "g1_returned": case_in("awaiting_assignment"),  # R-KB-07: returned, hidden from grid 1
        "i1_claim": case_in("awaiting_claim"),
        "i1_inspecting": case_in("inspecting"),
        "g2_pending": new_case(grid="320404002"),
        "district": new_case(grid="320404"),
    }


def test_list_visibility_per_role(people, spread):
    """R-KB-16: leader and clerk all; inspector assigned only; grid worker their grid minus returned."""
    every = {c.number for c in spread.values()}
    assert numbers(api(people.leader).get(CASES)) == every
    assert numbers(api(people.clerk).get(CASES)) == every
    assert numbers(api(people.grid1).get(CASES)) == {
        spread[k].number for k in ("g1_pending", "g1_handling", "g1_resolved", "g1_failed")}
    assert numbers(api(people.grid2).get(CASES)) == {spread["g2_pending"].number}
    assert numbers(api(people.inspector1).get(CASES)) == {spread["i1_claim"].number, spread["i1_inspecting"].number}
    assert numbers(api(people.inspector2).get(CASES)) == set()


def test_list_without_kuaiban_permissions_is_empty(role_user, spread):
    """R-KB-16: no kuaiban permission, no case (fail closed)."""
    assert numbers(api(role_user("portal_staff")).get(CASES)) == set()


def test_list_items_shape_and_masking(people, new_case):
    """House rule 10: lists always mask personal data, even for holders of core.view_pii."""
    case = new_case(reporter_id_number="11010519491231002X", reporter_phone="13912345678")
    assert people.leader.has_perm("core.view_pii")
    response = api(people.leader).get(CASES)
    body = response.json()
    assert body["count"] == 1 and body["next"] is None
    item = body["results"][0]
    assert item["id"] == case.pk and item["number"] == case.number
    assert item["status"] == "grid_pending" and item["status_label"] == "待网格接收"
    assert item["grid"] == {"code": "320404001", "name": "五星街道"}
    assert item["reason"] == {"code": "wage_arrears", "label": "拖欠工资"}
    assert item["reporter_id_number"] == "110105********002X"
    assert item["reporter_phone"] == "139****5678"
    assert "11010519491231002X" not in response.content.decode()
    assert "13912345678" not in response.content.decode()
    assert item["is_overdue"] is False and item["grid_accepted_at"] is None
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).exists()


def test_list_is_newest_first_and_paginated(people, new_case, monkeypatch):
    """Contract: newest first, 20 a page."""
    start = timezone.now() - timedelta(days=30)
    made = []
    for i in range(23):
        monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda i=i: start + timedelta(hours=i))
        made.append(new_case())
    monkeypatch.undo()
    client = api(people.clerk)
    first = client.get(CASES).json()
    assert first["count"] == 23 and len(first["results"]) == 20
    assert [r["number"] for r in first["results"]] == [c.number for c in reversed(made)][:20]
    second = client.get(CASES, {"page": 2}).json()
    assert [r["number"] for r in second["results"]] == [c.number for c in reversed(made)][20:]
    assert len(client.get(CASES, {"page_size": 5}).json()["results"]) == 5
    response = client.get(CASES, {"page": 9})
    assert response.status_code == 404 and is_chinese(response.json()["detail"])


def test_list_query_count_is_constant(people, new_case, django_assert_max_num_queries):
    """No N+1: a page of 5 and a (full) page of 20 out of 25 cost the same queries."""
    for _ in range(5):
        new_case()
    client = api(people.grid1)
    client.get(CASES)  # warm caches (content types, permissions)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(CASES).status_code == 200
        return len(ctx.captured_queries)

    def count():
        # The fewer of two: on a Redis site the other test process may empty the
        # shared cache between requests (a test's cache.clear()), and the
        # cached count is then read once more — not an N+1.
        return min(measure(), measure())

    few = count()
    for _ in range(20):
        new_case()
    assert len(client.get(CASES).json()["results"]) == 20
    many = count()
    assert few == many
    with django_assert_max_num_queries(8):
        client.get(CASES, {"overdue": "true", "q": "张三", "status": "grid_pending"})


# --- list: filters -----------------------------------------------------------------------
def test_filter_status_one_or_several(people, spread):
    """Issue #3 list filters: status (one or several, unknown → 400)."""
    client = api(people.clerk)
    assert numbers(client.get(CASES, {"status": "grid_pending"})) == {
        spread["g1_pending"].number, spread["g2_pending"].number}
    assert numbers(client.get(CASES, {"status": "inspecting,awaiting_claim"})) == {
        spread["i1_claim"].number, spread["i1_inspecting"].number}
    response = client.get(CASES, {"status": "bogus"})
    assert response.status_code == 400 and "状态不存在" in response.json()["errors"]["status"][0]


def test_filter_grid_and_reason(people, new_case):
    """Issue #3 list filters: grid code and reason code."""
    a = new_case(grid="320404002", reason="social_insurance")
    b = new_case(grid="320404002")
    c = new_case(reason="social_insurance")
    client = api(people.leader)
    assert numbers(client.get(CASES, {"grid": "320404002"})) == {a.number, b.number}
    assert numbers(client.get(CASES, {"reason": "social_insurance"})) == {a.number, c.number}
    assert numbers(client.get(CASES, {"grid": "320404002", "reason": "social_insurance"})) == {a.number}
    assert numbers(client.get(CASES, {"grid": "", "q": ""})) == {a.number, b.number, c.number}


def test_filter_created_dates_and_datetimes(people, new_case, monkeypatch):
    """Issue #3 list filters: created_after / created_before as dates or ISO times."""
    local = timezone.get_current_timezone()
    times = {day: timezone.make_aware(timezone.datetime(2026, 3, day, 10, 0), local) for day in (1, 2, 3)}
    made = {}
    for day, at in times.items():
        monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda at=at: at)
        made[day] = new_case().number
    monkeypatch.undo()
    client = api(people.clerk)
    assert numbers(client.get(CASES, {"created_after": "2026-03-02"})) == {made[2], made[3]}
    assert numbers(client.get(CASES, {"created_before": "2026-03-02"})) == {made[1], made[2]}  # the day included
    assert numbers(client.get(CASES, {"created_after": "2026-03-02", "created_before": "2026-03-02"})) == {made[2]}
    assert numbers(client.get(CASES, {"created_after": "2026-03-02T10:30:00+08:00"})) == {made[3]}
    assert numbers(client.get(CASES, {"created_before": "2026-03-02T10:00:00"})) == {made[1]}  # local, exclusive
    response = client.get(CASES, {"created_after": "yesterday", "overdue": "maybe"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"created_after", "overdue"}
    assert all(is_chinese(m[0]) for m in response.json()["errors"].values())


def test_filter_keyword(people, new_case):
    """Issue #3 list filters: q — number, names, respondent; a whole ID number or phone by its hash."""
    a = new_case(reporter_name="李四", reporter_id_number="11010519491231002X", reporter_phone="13912345678")
    b = new_case(respondent_name="常州钟楼某某餐饮有限公司")
    client = api(people.clerk)
    assert numbers(client.get(CASES, {"q": "李四"})) == {a.number}
    assert numbers(client.get(CASES, {"q": "11010519491231002x"})) == {a.number}  # whole ID number, by hash
    assert numbers(client.get(CASES, {"q": "13912345678"})) == {a.number}
    assert numbers(client.get(CASES, {"q": "餐饮"})) == {b.number}
    assert numbers(client.get(CASES, {"q": b.number})) == {b.number}


def test_filter_overdue_across_the_boundary(people, case_in, monkeypatch):
    """R-KB-05: N natural days after grid acceptance without an outcome → overdue (badge and filter)."""
    accepted_at = timezone.now() - timedelta(days=40)
    monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda: accepted_at)
    late = case_in("grid_handling")
    pending = case_in("grid_pending")  # never accepted: not overdue
    resolved = case_in("grid_resolved")  # done: never overdue
    days = settings.KUAIBAN_OVERDUE_DAYS
    client = api(people.grid1)

    just_before = accepted_at + timedelta(days=days) - timedelta(seconds=1)
    monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda: just_before)
    assert numbers(client.get(CASES, {"overdue": "true"})) == set()
    assert numbers(client.get(CASES, {"overdue": "false"})) == {late.number, pending.number, resolved.number}
    assert not any(i["is_overdue"] for i in client.get(CASES).json()["results"])

    monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda: accepted_at + timedelta(days=days))
    assert numbers(client.get(CASES, {"overdue": "true"})) == {late.number}
    assert numbers(client.get(CASES, {"overdue": "false"})) == {pending.number, resolved.number}
    flags = {i["number"]: i["is_overdue"] for i in client.get(CASES).json()["results"]}
    assert flags == {late.number: True, pending.number: False, resolved.number: False}
    assert client.get(f"{CASES}{late.pk}/").json()["is_overdue"] is True


# --- detail ------------------------------------------------------------------------------
def pii_reader(make_user):
    """Sees every case but may not see personal data in full."""
    user = make_user("k_reader", name="只读")
    user.user_permissions.add(Permission.objects.get(content_type__app_label="kuaiban", codename="view_all_cases"))
    return user


COMPANIONS = [{"name": "王五", "id_number": "440524196001010014", "phone": "13700001111"}]


def test_detail_in_full_for_view_pii_and_audited_once(people, new_case):
    """House rule 10: a full view is written to the audit log."""
    case = new_case(reporter_id_number="11010519491231002X", reporter_phone="13912345678", companions=COMPANIONS)
    response = api(people.clerk).get(f"{CASES}{case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reporter_id_number"] == "11010519491231002X" and body["reporter_phone"] == "13912345678"
    assert body["companions"] == COMPANIONS
    rows = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW)
    assert rows.count() == 1
    row = rows.get()
    assert row.actor == people.clerk and row.target_id == str(case.pk) and row.target_type == "kuaiban.Case"
    assert set(row.detail["fields"]) == {"reporter_id_number", "reporter_phone", "companions.id_number",
                                         "companions.phone"}


def test_detail_masked_without_view_pii_and_not_audited(make_user, people, new_case):
    """House rule 10: without core.view_pii the detail is masked too."""
    case = new_case(reporter_id_number="11010519491231002X", reporter_phone="13912345678", companions=COMPANIONS)
    response = api(pii_reader(make_user)).get(f"{CASES}{case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reporter_id_number"] == "110105********002X" and body["reporter_phone"] == "139****5678"
    assert body["companions"] == [{"name": "王五", "id_number": "440524********0014", "phone": "137****1111"}]
    text = response.content.decode()
    assert "11010519491231002X" not in text and "440524196001010014" not in text and "13700001111" not in text
    assert body["allowed_actions"] == []
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).exists()


def test_detail_fields_timeline_and_allowed_actions(people, case_in):
    """R-KB-20: the timeline shows every event (who, when, values), newest first."""
    case = case_in("district_triage")
    body = api(people.clerk).get(f"{CASES}{case.pk}/").json()
    assert body["number"] == case.number and body["status"] == "district_triage"
    assert body["source"] == CaseSource.INTERNAL and body["channel"] == {"code": "walk_in", "label": "来访"}
    assert body["registered_by"] == "王内勤"
    for key in ("respondent_uscc", "attributed_grid", "filed_at", "investigated_at", "handled_at", "handling_amount",
                "handling_notes", "penalty_decided_at", "executed_at", "enforcement_applied_at", "closed_at",
                "demand", "inspector", "is_overdue"):
        assert key in body
    actions = [e["action"] for e in body["timeline"]]
    assert actions == ["grid_fail", "grid_accept", "register"]
    fail = body["timeline"][0]
    assert fail["action_label"] == "调解失败" and fail["actor_name"] == "五星网格员"
    assert fail["from_status"] == "grid_handling" and fail["to_status"] == "district_triage"
    assert fail["to_status_label"] == "区平台研判" and fail["payload"]["notes"] == "企业拒绝调解"
    assert [a["name"] for a in body["allowed_actions"]] == ["triage_invalid", "triage_regrid", "triage_escalate"]
    assert body["allowed_actions"][0]["label"] == "无效事件，正常结束"
    # the grid worker still sees it (R-KB-06) but may do nothing now
    grid_view = api(people.grid1).get(f"{CASES}{case.pk}/").json()
    assert grid_view["allowed_actions"] == []


def test_detail_of_an_assigned_case_names_the_inspector(people, case_in):
    """R-KB-09 / R-KB-10: assignment shown; only the assignee may claim, the leader may reassign."""
    case = case_in("awaiting_claim")
    body = api(people.inspector1).get(f"{CASES}{case.pk}/").json()
    assert body["inspector"] == {"username": "k_inspector1", "name": "张监察"}
    assert {a["name"] for a in body["allowed_actions"]} == {"claim", "return_to_leader"}
    assert {a["name"] for a in api(people.leader).get(f"{CASES}{case.pk}/").json()["allowed_actions"]} == {"assign"}


def test_detail_404_for_invisible_or_missing(people, case_in):
    """House rule 3: a hidden case answers exactly like a missing one."""
    returned = case_in("awaiting_assignment")  # grid 1 returned it (R-KB-07)
    other = case_in("grid_pending", grid="320404002")
    for user, case_id in ((people.grid1, returned.pk), (people.grid1, other.pk), (people.inspector1, other.pk),
                          (people.clerk, 999999)):
        response = api(user).get(f"{CASES}{case_id}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "记录不存在或您无权查看"}
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).exists()


# --- registration (R-KB-02) ---------------------------------------------------------------
def body(**overrides) -> dict:
    data = {
        "reporter_name": "张三", "reporter_id_number": id_number_for(901), "reporter_phone": "13800138000",
        "companions": [{"name": "王五", "id_number": "440524196001010014", "phone": "13700001111"}],
        "respondent_name": "常州测试机械有限公司", "respondent_uscc": "", "reason": "wage_arrears",
        "grid": "320404001", "demand": "要求支付拖欠的三个月工资", "channel": "phone",
    }
    data.update(overrides)
    return data


def counts():
    return Case.objects.count(), CaseCompanion.objects.count(), CaseEvent.objects.count()


def test_register_creates_case_201_with_detail(people):
    """R-KB-02: internal registration → 201 with the detail; the full view is audited."""
    response = api(people.clerk).post(CASES, body(), format="json")
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    case = Case.objects.get(pk=data["id"])
    assert case.source == CaseSource.INTERNAL and case.registered_by == people.clerk
    assert data["status"] == "grid_pending" and data["channel"]["code"] == "phone"
    assert data["number"].startswith("KB") and data["companions"][0]["name"] == "王五"
    assert case.companions.get().id_number == "440524196001010014"
    assert [e["action"] for e in data["timeline"]] == ["register"]
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW, target_id=str(case.pk)).count() == 1


def test_register_district_grid_goes_to_the_leader(people):
    """R-KB-02: a 区本级 case goes straight to leader assignment."""
    response = api(people.clerk).post(CASES, body(grid="320404", companions=[]), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "awaiting_assignment"


def test_register_duplicate_returns_the_first_case_200(people):
    """R-KB-01/02: the same complaint twice within minutes → the first case, 200."""
    client = api(people.clerk)
    first = client.post(CASES, body(), format="json")
    before = counts()
    again = client.post(CASES, body(), format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert counts() == before


def test_register_needs_the_permission(people):
    """R-SYS-01: registering needs kuaiban.register_case; nothing saved."""
    before = counts()
    response = api(people.leader).post(CASES, body(), format="json")
    assert response.status_code == 403 and response.json()["detail"] == "您没有登记事件的权限"
    assert counts() == before


def test_register_empty_body_names_every_required_field(people):
    """R-KB-02, house rule 9: every missing field named, nothing saved."""
    before = counts()
    response = api(people.clerk).post(CASES, {}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"reporter_name", "reporter_id_number", "reporter_phone", "respondent_name", "reason",
                           "grid", "demand", "channel"}
    assert errors["reporter_name"] == ["请填写上报人姓名"]
    assert all(is_chinese(m) for ms in errors.values() for m in ms)
    assert counts() == before


def test_register_bad_values_each_named_nothing_saved(people):
    """R-KB-02, house rule 9: wrong ID/phone, inactive grid, companion errors by index."""
    Grid.objects.filter(code="320404002").update(active=False)
    before = counts()
    response = api(people.clerk).post(CASES, body(
        reporter_id_number="320404198001010000", grid="320404002", reporter_phone="12345",
        companions=[{"name": "王五", "id_number": "123", "phone": ""}, {"name": "", "id_number": "440524196001010014"}],
    ), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"reporter_id_number", "reporter_phone", "grid", "companions[0].id_number",
                           "companions[1].name"}
    assert errors["grid"] == ["网格不存在或已停用"]
    assert counts() == before


def test_register_wrong_types_still_name_every_field(people):
    """House rule 9: wrong JSON types are named along with every other bad field."""
    before = counts()
    response = api(people.clerk).post(CASES, body(companions="王五", reporter_name=["张三"], demand=""), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"companions", "reporter_name", "demand"}
    assert all(is_chinese(m) for ms in errors.values() for m in ms)
    assert counts() == before
    response = api(people.clerk).post(CASES, [1, 2], format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]


def test_register_uscc_with_bad_checksum_needs_confirmation(people):
    """R-KB-02 / R-KB-12: a USCC with a bad check digit only when confirmed."""
    client = api(people.clerk)
    response = client.post(CASES, body(respondent_uscc="91350100M000100Y44"), format="json")
    assert response.status_code == 400 and "respondent_uscc" in response.json()["errors"]
    response = client.post(CASES, body(respondent_uscc="91350100M000100Y44", respondent_uscc_confirmed=True),
                           format="json")
    assert response.status_code == 201 and response.json()["respondent_uscc"] == "91350100M000100Y44"


# --- OpenAPI ---------------------------------------------------------------------------------
def test_openapi_schema_is_valid_and_lists_every_endpoint(people):
    """Issue #3: the OpenAPI schema validates and documents every endpoint and action."""
    from openapi_spec_validator import validate

    response = api(people.clerk).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    paths = schema["paths"]
    for name in ACTIONS:
        operation = paths[f"/api/v1/kuaiban/cases/{{id}}/{name}/"]["post"]
        assert operation["summary"] == ACTIONS[name].label
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    assert {"get", "post"} <= set(paths["/api/v1/kuaiban/cases/"])
    assert "get" in paths["/api/v1/kuaiban/cases/{id}/"]
    assert "/api/v1/auth/token/" in paths and "/api/v1/lookups/{kind}/" in paths
    assert not any("{action}" in p for p in paths)
    filters = {p["name"] for p in paths["/api/v1/kuaiban/cases/"]["get"]["parameters"]}
    assert {"status", "grid", "overdue", "reason", "created_after", "created_before", "q", "page"} <= filters
    registration = schema["components"]["schemas"]["CaseRegistration"]
    assert {"reporter_name", "reporter_id_number", "reporter_phone", "companions", "respondent_name",
            "respondent_uscc", "reason", "grid", "demand", "channel"} <= set(registration["properties"])


def test_api_docs_page_renders(people):
    """Issue #3: browsable docs at /api/docs/."""
    client = APIClient()
    client.force_login(people.clerk, backend=MODEL_BACKEND)
    assert client.get("/api/docs/").status_code == 200


def test_action_request_serializers_match_the_action_forms():
    """The documented bodies are exactly what the service's forms read."""
    from zhonglou_hrss.kuaiban.services.action_inputs import ACTION_FORMS
    from zhonglou_hrss.kuaiban.api.serializers.cases import ACTION_SERIALIZERS

    assert set(ACTION_SERIALIZERS) == set(ACTIONS) == set(ACTION_FORMS)
    for name in ACTIONS:
        assert set(ACTION_SERIALIZERS[name]().fields) == set(ACTION_FORMS[name].base_fields), name



def test_status_labels_are_what_django_displays(people, new_case):
    """``core.api_fields.ChoiceLabelField`` (issue 19: DRF no longer inspects
    ``get_status_display`` on every row): the list's and the detail's labels are
    Django's own, for every status the list holds."""
    case = new_case(grid="320404001")
    rows = api(people.leader).get("/api/v1/kuaiban/cases/").json()["results"]
    assert rows and all(r["status_label"] == Case(status=r["status"]).get_status_display() for r in rows)
    detail = api(people.leader).get(f"/api/v1/kuaiban/cases/{case.pk}/").json()
    assert (detail["status_label"], detail["source_label"]) == (case.get_status_display(), case.get_source_display())
