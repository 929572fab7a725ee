"""Kuaiban reads. Every query that reaches a user starts from ``case_list_for``
(R-KB-16): desk lists, case pages, photos, the API, exports and statistics.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.kuaiban import case_counts
from zhonglou_hrss.kuaiban.models import Case, CaseStatus, GridOutcome, GridRound
from zhonglou_hrss.kuaiban.workflow import ASSIGN, GRID, INSPECT, TRIAGE

VIEW_ALL = "kuaiban.view_all_cases"


def user_grid_ids(user) -> list[int]:
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
    grid_ids = user_grid_ids(user)
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
        grid_ids = user_grid_ids(user)
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
                 now=None, user=None) -> QuerySet[Case]:
    """``user``: whose figures a ``stat_grid`` filter follows (kuaiban.stats.stat_grid_q)."""
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if grid:
        qs = qs.filter(grid__code=grid)
    if stat_grid or year:
        # The figures' definitions (kuaiban.stats), so a list agrees with the map and the analysis.
        from zhonglou_hrss.kuaiban.stats import stat_grid_q, year_bounds

        if stat_grid:
            qs = qs.filter(stat_grid_q(stat_grid, user))
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
    q |= pii.exact_match_q(text, id_card_column="reporter_id_number_hash", mobile_column="reporter_phone_hash")
    return q


# --- paging a long list (benchmarks/RESULTS.md: a million cases on MariaDB) --------
def page_of(qs: QuerySet, start: int, stop: int, *, ids_from: QuerySet | None = None) -> list:
    """Rows ``start:stop`` of an ordered list (cases, petitions), in two steps: the ids alone —
    a narrow query the database answers from an index (created_at for a whole
    list, the overdue index for an overdue one) — then those rows with what
    ``qs`` selects and joins. In one query with the grid and reason joined,
    MariaDB starts from the small grid table and sorts every visible case
    before taking the first 20: seconds at a million cases. ``ids_from``: the
    same cases written another way (``visible_case_by_case``), in ``qs``'s order."""
    source = qs if ids_from is None else ids_from.order_by(*(qs.query.order_by or qs.model._meta.ordering))
    ids = list(source.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    rows = {row.pk: row for row in qs.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]  # one changed in between drops out, as on a refresh


def sees_through_grids_only(user) -> bool:
    return (user is not None and user.is_authenticated and user.is_active and user.has_perm(GRID)
            and not user.has_perm(VIEW_ALL) and not user.has_perm(INSPECT))


def visible_count(user) -> int:
    """``case_list_for(user).count()``, computed the cheap way where there is
    one. A user who sees cases only through their grids sees exactly the cases
    with a round there that the grid did not return: counted from the rounds'
    index alone, not by looking up each of a grid's 10⁵ cases (~60 ms instead
    of 0.3–6 s at a million cases). A user who sees every case: the sum of
    the case counts (``case_counts.total``)."""
    if user is not None and user.is_authenticated and user.is_active and user.has_perm(VIEW_ALL):
        return case_counts.total()
    if not sees_through_grids_only(user):
        return case_list_for(user).count()
    grid_ids = user_grid_ids(user)
    if not grid_ids:
        return 0
    rounds = GridRound.objects.filter(grid_id__in=grid_ids).exclude(outcome=GridOutcome.RETURNED)
    return rounds.aggregate(n=Count("case_id", distinct=True))["n"]


def visible_case_by_case(user) -> QuerySet[Case] | None:
    """``case_list_for(user)`` for a user who sees cases only through their
    grids, with the grid test wrapped so that MariaDB checks it case by case —
    in a list's order, stopping at the page; or on the few cases another index
    picked (the dashboard's cards) — instead of first collecting all of the
    grids' 10⁵ cases (a materialised semi-join: right for a whole grid's
    count, 100+ ms wasted for a page or a small count). None for other users."""
    if not sees_through_grids_only(user):
        return None
    if not user_grid_ids(user):
        return Case.objects.none()
    checked_one_by_one = SqlCase(When(_grid_visible_q(user), then=Value(True)), default=Value(False),
                                 output_field=BooleanField())
    return Case.objects.filter(checked_one_by_one)


def visible_for_small_counts(user) -> QuerySet[Case]:
    """``case_list_for(user)`` shaped for counting the few cases another
    condition picks from its index (the cards above the list, the desk home):
    a grid worker's visibility tested case by case on those."""
    qs = visible_case_by_case(user)
    return case_list_for(user) if qs is None else qs

