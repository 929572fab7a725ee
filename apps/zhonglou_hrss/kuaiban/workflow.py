"""The kuaiban transition table (architecture: "Kuaiban workflow").

Pure data: which action is allowed from which status, what status follows,
which permission the actor needs, whose case it must be ("scope") and what on
the case must hold first (``precondition_error``: the milestone locks of
R-KB-11, handling before closing and the penalty path of R-KB-13, execution
after a penalty of R-KB-14). The one transition service
(``services.transitions``) enforces it; the desk and the API ask it which
buttons to show. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhonglou_hrss.kuaiban.models.cases import CaseStatus as S

# Scopes: beyond the permission, whose case it must be.
SCOPE_ANY = "any"  # anyone with the permission who can see the case
SCOPE_GRID = "grid"  # a worker of the grid the case is with now
SCOPE_ASSIGNEE = "assignee"  # the inspector the case is assigned to now

TONE_PRIMARY = "primary"
TONE_WARNING = "warning"
TONE_DEFAULT = "default"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    from_states: frozenset[str]
    to_state: str | None  # None: the status stays (milestones, execution)
    permission: str
    scope: str
    tone: str = TONE_PRIMARY
    confirm: str = ""


def _a(name, label, from_states, to_state, permission, scope, tone=TONE_PRIMARY, confirm=""):
    return Action(name, label, frozenset(from_states), to_state, permission, scope, tone, confirm)


GRID = "core.work_in_grid"
TRIAGE = "kuaiban.triage_case"
ASSIGN = "kuaiban.assign_case"
INSPECT = "kuaiban.handle_assigned_case"

ACTIONS: dict[str, Action] = {a.name: a for a in [
    # Grid (R-KB-03, 04, 06, 07)
    _a("grid_accept", "确认接收", [S.GRID_PENDING], S.GRID_HANDLING, GRID, SCOPE_GRID),
    _a("grid_resolve", "调解成功", [S.GRID_HANDLING], S.GRID_RESOLVED, GRID, SCOPE_GRID,
       confirm="确认该事件已调解成功？提交后事件完成。"),
    _a("grid_fail", "调解失败", [S.GRID_HANDLING], S.DISTRICT_TRIAGE, GRID, SCOPE_GRID, TONE_WARNING,
       confirm="确认调解失败并退回区平台？"),
    _a("grid_return", "退回（非本网格）", [S.GRID_PENDING, S.GRID_HANDLING], S.DISTRICT_TRIAGE, GRID, SCOPE_GRID,
       TONE_WARNING, confirm="退回后本网格将无法再查看该事件，确认退回？"),
    # District platform (R-KB-08)
    _a("triage_invalid", "无效事件，正常结束", [S.DISTRICT_TRIAGE], S.ENDED_INVALID, TRIAGE, SCOPE_ANY, TONE_WARNING,
       confirm="确认该事件无效并正常结束？"),
    _a("triage_regrid", "重新指定网格", [S.DISTRICT_TRIAGE], S.GRID_PENDING, TRIAGE, SCOPE_ANY, TONE_DEFAULT),
    _a("triage_escalate", "转区本级（领导指派）", [S.DISTRICT_TRIAGE], S.AWAITING_ASSIGNMENT, TRIAGE, SCOPE_ANY),
    # Leader (R-KB-09); also reassigns before the inspector claims.
    _a("assign", "指派监察员", [S.AWAITING_ASSIGNMENT, S.AWAITING_CLAIM], S.AWAITING_CLAIM, ASSIGN, SCOPE_ANY),
    # After the claim (sick leave, a conflict of interest): the leader moves the
    # case with a reason; the new inspector holds it claimed, milestones kept.
    _a("reassign", "改派监察员", [S.INSPECTING], None, ASSIGN, SCOPE_ANY, TONE_DEFAULT,
       confirm="改派后原监察员将不能再查看和处理该事件，已记录的节点时间保留。确认改派？"),
    # Inspector (R-KB-10…14)
    _a("claim", "确认认领", [S.AWAITING_CLAIM], S.INSPECTING, INSPECT, SCOPE_ASSIGNEE),
    _a("return_to_leader", "退回领导", [S.AWAITING_CLAIM], S.AWAITING_ASSIGNMENT, INSPECT, SCOPE_ASSIGNEE,
       TONE_WARNING, confirm="确认退回领导重新指派？"),
    _a("record_filing", "记录立案时间", [S.INSPECTING], None, INSPECT, SCOPE_ASSIGNEE, TONE_DEFAULT),
    _a("record_investigation", "记录调查时间", [S.INSPECTING], None, INSPECT, SCOPE_ASSIGNEE, TONE_DEFAULT),
    _a("record_handling", "记录处理结果", [S.INSPECTING], None, INSPECT, SCOPE_ASSIGNEE,
       confirm="处理时间记录后，立案、调查时间将不能再补录。确认提交？"),
    _a("record_penalty_decision", "记录处罚决定时间", [S.INSPECTING], None, INSPECT, SCOPE_ASSIGNEE, TONE_DEFAULT),
    _a("close", "办结", [S.INSPECTING], S.CLOSED, INSPECT, SCOPE_ASSIGNEE, confirm="确认办结该事件？"),
    _a("record_execution", "补录执行情况", [S.INSPECTING, S.CLOSED], None, INSPECT, SCOPE_ASSIGNEE, TONE_DEFAULT),
]}

# Registration is not a transition but writes the first timeline row.
REGISTER = "register"
ACTION_LABELS = {REGISTER: "登记", **{name: a.label for name, a in ACTIONS.items()}}

DONE_STATES = frozenset({S.GRID_RESOLVED, S.CLOSED, S.ENDED_INVALID})
COMPLETED_STATES = frozenset({S.GRID_RESOLVED, S.CLOSED})

# Status colours, the same everywhere (ui.md): waiting blue, in progress amber,
# done green, ended invalid grey; overdue is red on top.
STATUS_TONE = {
    S.GRID_PENDING: "blue",
    S.DISTRICT_TRIAGE: "blue",
    S.AWAITING_ASSIGNMENT: "blue",
    S.AWAITING_CLAIM: "blue",
    S.GRID_HANDLING: "amber",
    S.INSPECTING: "amber",
    S.GRID_RESOLVED: "green",
    S.CLOSED: "green",
    S.ENDED_INVALID: "grey",
}


def actions_from(status: str) -> list[Action]:
    return [a for a in ACTIONS.values() if status in a.from_states]


def precondition_error(case, action: str) -> str | None:
    """What on the case (beyond its status) forbids the action now."""
    # R-KB-11: once a later milestone is set, earlier unset ones can no longer be entered.
    if action == "record_filing":
        if case.filed_at:
            return "立案时间已记录"
        if case.investigated_at or case.handled_at:
            return "已记录后续节点时间，立案时间不能再补录"
    elif action == "record_investigation":
        if case.investigated_at:
            return "调查时间已记录"
        if case.handled_at:
            return "已记录处理时间，调查时间不能再补录"
    elif action == "record_handling":
        if case.handled_at:
            return "处理结果已记录"
    # R-KB-13: with a penalty, the decision time comes after handling and before closing.
    elif action == "record_penalty_decision":
        if not case.handled_at:
            return "请先记录处理结果"
        if case.penalty_decided_at:
            return "处罚决定时间已记录"
    elif action == "close":
        if not case.handled_at:
            return "请先记录处理结果再办结"
        if case.penalty_required and not case.penalty_decided_at:
            return "该事件需要处罚，请先记录处罚决定时间再办结"
    # R-KB-14: execution or enforcement only after a penalty decision.
    elif action == "record_execution":
        if not case.penalty_decided_at:
            return "尚无处罚决定，不能补录执行情况"
        if case.executed_at and case.enforcement_applied_at:
            return "执行时间和申请强制执行时间均已记录"
    return None
