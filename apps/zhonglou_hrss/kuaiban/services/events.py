"""Timeline rows (R-KB-20). Payloads hold what was entered, never personal data
in clear (the timeline is stored unencrypted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models

from zhonglou_hrss.kuaiban.models import CaseEvent


def to_json(value):
    """Make entered values JSON-friendly and readable on the timeline."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items() if v not in (None, "")}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        for attr in ("label", "name", "display_name"):
            if hasattr(value, attr):
                return str(getattr(value, attr))
        return str(value)
    return value


def write_event(case, *, action: str, actor, at, from_status: str, to_status: str, payload: dict) -> CaseEvent:
    name = ""
    if actor is not None:
        name = getattr(actor, "display_name", "") or actor.get_username()
    return CaseEvent.objects.create(
        case=case, action=action, from_status=from_status, to_status=to_status, actor=actor,
        actor_name=name or "群众", at=at, payload=to_json(payload),
    )
