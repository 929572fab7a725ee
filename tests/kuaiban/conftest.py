"""Kuaiban test helpers: people of every role, cases in any state."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from zhonglou_hrss.core import clock

from zhonglou_hrss.kuaiban.models import Case, CaseSource
from zhonglou_hrss.kuaiban.services.registration import CompanionInput, RegistrationInput, register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

VALID_IDS = ["11010519491231002X", "440524196001010014"]
_serial = itertools.count(1)


def id_number_for(n: int) -> str:
    """A checksum-valid, made-up ID number (320404 + birth date + serial)."""
    from zhonglou_hrss.core.validators import id_number_check_char

    body = f"320404{1980 + n % 30}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return body + id_number_check_char(body)


def registration(**overrides) -> RegistrationInput:
    n = next(_serial)
    data = dict(
        reporter_name="张三", reporter_id_number=id_number_for(n), reporter_phone="13800138000",
        companions=[], respondent_name=f"常州测试机械有限公司{n}", respondent_uscc="", reason="wage_arrears",
        grid="320404001", demand=f"要求支付拖欠的工资（{n}）", channel="walk_in",
    )
    data.update(overrides)
    if data["companions"] and isinstance(data["companions"][0], dict):
        data["companions"] = [CompanionInput(**c) for c in data["companions"]]
    return RegistrationInput(**data)


def make_people(create):
    """One user per kuaiban role; grid workers of 五星街道 (001) and 永红街道 (002)."""

    class People:
        clerk = create("k_clerk", roles=["district_clerk"], name="王内勤")
        leader = create("k_leader", roles=["leader"], name="李科长")
        inspector1 = create("k_inspector1", roles=["inspector"], name="张监察")
        inspector2 = create("k_inspector2", roles=["inspector"], name="赵监察")
        grid1 = create("k_grid1", roles=["grid_worker"], grids=["320404001"], name="五星网格员")
        grid2 = create("k_grid2", roles=["grid_worker"], grids=["320404002"], name="永红网格员")
        admin = create("k_admin", roles=["admin"], name="管理员")

    return People


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def world(people, make_user):
    """Cases and petitions registered at given moments and moved through steps
    (tests/kuaiban/figures_known.py)."""
    from tests.kuaiban.figures_known import World, grid_users

    return World(people, *grid_users(make_user))


@pytest.fixture(scope="module")
def known_world(module_db):
    """The figures' KNOWN set, built once per test module (its people too)."""
    from tests.conftest import create_user
    from tests.kuaiban.figures_known import World, build_known, grid_users

    return build_known(World(make_people(create_user), *grid_users(create_user)))


@pytest.fixture
def known(known_world, db):
    """The KNOWN set (read-only for the test; what a test adds is rolled back)."""
    return known_world


@pytest.fixture
def new_case(people):
    """new_case(grid="320404001", **fields) -> a registered internal case."""

    def _new(**overrides) -> Case:
        return register_case(actor=people.clerk, data=registration(**overrides), source=CaseSource.INTERNAL).case

    return _new


HANDLING = {"amount": "3000", "notes": "责令支付工资", "respondent_uscc": "91350100M000100Y43",
            "attributed_grid": "320404001"}

# How to bring a fresh case (in grid 320404001) to each status: (action, who, data) steps.
PATHS = {
    "grid_pending": [],
    "grid_handling": [("grid_accept", "grid1", {})],
    "grid_resolved": [("grid_accept", "grid1", {}),
                      ("grid_resolve", "grid1", {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"})],
    "district_triage": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"})],
    "awaiting_assignment": [("grid_return", "grid1", {"reason": "不属于本网格"}), ("triage_escalate", "clerk", {})],
    "awaiting_claim": [("grid_return", "grid1", {"reason": "不属于本网格"}), ("triage_escalate", "clerk", {}),
                       ("assign", "leader", {"inspector": "k_inspector1"})],
    "inspecting": [("grid_return", "grid1", {"reason": "不属于本网格"}), ("triage_escalate", "clerk", {}),
                   ("assign", "leader", {"inspector": "k_inspector1"}), ("claim", "inspector1", {})],
    "closed": [("grid_return", "grid1", {"reason": "不属于本网格"}), ("triage_escalate", "clerk", {}),
               ("assign", "leader", {"inspector": "k_inspector1"}), ("claim", "inspector1", {}),
               ("record_handling", "inspector1", HANDLING), ("close", "inspector1", {})],
    "ended_invalid": [("grid_return", "grid1", {"reason": "不属于本网格"}),
                      ("triage_invalid", "clerk", {"reason": "重复投诉"})],
}


@pytest.fixture
def case_in(people, new_case):
    """case_in("inspecting") -> a case brought to that status through the real service."""

    def _make(status: str, **overrides) -> Case:
        # Registered a day ago, so milestones "earlier today" come after registration.
        with clock.at(clock.now() - timedelta(days=1)):
            case = new_case(**overrides)
        for action, who, data in PATHS[status]:
            perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
        case.refresh_from_db()
        assert case.status == status
        return case

    return _make


# --- added for the workflow / visibility / overdue / concurrency tests ----------------
class FakeClock:
    """The one clock (``zhonglou_hrss.core.clock.now``), held still and moved by hand."""

    def __init__(self, start):
        self.current = start

    def __call__(self):
        return self.current

    def set(self, when):
        self.current = when
        return when

    def advance(self, delta):
        self.current = self.current + delta
        return self.current


@pytest.fixture
def fake_clock(monkeypatch):
    """fake_clock.set(aware_datetime) / fake_clock.advance(timedelta); starts at
    2026-06-01 10:00 Asia/Shanghai."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from zhonglou_hrss.core import clock

    fake = FakeClock(dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    monkeypatch.setattr(clock, "now", fake)
    return fake


# Routes that keep the case visible to the workers of its first grid: a failed
# mediation (grid_fail, R-KB-06) instead of a return (grid_return, R-KB-07).
FAIL_PATHS = {
    "grid_pending": [],
    "grid_handling": [("grid_accept", "grid1", {})],
    "grid_resolved": PATHS["grid_resolved"],
    "district_triage": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"})],
    "awaiting_assignment": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
                            ("triage_escalate", "clerk", {})],
    "awaiting_claim": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
                       ("triage_escalate", "clerk", {}), ("assign", "leader", {"inspector": "k_inspector1"})],
    "inspecting": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
                   ("triage_escalate", "clerk", {}), ("assign", "leader", {"inspector": "k_inspector1"}),
                   ("claim", "inspector1", {})],
    "closed": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
               ("triage_escalate", "clerk", {}), ("assign", "leader", {"inspector": "k_inspector1"}),
               ("claim", "inspector1", {}), ("record_handling", "inspector1", HANDLING),
               ("close", "inspector1", {})],
    "ended_invalid": [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
                      ("triage_invalid", "clerk", {"reason": "重复投诉"})],
}


@pytest.fixture
def run_steps(people):
    """run_steps(case, [(action, who, data), ...]) through the real service;
    ``who`` is a ``people`` attribute or a user."""

    def _run(case: Case, steps) -> Case:
        for action, who, data in steps:
            actor = getattr(people, who) if isinstance(who, str) else who
            perform(case_id=case.pk, action=action, actor=actor, data=dict(data))
        case.refresh_from_db()
        return case

    return _run


@pytest.fixture
def case_by(new_case, run_steps):
    """case_by(steps, **registration_overrides) -> a new case taken through these steps."""

    def _make(steps, **overrides) -> Case:
        return run_steps(new_case(**overrides), steps)

    return _make


def db_snapshot(case_id) -> dict:
    """Every row a transition may touch, to prove a refused one changed nothing."""
    from zhonglou_hrss.core.models import Enterprise
    from zhonglou_hrss.kuaiban.models import (
        CaseCompanion, CaseEvent, CaseNumberSequence, GridRound, InspectorAssignment,
    )

    return {
        "case": list(Case.objects.filter(pk=case_id).values()),
        "rounds": list(GridRound.objects.filter(case_id=case_id).order_by("pk").values()),
        "assignments": list(InspectorAssignment.objects.filter(case_id=case_id).order_by("pk").values()),
        "events": list(CaseEvent.objects.filter(case_id=case_id).order_by("pk").values()),
        "companions": list(CaseCompanion.objects.filter(case_id=case_id).order_by("pk").values()),
        "enterprises": list(Enterprise.objects.order_by("pk").values("pk", "uscc", "name", "uscc_checksum_ok")),
        "sequences": list(CaseNumberSequence.objects.order_by("pk").values()),
        "all_counts": (Case.objects.count(), GridRound.objects.count(), InspectorAssignment.objects.count(),
                       CaseEvent.objects.count()),
    }
