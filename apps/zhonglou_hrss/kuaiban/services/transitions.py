"""The one door for kuaiban status changes (house rule 2).

``perform`` locks the case row, checks — in this order — that the actor can
see the case (else NotVisible/404), holds the action's permission (else
ActionForbidden/403), that the case's status allows it (else StateConflict/
409), that it is the actor's case (grid / assignee, else 403), the action's
preconditions on the case (milestone locks…, else 409) and the input (else
InvalidInput/400); then applies the change and writes exactly one event row,
all in one transaction. Two people acting at once: the second waits for the
row lock, then finds the status changed and gets 409. On SQLite, whose
``select_for_update`` is a no-op, the site's IMMEDIATE transactions take the
database write lock at BEGIN, which serialises writers the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.kuaiban.models import Case, CaseStatus, GridOutcome, GridRound, InspectorAssignment
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for, grid_lists_changed
from zhonglou_hrss.kuaiban.selectors.counts import key_of
from zhonglou_hrss.kuaiban.services import case_counts
from zhonglou_hrss.kuaiban.services.action_inputs import ACTION_FORMS, form_errors
from zhonglou_hrss.kuaiban.services.events import write_event
from zhonglou_hrss.kuaiban.services.person_input import clean_respondent_uscc, respondent_enterprise
from zhonglou_hrss.kuaiban.workflow import ACTIONS, SCOPE_ASSIGNEE, SCOPE_GRID, Action, precondition_error

S = CaseStatus


# --- scope (shared with allowed_actions; the preconditions are workflow.py's) -------
def _open_round(case: Case) -> GridRound | None:
    return GridRound.objects.filter(open_case=case).first()


def _open_assignment(case: Case) -> InspectorAssignment | None:
    return InspectorAssignment.objects.filter(open_case=case).first()


def scope_error(case: Case, spec: Action, actor) -> str | None:
    if spec.scope == SCOPE_GRID:
        grid_ids = set(actor.grids.values_list("pk", flat=True))
        if case.grid_id not in grid_ids:
            return "该事件当前不在您负责的网格"
    elif spec.scope == SCOPE_ASSIGNEE:
        assignment = _open_assignment(case)
        if assignment is None or assignment.inspector_id != actor.pk:
            return "该事件未指派给您"
    return None


def can_perform(case: Case, action: str, actor) -> bool:
    spec = ACTIONS[action]
    return (actor.has_perm(spec.permission) and case.status in spec.from_states
            and scope_error(case, spec, actor) is None and precondition_error(case, action) is None)


def allowed_actions(case: Case, actor) -> list[Action]:
    """The actions this user may take on this (visible) case now."""
    return [spec for name, spec in ACTIONS.items() if can_perform(case, name, actor)]


# --- the door -------------------------------------------------------------------------
@dataclass
class Outcome:
    case: Case
    event_id: int


def perform(*, case_id, action: str, actor, data: dict | None = None) -> Outcome:
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotVisible("没有这个操作")
    if actor is None or not actor.is_authenticated:
        raise NotVisible()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).first()
        if case is None or not case_list_for(actor).filter(pk=case.pk).exists():
            raise NotVisible()
        if not actor.has_perm(spec.permission):
            raise ActionForbidden(f"您没有“{spec.label}”的权限")
        if case.status not in spec.from_states:
            raise StateConflict(
                f"事件当前状态为“{S(case.status).label}”，不能执行“{spec.label}”（可能已被他人处理），请刷新后查看"
            )
        problem = scope_error(case, spec, actor)
        if problem:
            raise ActionForbidden(problem)
        problem = precondition_error(case, action)
        if problem:
            raise StateConflict(problem)
        form = ACTION_FORMS[action](data=data or {})
        errors = ErrorCollector()
        if not form.is_valid():
            errors.errors.update(form_errors(form))
        check = INPUT_CHECKS.get(action)
        if check is not None and not form.non_field_errors():
            # The rules that need the case, on the fields that are valid so far:
            # every bad field is named at once (house rule 9).
            check(case, form.cleaned_data, errors)
        errors.raise_if_any()
        from_status = case.status
        counted_in = key_of(case)
        now = clock.now()
        payload = HANDLERS[action](case, actor, form.cleaned_data, now)
        if spec.to_state is not None:
            case.status = spec.to_state
        case.save()
        case_counts.moved(counted_in, key_of(case))
        event = write_event(case, action=action, actor=actor, at=now, from_status=from_status,
                            to_status=case.status, payload=payload)
    return Outcome(case=case, event_id=event.pk)


# --- handlers: apply one action; return the values entered, for the timeline ------
def _grid_accept(case, actor, data, now):
    round_ = _open_round(case)
    round_.accepted_at = now
    round_.accepted_by = actor
    round_.save(update_fields=["accepted_at", "accepted_by"])
    case.grid_accepted_at = now
    return {"grid": case.grid}


def _close_round(case, actor, now, outcome, **fields):
    round_ = _open_round(case)
    round_.outcome = outcome
    round_.outcome_at = now
    round_.outcome_by = actor
    round_.open_case = None
    for name, value in fields.items():
        setattr(round_, name, value)
    round_.save()
    case.grid_accepted_at = None
    return round_


def _grid_resolve(case, actor, data, now):
    _close_round(case, actor, now, GridOutcome.SUCCESS, resolution_way=data["resolution_way"],
                 amount=data["amount"], notes=data["notes"])
    case.closed_at = now  # the case is complete (R-KB-04): one completion time for all completed cases
    return {"grid": case.grid, "resolution_way": data["resolution_way"], "amount": data["amount"],
            "notes": data["notes"]}


def _grid_fail(case, actor, data, now):
    # R-KB-06: back to the district platform; the round's FAILED outcome keeps
    # the case visible to the grid (selectors.cases._grid_visible_q).
    _close_round(case, actor, now, GridOutcome.FAILED, notes=data["notes"])
    return {"grid": case.grid, "notes": data["notes"]}


def _grid_return(case, actor, data, now):
    # R-KB-07: RETURNED hides the case from this grid from now on.
    _close_round(case, actor, now, GridOutcome.RETURNED, return_reason=data["reason"])
    grid_lists_changed(case.grid_id)
    return {"grid": case.grid, "reason": data["reason"]}


def _triage_invalid(case, actor, data, now):
    case.ended_reason = data["reason"]
    case.closed_at = now
    return {"reason": data["reason"]}


def _triage_regrid(case, actor, data, now):
    grid = data["grid"]
    case.grid = grid
    GridRound.objects.create(case=case, grid=grid, open_case=case, sent_at=now)
    grid_lists_changed(grid.pk)
    return {"grid": grid}


def _triage_escalate(case, actor, data, now):
    return {}


def _assign(case, actor, data, now):
    inspector = data["inspector"]
    current = _open_assignment(case)
    if current is not None:
        if current.inspector_id == inspector.pk:
            raise InvalidInput({"inspector": ["该事件已指派给这位监察员"]})
        current.superseded_at = now
        current.open_case = None
        current.save(update_fields=["superseded_at", "open_case"])
    InspectorAssignment.objects.create(case=case, inspector=inspector, open_case=case, assigned_at=now,
                                       assigned_by=actor)
    payload = {"inspector": inspector}
    if current is not None:
        payload["previous_inspector"] = current.inspector
    return payload


def _reassign(case, actor, data, now):
    inspector = data["inspector"]
    current = _open_assignment(case)
    if current.inspector_id == inspector.pk:
        raise InvalidInput({"inspector": ["该事件已由这位监察员处理，请选择另一位监察员"]})
    current.superseded_at = now
    current.open_case = None
    current.save(update_fields=["superseded_at", "open_case"])
    # Claimed at once: the case is already being inspected, nothing waits.
    InspectorAssignment.objects.create(case=case, inspector=inspector, open_case=case, assigned_at=now,
                                       assigned_by=actor, claimed_at=now)
    return {"inspector": inspector, "previous_inspector": current.inspector, "reason": data["reason"]}


def _claim(case, actor, data, now):
    assignment = _open_assignment(case)
    assignment.claimed_at = now
    assignment.save(update_fields=["claimed_at"])
    return {}


def _return_to_leader(case, actor, data, now):
    assignment = _open_assignment(case)
    assignment.returned_at = now
    assignment.return_reason = data["reason"]
    assignment.open_case = None
    assignment.save(update_fields=["returned_at", "return_reason", "open_case"])
    return {"reason": data["reason"]}


def _not_before(errors, field, at, earlier, label):
    if at is not None and earlier and at < earlier and field not in errors.errors:
        errors.add(field, f"时间不能早于{label}")


# --- input rules that need the case (run by ``perform`` before any handler) ----------
def _check_filing(case, data, errors):
    _not_before(errors, "at", data.get("at"), case.created_at, "事件登记时间")


def _check_investigation(case, data, errors):
    _not_before(errors, "at", data.get("at"), case.filed_at or case.created_at,
                "立案时间" if case.filed_at else "事件登记时间")


def _check_handling(case, data, errors):
    """R-KB-12/13: the respondent's USCC and the attributed grid must be complete."""
    earlier = [(case.investigated_at, "调查时间"), (case.filed_at, "立案时间"), (case.created_at, "事件登记时间")]
    at, label = next((t, label) for t, label in earlier if t)
    _not_before(errors, "at", data.get("at"), at, label)
    uscc, _ = clean_respondent_uscc(errors, data.get("respondent_uscc"), bool(data.get("respondent_uscc_confirmed")))
    if not uscc and not case.respondent_uscc and "respondent_uscc" not in errors.errors:
        errors.add("respondent_uscc", "对方单位的统一社会信用代码尚未登记，请补充")


def _check_penalty_decision(case, data, errors):
    _not_before(errors, "at", data.get("at"), case.handled_at, "处理时间")


def _check_execution(case, data, errors):
    """R-KB-14: each of the two times once, not before the penalty decision."""
    for name, label in (("executed_at", "执行时间"), ("enforcement_applied_at", "申请强制执行时间")):
        value = data.get(name)
        if value is None:
            continue
        if getattr(case, name):
            raise StateConflict(f"{label}已记录")
        _not_before(errors, name, value, case.penalty_decided_at, "处罚决定时间")


INPUT_CHECKS = {
    "record_filing": _check_filing,
    "record_investigation": _check_investigation,
    "record_handling": _check_handling,
    "record_penalty_decision": _check_penalty_decision,
    "record_execution": _check_execution,
}


def _record_filing(case, actor, data, now):
    case.filed_at = data["at"]
    return {"at": data["at"]}


def _record_investigation(case, actor, data, now):
    case.investigated_at = data["at"]
    return {"at": data["at"]}


def _record_handling(case, actor, data, now):
    uscc, _ = clean_respondent_uscc(ErrorCollector(), data.get("respondent_uscc"),
                                    bool(data.get("respondent_uscc_confirmed")))  # checked in _check_handling
    if uscc and uscc != case.respondent_uscc:
        case.respondent_uscc = uscc
        case.respondent = respondent_enterprise(uscc, case.respondent_name)
    case.attributed_grid = data["attributed_grid"]
    case.handled_at = data["at"]
    case.handling_amount = data["amount"]
    case.handling_notes = data["notes"]
    case.penalty_required = bool(data.get("penalty_required"))
    return {"at": data["at"], "amount": data["amount"], "notes": data["notes"],
            "respondent_uscc": case.respondent_uscc, "attributed_grid": data["attributed_grid"],
            "penalty_required": "是" if case.penalty_required else "否"}


def _record_penalty_decision(case, actor, data, now):
    case.penalty_decided_at = data["at"]
    case.penalty_required = True
    return {"at": data["at"]}


def _close(case, actor, data, now):
    case.closed_at = now
    return {}


def _record_execution(case, actor, data, now):
    payload = {}
    for name in ("executed_at", "enforcement_applied_at"):
        if data.get(name) is not None:
            setattr(case, name, data[name])
            payload[name] = data[name]
    return payload


HANDLERS = {
    "grid_accept": _grid_accept,
    "grid_resolve": _grid_resolve,
    "grid_fail": _grid_fail,
    "grid_return": _grid_return,
    "triage_invalid": _triage_invalid,
    "triage_regrid": _triage_regrid,
    "triage_escalate": _triage_escalate,
    "assign": _assign,
    "reassign": _reassign,
    "claim": _claim,
    "return_to_leader": _return_to_leader,
    "record_filing": _record_filing,
    "record_investigation": _record_investigation,
    "record_handling": _record_handling,
    "record_penalty_decision": _record_penalty_decision,
    "close": _close,
    "record_execution": _record_execution,
}
assert set(HANDLERS) == set(ACTIONS), "every workflow action needs a handler"
