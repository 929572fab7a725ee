"""A case through the whole workflow via the one transition service."""

import pytest
from django.utils import timezone

from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.kuaiban.models import CaseEvent
from zhonglou_hrss.kuaiban.services.transitions import allowed_actions, perform

from tests.kuaiban.conftest import PATHS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["grid_pending", "grid_handling", "grid_resolved", "district_triage",
                                    "awaiting_assignment", "awaiting_claim", "inspecting", "closed",
                                    "ended_invalid"])
def test_every_status_is_reachable(case_in, status):
    case = case_in(status)
    assert case.events.count() == 1 + len(PATHS[status])


def test_penalty_path_then_execution_after_close(case_in, people):
    """R-KB-13 / R-KB-14"""
    case = case_in("inspecting")
    perform(case_id=case.pk, action="record_filing", actor=people.inspector1, data={})
    perform(case_id=case.pk, action="record_handling", actor=people.inspector1,
            data={"amount": "5000", "notes": "处罚", "respondent_uscc": "91350100M000100Y43",
                  "attributed_grid": "320404002", "penalty_required": True})
    with pytest.raises(StateConflict):
        perform(case_id=case.pk, action="close", actor=people.inspector1, data={})
    with pytest.raises(StateConflict):  # R-KB-11: a later milestone locks earlier unset ones
        perform(case_id=case.pk, action="record_investigation", actor=people.inspector1, data={})
    perform(case_id=case.pk, action="record_penalty_decision", actor=people.inspector1, data={})
    perform(case_id=case.pk, action="close", actor=people.inspector1, data={})
    outcome = perform(case_id=case.pk, action="record_execution", actor=people.inspector1,
                      data={"enforcement_applied_at": timezone.localtime().isoformat()})
    case.refresh_from_db()
    assert case.status == "closed" and case.enforcement_applied_at is not None
    assert CaseEvent.objects.get(pk=outcome.event_id).action == "record_execution"


def test_error_kinds(case_in, people):
    case = case_in("grid_pending")
    with pytest.raises(NotVisible):
        perform(case_id=case.pk, action="grid_accept", actor=people.grid2, data={})
    with pytest.raises(ActionForbidden):
        perform(case_id=case.pk, action="assign", actor=people.clerk, data={"inspector": "k_inspector1"})
    with pytest.raises(StateConflict):
        perform(case_id=case.pk, action="triage_escalate", actor=people.clerk, data={})
    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    with pytest.raises(InvalidInput) as exc:
        perform(case_id=case.pk, action="grid_resolve", actor=people.grid1, data={"amount": "-1"})
    assert set(exc.value.errors) == {"resolution_way", "amount"}
    case.refresh_from_db()
    assert {a.name for a in allowed_actions(case, people.grid1)} == {"grid_resolve", "grid_fail", "grid_return"}


def test_milestone_not_before_registration(case_in, people):
    """R-KB-11: a filing time before the case was registered is a typing error."""
    case = case_in("inspecting")
    before = timezone.localtime(case.created_at) - timezone.timedelta(hours=1)
    with pytest.raises(InvalidInput) as exc:
        perform(case_id=case.pk, action="record_filing", actor=people.inspector1, data={"at": before.isoformat()})
    assert exc.value.errors == {"at": ["时间不能早于事件登记时间"]}
