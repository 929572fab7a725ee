"""The portal's workflows as tables. First the urgent concern (急难愁盼, R-PT-16):

新提交 → 已查看 → 已联系 → 已完成咨询: staff move a concern forward, one
step or several at once (a call may settle it), never back. Each move is one
timeline row (who, when, from, to), written by ``services.concerns.set_status``.

Job-fair registrations and talent demands share one reviewed life, below.
"""

from __future__ import annotations

from zhonglou_hrss.portal.models import ConcernStatus
from zhonglou_hrss.portal.models.review import ReviewStatus

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


# --- reviewed submissions: job-fair registrations (R-PT-09, 10, 18) and talent demands (R-PT-06, 13) ---
# 草稿 → 提交 → 待审核 → 通过 / 不通过；不通过的修改后重新提交。The enterprise edits until
# approved (a pending one stays pending, reviewed as it now reads); an approved one is
# neither edited nor withdrawn. Staff decide only pending ones.
R = ReviewStatus
REVIEW_ACTIONS_TABLE = {
    # action: (label, statuses it starts from, status it leads to; None: unchanged / row removed)
    "save": ("保存", {R.DRAFT, R.PENDING, R.REJECTED}, None),
    "submit": ("提交审核", {R.DRAFT, R.REJECTED}, R.PENDING),
    "withdraw": ("撤回", {R.DRAFT, R.PENDING, R.REJECTED}, None),
    "approve": ("审核通过", {R.PENDING}, R.APPROVED),
    "reject": ("审核不通过", {R.PENDING}, R.REJECTED),
}
ENTERPRISE_ACTIONS = ("save", "submit", "withdraw")
REVIEW_TONES = {R.DRAFT: "grey", R.PENDING: "blue", R.APPROVED: "green", R.REJECTED: "red"}


def _review_error(actions: dict, action: str, current: str, *, noun: str, approved: str) -> str | None:
    label, starts, _ = actions[action]
    if current in starts:
        return None
    if current == R.APPROVED and action in ENTERPRISE_ACTIONS:
        return f"{noun}已审核通过，不能再修改或撤回；{approved}"
    if action == "submit" and current == R.PENDING:
        return f"{noun}已提交，正在等待审核"
    return f"{noun}当前为“{ReviewStatus(current).label}”，不能{label}"


# A job-fair registration.
REGISTRATION_ACTIONS = {**REVIEW_ACTIONS_TABLE, "withdraw": ("撤回报名", *REVIEW_ACTIONS_TABLE["withdraw"][1:])}
REGISTRATION_TONES = REVIEW_TONES
EVENT_LABELS = {"create": "填写报名", "save": "修改报名", "submit": "提交审核", "approve": "审核通过",
                "reject": "审核不通过", "stamped_form": "上传盖章报名表"}


def registration_error(action: str, current: str) -> str | None:
    """Why ``action`` may not be taken on a registration in ``current`` (Chinese), or None."""
    return _review_error(REGISTRATION_ACTIONS, action, current, noun="报名",
                         approved="如需变更请联系就业服务工作人员")


def may_edit(status: str) -> bool:
    return status in REGISTRATION_ACTIONS["save"][1]


# A talent demand: after approval its enterprise reports the outcome (R-PT-07).
DEMAND_ACTIONS = {**REVIEW_ACTIONS_TABLE, "outcome": ("反馈招聘结果", {R.APPROVED}, None)}
DEMAND_TONES = REVIEW_TONES
DEMAND_EVENT_LABELS = {"create": "填写需求", "save": "修改需求", "submit": "提交审核", "approve": "审核通过",
                       "reject": "审核不通过", "outcome": "反馈招聘结果"}


def demand_error(action: str, current: str) -> str | None:
    """Why ``action`` may not be taken on a demand in ``current`` (Chinese), or None."""
    if action == "outcome" and current != R.APPROVED:
        return "需求审核通过后才能反馈招聘结果"
    return _review_error(DEMAND_ACTIONS, action, current, noun="需求", approved="招聘结束后请反馈招聘结果")
