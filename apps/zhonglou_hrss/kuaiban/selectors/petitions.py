"""Petition reads. Lists start from ``petition_list_for``; figures (map,
analysis) from ``petitions_in_scope``."""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.search import keyword_q
from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion
from zhonglou_hrss.kuaiban.rules import GRID, PETITION_COMPLETED_Q, VIEW_PETITIONS
from zhonglou_hrss.kuaiban.selectors.people import active


def petition_list_for(user) -> QuerySet[Petition]:
    """Petition records: whoever holds kuaiban.view_petition sees them all
    (district clerks, leaders); nobody else sees any."""
    if active(user) and user.has_perm(VIEW_PETITIONS):
        return Petition.objects.all()
    return Petition.objects.none()


def petitions_in_scope(user) -> QuerySet[Petition]:
    """Petitions counted in the figures a user sees: all for those who see
    petition records, a grid worker's own grids otherwise."""
    if not active(user):
        return Petition.objects.none()
    if user.has_perm(VIEW_PETITIONS):
        return Petition.objects.all()
    if user.has_perm(GRID):
        return Petition.objects.filter(grid__in=user.grids.all())
    return Petition.objects.none()


def petition_for(user, petition_id) -> Petition:
    try:
        return petition_list_for(user).get(pk=petition_id)
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise NotVisible() from None


def filter_petitions(qs: QuerySet[Petition], *, grid=None, reason=None, completed=None, created_after=None,
                     created_before=None, handled_after=None, handled_before=None, respondent=None,
                     q=None) -> QuerySet[Petition]:
    if grid:
        qs = qs.filter(grid__code=grid)
    if reason:
        qs = qs.filter(reason__code=reason)
    if completed is True:
        qs = qs.filter(PETITION_COMPLETED_Q)
    elif completed is False:
        qs = qs.exclude(PETITION_COMPLETED_Q)
    if created_after:
        qs = qs.filter(created_at__gte=created_after)
    if created_before:
        qs = qs.filter(created_at__lt=created_before)
    if handled_after:
        qs = qs.filter(handled_at__gte=handled_after)
    if handled_before:
        qs = qs.filter(handled_at__lt=handled_before)
    if respondent:
        qs = qs.filter(respondent_name__icontains=respondent)
    if q:
        qs = qs.filter(petition_keyword_q(q))
    return qs


# Before petitions were numbered like cases (XF2026-000024) the desk showed
# "XF<id>": such a number still finds its record.
_OLD_NUMBER = re.compile(r"^XF(\d{1,9})$", re.IGNORECASE)


def petition_keyword_q(text: str) -> Q:
    """The number (new or old form), names, respondent, demand and result; a
    whole ID number or phone by its hash."""
    text = text.strip()
    extra = Q(Exists(PetitionCompanion.objects.filter(petition=OuterRef("pk"), name=text))) | Q(number=text.upper())
    old = _OLD_NUMBER.match(text)
    if old:
        extra |= Q(pk=int(old.group(1)))
    return keyword_q(text, contains=("name", "respondent_name", "demand", "result"), uscc="respondent_uscc",
                     id_card_column="id_number_hash", mobile_column="phone_hash", extra=extra)
