"""The urgent concern's small workflow (急难愁盼, R-PT-16), as a table.

新提交 → 已查看 → 已联系 → 已完成咨询: staff move a concern forward, one
step or several at once (a call may settle it), never back. Each move is one
timeline row (who, when, from, to), written by ``services.concerns.set_status``.

A job-fair registration (R-PT-09, 18) has its own table below.
"""

from __future__ import annotations

from zhonglou_hrss.portal.models import ConcernStatus, DemandStatus, RegistrationStatus

SUBMIT = "submit"
HANDLE_PERMISSION = "portal.handle_concern"
ORDER = [ConcernStatus.NEW, ConcernStatus.VIEWED, ConcernStatus.CONTACTED, ConcernStatus.COMPLETED]
# The statuses staff set (the API's values) and the button each has in the desk.
TARGETS = {
    ConcernStatus.VIEWED: "标记已查看",
    ConcernStatus.CONTACTED: "标记已联系",
    ConcernStatus.COMPLETED: "标记已完成咨询",
}
# Status colours of ui.md: waiting blue, in progress amber, done green.
TONES = {ConcernStatus.NEW: "blue", ConcernStatus.VIEWED: "amber", ConcernStatus.CONTACTED: "amber",
         ConcernStatus.COMPLETED: "green"}


def next_statuses(current: str) -> list[str]:
    """The statuses a concern in ``current`` may be moved to."""
    return [s for s in ORDER[ORDER.index(current) + 1:] if s in TARGETS] if current in ORDER else []


def precondition_error(current: str, target: str) -> str | None:
    """Why ``current`` → ``target`` is not allowed now (Chinese), or None."""
    if target not in TARGETS:
        return "状态只能是 viewed（已查看）、contacted（已联系）或 completed（已完成咨询）"
    if target == current:
        return f"该咨询已是“{ConcernStatus(target).label}”"
    if target not in next_statuses(current):
        return f"该咨询已是“{ConcernStatus(current).label}”，不能改回“{ConcernStatus(target).label}”"
    return None


# --- job-fair registrations (R-PT-09, 10, 18) ---------------------------------------------
# 草稿 → 提交 → 待审核 → 通过 / 不通过；不通过的修改后重新提交。The enterprise edits until
# approved (a pending registration stays pending, reviewed as it now reads); an
# approved registration is neither edited nor withdrawn. Staff decide only pending ones.
R = RegistrationStatus
REGISTRATION_ACTIONS = {
    # action: (label, statuses it starts from, status it leads to; None: unchanged / row removed)
    "save": ("保存", {R.DRAFT, R.PENDING, R.REJECTED}, None),
    "submit": ("提交审核", {R.DRAFT, R.REJECTED}, R.PENDING),
    "withdraw": ("撤回报名", {R.DRAFT, R.PENDING, R.REJECTED}, None),
    "approve": ("审核通过", {R.PENDING}, R.APPROVED),
    "reject": ("审核不通过", {R.PENDING}, R.REJECTED),
}
ENTERPRISE_ACTIONS = ("save", "submit", "withdraw")
REVIEW_ACTIONS = ("approve", "reject")
REGISTRATION_TONES = {R.DRAFT: "grey", R.PENDING: "blue", R.APPROVED: "green", R.REJECTED: "red"}
EVENT_LABELS = {"create": "填写报名", "save": "修改报名", "submit": "提交审核", "approve": "审核通过",
                "reject": "审核不通过", "stamped_form": "上传盖章报名表"}


def registration_error(action: str, current: str) -> str | None:
    """Why ``action`` may not be taken on a registration in ``current`` (Chinese), or None."""
    label, starts, _ = REGISTRATION_ACTIONS[action]
    if current in starts:
        return None
    status = RegistrationStatus(current).label
    if current == R.APPROVED and action in ENTERPRISE_ACTIONS:
        return "报名已审核通过，不能再修改或撤回；如需变更请联系就业服务工作人员"
    if action == "submit" and current == R.PENDING:
        return "报名已提交，正在等待审核"
    return f"报名当前为“{status}”，不能{label}"


def may_edit(status: str) -> bool:
    return status in REGISTRATION_ACTIONS["save"][1]


# --- talent demands (R-PT-06, 07, 13) -----------------------------------------------------------
# The same life as a registration: 草稿 → 待审核 → 已通过 / 未通过 (corrected and
# resubmitted); editable until approved; an approved demand is neither edited nor
# withdrawn — its enterprise reports the outcome instead.
D = DemandStatus
DEMAND_ACTIONS = {
    "save": ("保存", {D.DRAFT, D.PENDING, D.REJECTED}, None),
    "submit": ("提交审核", {D.DRAFT, D.REJECTED}, D.PENDING),
    "withdraw": ("撤回", {D.DRAFT, D.PENDING, D.REJECTED}, None),
    "approve": ("审核通过", {D.PENDING}, D.APPROVED),
    "reject": ("审核不通过", {D.PENDING}, D.REJECTED),
    "outcome": ("反馈招聘结果", {D.APPROVED}, None),
}
DEMAND_TONES = {D.DRAFT: "grey", D.PENDING: "blue", D.APPROVED: "green", D.REJECTED: "red"}
DEMAND_EVENT_LABELS = {"create": "填写需求", "save": "修改需求", "submit": "提交审核", "approve": "审核通过",
                       "reject": "审核不通过", "outcome": "反馈招聘结果"}


def demand_error(action: str, current: str) -> str | None:
    """Why ``action`` may not be taken on a demand in ``current`` (Chinese), or None."""
    label, starts, _ = DEMAND_ACTIONS[action]
    if current in starts:
        return None
    if current == D.APPROVED and action in ("save", "withdraw"):
        return "需求已审核通过，不能再修改或撤回；招聘结束后请反馈招聘结果"
    if action == "submit" and current == D.PENDING:
        return "需求已提交，正在等待审核"
    if action == "outcome":
        return "需求审核通过后才能反馈招聘结果"
    return f"需求当前为“{DemandStatus(current).label}”，不能{label}"
