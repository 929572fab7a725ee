"""The urgent concern's small workflow (急难愁盼, R-PT-16), as a table.

新提交 → 已查看 → 已联系 → 已完成咨询: staff move a concern forward, one
step or several at once (a call may settle it), never back. Each move is one
timeline row (who, when, from, to), written by ``services.concerns.set_status``.
Job fairs' registrations will get their own table here.
"""

from __future__ import annotations

from zhonglou_hrss.portal.models import ConcernStatus

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
