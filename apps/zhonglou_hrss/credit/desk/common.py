"""What credit's desk pages share: the permission gate (403 for staff without
it; the desk's sign-in already sent everyone else to the login page) and the
Chinese text of a refused service call."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhonglou_hrss.core.errors import DomainError, InvalidInput


def require_any(request, *permissions: str, message: str = "您没有访问该页面的权限"):
    if not any(request.user.has_perm(p) for p in permissions):
        raise PermissionDenied(message)


def text_of(exc: DomainError) -> str:
    if isinstance(exc, InvalidInput) and exc.errors:
        return "；".join(m for ms in exc.errors.values() for m in ms)
    return exc.message


def conflict_text(exc: DomainError) -> str:
    """A refusal because the record changed meanwhile (409): say so, and that the page now shows the latest."""
    return f"操作未完成（状态冲突）：{exc.message}。页面已显示最新内容，请核对后再操作。"
