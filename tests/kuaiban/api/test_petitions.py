"""R-KB-15 petitions (信访) REST API at /api/v1/kuaiban/petitions/: the list
(visibility per role, every filter, always masked), the detail (companions,
history newest first, completion; full personal data only with core.view_pii
and then one audit row), create / PUT / PATCH through the one service, and the
case API's error contract (400 naming each field, 403, 404; nothing saved)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.kuaiban.conftest import id_number_for
from tests.tokens import authorize
from zhonglou_hrss.core.models import AuditLog, Enterprise, Grid
from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion, PetitionEvent
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

pytestmark = pytest.mark.django_db

URL = "/api/v1/kuaiban/petitions/"
SH = ZoneInfo("Asia/Shanghai")
ID_MAIN = "11010519491231002X"
ID_COMPANION = "440524196001010014"
REQUIRED = {"name", "id_number", "phone", "respondent_name", "reason", "grid", "demand"}


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


def body(**overrides) -> dict:
    data = {
        "name": "赵六", "id_number": ID_MAIN, "phone": "13800138000",
        "companions": [{"name": "钱七", "id_number": ID_COMPANION, "phone": "13700001111"}],
        "respondent_name": "常州某机械有限公司", "respondent_uscc": "", "reason": "wage_arrears",
        "grid": "320404001", "demand": "要求支付拖欠的工资", "result": "", "handled_at": None,
    }
    data.update(overrides)
    return data


def enter(actor, **overrides) -> Petition:
    """A petition entered through the service (as the desk does)."""
    data = dict(name="赵六", id_number=ID_MAIN, phone="13800138000", respondent_name="常州某机械有限公司",
                reason="wage_arrears", grid="320404001", demand="要求支付工资")
    data.update(overrides)
    if data.get("companions") and isinstance(data["companions"][0], dict):
        data["companions"] = [CompanionInput(**c) for c in data["companions"]]
    return save_petition(actor=actor, data=PetitionInput(**data))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content.decode()
    return [item["id"] for item in response.json()["results"]]


def counts():
    return Petition.objects.count(), PetitionCompanion.objects.count(), PetitionEvent.objects.count()


def pii_views() -> int:
    return AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count()


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def no_pii_reader(make_user):
    """Sees petitions (kuaiban.view_petition) but lacks core.view_pii."""
    group, _ = Group.objects.get_or_create(name="测试：只看信访")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in=["core", "kuaiban"], codename__in=["access_desk", "view_petition"]))
    user = make_user("k_petition_reader", name="信访查看员")
    user.groups.add(group)
    return user


# --- list: visibility per role, masking -----------------------------------------------------
def test_r_kb_15_list_per_role(people):
    """R-KB-15: clerks and leaders see every petition; grid workers and inspectors none."""
    a = enter(people.clerk, grid="320404001")
    b = enter(people.clerk, grid="320404")  # 区本级
    for user in (people.clerk, people.leader):
        assert sorted(ids(api(user).get(URL))) == sorted([a.pk, b.pk])
    for user in (people.grid1, people.grid2, people.inspector1, people.admin):
        response = api(user).get(URL)
        assert response.status_code == 200 and response.json()["count"] == 0, user
    assert api().get(URL).status_code == 401


def test_r_kb_15_list_is_newest_first_paginated_and_always_masked(people):
    """R-KB-15: personal data masked in lists even for core.view_pii holders; no audit row."""
    first = enter(people.clerk)
    second = enter(people.clerk, phone="13912345678")
    response = api(people.clerk).get(URL, {"page_size": 1})
    data = response.json()
    assert data["count"] == 2 and data["next"] and [r["id"] for r in data["results"]] == [second.pk]
    item = data["results"][0]
    assert item["number"] == second.number
    assert item["id_number"] == "110105********002X" and item["phone"] == "139****5678"
    assert item["grid"] == {"code": "320404001", "name": Grid.objects.get(code="320404001").name}
    assert item["reason"]["code"] == "wage_arrears" and item["is_completed"] is False
    assert ids(api(people.clerk).get(URL, {"page": 2, "page_size": 1})) == [first.pk]
    assert ID_MAIN not in response.content.decode()
    assert pii_views() == 0


def test_r_kb_15_list_query_count_does_not_grow_with_rows(people):
    """R-KB-15: the list reads with a fixed number of queries."""
    enter(people.clerk)
    client = api(people.leader)
    client.get(URL)  # warm the permission cache

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(5):
        enter(people.clerk, id_number=id_number_for(300 + n), grid="320404002")
    assert queries() == few


# --- list: every filter ---------------------------------------------------------------------
def test_r_kb_15_filters_grid_reason_completed_respondent_keyword(people):
    """R-KB-15: the list filters on every field and keyword."""
    a = enter(people.clerk, grid="320404001", respondent_name="甲机械公司",
              companions=[{"name": "钱七", "id_number": ID_COMPANION}])
    b = enter(people.clerk, grid="320404002", reason="social_insurance", name="孙八", phone="13700001111",
              id_number=id_number_for(501), respondent_name="乙公司", demand="补缴社保",
              result="已协调补缴", handled_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=SH))
    c = enter(people.clerk, grid="320404", respondent_name="丙公司", respondent_uscc="91350100M000100Y43")
    client = api(people.clerk)

    def got(**params):
        return sorted(ids(client.get(URL, params)))

    assert got() == sorted([a.pk, b.pk, c.pk])
    assert got(grid="320404001") == [a.pk]
    assert got(grid="320404") == [c.pk]
    assert got(reason="social_insurance") == [b.pk]
    assert got(completed="true") == [b.pk]
    assert got(completed="false") == sorted([a.pk, c.pk])
    assert got(respondent="机械") == [a.pk]
    assert got(q="孙八") == [b.pk]                        # name
    assert got(q="钱七") == [a.pk]                        # a companion's whole name
    assert got(q="社保") == [b.pk]                        # demand
    assert got(q="协调") == [b.pk]                        # result
    assert got(q=id_number_for(501)) == [b.pk]            # a whole ID number, by its hash
    assert got(q="137 0000 1111") == [b.pk]               # a whole phone, by its hash
    assert got(q="91350100M000100Y43") == [c.pk]          # a whole USCC
    assert got(q="1370000") == []                         # part of a phone finds nothing
    assert got(grid="320404002", completed="false") == []


def test_r_kb_15_filters_created_and_handled_time_at_local_midnight(people, fake_clock):
    """R-KB-15: date filters are whole local (Asia/Shanghai) days; ISO times are exact."""
    fake_clock.set(dt.datetime(2026, 5, 31, 23, 30, tzinfo=SH))
    late_may = enter(people.clerk, result="已处理", handled_at=dt.datetime(2026, 5, 31, 23, 20, tzinfo=SH))
    fake_clock.set(dt.datetime(2026, 6, 1, 0, 30, tzinfo=SH))
    june = enter(people.clerk, id_number=id_number_for(502), result="已处理",
                 handled_at=dt.datetime(2026, 6, 1, 0, 0, tzinfo=SH))
    open_one = enter(people.clerk, id_number=id_number_for(503))
    client = api(people.clerk)

    def got(**params):
        return sorted(ids(client.get(URL, params)))

    assert got(created_before="2026-05-31") == [late_may.pk]      # a bare date includes that day
    assert got(created_after="2026-06-01") == sorted([june.pk, open_one.pk])
    assert got(created_after="2026-05-31", created_before="2026-05-31") == [late_may.pk]
    assert got(created_after="2026-05-31T23:45:00+08:00") == sorted([june.pk, open_one.pk])
    assert got(handled_after="2026-06-01") == [june.pk]
    assert got(handled_before="2026-05-31") == [late_may.pk]
    assert got(handled_before="2026-06-01T00:00:00+08:00") == [late_may.pk]  # "earlier than": exclusive
    assert got(handled_after="2026-06-01T00:00:00+08:00") == [june.pk]      # "not earlier than": inclusive


def test_r_kb_15_bad_filters_are_400_naming_each(people):
    """Contract: a bad filter value is a 400 naming the field in Chinese."""
    response = api(people.clerk).get(URL, {"completed": "也许", "created_after": "昨天", "handled_before": "x"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"completed", "created_after", "handled_before"}
    assert all(is_chinese(m) for ms in errors.values() for m in ms)


# --- detail -------------------------------------------------------------------------------------
def test_r_kb_15_detail_full_for_view_pii_with_one_audit_row(people):
    """R-KB-15: detail with companions, history and completion; full data audited once."""
    petition = enter(people.clerk, companions=[{"name": "钱七", "id_number": ID_COMPANION, "phone": "13700001111"}])
    response = api(people.leader).get(f"{URL}{petition.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["id_number"] == ID_MAIN and data["phone"] == "13800138000"
    assert data["companions"] == [{"name": "钱七", "id_number": ID_COMPANION, "phone": "13700001111"}]
    assert data["is_completed"] is False and data["registered_by"] == "王内勤"
    assert [h["action"] for h in data["history"]] == ["create"]
    assert data["history"][0]["actor_name"] == "王内勤" and data["history"][0]["action_label"] == "录入"
    logs = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW)
    assert logs.count() == 1
    log = logs.get()
    assert log.actor == people.leader and log.target_id == str(petition.pk)
    assert set(log.detail["fields"]) == {"id_number", "phone", "companions.id_number", "companions.phone"}


def test_r_kb_15_detail_masked_without_view_pii_and_not_audited(people, no_pii_reader):
    """R-KB-15: without core.view_pii the detail is masked and writes no audit row."""
    petition = enter(people.clerk, companions=[{"name": "钱七", "id_number": ID_COMPANION, "phone": "13700001111"}])
    data = api(no_pii_reader).get(f"{URL}{petition.pk}/").json()
    assert data["id_number"] == "110105********002X" and data["phone"] == "138****8000"
    assert data["companions"][0]["id_number"] == "440524********0014"
    assert data["companions"][0]["phone"] == "137****1111"
    assert pii_views() == 0


def test_r_kb_15_detail_history_newest_first_and_completion(people, fake_clock):
    """R-KB-15: history newest first; a result with a time makes it completed."""
    petition = enter(people.clerk)
    fake_clock.advance(dt.timedelta(hours=1))
    client = api(people.clerk)
    response = client.patch(f"{URL}{petition.pk}/", {"result": "已协调支付", "handled_at": "2026-06-01T10:30:00+08:00"},
                            format="json")
    assert response.status_code == 200, response.content.decode()
    data = response.json()
    assert data["is_completed"] is True and data["result"] == "已协调支付"
    assert [h["action"] for h in data["history"]] == ["update", "create"]
    assert set(data["history"][0]["changes"]) == {"处置结果", "处置时间"}


def test_r_kb_15_detail_404_when_not_visible(people):
    """R-KB-15/R-KB-16: grid workers and inspectors get 404 (as for a missing record); no audit row."""
    petition = enter(people.clerk)
    for user, pk in ((people.grid1, petition.pk), (people.inspector1, petition.pk), (people.admin, petition.pk),
                     (people.clerk, petition.pk + 999)):
        response = api(user).get(f"{URL}{pk}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "记录不存在或您无权查看"}
    assert pii_views() == 0


# --- create ----------------------------------------------------------------------------------------
def test_r_kb_15_clerk_creates_201(people):
    """R-KB-15: a clerk enters a petition (区本级 allowed) with companions → 201 and the detail."""
    response = api(people.clerk).post(URL, body(grid="320404"), format="json")
    assert response.status_code == 201, response.content.decode()
    data = response.json()
    petition = Petition.objects.get(pk=data["id"])
    assert petition.grid.code == "320404" and petition.registered_by == people.clerk
    assert petition.companions.get().id_number == ID_COMPANION
    assert data["number"] == petition.number and data["history"][0]["action"] == "create"
    assert PetitionEvent.objects.filter(petition=petition).count() == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW, target_id=str(petition.pk)).count() == 1


def test_r_kb_15_create_completed_with_result_and_time(people, fake_clock):
    """R-KB-15: entered with a result and its time → completed at once."""
    response = api(people.clerk).post(URL, body(result="当场协调", handled_at="2026-06-01T09:00"), format="json")
    assert response.status_code == 201
    assert response.json()["is_completed"] is True
    assert Petition.objects.get().handled_at == dt.datetime(2026, 6, 1, 9, 0, tzinfo=SH)


@pytest.mark.parametrize("who", ["leader", "grid1", "inspector1", "admin"])
def test_r_kb_15_create_403_without_permission_nothing_saved(people, who):
    """R-KB-15: only holders of kuaiban.add_petition enter petitions; even a bad body is 403."""
    for payload in (body(), {}):
        response = api(getattr(people, who)).post(URL, payload, format="json")
        assert response.status_code == 403 and response.json()["detail"] == "您没有录入信访记录的权限"
    assert counts() == (0, 0, 0)


def test_r_kb_15_empty_body_names_every_required_field(people):
    """House rule: every missing field named in Chinese; nothing saved."""
    response = api(people.clerk).post(URL, {}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == REQUIRED
    assert errors["name"] == ["请填写姓名"] and errors["grid"] == ["请选择所属网格"]
    assert all(is_chinese(m) for ms in errors.values() for m in ms)
    assert counts() == (0, 0, 0)


def test_r_kb_15_bad_values_each_named_nothing_saved(people):
    """R-KB-15: the same validators as cases — ID number, phone, inactive grid, companions by index."""
    Grid.objects.filter(code="320404002").update(active=False)
    response = api(people.clerk).post(URL, body(
        id_number="110105194912310021", phone="12345", grid="320404002", reason="nope",
        companions=[{"name": "钱七", "id_number": "123"}, {"name": "", "id_number": ID_MAIN}],
    ), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"id_number", "phone", "grid", "reason", "companions[0].id_number", "companions[1].name"}
    assert errors["grid"] == ["网格不存在或已停用"] and errors["reason"] == ["案由不存在或已停用"]
    assert counts() == (0, 0, 0) and not Enterprise.objects.exists()


def test_r_kb_15_companion_with_the_petitioners_id_is_refused(people):
    response = api(people.clerk).post(URL, body(companions=[{"name": "钱七", "id_number": ID_MAIN}]), format="json")
    assert response.status_code == 400
    assert "与信访人相同" in response.json()["errors"]["companions[0].id_number"][0]


def test_r_kb_15_result_and_time_only_together(people, fake_clock):
    """R-KB-15: a result without its time (or a time without a result, or a future time) is refused."""
    client = api(people.clerk)
    response = client.post(URL, body(result="已协调"), format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"handled_at"}
    response = client.post(URL, body(handled_at="2026-06-01T09:00:00+08:00"), format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"result"}
    response = client.post(URL, body(result="已协调", handled_at="2026-06-02T09:00:00+08:00"), format="json")
    assert response.status_code == 400 and response.json()["errors"]["handled_at"] == ["处置时间不能晚于现在"]
    assert counts() == (0, 0, 0)


def test_r_kb_15_wrong_types_named_with_every_other_bad_field(people):
    """House rule: wrong JSON types are named along with every other bad field; nothing saved."""
    response = api(people.clerk).post(URL, body(companions="钱七", name=["赵六"], handled_at="下周", demand=""),
                                      format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"companions", "name", "handled_at", "demand"}
    assert all(is_chinese(m) for ms in errors.values() for m in ms)
    response = api(people.clerk).post(URL, [1, 2], format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]
    assert counts() == (0, 0, 0)


def test_r_kb_15_uscc_with_bad_check_digit_needs_confirmation(people):
    """R-KB-15 (as R-KB-02): a USCC with a bad check digit only when confirmed."""
    client = api(people.clerk)
    response = client.post(URL, body(respondent_uscc="91350100M000100Y44"), format="json")
    assert response.status_code == 400 and "respondent_uscc" in response.json()["errors"]
    response = client.post(URL, body(respondent_uscc="91350100M000100Y44", respondent_uscc_confirmed=True),
                           format="json")
    assert response.status_code == 201 and response.json()["respondent_uscc"] == "91350100M000100Y44"
    # A later PATCH of other fields keeps the confirmed code without asking again …
    pk = response.json()["id"]
    assert client.patch(f"{URL}{pk}/", {"demand": "补充诉求"}, format="json").status_code == 200
    # … but a new code with a bad check digit must be confirmed.
    response = client.patch(f"{URL}{pk}/", {"respondent_uscc": "91350100M000100Y45"}, format="json")
    assert response.status_code == 400 and "respondent_uscc" in response.json()["errors"]


# --- update: PUT and PATCH -------------------------------------------------------------------
def test_r_kb_15_put_replaces_the_record(people):
    """R-KB-15: PUT replaces every field; one history row; companions replaced."""
    petition = enter(people.clerk, companions=[{"name": "钱七", "id_number": ID_COMPANION}])
    response = api(people.clerk).put(f"{URL}{petition.pk}/", body(
        name="赵六六", grid="320404002", companions=[]), format="json")
    assert response.status_code == 200, response.content.decode()
    petition.refresh_from_db()
    assert petition.name == "赵六六" and petition.grid.code == "320404002"
    assert petition.companions.count() == 0
    event = PetitionEvent.objects.filter(petition=petition, action="update").get()
    assert {"姓名", "所属网格", "同行人员"} <= set(event.changes)


def test_r_kb_15_put_missing_fields_named_nothing_changed(people):
    """PUT is the whole record: what is missing is named; nothing changes."""
    petition = enter(people.clerk)
    before = list(Petition.objects.values()), counts()
    response = api(people.clerk).put(f"{URL}{petition.pk}/", {"name": "赵六"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == REQUIRED - {"name"}
    assert (list(Petition.objects.values()), counts()) == before


def test_r_kb_15_patch_changes_only_the_fields_sent_one_history_row(people):
    """R-KB-15: PATCH merges onto the stored values; exactly one history row."""
    petition = enter(people.clerk, phone="13800138000", companions=[{"name": "钱七", "id_number": ID_COMPANION}])
    events = PetitionEvent.objects.filter(petition=petition)
    assert events.count() == 1
    response = api(people.clerk).patch(f"{URL}{petition.pk}/", {"phone": "13912345678"}, format="json")
    assert response.status_code == 200, response.content.decode()
    petition.refresh_from_db()
    assert petition.phone == "13912345678"
    assert petition.id_number == ID_MAIN and petition.name == "赵六" and petition.grid.code == "320404001"
    assert list(petition.companions.values_list("name", "id_number")) == [("钱七", ID_COMPANION)]
    assert events.count() == 2
    update = events.get(action="update")
    assert set(update.changes) == {"联系电话"} and "13912345678" not in str(update.changes)
    # The same value again: nothing changed, no history row.
    assert api(people.clerk).patch(f"{URL}{petition.pk}/", {"phone": "13912345678"}, format="json").status_code == 200
    assert events.count() == 2


def test_r_kb_15_patch_replaces_companions_when_sent(people):
    petition = enter(people.clerk, companions=[{"name": "钱七", "id_number": ID_COMPANION}])
    response = api(people.clerk).patch(f"{URL}{petition.pk}/", {"companions": [
        {"name": "孙八", "id_number": id_number_for(601), "phone": ""}]}, format="json")
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["companions"]] == ["孙八"]
    assert list(petition.companions.values_list("name", flat=True)) == ["孙八"]


def test_r_kb_15_patch_bad_values_named_nothing_saved(people):
    """R-KB-15: a bad PATCH names the bad fields and changes nothing."""
    petition = enter(people.clerk)
    before = list(Petition.objects.values()), counts()
    response = api(people.clerk).patch(f"{URL}{petition.pk}/", {"id_number": "123", "result": "已协调", "name": ""},
                                       format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"id_number", "handled_at", "name"}
    assert (list(Petition.objects.values()), counts()) == before


def test_r_kb_15_inactive_grid_kept_on_update_refused_as_new_value(people):
    """R-SYS-02: a record keeps its grid after the grid is retired; no new record may choose it."""
    petition = enter(people.clerk, grid="320404002")
    Grid.objects.filter(code="320404002").update(active=False)
    client = api(people.clerk)
    assert client.patch(f"{URL}{petition.pk}/", {"demand": "补充"}, format="json").status_code == 200
    other = enter(people.clerk, id_number=id_number_for(602), grid="320404001")
    response = client.patch(f"{URL}{other.pk}/", {"grid": "320404002"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"grid": ["网格不存在或已停用"]}


@pytest.mark.parametrize("method", ["put", "patch"])
def test_r_kb_15_update_403_for_leader_404_for_those_who_cannot_see(people, method):
    """R-KB-15: the leader sees but may not change (403); grid workers and inspectors see nothing (404)."""
    petition = enter(people.clerk)
    before = list(Petition.objects.values()), counts()
    response = getattr(api(people.leader), method)(f"{URL}{petition.pk}/", body(name="改名"), format="json")
    assert response.status_code == 403 and response.json()["detail"] == "您没有修改信访记录的权限"
    for user in (people.grid1, people.inspector1):
        response = getattr(api(user), method)(f"{URL}{petition.pk}/", body(name="改名"), format="json")
        assert response.status_code == 404
    response = getattr(api(people.clerk), method)(f"{URL}{petition.pk + 999}/", body(), format="json")
    assert response.status_code == 404
    assert (list(Petition.objects.values()), counts()) == before


# --- OpenAPI ------------------------------------------------------------------------------------
def test_r_kb_15_openapi_documents_the_petition_endpoints(people):
    """Issue #4: the petition API is in the (valid) OpenAPI schema with its filters and errors."""
    from openapi_spec_validator import validate

    schema = api(people.clerk).get("/api/schema/?format=json").json()
    validate(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[URL])
    assert {"get", "put", "patch"} <= set(paths[f"{URL}{{id}}/"])
    filters = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert {"grid", "reason", "completed", "created_after", "created_before", "handled_after", "handled_before",
            "respondent", "q", "page", "page_size"} <= filters
    assert {"201", "400", "403"} <= set(paths[URL]["post"]["responses"])
    for method in ("put", "patch"):
        assert {"200", "400", "403", "404"} <= set(paths[f"{URL}{{id}}/"][method]["responses"])
    properties = set(schema["components"]["schemas"]["PetitionInput"]["properties"])
    assert {"name", "id_number", "phone", "companions", "respondent_name", "respondent_uscc",
            "respondent_uscc_confirmed", "reason", "grid", "demand", "result", "handled_at", "custom"} == properties
    detail = set(schema["components"]["schemas"]["PetitionDetail"]["properties"])
    assert {"companions", "history", "is_completed"} <= detail
