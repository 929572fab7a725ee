"""benchmarks/generate.py --cases: generated cases look exactly like cases the
services wrote — status agrees with rounds, assignments, timestamps and the
timeline; visibility (R-KB-16) and overdue (R-KB-05) select the expected sets;
numbers continue the per-year sequence; personal data is encrypted."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from zhonglou_hrss.core import clock, pii
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban.selectors import cases as selectors
from zhonglou_hrss.kuaiban.models import (
    Case,
    CaseCompanion,
    CaseEvent,
    CaseNumberSequence,
    CaseSource,
    CaseStatus,
    GridOutcome,
    GridRound,
    InspectorAssignment,
)
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import allowed_actions, perform

from tests.bench_generator import gen
from tests.kuaiban.conftest import registration

pytestmark = pytest.mark.django_db
S = CaseStatus
OPEN_STATES = {S.GRID_PENDING, S.GRID_HANDLING, S.DISTRICT_TRIAGE, S.AWAITING_ASSIGNMENT, S.AWAITING_CLAIM,
               S.INSPECTING}
ROUND_OUTCOME_ACTIONS = {"grid_resolve": GridOutcome.SUCCESS, "grid_fail": GridOutcome.FAILED,
                         "grid_return": GridOutcome.RETURNED}




@pytest.fixture
def staff(people, make_user):
    """The kuaiban people plus a grid worker for every other street grid (the
    generator acts as a worker of the grid a case is with)."""
    workers = {"320404001": people.grid1, "320404002": people.grid2}
    for grid in Grid.objects.selectable().street_level():
        if grid.code not in workers:
            workers[grid.code] = make_user(f"k_grid_{grid.code}", roles=["grid_worker"], grids=[grid.code])
    people.workers = workers
    return people


def check_case(case: Case, rounds: list, assignments: list, events: list, now) -> None:
    """Every rule the transition service keeps, on one generated case."""
    where = f"{case.number} ({case.status})"
    # Timeline: register first, then a chain of transitions ending in the status.
    assert events and events[0].action == "register" and events[0].from_status == "", where
    assert events[0].at == case.created_at
    for before, after in zip(events, events[1:]):
        assert after.from_status == before.to_status, where
        assert after.at >= before.at, where
    assert events[-1].to_status == case.status, where
    assert all(e.at <= now for e in events), where
    assert case.updated_at == events[-1].at, where
    actions = Counter(e.action for e in events)

    # Grid rounds: at most one open; open ⇔ no outcome; one event per step.
    open_rounds = [r for r in rounds if r.open_case_id is not None]
    assert len(open_rounds) <= 1, where
    for r in rounds:
        assert (r.open_case_id is None) == bool(r.outcome), where
        assert r.accepted_at is None or r.accepted_at >= r.sent_at, where
        if r.outcome:
            assert r.outcome_at and r.outcome_by_id, where
        if r.outcome == GridOutcome.SUCCESS:
            assert r.resolution_way_id and r.amount is not None, where
    assert actions["grid_accept"] == sum(1 for r in rounds if r.accepted_at), where
    for action, outcome in ROUND_OUTCOME_ACTIONS.items():
        assert actions[action] == sum(1 for r in rounds if r.outcome == outcome), where
    if case.grid.kind == Grid.Kind.DISTRICT:
        assert not rounds and events[0].to_status == S.AWAITING_ASSIGNMENT, where
    else:
        assert len(rounds) == 1 + actions["triage_regrid"], where
        assert rounds[-1].grid_id == case.grid_id, where

    if case.status in (S.GRID_PENDING, S.GRID_HANDLING):
        assert open_rounds and open_rounds[0].grid_id == case.grid_id, where
        assert (open_rounds[0].accepted_at is None) == (case.status == S.GRID_PENDING), where
        assert case.grid_accepted_at == open_rounds[0].accepted_at, where
    else:
        assert not open_rounds and case.grid_accepted_at is None, where
    if case.status == S.GRID_RESOLVED:
        assert rounds[-1].outcome == GridOutcome.SUCCESS, where
    if case.status == S.DISTRICT_TRIAGE:
        assert rounds[-1].outcome in (GridOutcome.FAILED, GridOutcome.RETURNED), where

    # Assignments: at most one current; current ⇔ waiting for claim, inspecting or closed.
    current = [a for a in assignments if a.open_case_id is not None]
    assert len(current) <= 1, where
    assert actions["assign"] == len(assignments) and actions["claim"] == sum(1 for a in assignments if a.claimed_at)
    assert actions["return_to_leader"] == sum(1 for a in assignments if a.returned_at), where
    for a in assignments:
        if a.open_case_id is None:
            assert bool(a.returned_at) != bool(a.superseded_at), where
    if case.status in (S.AWAITING_CLAIM, S.INSPECTING, S.CLOSED):
        assert current, where
        assert (current[0].claimed_at is None) == (case.status == S.AWAITING_CLAIM), where
    else:
        assert not current, where

    # Milestones and results.
    if case.status == S.CLOSED:
        assert case.handled_at and case.closed_at and case.respondent_uscc and case.attributed_grid_id, where
        assert not case.penalty_required or case.penalty_decided_at, where
    if case.status == S.ENDED_INVALID:
        assert case.closed_at and case.ended_reason, where
    if case.status not in (S.CLOSED, S.ENDED_INVALID):
        assert case.closed_at is None, where
    milestones = [case.filed_at, case.investigated_at, case.handled_at, case.penalty_decided_at]
    set_ones = [m for m in milestones if m]
    assert set_ones == sorted(set_ones), where
    if case.executed_at or case.enforcement_applied_at:
        assert case.penalty_decided_at, where
    if case.respondent_uscc:
        assert case.respondent_id and case.respondent.uscc == case.respondent_uscc, where
    if case.source == CaseSource.PUBLIC:
        assert case.registered_by_id is None and case.channel.code == "qr_public" and case.reporter_photo, where
        assert events[0].actor_name == "群众"
    else:
        assert case.registered_by.has_perm("kuaiban.register_case"), where


def load_rows(cases):
    ids = [c.pk for c in cases]
    rounds, assignments, events = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in GridRound.objects.filter(case_id__in=ids).order_by("sent_at", "id"):
        rounds[r.case_id].append(r)
    for a in InspectorAssignment.objects.filter(case_id__in=ids).order_by("assigned_at", "id"):
        assignments[a.case_id].append(a)
    for e in CaseEvent.objects.filter(case_id__in=ids).order_by("at", "id"):
        events[e.case_id].append(e)
    return rounds, assignments, events


def test_generated_cases_are_consistent(staff):
    """R-KB-03…14, R-KB-20: 60 generated cases obey the workflow's rules."""
    before = Case.objects.count()  # none: the numbering must also continue an existing sequence
    existing = register_case(actor=staff.clerk, data=registration(), source=CaseSource.INTERNAL).case

    report = gen.generate(enterprises=30, cases=60, seed=1)

    assert report["cases"].rows == 60 and report["cases"].related_rows > 60
    cases = list(Case.objects.exclude(pk=existing.pk).select_related("grid", "channel", "respondent",
                                                                     "registered_by"))
    assert len(cases) == 60 and Case.objects.count() == before + 61
    now = clock.now()
    rounds, assignments, events = load_rows(cases)
    for case in cases:
        check_case(case, rounds[case.pk], assignments[case.pk], events[case.pk], now)
    assert sum(len(v) for v in (*rounds.values(), *assignments.values(), *events.values())) \
        + CaseCompanion.objects.exclude(case=existing).count() == report["cases"].related_rows

    # Realistic spread: several years, several grids, mostly finished, both sources.
    statuses = Counter(c.status for c in cases)
    assert statuses[S.GRID_RESOLVED] + statuses[S.CLOSED] + statuses[S.ENDED_INVALID] >= 40, statuses
    assert statuses[S.GRID_RESOLVED] > statuses[S.CLOSED] > 0, statuses
    years = {timezone.localtime(c.created_at).year for c in cases}
    assert len(years) >= 4 and min(years) >= gen.CASE_FIRST_YEAR
    assert len({c.grid_id for c in cases}) >= 5
    assert {c.source for c in cases} == {CaseSource.PUBLIC, CaseSource.INTERNAL}
    assert 3 <= sum(1 for c in cases if c.companions.exists()) <= 25

    # Numbers: KB<year>-<6 digits>, the registration's local year, the sequence
    # continued after the case registered before and stored for the next one.
    by_year = defaultdict(list)
    for c in cases:
        m = re.fullmatch(r"KB(\d{4})-(\d{6})", c.number)
        assert m and int(m[1]) == timezone.localtime(c.created_at).year, c.number
        by_year[int(m[1])].append((c.created_at, int(m[2])))
    this_year = timezone.localtime(existing.created_at).year
    for year, pairs in by_year.items():
        serials = [n for _, n in sorted(pairs)]
        first = 2 if year == this_year else 1
        assert serials == list(range(first, first + len(serials))), (year, serials)  # in registration order
        assert CaseNumberSequence.objects.get(year=year).last == first + len(serials) - 1
    later = register_case(actor=staff.clerk, data=registration(), source=CaseSource.INTERNAL).case
    assert later.number == f"KB{this_year}-{len(by_year[this_year]) + 2:06d}"

    # Personal data went through the PII field: encrypted at rest, hash filled.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, reporter_id_number, reporter_id_number_hash, reporter_phone "
                       f"FROM {Case._meta.db_table} WHERE id = %s", [cases[0].pk])
        _, raw_id, raw_hash, raw_phone = cursor.fetchone()
    assert raw_id.startswith("gAAAAA") and pii.decrypt(raw_id) == cases[0].reporter_id_number
    assert raw_hash == pii.pii_hash(pii.ID_CARD, cases[0].reporter_id_number)
    assert pii.decrypt(raw_phone) == cases[0].reporter_phone
    assert list(Case.objects.filter(selectors.keyword_q(cases[0].reporter_id_number))) == [cases[0]]


def test_visibility_and_overdue_select_the_expected_cases(staff, monkeypatch):
    """R-KB-16 and R-KB-05 on generated data: each role sees the set the rows imply."""
    monkeypatch.setattr(gen, "CASE_STALL_SHARE", 0.5)  # many cases stuck in every open state, some overdue
    gen.generate(enterprises=20, cases=60, seed=4)
    now = clock.now()
    cases = {c.pk: c for c in Case.objects.all()}
    rounds, assignments, events = load_rows(cases.values())
    for case in cases.values():
        check_case(case, rounds[case.pk], assignments[case.pk], events[case.pk], now)
    assert len({c.status for c in cases.values()} & OPEN_STATES) >= 4

    assert set(selectors.case_list_for(staff.leader).values_list("pk", flat=True)) == set(cases)
    for code, worker in staff.workers.items():
        grid = Grid.objects.get(code=code)
        expected = {pk for pk, rs in rounds.items() if any(r.grid_id == grid.pk and r.outcome != GridOutcome.RETURNED
                                                           for r in rs)}
        assert set(selectors.case_list_for(worker).values_list("pk", flat=True)) == expected, code
    assert any(selectors.case_list_for(w).exists() for w in staff.workers.values())
    for inspector in (staff.inspector1, staff.inspector2):
        expected = {pk for pk, items in assignments.items()
                    if any(a.open_case_id and a.inspector_id == inspector.pk for a in items)}
        assert set(selectors.case_list_for(inspector).values_list("pk", flat=True)) == expected

    cutoff = now - timedelta(days=settings.KUAIBAN_OVERDUE_DAYS)
    overdue = {pk for pk, c in cases.items() if c.status == S.GRID_HANDLING and c.grid_accepted_at <= cutoff}
    assert overdue, "stuck grid cases must include overdue ones"
    listed = selectors.filter_cases(selectors.case_list_for(staff.leader), overdue=True, now=now)
    assert set(listed.values_list("pk", flat=True)) == overdue
    flagged = selectors.with_overdue(Case.objects.all(), now=now).filter(is_overdue=True)
    assert set(flagged.values_list("pk", flat=True)) == overdue


def test_generated_open_cases_continue_through_the_service(staff, monkeypatch):
    """A generated open case is a real case: the right person may act on it, and the service accepts it."""
    monkeypatch.setattr(gen, "CASE_STALL_SHARE", 0.5)
    gen.generate(enterprises=20, cases=60, seed=4)
    handling = Case.objects.filter(status=S.GRID_HANDLING).select_related("grid").first()
    assert handling is not None
    worker = staff.workers[handling.grid.code]
    assert "grid_resolve" in {a.name for a in allowed_actions(handling, worker)}
    perform(case_id=handling.pk, action="grid_resolve", actor=worker,
            data={"resolution_way": "mediation", "amount": "800", "notes": "已调解"})
    assert GridRound.objects.filter(open_case=handling).count() == 0

    waiting = Case.objects.filter(status=S.AWAITING_CLAIM).select_related("open_assignment__inspector").first()
    if waiting is not None:
        inspector = waiting.open_assignment.inspector
        perform(case_id=waiting.pk, action="claim", actor=inspector, data={})
        waiting.refresh_from_db()
        assert waiting.status == S.INSPECTING


def test_cases_step_needs_enterprises(staff):
    with pytest.raises(RuntimeError, match="企业库"):
        gen.generate(cases=5)
