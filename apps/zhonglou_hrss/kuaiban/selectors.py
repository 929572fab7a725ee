"""Kuaiban reads. Every query that reaches a user starts from ``case_list_for``
(R-KB-16): desk lists, case pages, photos, the API, exports and statistics.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.kuaiban.models import Case, CaseStatus, GridOutcome, GridRound
from zhonglou_hrss.kuaiban.workflow import ASSIGN, GRID, INSPECT, TRIAGE

VIEW_ALL = "kuaiban.view_all_cases"


def _user_grid_ids(user) -> list[int]:
    cache = getattr(user, "_kuaiban_grid_ids", None)
    if cache is None:
        cache = list(user.grids.values_list("pk", flat=True))
        user._kuaiban_grid_ids = cache
    return cache


def _live_assignment_q(user) -> Q:
    """Cases whose current assignment (claimed or not) is to this inspector."""
    return Q(open_assignment__inspector=user)


def _grid_visible_q(user) -> Q:
    """Cases sent to the user's grids, unless that grid returned them (R-KB-07)."""
    grid_ids = _user_grid_ids(user)
    if not grid_ids:
        return Q(pk__in=[])
    return Exists(
        GridRound.objects.filter(case=OuterRef("pk"), grid_id__in=grid_ids).exclude(outcome=GridOutcome.RETURNED)
    )


def case_list_for(user) -> QuerySet[Case]:
    """The cases this user may see, by their permissions (several roles add up)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.has_perm(VIEW_ALL):
        return Case.objects.all()
    q = Q(pk__in=[])
    if user.has_perm(INSPECT):
        q |= _live_assignment_q(user)
    if user.has_perm(GRID):
        q |= _grid_visible_q(user)
    return Case.objects.filter(q)


def case_for(user, case_id) -> Case:
    """One visible case, or NotVisible (a missing and a hidden case look alike)."""
    try:
        return case_list_for(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotVisible() from None


def is_visible(user, case: Case) -> bool:
    return case_list_for(user).filter(pk=case.pk).exists()


# --- overdue (R-KB-05) ---------------------------------------------------------------
def overdue_cutoff(now=None):
    return (now or clock.now()) - timedelta(days=settings.KUAIBAN_OVERDUE_DAYS)


def overdue_q(now=None) -> Q:
    """Accepted by the grid N natural days ago (or more) and still without an outcome."""
    return Q(status=CaseStatus.GRID_HANDLING, grid_accepted_at__lte=overdue_cutoff(now))


def with_overdue(qs: QuerySet[Case], now=None) -> QuerySet[Case]:
    return qs.annotate(
        is_overdue=SqlCase(When(overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


# --- "待我处理" ----------------------------------------------------------------------
def queue_q(user) -> Q:
    """Cases waiting for an action of this user, by permission."""
    q = Q(pk__in=[])
    if user.has_perm(GRID):
        grid_ids = _user_grid_ids(user)
        if grid_ids:
            q |= Q(status__in=[CaseStatus.GRID_PENDING, CaseStatus.GRID_HANDLING], grid_id__in=grid_ids)
    if user.has_perm(TRIAGE):
        q |= Q(status=CaseStatus.DISTRICT_TRIAGE)
    if user.has_perm(ASSIGN):
        q |= Q(status=CaseStatus.AWAITING_ASSIGNMENT)
    if user.has_perm(INSPECT):
        q |= Q(status__in=[CaseStatus.AWAITING_CLAIM, CaseStatus.INSPECTING], open_assignment__inspector=user)
    return q


def queue_for(user) -> QuerySet[Case]:
    return case_list_for(user).filter(queue_q(user))


# --- filters shared by the desk list, the API and exports --------------------------
def filter_cases(qs: QuerySet[Case], *, status=None, grid=None, reason=None, overdue=None,
                 created_after=None, created_before=None, q=None, stat_grid=None, year=None,
                 now=None) -> QuerySet[Case]:
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if grid:
        qs = qs.filter(grid__code=grid)
    if stat_grid or year:
        # The figures' definitions (kuaiban.stats), so a list agrees with the map and the analysis.
        from zhonglou_hrss.kuaiban.stats import stat_grid_q, year_bounds

        if stat_grid:
            qs = qs.filter(stat_grid_q(stat_grid))
        if year:
            start, end = year_bounds(int(year))
            qs = qs.filter(created_at__gte=start, created_at__lt=end)
    if reason:
        qs = qs.filter(reason__code=reason)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    if created_after:
        qs = qs.filter(created_at__gte=created_after)
    if created_before:
        qs = qs.filter(created_at__lt=created_before)
    if q:
        qs = qs.filter(keyword_q(q))
    return qs


def keyword_q(text: str) -> Q:
    """Number, names and respondent; an ID number or phone matches by its hash."""
    from zhonglou_hrss.core import pii

    text = text.strip()
    q = (Q(number__icontains=text) | Q(reporter_name__icontains=text) | Q(respondent_name__icontains=text)
         | Q(respondent_uscc=text.upper()))
    id_hash = pii.pii_hash(pii.ID_CARD, text)
    phone_hash = pii.pii_hash(pii.MOBILE, text)
    if id_hash:
        q |= Q(reporter_id_number_hash=id_hash)
    if phone_hash:
        q |= Q(reporter_phone_hash=phone_hash)
    return q
