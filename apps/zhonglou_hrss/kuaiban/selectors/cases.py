"""Kuaiban case reads. Every query that reaches a user starts here, from
``case_list_for`` (R-KB-16): desk lists, case pages, photos, the API, exports
and statistics.

One rule, several forms. ``case_list_for`` is the rule; the other forms below
give exactly the same cases (or their number) faster for the users and lists
they apply to, and each is checked against the rule for every kind of user on
generated data (tests/kuaiban/selectors):

- ``visible_count`` — the whole list's count: from the grid rounds for a user
  who sees cases only through their grids, from the case counts for one who
  sees every case;
- ``visible_case_by_case`` — the grid test written so that MariaDB checks it
  case by case in a list's order, stopping at the page;
- ``visible_for_small_counts`` — the list shaped for counting the few cases
  another index picks (the cards above the list, the desk home);
- ``figure_list_count`` — the count of the list behind a figure (statistics
  grid and year), from the case counts like the figure itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, Min, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models import Case as SqlCase

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.search import keyword_q as text_search_q
from zhonglou_hrss.core.selectors import row_by_row
from zhonglou_hrss.kuaiban.models import Case, CaseStatus, GridOutcome, GridRound, InspectorAssignment
from zhonglou_hrss.kuaiban.rules import GRID, INSPECT, VIEW_ALL, overdue_q, year_bounds
from zhonglou_hrss.kuaiban.selectors import counts
from zhonglou_hrss.kuaiban.selectors.people import active, can_view_stats, sees_through_grids_only, user_grid_ids
from zhonglou_hrss.kuaiban.workflow import ASSIGN, TRIAGE


def _grid_visible_q(user) -> Q:
    """R-KB-16: cases sent to the user's grids — still there, completed, or sent back
    as mediation failed (R-KB-06) — unless that grid returned them as not theirs (R-KB-07)."""
    grid_ids = user_grid_ids(user)
    if not grid_ids:
        return Q(pk__in=[])
    return Exists(
        GridRound.objects.filter(case=OuterRef("pk"), grid_id__in=grid_ids).exclude(outcome=GridOutcome.RETURNED)
    )


def case_list_for(user) -> QuerySet[Case]:
    """R-KB-16: the cases this user may see, by their permissions (several roles add up).
    Leader and clerk: all; inspector: assigned to them now; grid worker: their grids' (not returned)."""
    if not active(user):
        return Case.objects.none()
    if user.has_perm(VIEW_ALL):
        return Case.objects.all()
    q = Q(pk__in=[])
    if user.has_perm(INSPECT):
        q |= Q(pk__in=_assigned_now(user))
    if user.has_perm(GRID):
        q |= _grid_visible_q(user)
    return Case.objects.filter(q)


def _assigned_now(user):
    """The ids of the cases assigned to this inspector now (claimed or not),
    read from the assignments' (inspector, open_case) index."""
    return InspectorAssignment.objects.filter(inspector=user, open_case__isnull=False).values("open_case_id")


def case_for(user, case_id) -> Case:
    """One visible case, or NotVisible (a missing and a hidden case look alike)."""
    try:
        return case_list_for(user).get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotVisible() from None


def is_visible(user, case: Case) -> bool:
    return case_list_for(user).filter(pk=case.pk).exists()


@dataclass(frozen=True)
class PublicProgress:
    """What the public may know of a case: its status and dates, nothing else."""

    number: str
    status: str
    registered_at: dt.datetime
    accepted_at: dt.datetime | None
    finished_at: dt.datetime | None


def public_progress_of(number: str, phone: str) -> PublicProgress | None:
    """The public progress look-up (R-KB-01): a case by its number and the
    reporter's phone (compared through its keyed hash), or None."""
    phone_hash = pii.pii_hash(pii.MOBILE, phone)
    case = Case.objects.filter(number=number, reporter_phone_hash=phone_hash).first() if phone_hash else None
    if case is None:
        return None
    accepted = [case.rounds.aggregate(at=Min("accepted_at"))["at"],
                case.assignments.aggregate(at=Min("claimed_at"))["at"]]
    finished_at = None
    if case.status == CaseStatus.CLOSED:
        finished_at = case.closed_at
    elif case.status == CaseStatus.GRID_RESOLVED:
        finished_at = case.rounds.filter(outcome=GridOutcome.SUCCESS).aggregate(at=Min("outcome_at"))["at"]
    elif case.status == CaseStatus.ENDED_INVALID:
        event = case.events.filter(to_status=CaseStatus.ENDED_INVALID).order_by("-at").first()
        finished_at = event.at if event else None
    return PublicProgress(number=case.number, status=case.status, registered_at=case.created_at,
                          accepted_at=min((a for a in accepted if a), default=None), finished_at=finished_at)


def with_overdue(qs: QuerySet[Case], now=None) -> QuerySet[Case]:
    """R-KB-05: ``is_overdue`` computed in the database, never stored."""
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
        # Checked case by case among the few cases in these states (status index).
        q |= Q(Q(status__in=[CaseStatus.AWAITING_CLAIM, CaseStatus.INSPECTING])
               & Exists(InspectorAssignment.objects.filter(open_case=OuterRef("pk"), inspector=user)))
    return q


def queue_for(user) -> QuerySet[Case]:
    return case_list_for(user).filter(queue_q(user))


# --- filters shared by the desk list, the API and exports --------------------------
def filter_cases(qs: QuerySet[Case], *, status=None, grid=None, reason=None, overdue=None,
                 created_after=None, created_before=None, q=None, stat_grid=None, year=None,
                 now=None, user=None) -> QuerySet[Case]:
    """``user``: whose figures a ``stat_grid`` filter follows (``counts.stat_grid_q``)."""
    if status:
        qs = qs.filter(status__in=status if isinstance(status, (list, tuple)) else [status])
    if grid:
        qs = qs.filter(grid__code=grid)
    # The figures' definitions, so a list agrees with the map and the analysis.
    if stat_grid:
        qs = qs.filter(counts.stat_grid_q(stat_grid, user))
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
    return text_search_q(text, contains=("number", "reporter_name", "respondent_name"), uscc="respondent_uscc",
                         id_card_column="reporter_id_number_hash", mobile_column="reporter_phone_hash")


# --- faster forms of the same rule (see the module's note) --------------------------
def visible_count(user) -> int:
    """``case_list_for(user).count()``, computed the cheap way where there is
    one. A user who sees cases only through their grids sees exactly the cases
    with a round there that the grid did not return: counted from the rounds'
    index alone, not by looking up each of a grid's 10⁵ cases (~60 ms instead
    of 0.3–6 s at a million cases). A user who sees every case: the sum of
    the case counts (``counts.total``). Computed once per user object (a request)."""
    known = getattr(user, "_kuaiban_visible_count", None)
    if known is None:
        known = _visible_count(user)
        if user is not None:
            user._kuaiban_visible_count = known
    return known


def _visible_count(user) -> int:
    if active(user) and user.has_perm(VIEW_ALL):
        return counts.total()
    if active(user) and user.has_perm(INSPECT) and not user.has_perm(GRID):
        return _assigned_now(user).count()  # an inspector's cases are their open assignments
    if not sees_through_grids_only(user):
        return case_list_for(user).count()
    grid_ids = sorted(user_grid_ids(user))
    if not grid_ids:
        return 0
    # The grids' count is kept in the cache under the grids' versions, which
    # every change of who a grid sees bumps (grid_lists_changed): exact, and
    # the 10⁵ rounds of a grid are counted once per change, not per page.
    versions = cache.get_many([_grid_version_key(g) for g in grid_ids])
    key = "kuaiban:visible:" + ",".join(f"{g}.{versions.get(_grid_version_key(g), 0)}" for g in grid_ids)
    known = cache.get(key)
    if known is None:
        rounds = GridRound.objects.filter(grid_id__in=grid_ids).exclude(outcome=GridOutcome.RETURNED)
        known = rounds.aggregate(n=Count("case_id", distinct=True))["n"]
        cache.set(key, known, 3600)
    return known


def _grid_version_key(grid_id: int) -> str:
    return f"kuaiban:grid-version:{grid_id}"


def grid_lists_changed(grid_id: int) -> None:
    """A round was sent to this grid or returned by it: the cases its workers
    see changed. Called by the services inside their transaction and again
    when it commits — a count cached in between (still without the change)
    is thrown away by the second bump."""
    _bump(grid_id)
    transaction.on_commit(lambda: _bump(grid_id))


def _bump(grid_id: int) -> None:
    key = _grid_version_key(grid_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def visible_case_by_case(user) -> QuerySet[Case] | None:
    """``case_list_for(user)`` for a user who sees cases only through their
    grids, with the grid test wrapped so that MariaDB checks it case by case —
    in a list's order, stopping at the page; or on the few cases another index
    picked (the dashboard's cards) — instead of first collecting all of the
    grids' 10⁵ cases (a materialised semi-join: right for a whole grid's
    count, 100+ ms wasted for a page or a small count). An inspector's the
    same way: each case looked up in the assignments' open-case index, instead
    of sorting all of their 10⁴ cases for one page. None for other users."""
    if sees_through_grids_only(user):
        if not user_grid_ids(user):
            return Case.objects.none()
        visible = _grid_visible_q(user)
    elif active(user) and user.has_perm(INSPECT) and not user.has_perm(GRID) and not user.has_perm(VIEW_ALL):
        visible = Exists(InspectorAssignment.objects.filter(open_case=OuterRef("pk"), inspector=user))
    else:
        return None
    return Case.objects.filter(row_by_row(visible))


def visible_for_small_counts(user) -> QuerySet[Case]:
    """``case_list_for(user)`` shaped for counting and paging the cases another
    condition picks from its index (a filtered list, the cards above the list,
    the desk home): a grid worker's visibility tested case by case on those."""
    qs = visible_case_by_case(user)
    return case_list_for(user) if qs is None else qs


def figure_list_count(user, *, stat_grid: str, year: int, statuses=None) -> int | None:
    """The count of the case list behind a figure — filtered by statistics grid
    and year (and status) only — from the case counts, as the figure itself:
    an exact COUNT of a grid's year reads 30,000+ cases (and, for a grid
    worker, every round of the grid: 10 s at 10⁶ cases). None where the counts
    do not give exactly the list's number (a user who also sees cases another
    way, a grid not theirs): the caller counts the list."""
    grid_id = counts.grid_id_of(stat_grid)
    if grid_id is None or not can_view_stats(user):
        return None
    if not user.has_perm(VIEW_ALL) and (not sees_through_grids_only(user) or grid_id not in user_grid_ids(user)):
        return None
    # For a grid worker's own grid, the list (stat_grid_q) is exactly the
    # cases that grid had in hand: counts_in_scope's grid_seen rows.
    cells = counts.counts_in_scope(user).filter(stat_grid_id=grid_id, year=year)
    if statuses:
        cells = cells.filter(status__in=list(statuses))
    return cells.aggregate(n=Sum("n"))["n"] or 0
