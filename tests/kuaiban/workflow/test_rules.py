"""Each workflow action and the exact rules of R-KB-02…14, at the service level.

Per action: success with one timeline row (R-KB-20), the wrong role (a user
who can SEE the case but lacks the permission → ActionForbidden/403), the
wrong scope (a user who can see the case and holds the permission but it is
not theirs → 403), an invisible case (NotVisible/404, like a missing one) —
and every refusal leaves the database exactly as it was (house rule 9).
Then the rules one by one, and registration (R-KB-01/02).
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.models import Enterprise, Grid
from zhonglou_hrss.kuaiban.models import (
    Case, CaseCompanion, CaseEvent, CaseNumberSequence, CaseSource, GridOutcome, GridRound, InspectorAssignment,
)
from zhonglou_hrss.kuaiban.selectors.cases import case_for, case_list_for
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import allowed_actions, perform

from tests.kuaiban.conftest import FAIL_PATHS, HANDLING, db_snapshot, registration

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
G1, G2, DISTRICT = "320404001", "320404002", "320404"
BAD_CHECKSUM_USCC = "91350211M0000XUF46"  # a real registered code that fails the checksum
GOOD_USCC = "91350100M000100Y43"


def act(case, action, actor, data=None):
    return perform(case_id=case.pk, action=action, actor=actor, data=dict(data or {}))


def at(hour, minute=0, day=1):
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=SH)


def iso(when):
    return when.isoformat()


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def clock(fake_clock):
    fake_clock.set(at(10))
    return fake_clock


@pytest.fixture
def refused(people):
    """refused(case, action, actor, data, Error) — raises Error and changes nothing."""

    def _check(case, action, actor, data, error):
        before = db_snapshot(case.pk)
        with pytest.raises(error) as exc:
            act(case, action, actor, data)
        assert chinese(exc.value.message)
        assert db_snapshot(case.pk) == before
        return exc.value

    return _check


# --- each action ----------------------------------------------------------------------------
PENALTY_HANDLING = {**HANDLING, "penalty_required": True}
# action -> (start: FAIL_PATHS status + extra steps, actor, valid input, new status)
ACTION_CASES = {
    "grid_accept": ("grid_pending", [], "grid1", {}, "grid_handling"),
    "grid_resolve": ("grid_handling", [], "grid1", {"resolution_way": "mediation", "amount": "500", "notes": "已付清"},
                     "grid_resolved"),
    "grid_fail": ("grid_handling", [], "grid1", {"notes": "企业拒绝调解"}, "district_triage"),
    "grid_return": ("grid_handling", [], "grid1", {"reason": "企业不在本网格"}, "district_triage"),
    "triage_invalid": ("district_triage", [], "clerk", {"reason": "重复投诉"}, "ended_invalid"),
    "triage_regrid": ("district_triage", [], "clerk", {"grid": G2}, "grid_pending"),
    "triage_escalate": ("district_triage", [], "clerk", {}, "awaiting_assignment"),
    "assign": ("awaiting_assignment", [], "leader", {"inspector": "k_inspector1"}, "awaiting_claim"),
    "claim": ("awaiting_claim", [], "inspector1", {}, "inspecting"),
    "return_to_leader": ("awaiting_claim", [], "inspector1", {"reason": "需回避"}, "awaiting_assignment"),
    "record_filing": ("inspecting", [], "inspector1", {}, "inspecting"),
    "record_investigation": ("inspecting", [], "inspector1", {}, "inspecting"),
    "record_handling": ("inspecting", [], "inspector1", HANDLING, "inspecting"),
    "record_penalty_decision": ("inspecting", [("record_handling", "inspector1", PENALTY_HANDLING)], "inspector1", {},
                                "inspecting"),
    "close": ("inspecting", [("record_handling", "inspector1", HANDLING)], "inspector1", {}, "closed"),
    "record_execution": ("closed", None, "inspector1", {"executed_at": "NOW"}, "closed"),
}
# closed with a penalty decision
ACTION_CASES_CLOSED_PENALTY = FAIL_PATHS["inspecting"] + [
    ("record_handling", "inspector1", PENALTY_HANDLING), ("record_penalty_decision", "inspector1", {}),
    ("close", "inspector1", {})]

# Users who can SEE the case (from FAIL_PATHS: grid 五星 keeps seeing it) but lack the permission.
WRONG_ROLE = {
    "grid_accept": ["clerk", "leader"],
    "grid_resolve": ["clerk", "leader"],
    "grid_fail": ["clerk", "leader"],
    "grid_return": ["clerk", "leader"],
    "triage_invalid": ["leader", "grid1"],
    "triage_regrid": ["leader", "grid1"],
    "triage_escalate": ["leader", "grid1"],
    "assign": ["clerk", "grid1"],
    "claim": ["clerk", "leader", "grid1"],
    "return_to_leader": ["clerk", "leader", "grid1"],
    "record_filing": ["clerk", "leader", "grid1"],
    "record_investigation": ["clerk", "leader", "grid1"],
    "record_handling": ["clerk", "leader", "grid1"],
    "record_penalty_decision": ["clerk", "leader", "grid1"],
    "close": ["clerk", "leader", "grid1"],
    "record_execution": ["clerk", "leader", "grid1"],
}
# Users with the permission who cannot see the case: 404, exactly like a missing case.
INVISIBLE_TO = {
    "grid_accept": ["grid2"], "grid_resolve": ["grid2"], "grid_fail": ["grid2"], "grid_return": ["grid2"],
    "triage_invalid": ["triager"], "triage_regrid": ["triager"], "triage_escalate": ["triager"],
    "assign": ["assigner"],
    **{a: ["inspector2"] for a in ["claim", "return_to_leader", "record_filing", "record_investigation",
                                   "record_handling", "record_penalty_decision", "close", "record_execution"]},
}


@pytest.fixture
def start_case(case_by):
    def _start(action):
        status, extra, *_ = ACTION_CASES[action]
        steps = ACTION_CASES_CLOSED_PENALTY if extra is None else FAIL_PATHS[status] + extra
        case = case_by(steps)
        assert case.status == status
        return case

    return _start


@pytest.fixture
def odd_users(people, make_user):
    """Holders of one permission granted directly, without the role's view-all permission."""

    def with_perm(username, perm):
        user = make_user(username)
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return user

    people.triager = with_perm("k_triager", "kuaiban.triage_case")
    people.assigner = with_perm("k_assigner", "kuaiban.assign_case")
    return people


def _data(data):
    """The input with "NOW" replaced by the current time."""
    from zhonglou_hrss.core import clock

    return {k: (iso(clock.now()) if v == "NOW" else v) for k, v in data.items()}


@pytest.mark.parametrize("action", list(ACTION_CASES))
def test_each_action_succeeds_with_one_event(action, people, start_case):
    """R-KB-03…14, R-KB-20: the action's user does it; one row on the timeline, who/what/from/to."""
    case = start_case(action)
    _, _, who, data, to_status = ACTION_CASES[action]
    actor = getattr(people, who)
    from_status = case.status
    assert action in {a.name for a in allowed_actions(case, actor)}
    events = case.events.count()
    outcome = act(case, action, actor, _data(data))
    case.refresh_from_db()
    assert case.status == to_status
    assert case.events.count() == events + 1
    event = CaseEvent.objects.get(pk=outcome.event_id)
    assert (event.case_id, event.action, event.from_status, event.to_status, event.actor_id) == (
        case.pk, action, from_status, to_status, actor.pk)
    assert event.actor_name == actor.name


@pytest.mark.parametrize("action", list(ACTION_CASES))
def test_each_action_wrong_role_is_403(action, people, start_case, refused):
    """House rule 4: seeing the case is not enough — the permission decides (403, nothing changed)."""
    case = start_case(action)
    _, _, _, data, _ = ACTION_CASES[action]
    for who in WRONG_ROLE[action]:
        user = getattr(people, who)
        assert case_list_for(user).filter(pk=case.pk).exists(), f"{who} should see the case"
        assert action not in {a.name for a in allowed_actions(case, user)}
        refused(case, action, user, _data(data), ActionForbidden)


@pytest.mark.parametrize("action", list(ACTION_CASES))
def test_each_action_on_invisible_case_is_404(action, odd_users, start_case, refused):
    """House rule 3: a case the user may not see answers like a missing one, even with the permission."""
    case = start_case(action)
    _, _, _, data, _ = ACTION_CASES[action]
    for who in INVISIBLE_TO[action]:
        user = getattr(odd_users, who)
        assert not case_list_for(user).filter(pk=case.pk).exists()
        refused(case, action, user, _data(data), NotVisible)
    missing = Case.objects.order_by("-pk").first().pk + 1000
    with pytest.raises(NotVisible):
        perform(case_id=missing, action=action, actor=odd_users.clerk, data=_data(data))


GRID_ACTIONS = ["grid_accept", "grid_resolve", "grid_fail", "grid_return"]


@pytest.mark.parametrize("action", GRID_ACTIONS)
def test_grid_action_by_worker_of_another_grid_who_still_sees_the_case_is_403(action, people, case_by, refused):
    """R-KB-06/08: 五星 failed, the clerk sent the case to 永红; 五星 still sees it but may not act."""
    steps = FAIL_PATHS["district_triage"] + [("triage_regrid", "clerk", {"grid": G2})]
    if action != "grid_accept":
        steps = steps + [("grid_accept", "grid2", {})]
    case = case_by(steps)
    assert case.grid.code == G2
    assert case_list_for(people.grid1).filter(pk=case.pk).exists()
    assert allowed_actions(case, people.grid1) == []
    error = refused(case, action, people.grid1, ACTION_CASES[action][3], ActionForbidden)
    assert "网格" in error.message
    act(case, action, people.grid2, ACTION_CASES[action][3])  # the grid it is with now may


INSPECTOR_ACTIONS = ["claim", "return_to_leader", "record_filing", "record_investigation", "record_handling",
                     "record_penalty_decision", "close", "record_execution"]


@pytest.mark.parametrize("action", INSPECTOR_ACTIONS)
def test_inspector_action_by_an_inspector_who_sees_but_is_not_assigned_is_403(action, people, make_user,
                                                                             start_case, refused):
    """R-KB-10…14: only the assigned inspector acts. This inspector is also a grid worker of 五星,
    which failed the case, so sees it (R-KB-06) — and still may not act on it."""
    other = make_user("k_insp_grid", roles=["inspector", "grid_worker"], grids=[G1])
    case = start_case(action)
    assert case_list_for(other).filter(pk=case.pk).exists()
    error = refused(case, action, other, _data(ACTION_CASES[action][3]), ActionForbidden)
    assert "指派" in error.message


@pytest.mark.parametrize("actor", ["none", "anonymous", "inactive_clerk"])
def test_no_user_or_inactive_user_sees_nothing_and_does_nothing(actor, people, case_in, refused):
    """House rule 3: fail closed."""
    case = case_in("district_triage")
    if actor == "inactive_clerk":
        people.clerk.is_active = False
        people.clerk.save()
    user = {"none": None, "anonymous": AnonymousUser(), "inactive_clerk": people.clerk}[actor]
    refused(case, "triage_escalate", user, {}, NotVisible)


def test_unknown_action_is_404(people, case_in, refused):
    case = case_in("grid_pending")
    refused(case, "delete", people.clerk, {}, NotVisible)


# --- R-KB-03…07: the grid -------------------------------------------------------------------
def test_r_kb_03_accept_records_the_time_and_the_worker(people, new_case, clock):
    case = new_case()
    clock.set(at(11, 30))
    act(case, "grid_accept", people.grid1)
    case.refresh_from_db()
    round_ = GridRound.objects.get(case=case)
    assert (round_.accepted_at, round_.accepted_by_id) == (at(11, 30), people.grid1.pk)
    assert case.grid_accepted_at == at(11, 30)


def test_r_kb_04_resolve_records_way_amount_notes(people, case_in):
    case = case_in("grid_handling")
    act(case, "grid_resolve", people.grid1, {"resolution_way": "employer_paid", "amount": "12345.67", "notes": "当场支付"})
    round_ = GridRound.objects.get(case=case)
    assert round_.outcome == GridOutcome.SUCCESS
    assert (round_.resolution_way.code, str(round_.amount), round_.notes) == ("employer_paid", "12345.67", "当场支付")
    assert round_.open_case_id is None
    case.refresh_from_db()
    assert case.status == "grid_resolved" and case.grid_accepted_at is None
    assert case_list_for(people.grid1).filter(pk=case.pk).exists()  # R-KB-16: completed ones stay visible


@pytest.mark.parametrize("data,field", [
    ({"amount": "500", "notes": ""}, "resolution_way"),
    ({"resolution_way": "mediation", "notes": ""}, "amount"),
    ({"resolution_way": "mediation", "amount": "-1"}, "amount"),
    ({"resolution_way": "no_such_way", "amount": "1"}, "resolution_way"),
])
def test_r_kb_04_resolve_input_checked(people, case_in, refused, data, field):
    error = refused(case_in("grid_handling"), "grid_resolve", people.grid1, data, InvalidInput)
    assert field in error.errors and all(chinese(m) for m in error.errors[field])


@pytest.mark.parametrize("status", ["grid_pending", "grid_handling"])
def test_r_kb_07_grid_return_hides_the_case_from_that_grid(status, people, case_in, refused):
    case = case_in(status)
    act(case, "grid_return", people.grid1, {"reason": "企业注册地不在本街道"})
    case.refresh_from_db()
    assert case.status == "district_triage"
    assert not case_list_for(people.grid1).filter(pk=case.pk).exists()
    with pytest.raises(NotVisible):
        case_for(people.grid1, case.pk)
    refused(case, "grid_accept", people.grid1, {}, NotVisible)
    round_ = GridRound.objects.get(case=case)
    assert (round_.outcome, round_.return_reason) == (GridOutcome.RETURNED, "企业注册地不在本街道")
    assert case_list_for(people.clerk).filter(pk=case.pk).exists()


def test_r_kb_07_return_needs_a_reason(people, case_in, refused):
    error = refused(case_in("grid_pending"), "grid_return", people.grid1, {"reason": " "}, InvalidInput)
    assert set(error.errors) == {"reason"}


def test_r_kb_06_grid_fail_keeps_the_case_visible_but_done_for_the_grid(people, case_in, refused):
    case = case_in("grid_handling")
    act(case, "grid_fail", people.grid1, {"notes": "企业拒绝调解"})
    case.refresh_from_db()
    assert case.status == "district_triage"
    assert case_for(people.grid1, case.pk) == case
    assert allowed_actions(case, people.grid1) == []
    refused(case, "grid_accept", people.grid1, {}, StateConflict)
    assert GridRound.objects.get(case=case).outcome == GridOutcome.FAILED


def test_r_kb_06_fail_needs_notes(people, case_in, refused):
    error = refused(case_in("grid_handling"), "grid_fail", people.grid1, {}, InvalidInput)
    assert set(error.errors) == {"notes"}


# --- R-KB-08: the district platform ---------------------------------------------------------
def test_r_kb_08_regrid_after_failure_old_grid_sees_new_grid_acts(people, case_in):
    case = case_in("district_triage")  # 五星 failed
    act(case, "triage_regrid", people.clerk, {"grid": G2})
    case.refresh_from_db()
    assert (case.status, case.grid.code) == ("grid_pending", G2)
    rounds = list(GridRound.objects.filter(case=case).order_by("pk"))
    assert [(r.grid.code, r.outcome, r.open_case_id) for r in rounds] == [(G1, "failed", None), (G2, "", case.pk)]
    for user in (people.grid1, people.grid2):
        assert case_list_for(user).filter(pk=case.pk).exists()
    assert allowed_actions(case, people.grid1) == []
    assert {a.name for a in allowed_actions(case, people.grid2)} == {"grid_accept", "grid_return"}
    act(case, "grid_accept", people.grid2)
    case.refresh_from_db()
    assert case.status == "grid_handling"
    with pytest.raises(ActionForbidden):
        act(case, "grid_resolve", people.grid1, {"resolution_way": "mediation", "amount": "1"})


def test_r_kb_08_regrid_after_return_old_grid_does_not_see(people, new_case):
    case = new_case()
    act(case, "grid_return", people.grid1, {"reason": "不属于本网格"})
    act(case, "triage_regrid", people.clerk, {"grid": G2})
    assert not case_list_for(people.grid1).filter(pk=case.pk).exists()
    assert case_list_for(people.grid2).filter(pk=case.pk).exists()


@pytest.mark.parametrize("grid", [DISTRICT, "999999999", ""])
def test_r_kb_08_regrid_only_to_an_active_street_grid(grid, people, case_in, refused):
    error = refused(case_in("district_triage"), "triage_regrid", people.clerk, {"grid": grid}, InvalidInput)
    assert set(error.errors) == {"grid"}


def test_r_kb_08_regrid_to_inactive_grid_refused(people, case_in, refused):
    Grid.objects.filter(code="320404003").update(active=False)
    refused(case_in("district_triage"), "triage_regrid", people.clerk, {"grid": "320404003"}, InvalidInput)


def test_r_kb_08_invalid_ends_the_case_with_the_reason(people, case_in, clock):
    case = case_in("district_triage")
    act(case, "triage_invalid", people.clerk, {"reason": "劳动者已撤回投诉"})
    case.refresh_from_db()
    assert (case.status, case.ended_reason, case.closed_at) == ("ended_invalid", "劳动者已撤回投诉", clock())
    assert case.get_status_display() == "正常结束"


def test_r_kb_08_invalid_needs_a_reason(people, case_in, refused):
    error = refused(case_in("district_triage"), "triage_invalid", people.clerk, {"reason": ""}, InvalidInput)
    assert set(error.errors) == {"reason"}


# --- R-KB-09 / R-KB-10: leader and inspector ------------------------------------------------
def test_r_kb_09_reassign_before_claim_supersedes_the_first_assignment(people, case_in, clock):
    case = case_in("awaiting_claim")  # assigned to inspector1
    clock.advance(timedelta(hours=1))
    outcome = act(case, "assign", people.leader, {"inspector": "k_inspector2"})
    case.refresh_from_db()
    assert case.status == "awaiting_claim"
    first, second = InspectorAssignment.objects.filter(case=case).order_by("pk")
    assert (first.inspector_id, first.superseded_at, first.open_case_id) == (people.inspector1.pk, clock(), None)
    assert (second.inspector_id, second.open_case_id, second.assigned_by_id) == (people.inspector2.pk, case.pk,
                                                                                  people.leader.pk)
    assert not case_list_for(people.inspector1).filter(pk=case.pk).exists()
    assert case_list_for(people.inspector2).filter(pk=case.pk).exists()
    assert CaseEvent.objects.get(pk=outcome.event_id).payload == {"inspector": "赵监察", "previous_inspector": "张监察"}
    with pytest.raises(NotVisible):
        act(case, "claim", people.inspector1)
    act(case, "claim", people.inspector2)


def test_r_kb_09_no_reassign_after_claim(people, case_in, refused):
    case = case_in("inspecting")
    refused(case, "assign", people.leader, {"inspector": "k_inspector2"}, StateConflict)
    assert case_list_for(people.inspector1).filter(pk=case.pk).exists()


def test_reassign_after_claim_moves_the_case_with_its_milestones(people, case_in, clock):
    """R-KB-09 / R-KB-10 / R-KB-20, issue 11 item 13: the leader moves a claimed case with a reason: the
    first inspector loses it, the second holds it claimed with the milestones
    so far; one timeline row names both and the reason."""
    case = case_in("inspecting")  # claimed by inspector1
    act(case, "record_filing", people.inspector1)
    filed = clock()
    clock.advance(timedelta(hours=1))
    outcome = act(case, "reassign", people.leader, {"inspector": "k_inspector2", "reason": "原监察员病假"})
    case.refresh_from_db()
    assert case.status == "inspecting" and case.filed_at == filed
    first, second = InspectorAssignment.objects.filter(case=case).order_by("pk")
    assert (first.superseded_at, first.open_case_id) == (clock(), None)
    assert (second.inspector_id, second.open_case_id, second.claimed_at) == (people.inspector2.pk, case.pk, clock())
    assert not case_list_for(people.inspector1).filter(pk=case.pk).exists()
    assert case_list_for(people.inspector2).filter(pk=case.pk).exists()
    event = CaseEvent.objects.get(pk=outcome.event_id)
    assert (event.action, event.actor_id) == ("reassign", people.leader.pk)
    assert event.payload == {"inspector": "赵监察", "previous_inspector": "张监察", "reason": "原监察员病假"}
    with pytest.raises(NotVisible):
        act(case, "record_investigation", people.inspector1)
    act(case, "record_investigation", people.inspector2)


def test_reassign_refusals_change_nothing(people, case_in, refused):
    """R-KB-09, issue 11 item 13: not the leader's role (403), not claimed yet (409: use
    指派), the same inspector or no reason (400) — nothing written."""
    case = case_in("inspecting")
    data = {"inspector": "k_inspector2", "reason": "回避"}
    refused(case, "reassign", people.clerk, data, ActionForbidden)
    refused(case, "reassign", people.inspector1, data, ActionForbidden)
    refused(case_in("awaiting_claim"), "reassign", people.leader, data, StateConflict)
    error = refused(case, "reassign", people.leader, {"inspector": "k_inspector1", "reason": "回避"}, InvalidInput)
    assert set(error.errors) == {"inspector"}
    error = refused(case, "reassign", people.leader, {"inspector": "k_inspector2", "reason": ""}, InvalidInput)
    assert set(error.errors) == {"reason"}


def test_r_kb_09_reassign_to_the_same_inspector_refused(people, case_in, refused):
    error = refused(case_in("awaiting_claim"), "assign", people.leader, {"inspector": "k_inspector1"}, InvalidInput)
    assert set(error.errors) == {"inspector"}


@pytest.mark.parametrize("inspector", ["k_clerk", "k_grid1", "nobody", "", "k_inactive_inspector"])
def test_r_kb_09_assign_only_to_an_active_inspector(inspector, people, make_user, case_in, refused):
    gone = make_user("k_inactive_inspector", roles=["inspector"])
    gone.is_active = False
    gone.save()
    error = refused(case_in("awaiting_assignment"), "assign", people.leader, {"inspector": inspector}, InvalidInput)
    assert set(error.errors) == {"inspector"}


def test_r_kb_10_claim_then_no_return_to_leader(people, case_in, refused, clock):
    case = case_in("awaiting_claim")
    act(case, "claim", people.inspector1)
    assignment = InspectorAssignment.objects.get(case=case)
    assert assignment.claimed_at == clock()
    case.refresh_from_db()
    assert "return_to_leader" not in {a.name for a in allowed_actions(case, people.inspector1)}
    refused(case, "return_to_leader", people.inspector1, {"reason": "太忙"}, StateConflict)


def test_r_kb_10_return_before_claim_goes_back_to_the_leader(people, case_in, refused):
    case = case_in("awaiting_claim")
    refused(case, "return_to_leader", people.inspector1, {"reason": ""}, InvalidInput)
    act(case, "return_to_leader", people.inspector1, {"reason": "与对方单位有利害关系"})
    case.refresh_from_db()
    assert case.status == "awaiting_assignment"
    assignment = InspectorAssignment.objects.get(case=case)
    assert (assignment.return_reason, assignment.open_case_id) == ("与对方单位有利害关系", None)
    assert assignment.returned_at is not None
    assert not case_list_for(people.inspector1).filter(pk=case.pk).exists()
    act(case, "assign", people.leader, {"inspector": "k_inspector2"})
    assert case_list_for(people.inspector2).filter(pk=case.pk).exists()


# --- R-KB-11: milestones --------------------------------------------------------------------
@pytest.fixture
def inspecting(case_in, clock):
    clock.set(at(8))
    case = case_in("inspecting")
    clock.set(at(12))
    return case


def test_r_kb_11_skipping_filing_then_filing_is_refused(people, inspecting, refused):
    act(inspecting, "record_investigation", people.inspector1, {"at": iso(at(9))})
    error = refused(inspecting, "record_filing", people.inspector1, {"at": iso(at(9))}, StateConflict)
    assert "立案" in error.message


def test_r_kb_11_handling_then_investigation_or_filing_is_refused(people, inspecting, refused):
    act(inspecting, "record_handling", people.inspector1, {**HANDLING, "at": iso(at(9))})
    refused(inspecting, "record_investigation", people.inspector1, {"at": iso(at(9))}, StateConflict)
    refused(inspecting, "record_filing", people.inspector1, {"at": iso(at(9))}, StateConflict)
    inspecting.refresh_from_db()
    assert (inspecting.filed_at, inspecting.investigated_at, inspecting.handled_at) == (None, None, at(9))


def test_r_kb_11_all_three_in_order(people, inspecting):
    act(inspecting, "record_filing", people.inspector1, {"at": iso(at(9))})
    act(inspecting, "record_investigation", people.inspector1, {"at": iso(at(9))})  # the same minute is fine
    act(inspecting, "record_handling", people.inspector1, {**HANDLING, "at": iso(at(11))})
    inspecting.refresh_from_db()
    assert (inspecting.filed_at, inspecting.investigated_at, inspecting.handled_at) == (at(9), at(9), at(11))


@pytest.mark.parametrize("action", ["record_filing", "record_investigation", "record_handling"])
def test_r_kb_11_each_milestone_once(action, people, inspecting, refused):
    data = {**HANDLING} if action == "record_handling" else {}
    act(inspecting, action, people.inspector1, {**data, "at": iso(at(9))})
    refused(inspecting, action, people.inspector1, {**data, "at": iso(at(10))}, StateConflict)


@pytest.mark.parametrize("earlier,later", [
    ("record_filing", "record_investigation"),
    ("record_filing", "record_handling"),
    ("record_investigation", "record_handling"),
    ("record_handling", "record_penalty_decision"),
])
def test_r_kb_11_a_time_before_an_earlier_milestone_is_400(earlier, later, people, inspecting, refused):
    def data(action, when):
        extra = HANDLING if action == "record_handling" else {}
        return {**extra, "at": iso(when)}

    act(inspecting, earlier, people.inspector1, data(earlier, at(10)))
    error = refused(inspecting, later, people.inspector1, data(later, at(9, 59)), InvalidInput)
    assert set(error.errors) == {"at"}
    act(inspecting, later, people.inspector1, data(later, at(10)))


def test_r_kb_14_execution_before_the_penalty_decision_is_400(people, inspecting, refused):
    act(inspecting, "record_handling", people.inspector1, {**PENALTY_HANDLING, "at": iso(at(9))})
    act(inspecting, "record_penalty_decision", people.inspector1, {"at": iso(at(10))})
    for field in ("executed_at", "enforcement_applied_at"):
        error = refused(inspecting, "record_execution", people.inspector1, {field: iso(at(9))}, InvalidInput)
        assert set(error.errors) == {field}


def test_r_kb_11_time_in_the_future_refused_empty_time_is_now(people, inspecting, refused, clock):
    error = refused(inspecting, "record_filing", people.inspector1, {"at": iso(clock() + timedelta(hours=1))},
                    InvalidInput)
    assert error.errors == {"at": ["时间不能晚于现在"]}
    error = refused(inspecting, "record_filing", people.inspector1, {"at": "昨天"}, InvalidInput)
    assert set(error.errors) == {"at"}
    act(inspecting, "record_filing", people.inspector1, {})
    inspecting.refresh_from_db()
    assert inspecting.filed_at == clock()


# --- R-KB-12: before handling: USCC and attributed grid ---------------------------------------
def test_r_kb_12_unknown_uscc_and_attributed_grid_are_required_and_named_together(people, inspecting, refused):
    assert inspecting.respondent_uscc == ""
    error = refused(inspecting, "record_handling", people.inspector1, {"amount": "100", "notes": "已处理"},
                    InvalidInput)
    assert set(error.errors) == {"respondent_uscc", "attributed_grid"}
    assert all(chinese(m) for messages in error.errors.values() for m in messages)


def test_r_kb_12_unknown_uscc_required(people, inspecting, refused):
    data = {k: v for k, v in HANDLING.items() if k != "respondent_uscc"}
    error = refused(inspecting, "record_handling", people.inspector1, data, InvalidInput)
    assert set(error.errors) == {"respondent_uscc"}


def test_r_kb_12_known_uscc_not_asked_again(people, case_in, clock):
    case = case_in("inspecting", respondent_uscc=GOOD_USCC)
    data = {k: v for k, v in HANDLING.items() if k != "respondent_uscc"}
    act(case, "record_handling", people.inspector1, data)
    case.refresh_from_db()
    assert case.respondent_uscc == GOOD_USCC and case.respondent.uscc == GOOD_USCC
    assert case.handled_at == clock()


@pytest.mark.parametrize("grid", ["", DISTRICT, "nope"])
def test_r_kb_12_attributed_grid_required_and_a_street_grid(grid, people, inspecting, refused):
    error = refused(inspecting, "record_handling", people.inspector1, {**HANDLING, "attributed_grid": grid},
                    InvalidInput)
    assert set(error.errors) == {"attributed_grid"}


def test_r_kb_12_checksum_failing_real_uscc_only_when_confirmed(people, inspecting, refused):
    data = {**HANDLING, "respondent_uscc": BAD_CHECKSUM_USCC}
    error = refused(inspecting, "record_handling", people.inspector1, data, InvalidInput)
    assert set(error.errors) == {"respondent_uscc"} and "确认" in error.errors["respondent_uscc"][0]
    enterprises = Enterprise.objects.count()
    outcome = act(inspecting, "record_handling", people.inspector1, {**data, "respondent_uscc_confirmed": True})
    inspecting.refresh_from_db()
    assert inspecting.respondent_uscc == BAD_CHECKSUM_USCC
    enterprise = Enterprise.objects.get(uscc=BAD_CHECKSUM_USCC)
    assert Enterprise.objects.count() == enterprises + 1
    assert inspecting.respondent == enterprise and enterprise.uscc_checksum_ok is False
    assert enterprise.name == inspecting.respondent_name
    assert CaseEvent.objects.get(pk=outcome.event_id).payload["respondent_uscc"] == BAD_CHECKSUM_USCC


def test_r_kb_12_uscc_links_the_existing_enterprise(people, inspecting):
    existing = Enterprise.objects.create(uscc=GOOD_USCC, name="企业库里的名字")
    count = Enterprise.objects.count()
    act(inspecting, "record_handling", people.inspector1, {**HANDLING, "respondent_uscc": GOOD_USCC.lower()})
    inspecting.refresh_from_db()
    assert inspecting.respondent == existing and inspecting.respondent_uscc == GOOD_USCC
    assert Enterprise.objects.count() == count


@pytest.mark.parametrize("uscc", ["123", "91350100M000100Y4", "91350100M000100YI3"])
def test_r_kb_12_malformed_uscc_refused(uscc, people, inspecting, refused):
    error = refused(inspecting, "record_handling", people.inspector1, {**HANDLING, "respondent_uscc": uscc},
                    InvalidInput)
    assert set(error.errors) == {"respondent_uscc"}


# --- R-KB-13: result, penalty, close --------------------------------------------------------
def test_r_kb_13_handling_records_amount_and_notes_then_close_at_once(people, inspecting, clock):
    act(inspecting, "record_handling", people.inspector1, {**HANDLING, "amount": "4321.5", "notes": "已责令整改"})
    inspecting.refresh_from_db()
    assert (str(inspecting.handling_amount), inspecting.handling_notes) == ("4321.50", "已责令整改")
    assert inspecting.penalty_required is False
    act(inspecting, "close", people.inspector1)
    inspecting.refresh_from_db()
    assert (inspecting.status, inspecting.closed_at) == ("closed", clock())


@pytest.mark.parametrize("data,field", [
    ({"amount": ""}, "amount"), ({"amount": "-5"}, "amount"), ({"amount": "abc"}, "amount"), ({"notes": ""}, "notes"),
])
def test_r_kb_13_handling_amount_and_notes_checked(data, field, people, inspecting, refused):
    error = refused(inspecting, "record_handling", people.inspector1, {**HANDLING, **data}, InvalidInput)
    assert set(error.errors) == {field}


def test_r_kb_13_close_with_penalty_only_after_the_decision(people, inspecting, refused):
    refused(inspecting, "close", people.inspector1, {}, StateConflict)  # nothing handled yet
    act(inspecting, "record_handling", people.inspector1, {**PENALTY_HANDLING, "at": iso(at(9))})
    error = refused(inspecting, "close", people.inspector1, {}, StateConflict)
    assert "处罚决定" in error.message
    act(inspecting, "record_penalty_decision", people.inspector1, {"at": iso(at(11))})
    act(inspecting, "close", people.inspector1)
    inspecting.refresh_from_db()
    assert (inspecting.status, inspecting.penalty_decided_at) == ("closed", at(11))


def test_r_kb_13_penalty_decision_needs_handling_first(people, inspecting, refused):
    refused(inspecting, "record_penalty_decision", people.inspector1, {"at": iso(at(9))}, StateConflict)


# --- R-KB-14: execution after a penalty decision --------------------------------------------
def test_r_kb_14_no_execution_without_a_penalty_decision(people, inspecting, refused):
    act(inspecting, "record_handling", people.inspector1, {**HANDLING, "at": iso(at(9))})
    refused(inspecting, "record_execution", people.inspector1, {"executed_at": iso(at(10))}, StateConflict)
    act(inspecting, "close", people.inspector1)
    refused(inspecting, "record_execution", people.inspector1, {"executed_at": iso(at(10))}, StateConflict)


def test_r_kb_14_execution_while_inspecting_and_after_closing_each_once(people, inspecting, refused):
    act(inspecting, "record_handling", people.inspector1, {**PENALTY_HANDLING, "at": iso(at(9))})
    act(inspecting, "record_penalty_decision", people.inspector1, {"at": iso(at(10))})
    act(inspecting, "record_execution", people.inspector1, {"executed_at": iso(at(10, 30))})  # not closed yet
    inspecting.refresh_from_db()
    assert (inspecting.status, inspecting.executed_at) == ("inspecting", at(10, 30))
    act(inspecting, "close", people.inspector1)
    # each time once: the execution time again is refused, the other one is still open
    error = refused(inspecting, "record_execution", people.inspector1, {"executed_at": iso(at(11))}, StateConflict)
    assert error.message == "执行时间已记录"
    act(inspecting, "record_execution", people.inspector1, {"enforcement_applied_at": iso(at(11))})
    inspecting.refresh_from_db()
    assert (inspecting.status, inspecting.executed_at, inspecting.enforcement_applied_at) == (
        "closed", at(10, 30), at(11))
    refused(inspecting, "record_execution", people.inspector1, {"executed_at": iso(at(11, 30))}, StateConflict)


@pytest.mark.parametrize("data", [{}, {"executed_at": "NOW", "enforcement_applied_at": "NOW"}])
def test_r_kb_14_exactly_one_of_the_two_times(data, people, case_by, refused):
    case = case_by(ACTION_CASES_CLOSED_PENALTY)
    error = refused(case, "record_execution", people.inspector1, _data(data), InvalidInput)
    assert set(error.errors) == {"non_field_errors"}


# --- R-KB-01 / R-KB-02: registration --------------------------------------------------------
def counts():
    return (Case.objects.count(), CaseCompanion.objects.count(), GridRound.objects.count(),
            CaseEvent.objects.count(), InspectorAssignment.objects.count(),
            list(CaseNumberSequence.objects.values_list("year", "last")))


def photo(fmt="PNG"):
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 30), (200, 50, 50)).save(out, format=fmt)
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def private_files(settings):
    return sorted(p for p in settings.PRIVATE_UPLOADS_DIR.rglob("*") if p.is_file())


def test_r_kb_02_internal_registration_to_district_goes_straight_to_the_leader(people):
    result = register_case(actor=people.clerk, data=registration(grid=DISTRICT), source=CaseSource.INTERNAL)
    case = result.case
    assert (result.duplicate, case.status, case.grid.code) == (False, "awaiting_assignment", DISTRICT)
    assert not GridRound.objects.filter(case=case).exists()
    event = case.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor_id) == (
        "register", "", "awaiting_assignment", people.clerk.pk)
    for worker in (people.grid1, people.grid2):
        assert not case_list_for(worker).filter(pk=case.pk).exists()
    assert {a.name for a in allowed_actions(case, people.leader)} == {"assign"}
    act(case, "assign", people.leader, {"inspector": "k_inspector1"})


def test_r_kb_02_internal_registration_to_a_street_grid(people):
    case = register_case(actor=people.clerk, data=registration(grid=G2, channel="phone"),
                         source=CaseSource.INTERNAL).case
    assert (case.status, case.grid.code, case.channel.code, case.source) == ("grid_pending", G2, "phone", "internal")
    round_ = GridRound.objects.get(case=case)
    assert (round_.grid.code, round_.open_case_id, round_.accepted_at) == (G2, case.pk, None)
    assert case.registered_by == people.clerk


@pytest.mark.parametrize("who", ["grid1", "inspector1", "leader", "anonymous"])
def test_r_kb_02_internal_registration_needs_the_permission(who, people):
    before = counts()
    actor = None if who == "anonymous" else getattr(people, who)
    with pytest.raises(ActionForbidden):
        register_case(actor=actor, data=registration(), source=CaseSource.INTERNAL)
    assert counts() == before


def test_r_kb_01_public_registration(people, settings):
    result = register_case(actor=None, data=registration(grid=G2, channel="", photo=photo()), source=CaseSource.PUBLIC)
    case = result.case
    assert (case.status, case.source, case.channel.code, case.registered_by) == (
        "grid_pending", "public", "qr_public", None)
    assert case.reporter_photo and len(private_files(settings)) == 1
    event = case.events.get()
    assert (event.actor_id, event.actor_name, event.to_status) == (None, "群众", "grid_pending")


def test_r_kb_01_public_registration_cannot_choose_the_district(people, settings):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        register_case(actor=None, data=registration(grid=DISTRICT, photo=photo()), source=CaseSource.PUBLIC)
    assert set(exc.value.errors) == {"grid"}
    assert counts() == before and private_files(settings) == []


REQUIRED_INTERNAL = {"reporter_name", "reporter_id_number", "reporter_phone", "respondent_name", "reason", "grid",
                     "demand", "channel"}


@pytest.mark.parametrize("source", ["internal", "public"])
def test_r_kb_01_02_empty_registration_names_every_field_saves_nothing(source, people, settings):
    empty = registration(reporter_name="", reporter_id_number="", reporter_phone="", respondent_name="", reason="",
                         grid="", demand="", channel="")
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        register_case(actor=people.clerk if source == "internal" else None, data=empty, source=source)
    expected = REQUIRED_INTERNAL if source == "internal" else REQUIRED_INTERNAL - {"channel"} | {"photo"}
    assert set(exc.value.errors) == expected
    assert all(chinese(m) for messages in exc.value.errors.values() for m in messages)
    assert counts() == before


def test_registration_bad_values_each_named_companions_by_row(people, settings):
    reporter_id = "11010519491231002X"
    data = registration(
        reporter_name="张" * 51, reporter_id_number="110105194912310021", reporter_phone="12345",
        respondent_name="某公司", respondent_uscc="ABC", reason="no_such_reason", grid="999", demand="x" * 2001,
        channel="no_such_channel",
        companions=[{"name": "", "id_number": "123", "phone": "555"},
                    {"name": "李四", "id_number": reporter_id, "phone": ""},
                    {"name": "王五", "id_number": "440524196001010014", "phone": "13900139000"},
                    {"name": "赵六", "id_number": "440524196001010014", "phone": ""}],
    )
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        register_case(actor=people.clerk, data=data, source=CaseSource.INTERNAL)
    errors = exc.value.errors
    assert set(errors) == {
        "reporter_name", "reporter_id_number", "reporter_phone", "respondent_uscc", "reason", "grid", "demand",
        "channel", "companions[0].name", "companions[0].id_number", "companions[0].phone", "companions"}
    assert all(chinese(m) for messages in errors.values() for m in messages)
    assert counts() == before
    # the reporter's own ID number among the companions
    data = registration(reporter_id_number=reporter_id, companions=[{"name": "李四", "id_number": reporter_id}])
    with pytest.raises(InvalidInput) as exc:
        register_case(actor=people.clerk, data=data, source=CaseSource.INTERNAL)
    assert set(exc.value.errors) == {"companions[0].id_number"}
    assert counts() == before


def test_registration_with_companions_saved_in_order(people):
    case = register_case(actor=people.clerk, data=registration(companions=[
        {"name": "李四", "id_number": "440524196001010014", "phone": "13900139000"},
        {"name": "王五", "id_number": "11010519491231002X", "phone": ""}]), source=CaseSource.INTERNAL).case
    assert [(c.name, c.id_number, c.phone) for c in case.companions.all()] == [
        ("李四", "440524196001010014", "13900139000"), ("王五", "11010519491231002X", "")]
    assert case.events.get().payload["companions"] == 2


def test_public_registration_error_leaves_no_photo_behind(people, settings):
    before = counts()
    with pytest.raises(InvalidInput):
        register_case(actor=None, data=registration(demand="", photo=photo()), source=CaseSource.PUBLIC)
    assert counts() == before and private_files(settings) == []


def test_registration_checksum_failing_uscc_needs_confirmation(people):
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        register_case(actor=people.clerk, data=registration(respondent_uscc=BAD_CHECKSUM_USCC),
                      source=CaseSource.INTERNAL)
    assert set(exc.value.errors) == {"respondent_uscc"}
    assert counts() == before
    case = register_case(actor=people.clerk, data=registration(respondent_uscc=BAD_CHECKSUM_USCC,
                                                              respondent_uscc_confirmed=True),
                         source=CaseSource.INTERNAL).case
    assert case.respondent.uscc == BAD_CHECKSUM_USCC and case.respondent.uscc_checksum_ok is False


def test_duplicate_within_ten_minutes_returns_the_first_case(people, fake_clock):
    """R-KB-01: the same person, the same complaint, moments later → the first case's number."""
    data = registration()
    first = register_case(actor=None, data=_public(data), source=CaseSource.PUBLIC)
    before = counts()
    fake_clock.advance(timedelta(minutes=9, seconds=59))
    again = register_case(actor=None, data=_public(data), source=CaseSource.PUBLIC)
    assert (again.duplicate, again.case.pk, again.case.number) == (True, first.case.pk, first.case.number)
    assert counts() == before
    fake_clock.advance(timedelta(seconds=2))  # 10 minutes and 1 second after the first
    later = register_case(actor=None, data=_public(data), source=CaseSource.PUBLIC)
    assert later.duplicate is False and later.case.pk != first.case.pk
    assert Case.objects.count() == before[0] + 1


def test_a_different_complaint_is_not_a_duplicate(people, fake_clock):
    data = registration()
    first = register_case(actor=None, data=_public(data), source=CaseSource.PUBLIC)
    data.demand = data.demand + "，另要求支付加班费"
    other = register_case(actor=None, data=_public(data), source=CaseSource.PUBLIC)
    assert other.duplicate is False and other.case.pk != first.case.pk


def _public(data):
    import copy

    data = copy.copy(data)
    data.photo = photo()
    data.channel = ""
    return data


def test_case_numbers_per_year_in_shanghai_time(people, fake_clock):
    """KB<year>-000001, incrementing per year; the year is Asia/Shanghai's."""

    def number_at(when):
        fake_clock.set(when)
        return register_case(actor=people.clerk, data=registration(), source=CaseSource.INTERNAL).case.number

    assert number_at(dt.datetime(2026, 3, 1, 9, 0, tzinfo=SH)) == "KB2026-000001"
    assert number_at(dt.datetime(2026, 3, 1, 9, 5, tzinfo=SH)) == "KB2026-000002"
    assert number_at(dt.datetime(2026, 12, 31, 23, 30, tzinfo=SH)) == "KB2026-000003"
    # 2027-01-01 00:10 in Shanghai is still 2026-12-31 in UTC
    assert number_at(dt.datetime(2027, 1, 1, 0, 10, tzinfo=SH)) == "KB2027-000001"
    assert number_at(dt.datetime(2027, 1, 1, 0, 20, tzinfo=SH)) == "KB2027-000002"
    # a refused registration takes no number
    with pytest.raises(InvalidInput):
        register_case(actor=people.clerk, data=registration(demand=""), source=CaseSource.INTERNAL)
    assert number_at(dt.datetime(2027, 1, 1, 0, 30, tzinfo=SH)) == "KB2027-000003"
