"""Kuaiban workflow actions through the REST API (issue #3 contract):
``POST /api/v1/kuaiban/cases/{id}/{action}/`` for every action in the
workflow table — success (200, updated detail, one event row), 403 (visible
but not allowed), 409 (wrong state / someone acted first), 404 (invisible or
unknown action) and 400 (bad body, each field named) — and on every error
the case is unchanged (house rule 9).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.kuaiban.conftest import HANDLING
from tests.tokens import authorize
from zhonglou_hrss.kuaiban.models import Case, CaseEvent, GridRound, InspectorAssignment
from zhonglou_hrss.kuaiban.services.transitions import perform
from zhonglou_hrss.kuaiban.workflow import ACTIONS

pytestmark = pytest.mark.django_db

CASES = "/api/v1/kuaiban/cases/"


def api(user) -> APIClient:
    client = APIClient()
    authorize(client, user)
    return client


def act(user, case, action, data=None):
    return api(user).post(f"{CASES}{case.pk}/{action}/", data if data is not None else {}, format="json")


def earlier(hours=1) -> str:
    return (timezone.localtime() - timedelta(hours=hours)).isoformat()


def snapshot(case: Case):
    """Everything an action may change: the case row, its rounds, assignments and events."""
    fresh = Case.objects.get(pk=case.pk)
    row = {f.attname: getattr(fresh, f.attname) for f in Case._meta.concrete_fields}
    rounds = list(GridRound.objects.filter(case=case).order_by("pk").values())
    assignments = list(InspectorAssignment.objects.filter(case=case).order_by("pk").values())
    events = CaseEvent.objects.filter(case=case).count()
    return row, rounds, assignments, events


def closed_with_penalty(people, case_in) -> Case:
    case = case_in("inspecting")
    for step, data in (("record_handling", {**HANDLING, "at": earlier(5), "penalty_required": True}),
                       ("record_penalty_decision", {"at": earlier(3)}), ("close", {})):
        perform(case_id=case.pk, action=step, actor=people.inspector1, data=data)
    return case


# action, start status, who, body, steps before (action, who, data), status after, field checked afterwards
SUCCESS = [
    ("grid_accept", "grid_pending", "grid1", {}, [], "grid_handling", "grid_accepted_at"),
    ("grid_resolve", "grid_handling", "grid1", {"resolution_way": "mediation", "amount": 1200.5, "notes": "已调解"},
     [], "grid_resolved", None),
    ("grid_fail", "grid_handling", "grid1", {"notes": "企业拒绝调解"}, [], "district_triage", None),
    ("grid_return", "grid_pending", "grid1", {"reason": "不属于本网格"}, [], "district_triage", None),
    ("triage_invalid", "district_triage", "clerk", {"reason": "重复投诉"}, [], "ended_invalid", "ended_reason"),
    ("triage_regrid", "district_triage", "clerk", {"grid": "320404002"}, [], "grid_pending", None),
    ("triage_escalate", "district_triage", "clerk", {}, [], "awaiting_assignment", None),
    ("assign", "awaiting_assignment", "leader", {"inspector": "k_inspector1"}, [], "awaiting_claim", None),
    ("reassign", "inspecting", "leader", {"inspector": "k_inspector2", "reason": "原监察员病假"}, [], "inspecting", None),
    ("claim", "awaiting_claim", "inspector1", {}, [], "inspecting", None),
    ("return_to_leader", "awaiting_claim", "inspector1", {"reason": "不在本人辖区"}, [], "awaiting_assignment", None),
    ("record_filing", "inspecting", "inspector1", {"at": "EARLIER"}, [], "inspecting", "filed_at"),
    ("record_investigation", "inspecting", "inspector1", {}, [], "inspecting", "investigated_at"),
    ("record_handling", "inspecting", "inspector1", HANDLING, [], "inspecting", "handled_at"),
    ("record_penalty_decision", "inspecting", "inspector1", {"at": None},
     [("record_handling", "inspector1", HANDLING)], "inspecting", "penalty_decided_at"),
    ("close", "inspecting", "inspector1", {}, [("record_handling", "inspector1", HANDLING)], "closed", "closed_at"),
    ("record_execution", "closed", "inspector1", {"executed_at": "EARLIER"},
     [], "closed", "executed_at"),
]


@pytest.mark.parametrize("action,start,who,data,before,after,field", SUCCESS, ids=[s[0] for s in SUCCESS])
def test_each_action_succeeds_with_an_event(people, case_in, action, start, who, data, before, after, field):
    """R-KB-03…14 via the API; R-KB-20: exactly one event row with who and what."""
    if action == "record_execution":  # R-KB-14: after a penalty decision, even when closed
        case = closed_with_penalty(people, case_in)
    else:
        case = case_in(start)
        for step, actor, data_ in before:
            perform(case_id=case.pk, action=step, actor=getattr(people, actor), data=dict(data_))
    data = {k: earlier() if v == "EARLIER" else v for k, v in data.items()}
    events = case.events.count()
    user = getattr(people, who)

    response = act(user, case, action, data)

    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["status"] == after
    case.refresh_from_db()
    assert case.status == after
    assert case.events.count() == events + 1
    event = case.events.order_by("-at", "-id").first()
    assert event.action == action and event.actor == user and event.to_status == after
    if field:
        assert getattr(case, field)
    if action in ("grid_return", "return_to_leader"):
        # R-KB-07 / R-KB-10: the caller can no longer see it; a short answer, no details
        assert body == {"id": case.pk, "number": case.number, "status": after, "status_label": body["status_label"],
                        "visible": False, "detail": body["detail"]}
        assert api(user).get(f"{CASES}{case.pk}/").status_code == 404
    else:
        assert body["timeline"][0]["action"] == action
        assert body["timeline"][0]["actor_name"] == user.name


def test_every_action_is_covered():
    """Every action of the workflow table has a success case above."""
    assert {s[0] for s in SUCCESS} == set(ACTIONS)


def test_reassign_before_claim(people, case_in):
    """R-KB-09: the leader reassigns before the inspector claims."""
    case = case_in("awaiting_claim")
    response = act(people.leader, case, "assign", {"inspector": "k_inspector2"})
    assert response.status_code == 200
    assert response.json()["inspector"]["username"] == "k_inspector2"
    assert act(people.inspector1, case, "claim").status_code == 404  # no longer theirs to see
    assert act(people.inspector2, case, "claim").status_code == 200


def test_times_entered_are_kept(people, case_in):
    """R-KB-11: an optional ISO time is stored as given (default now)."""
    case = case_in("inspecting")
    at = (timezone.localtime() - timedelta(hours=20)).replace(microsecond=0)
    response = act(people.inspector1, case, "record_filing", {"at": at.isoformat()})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.filed_at == at
    assert response.json()["filed_at"] == at.isoformat()


# --- errors: status, Chinese message, nothing changed ------------------------------------
# (name, start status, who, action, body, expected status, error field expected in "errors")
ERRORS = [
    ("clerk_assigns", "awaiting_assignment", "clerk", "assign", {"inspector": "k_inspector1"}, 403, None),
    ("grid_worker_triages_own_failed_case", "district_triage", "grid1", "triage_escalate", {}, 403, None),
    ("leader_claims", "awaiting_claim", "leader", "claim", {}, 403, None),
    ("escalate_pending_case", "grid_pending", "clerk", "triage_escalate", {}, 409, None),
    ("accept_twice", "grid_handling", "grid1", "grid_accept", {}, 409, None),
    ("return_claimed_case", "inspecting", "inspector1", "return_to_leader", {"reason": "x"}, 409, None),
    ("close_without_handling", "inspecting", "inspector1", "close", {}, 409, None),
    ("execution_without_penalty", "closed", "inspector1", "record_execution", {"executed_at": "EARLIER"}, 409, None),
    ("other_grid", "grid_pending", "grid2", "grid_accept", {}, 404, None),
    ("returned_by_own_grid", "awaiting_assignment", "grid1", "grid_accept", {}, 404, None),
    ("unassigned_inspector", "awaiting_claim", "inspector2", "claim", {}, 404, None),
    ("resolve_bad_amount", "grid_handling", "grid1", "grid_resolve", {"amount": "-1"}, 400, "amount"),
    ("return_without_reason", "grid_pending", "grid1", "grid_return", {"reason": ""}, 400, "reason"),
    ("regrid_unknown_grid", "district_triage", "clerk", "triage_regrid", {"grid": "999"}, 400, "grid"),
    ("assign_non_inspector", "awaiting_assignment", "leader", "assign", {"inspector": "k_clerk"}, 400, "inspector"),
    ("filing_in_the_future", "inspecting", "inspector1", "record_filing", {"at": "FUTURE"}, 400, "at"),
    ("filing_bad_time", "inspecting", "inspector1", "record_filing", {"at": "明天"}, 400, "at"),
    ("handling_without_uscc", "inspecting", "inspector1", "record_handling",
     {"amount": "10", "notes": "x", "attributed_grid": "320404001"}, 400, "respondent_uscc"),
]


@pytest.mark.parametrize("name,start,who,action,data,status,field", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_change_nothing(people, case_in, name, start, who, action, data, status, field):
    """House rule 9 and the contract's error statuses: 400/403/404/409, Chinese, the case unchanged."""
    case = case_in(start)
    future = (timezone.localtime() + timedelta(days=1)).isoformat()
    data = {k: {"EARLIER": earlier(), "FUTURE": future}.get(v, v) for k, v in data.items()}
    before = snapshot(case)

    response = act(getattr(people, who), case, action, data)

    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    if status == 400:
        assert field in body["errors"] and all(body["errors"][field])
    else:
        assert "errors" not in body
    assert snapshot(case) == before


def test_bad_body_names_every_field(people, case_in):
    """House rule 9: 400 names every bad field; R-KB-14: exactly one execution time, not before the decision."""
    case = case_in("grid_handling")
    before = snapshot(case)
    response = act(people.grid1, case, "grid_resolve", {"amount": "abc"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"resolution_way": ["请选择成功方式"], "amount": ["金额（元）须为数字"]}
    response = act(people.grid1, case, "grid_resolve", [1, 2])
    assert response.status_code == 400 and response.json()["errors"] == {"non_field_errors": ["请求内容须为 JSON 对象"]}
    assert snapshot(case) == before
    closed = closed_with_penalty(people, case_in)
    before = snapshot(closed)
    for data in ({"executed_at": earlier(), "enforcement_applied_at": earlier()}, {}):  # exactly one of the two
        response = act(people.inspector1, closed, "record_execution", data)
        assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]
    response = act(people.inspector1, closed, "record_execution", {"executed_at": earlier(4)})
    assert response.status_code == 400 and response.json()["errors"] == {"executed_at": ["时间不能早于处罚决定时间"]}
    assert snapshot(closed) == before


def test_second_of_two_identical_actions_gets_409(people, case_in):
    """Someone acted first: the state no longer allows the action."""
    case = case_in("awaiting_claim")
    assert act(people.inspector1, case, "claim").status_code == 200
    before = snapshot(case)
    response = act(people.inspector1, case, "claim")
    assert response.status_code == 409 and "已被他人处理" in response.json()["detail"]
    assert snapshot(case) == before


def test_unknown_action_or_case_is_json_404(people, case_in):
    """Contract: an unknown action or case is a JSON 404; nothing changes."""
    case = case_in("grid_pending")
    before = snapshot(case)
    for path in (f"{CASES}{case.pk}/delete_everything/", f"{CASES}999999/grid_accept/"):
        response = api(people.grid1).post(path, {}, format="json")
        assert response.status_code == 404 and response.json()["detail"], path
    assert snapshot(case) == before


def test_actions_need_a_signed_in_user(people, case_in):
    """R-KB-16: no sign-in, no action."""
    case = case_in("grid_pending")
    before = snapshot(case)
    response = APIClient().post(f"{CASES}{case.pk}/grid_accept/", {}, format="json")
    assert response.status_code == 401
    assert snapshot(case) == before


def test_actions_are_post_only(people, case_in):
    """Contract: actions are POST."""
    case = case_in("grid_pending")
    assert api(people.grid1).get(f"{CASES}{case.pk}/grid_accept/").status_code == 405
