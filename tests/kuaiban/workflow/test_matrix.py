"""The kuaiban workflow table, exhaustively (issue #3 "Tests": every state × every action).

1. ``workflow.ACTIONS`` equals the table of the architecture document
   (/work/shared/design/architecture.md, "Kuaiban workflow"), hard-coded here:
   a change to workflow.py that departs from the document fails.
2. For every status (9) × every action (16) — plus the inspector sub-states
   the milestone rules (R-KB-11…14) depend on — a case is brought to that
   status through the real service and the action is performed by the user
   whose job it is, with valid input. Allowed by the table (and the case's
   milestones) → the table's new status and exactly one timeline row with the
   entered values (R-KB-20). Not allowed → StateConflict (409) and not one
   row changed.

The actors can see the case in every status, so only the status decides:
grid worker 五星 (the cases reach the later states through a failed
mediation, which keeps them visible to that grid, R-KB-06), the clerk, the
leader, and for the inspector's actions an inspector who is also a district
clerk (an inspector alone sees only the cases assigned to them — covered in
test_workflow_rules.py and test_visibility.py).
"""

from __future__ import annotations

import datetime as dt

import pytest

from zhonglou_hrss.core.errors import StateConflict
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban import workflow
from zhonglou_hrss.kuaiban.models import CaseEvent, CaseStatus
from zhonglou_hrss.kuaiban.services.events import to_json
from zhonglou_hrss.kuaiban.services.transitions import allowed_actions, perform

from tests.kuaiban.conftest import db_snapshot

pytestmark = pytest.mark.django_db

STATUSES = ["grid_pending", "grid_handling", "grid_resolved", "district_triage", "awaiting_assignment",
            "awaiting_claim", "inspecting", "closed", "ended_invalid"]

# --- the architecture document's table, by hand ----------------------------------------
# | status | 中文 | next actions (role) |   ("reassign (leader)" is the `assign` action again)
DOC_STATUS_LABELS = {
    "grid_pending": "待网格接收",
    "grid_handling": "网格处置中",
    "grid_resolved": "网格调解成功",
    "district_triage": "区平台研判",
    "awaiting_assignment": "待领导指派",
    "awaiting_claim": "待监察员认领",
    "inspecting": "监察处置中",
    "closed": "已办结",
    "ended_invalid": "正常结束",
}
DOC_NEXT_ACTIONS = {
    "grid_pending": {"grid_accept", "grid_return"},
    "grid_handling": {"grid_resolve", "grid_fail", "grid_return"},
    "grid_resolved": set(),
    "district_triage": {"triage_invalid", "triage_regrid", "triage_escalate"},
    "awaiting_assignment": {"assign"},
    "awaiting_claim": {"claim", "return_to_leader", "assign"},
    "inspecting": {"record_filing", "record_investigation", "record_handling", "record_penalty_decision", "close"},
    "closed": {"record_execution"},
    "ended_invalid": set(),
}
# The one place where the code knowingly goes beyond the document's table:
# R-KB-14 says execution may be added after a penalty decision "whether or not
# the case is closed", so record_execution is allowed while inspecting too.
# Issue 11 item 13: the leader moves a claimed case to another inspector
# (sick leave, a conflict of interest) with a reason.
BEYOND_DOC = {("inspecting", "record_execution"), ("inspecting", "reassign")}

NEXT_ACTIONS = {status: DOC_NEXT_ACTIONS[status] | {a for s, a in BEYOND_DOC if s == status} for status in STATUSES}

# Where each action leads (None: the status stays — milestones, execution).
DOC_TO_STATE = {
    "grid_accept": "grid_handling",  # R-KB-03
    "grid_resolve": "grid_resolved",  # R-KB-04
    "grid_fail": "district_triage",  # R-KB-06: back to the district platform
    "grid_return": "district_triage",  # R-KB-07: back to the district clerks
    "triage_invalid": "ended_invalid",  # R-KB-08 (a) 正常结束
    "triage_regrid": "grid_pending",  # R-KB-08 (b) back to R-KB-03 for the new grid
    "triage_escalate": "awaiting_assignment",  # R-KB-08 (c) to the leader
    "assign": "awaiting_claim",  # R-KB-09
    "reassign": None,  # issue 11 item 13: still inspecting, by the new inspector
    "claim": "inspecting",  # R-KB-10
    "return_to_leader": "awaiting_assignment",  # R-KB-10
    "record_filing": None,  # R-KB-11
    "record_investigation": None,
    "record_handling": None,  # R-KB-12/13
    "record_penalty_decision": None,  # R-KB-13
    "close": "closed",  # R-KB-13
    "record_execution": None,  # R-KB-14
}
# The role column, as the permission the code checks (house rule 4) and the
# one fixture role that holds it (fixtures/base/roles.toml).
GRID_ACTIONS = {"grid_accept", "grid_resolve", "grid_fail", "grid_return"}
TRIAGE_ACTIONS = {"triage_invalid", "triage_regrid", "triage_escalate"}
INSPECTOR_ACTIONS = {"claim", "return_to_leader", "record_filing", "record_investigation", "record_handling",
                     "record_penalty_decision", "close", "record_execution"}
DOC_ROLE = {**{a: "grid_worker" for a in GRID_ACTIONS}, **{a: "district_clerk" for a in TRIAGE_ACTIONS},
            "assign": "leader", "reassign": "leader", **{a: "inspector" for a in INSPECTOR_ACTIONS}}
DOC_SCOPE = {**{a: workflow.SCOPE_GRID for a in GRID_ACTIONS}, **{a: workflow.SCOPE_ANY for a in TRIAGE_ACTIONS},
             "assign": workflow.SCOPE_ANY, "reassign": workflow.SCOPE_ANY, **{a: workflow.SCOPE_ASSIGNEE for a in INSPECTOR_ACTIONS}}
ALL_ROLES = ["admin", "district_clerk", "leader", "inspector", "grid_worker", "portal_staff", "credit_staff",
             "enterprise_user", "hr_company_user"]


def test_actions_are_the_documents():
    assert set(workflow.ACTIONS) == set(DOC_TO_STATE)
    assert len(workflow.ACTIONS) == 17
    assert {s.value for s in CaseStatus} == set(STATUSES)


@pytest.mark.parametrize("status", STATUSES)
def test_status_labels_and_next_actions_are_the_documents(status):
    assert CaseStatus(status).label == DOC_STATUS_LABELS[status]
    assert {a.name for a in workflow.actions_from(status)} == NEXT_ACTIONS[status]


@pytest.mark.parametrize("action", sorted(DOC_TO_STATE))
def test_action_target_scope_and_role_are_the_documents(action):
    spec = workflow.ACTIONS[action]
    assert spec.to_state == DOC_TO_STATE[action]
    assert spec.from_states == {s for s in STATUSES if action in NEXT_ACTIONS[s]}
    assert spec.scope == DOC_SCOPE[action]
    app_label, codename = spec.permission.split(".")
    holders = {code for code in ALL_ROLES
               if role_group(code).permissions.filter(content_type__app_label=app_label, codename=codename).exists()}
    assert holders == {DOC_ROLE[action]}, f"{action}: {spec.permission} held by {holders}"


def test_done_states():
    """grid_resolved and ended_invalid have no next action; closed only the late execution record."""
    assert workflow.DONE_STATES == {"grid_resolved", "closed", "ended_invalid"}
    assert workflow.COMPLETED_STATES == {"grid_resolved", "closed"}


# --- the matrix ---------------------------------------------------------------------------
BUILT_AT = dt.datetime.fromisoformat("2026-06-01T07:00:00+08:00")  # the clock while the case is built
SETUP_AT = "2026-06-01T07:00:00+08:00"  # milestones entered while building the case
ACTED_AT = dt.datetime.fromisoformat("2026-06-01T10:00:00+08:00")  # the clock for the action under test
CELL_AT = "2026-06-01T09:00:00+08:00"  # the time the action under test enters
HANDLING_SETUP = {"at": SETUP_AT, "amount": "3000", "notes": "责令支付工资", "respondent_uscc": "91350100M000100Y43",
                  "attributed_grid": "320404001"}
INSPECTOR = "k_insp_clerk"  # see the module docstring

_TO_AWAITING_CLAIM = [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
                      ("triage_escalate", "clerk", {}), ("assign", "leader", {"inspector": INSPECTOR})]
_TO_INSPECTING = _TO_AWAITING_CLAIM + [("claim", "insp", {})]
# name -> (status, steps, actions the table allows here that the milestones refuse)
SITUATIONS = {
    "grid_pending": ("grid_pending", [], set()),
    "grid_handling": ("grid_handling", [("grid_accept", "grid1", {})], set()),
    "grid_resolved": ("grid_resolved", [("grid_accept", "grid1", {}), ("grid_resolve", "grid1", {
        "resolution_way": "mediation", "amount": "1200", "notes": "已调解"})], set()),
    "district_triage": ("district_triage", _TO_AWAITING_CLAIM[:2], set()),
    "awaiting_assignment": ("awaiting_assignment", _TO_AWAITING_CLAIM[:3], set()),
    "awaiting_claim": ("awaiting_claim", _TO_AWAITING_CLAIM, set()),
    "inspecting": ("inspecting", _TO_INSPECTING, {"record_penalty_decision", "close", "record_execution"}),
    "closed": ("closed", _TO_INSPECTING + [("record_handling", "insp", HANDLING_SETUP), ("close", "insp", {})],
               {"record_execution"}),
    "ended_invalid": ("ended_invalid", _TO_AWAITING_CLAIM[:2] + [("triage_invalid", "clerk", {"reason": "重复投诉"})],
                      set()),
    # Inspector sub-states (R-KB-11…14): the status alone does not decide.
    "inspecting/filed": ("inspecting", _TO_INSPECTING + [("record_filing", "insp", {"at": SETUP_AT})],
                         {"record_filing", "record_penalty_decision", "close", "record_execution"}),
    "inspecting/investigated": (
        "inspecting", _TO_INSPECTING + [("record_investigation", "insp", {"at": SETUP_AT})],
        {"record_filing", "record_investigation", "record_penalty_decision", "close", "record_execution"}),
    "inspecting/handled": ("inspecting", _TO_INSPECTING + [("record_handling", "insp", HANDLING_SETUP)],
                           {"record_filing", "record_investigation", "record_handling", "record_execution"}),
    "inspecting/handled_penalty": (
        "inspecting", _TO_INSPECTING + [("record_handling", "insp", {**HANDLING_SETUP, "penalty_required": True})],
        {"record_filing", "record_investigation", "record_handling", "close", "record_execution"}),
    "inspecting/penalty_decided": (
        "inspecting", _TO_INSPECTING + [("record_handling", "insp", {**HANDLING_SETUP, "penalty_required": True}),
                                        ("record_penalty_decision", "insp", {"at": SETUP_AT})],
        {"record_filing", "record_investigation", "record_handling", "record_penalty_decision"}),
    "closed/penalty_decided": (
        "closed", _TO_INSPECTING + [("record_handling", "insp", {**HANDLING_SETUP, "penalty_required": True}),
                                    ("record_penalty_decision", "insp", {"at": SETUP_AT}), ("close", "insp", {})],
        set()),
}

# Valid input of each action, and the values the timeline must show for it.
CELL_DATA = {
    "grid_accept": {},
    "grid_resolve": {"resolution_way": "mediation", "amount": "1200.5", "notes": "企业当场支付"},
    "grid_fail": {"notes": "企业拒绝调解"},
    "grid_return": {"reason": "不属于本网格"},
    "triage_invalid": {"reason": "重复投诉"},
    "triage_regrid": {"grid": "320404002"},
    "triage_escalate": {},
    "assign": {"inspector": "k_inspector2"},
    "reassign": {"inspector": "k_inspector2", "reason": "原监察员病假"},
    "claim": {},
    "return_to_leader": {"reason": "需回避"},
    "record_filing": {"at": CELL_AT},
    "record_investigation": {"at": CELL_AT},
    "record_handling": {"at": CELL_AT, "amount": "8000", "notes": "责令支付拖欠工资", "respondent_uscc": "91350100M000100Y43",
                        "attributed_grid": "320404002"},
    "record_penalty_decision": {"at": CELL_AT},
    "close": {},
    "record_execution": {"executed_at": CELL_AT},
}


def expected_payload(action: str, status: str) -> dict:
    g1, g2 = (Grid.objects.get(code=c).name for c in ("320404001", "320404002"))
    at = to_json(dt.datetime.fromisoformat(CELL_AT))
    payloads = {
        "grid_accept": {"grid": g1},
        "grid_resolve": {"grid": g1, "resolution_way": "调解协商", "amount": "1200.50", "notes": "企业当场支付"},
        "grid_fail": {"grid": g1, "notes": "企业拒绝调解"},
        "grid_return": {"grid": g1, "reason": "不属于本网格"},
        "triage_invalid": {"reason": "重复投诉"},
        "triage_regrid": {"grid": g2},
        "triage_escalate": {},
        "assign": {"inspector": "赵监察", **({"previous_inspector": "内勤兼监察"} if status == "awaiting_claim" else {})},
        "reassign": {"inspector": "赵监察", "previous_inspector": "内勤兼监察", "reason": "原监察员病假"},
        "claim": {},
        "return_to_leader": {"reason": "需回避"},
        "record_filing": {"at": at},
        "record_investigation": {"at": at},
        "record_handling": {"at": at, "amount": "8000.00", "notes": "责令支付拖欠工资",
                            "respondent_uscc": "91350100M000100Y43", "attributed_grid": g2, "penalty_required": "否"},
        "record_penalty_decision": {"at": at},
        "close": {},
        "record_execution": {"executed_at": at},
    }
    return payloads[action]


# The users: the kuaiban ``people`` (same usernames and names) and the inspector-clerk.
USERS = {
    "clerk": ("k_clerk", ["district_clerk"], [], "王内勤"),
    "leader": ("k_leader", ["leader"], [], "李科长"),
    "inspector1": ("k_inspector1", ["inspector"], [], "张监察"),
    "inspector2": ("k_inspector2", ["inspector"], [], "赵监察"),
    "grid1": ("k_grid1", ["grid_worker"], ["320404001"], "五星网格员"),
    "insp": (INSPECTOR, ["inspector", "district_clerk"], [], "内勤兼监察"),
}


def _build_situations():
    from unittest import mock

    from zhonglou_hrss.core import clock
    from zhonglou_hrss.core.models import User
    from zhonglou_hrss.kuaiban.models import CaseSource
    from zhonglou_hrss.kuaiban.services.registration import register_case

    from tests.kuaiban.conftest import registration

    users = {}
    for key, (username, roles, grids, name) in USERS.items():
        user = User.objects.create(username=username, name=name)
        user.set_unusable_password()
        user.save()
        user.groups.set([role_group(code) for code in roles])
        user.grids.set(Grid.objects.filter(code__in=grids))
        users[key] = user
    cases = {}
    with mock.patch.object(clock, "now", lambda: BUILT_AT):
        for name, (status, steps, _) in SITUATIONS.items():
            case = register_case(actor=users["clerk"], data=registration(), source=CaseSource.INTERNAL).case
            for action, who, data in steps:
                perform(case_id=case.pk, action=action, actor=users[who], data=dict(data))
            case.refresh_from_db()
            assert case.status == status, name
            cases[name] = case.pk
    return {key: user.pk for key, user in users.items()}, cases


@pytest.fixture(scope="module")
def situations(django_db_setup, django_db_blocker):
    """Every situation built once for the module, inside a transaction rolled back
    at its end; each cell runs in its own savepoint within it, as usual."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_situations()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def actor_for(action: str, users: dict):
    """The user whose job the action is (a fresh object: no permission cache from the build)."""
    from zhonglou_hrss.core.models import User

    if action in GRID_ACTIONS:
        key = "grid1"  # a worker of 五星街道, the case's grid
    elif action in TRIAGE_ACTIONS:
        key = "clerk"
    elif action in ("assign", "reassign"):
        key = "leader"
    else:
        key = "insp"  # the inspector the case is (or would be) assigned to
    return User.objects.get(pk=users[key])


@pytest.mark.parametrize("action", list(CELL_DATA))
@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_matrix(situation, action, situations, fake_clock):
    """R-KB-03…14 / R-KB-20: the table decides, with one event or no change at all."""
    from zhonglou_hrss.kuaiban.models import Case

    users, cases = situations
    status, _, refused_here = SITUATIONS[situation]
    fake_clock.set(ACTED_AT)
    case = Case.objects.get(pk=cases[situation])
    assert case.status == status
    actor = actor_for(action, users)
    allowed = action in NEXT_ACTIONS[status] and action not in refused_here
    before = db_snapshot(case.pk)
    events_before = set(case.events.values_list("pk", flat=True))

    assert (action in {a.name for a in allowed_actions(case, actor)}) == allowed  # the buttons agree

    if not allowed:
        with pytest.raises(StateConflict) as exc:
            perform(case_id=case.pk, action=action, actor=actor, data=dict(CELL_DATA[action]))
        assert exc.value.status == 409 and exc.value.message
        assert db_snapshot(case.pk) == before
        return

    outcome = perform(case_id=case.pk, action=action, actor=actor, data=dict(CELL_DATA[action]))
    case.refresh_from_db()
    to_state = DOC_TO_STATE[action] or status
    assert case.status == to_state
    new_events = CaseEvent.objects.filter(case=case).exclude(pk__in=events_before)
    assert new_events.count() == 1
    event = new_events.get()
    assert event.pk == outcome.event_id
    assert (event.action, event.from_status, event.to_status) == (action, status, to_state)
    assert event.actor_id == actor.pk and event.actor_name == actor.name
    assert event.at == ACTED_AT
    assert event.payload == expected_payload(action, status)
