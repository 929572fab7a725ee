"""The one way to write the audit log."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.db import models

_context: contextvars.ContextVar["RequestContext | None"] = contextvars.ContextVar("audit_context", default=None)


@dataclass
class RequestContext:
    user: object | None
    ip: str | None


def client_ip(request) -> str | None:
    if request is None:
        return None
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def set_request_context(request):
    return _context.set(RequestContext(user=getattr(request, "user", None), ip=client_ip(request)))


def reset_request_context(token):
    _context.reset(token)


def current_context() -> RequestContext | None:
    return _context.get()


def record(action: str, *, actor=None, target=None, target_repr: str = "", detail: dict | None = None,
           request=None, username: str = "", ip: str | None = None):
    """Write one audit row. ``actor``/``ip`` default to the current request's."""
    from zhonglou_hrss.core.models import AuditLog

    ctx = current_context()
    if request is not None:
        ip = ip or client_ip(request)
        if actor is None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            actor = request.user
    if ctx is not None:
        ip = ip or ctx.ip
        if actor is None and ctx.user is not None and getattr(ctx.user, "is_authenticated", False):
            actor = ctx.user
    target_type = target_id = ""
    if isinstance(target, models.Model):
        target_type = target._meta.label
        target_id = str(target.pk)
        target_repr = target_repr or str(target)
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=username or getattr(actor, "username", "") or "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:200],
        detail=detail or {},
        ip=ip,
    )
