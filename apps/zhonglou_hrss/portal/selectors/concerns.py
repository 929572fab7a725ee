"""Reads of urgent concerns: staff lists (R-PT-16) and the sender's look-up
by number + mobile (R-PT-11), which shows the status and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.portal.models import Concern, ConcernStatus
from zhonglou_hrss.portal.rules import VIEW_CONCERNS


def concern_list_for(user) -> QuerySet:
    """Every concern for staff who may view them; nothing for anyone else."""
    if not (user.is_active and user.has_perm(VIEW_CONCERNS)):
        return Concern.objects.none()
    return Concern.objects.order_by("-created_at", "-id")


def concern_for(user, concern_id) -> Concern:
    concern = concern_list_for(user).filter(pk=concern_id).first()
    if concern is None:
        raise NotVisible()
    return concern


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_concerns(qs: QuerySet, *, status: str = "", date_from: date | None = None, date_to: date | None = None,
                    q: str = "") -> QuerySet:
    """Status, submitted from/to (local dates, both inclusive) and keyword:
    number, name or details; a whole mobile number finds its sender."""
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        from datetime import timedelta

        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    for word in (q or "").split()[:5]:
        cond = Q(number__iexact=word) | Q(name__icontains=word) | Q(details__icontains=word)
        if word.isdigit() and len(word) >= 11:
            cond |= Q(phone_hash=pii.pii_hash(pii.MOBILE, word))
        qs = qs.filter(cond)
    return qs


def new_concern_count(user) -> int:
    """How many concerns nobody has looked at yet (the desk home's card)."""
    return concern_list_for(user).filter(status=ConcernStatus.NEW).count()


def timeline_of(concern: Concern) -> list:
    return list(concern.events.select_related("actor").order_by("-at", "-id"))


@dataclass(frozen=True)
class PublicStatus:
    number: str
    status: str
    status_label: str
    updated_at: datetime


def public_status_of(number: str, phone: str) -> PublicStatus | None:
    """The status of the concern with this number sent from this mobile; None
    when the two do not belong together (nobody learns that the number exists)."""
    number = (number or "").strip().upper()
    digest = pii.pii_hash(pii.MOBILE, phone or "")
    if not number or not digest:
        return None
    row = Concern.objects.filter(number=number, phone_hash=digest).values("number", "status", "updated_at").first()
    if row is None:
        return None
    return PublicStatus(row["number"], row["status"], ConcernStatus(row["status"]).label, row["updated_at"])
