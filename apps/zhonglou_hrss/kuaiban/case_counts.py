"""Case counts (``CaseCount``): the figures' summary of the cases, kept exact.

The one map and the analysis (``kuaiban.stats``) add up these rows — one per
statistics grid × year × month × status × grid-seen flag, a few thousand at
most — instead of aggregating every case on each request (a million cases
took seconds; see benchmarks/RESULTS.md).

How they stay exact:
- ``register_case`` calls ``added(key_of(case))`` and ``transitions.perform``
  calls ``moved(before, key_of(case))`` inside their own transaction, so a
  count changes if and only if the case does. Those two are the only writers
  of the fields a key depends on (grid, attributed grid, status, created_at,
  the grid rounds).
- Rows are updated in a fixed key order, so two transactions never wait for
  each other in a cycle.
- ``reconcile()`` recomputes every count from the cases with one aggregate and
  repairs any difference (returned, for the log): after a bulk load
  (benchmarks/generate.py), by ``manage.py reconcile_case_counts``, and every
  night (``cron.py``) as a safety net.

The year and month are the registration's, in Asia/Shanghai — the same fixed
+8 h shift as ``stats.local_part``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from zhonglou_hrss.kuaiban.models import Case, CaseCount, GridOutcome, GridRound

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Key:
    stat_grid_id: int
    year: int
    month: int
    status: str
    grid_seen: bool

    @classmethod
    def of(cls, row) -> Key:
        """The key of a stored ``CaseCount`` row."""
        return cls(row.stat_grid_id, row.year, row.month, row.status, row.grid_seen)

    def fields(self) -> dict:
        return {"stat_grid_id": self.stat_grid_id, "year": self.year, "month": self.month, "status": self.status,
                "grid_seen": self.grid_seen}


def stat_grid_id_of(case: Case) -> int:
    """The statistics grid: the attributed grid once set, else the current grid."""
    return case.attributed_grid_id or case.grid_id


def key_of(case: Case) -> Key:
    """The cell a case counts in now (one indexed query for the flag)."""
    stat_grid_id = stat_grid_id_of(case)
    local = timezone.localtime(case.created_at)
    seen = (GridRound.objects.filter(case_id=case.pk, grid_id=stat_grid_id)
            .exclude(outcome=GridOutcome.RETURNED).exists())
    return Key(stat_grid_id, local.year, local.month, case.status, seen)


def _add(key: Key, delta: int) -> None:
    if CaseCount.objects.filter(**key.fields()).update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():  # savepoint: a concurrent first insert of the same cell may win
            CaseCount.objects.create(**key.fields(), n=delta)
    except IntegrityError:
        CaseCount.objects.filter(**key.fields()).update(n=F("n") + delta)


def added(key: Key) -> None:
    """A new case counts in ``key`` (call inside the registration's transaction)."""
    _add(key, 1)


def moved(before: Key, after: Key) -> None:
    """A case left ``before`` for ``after`` (call inside the change's transaction)."""
    if before == after:
        return
    for key, delta in sorted([(before, -1), (after, 1)]):  # one lock order for everyone
        _add(key, delta)


def total() -> int:
    """How many cases there are, from the counts (a few thousand rows instead
    of an exact COUNT over every case: ~100 ms at 10⁶ on MariaDB)."""
    return CaseCount.objects.aggregate(n=Sum("n"))["n"] or 0


def stored_counts() -> dict[Key, int]:
    """The stored counts that are not zero, by key (to compare with ``live_counts``)."""
    return {Key.of(c): c.n for c in CaseCount.objects.exclude(n=0)}


def live_counts(case_model=Case, round_model=GridRound) -> dict[Key, int]:
    """Every cell's count computed from the cases (one aggregate; seconds at a million cases)."""
    from zhonglou_hrss.kuaiban.stats import local_part

    seen = Exists(round_model.objects.filter(case=OuterRef("pk"), grid_id=OuterRef("stat_grid_id"))
                  .exclude(outcome=GridOutcome.RETURNED))
    rows = (case_model.objects.order_by()
            .annotate(stat_grid_id=Coalesce(F("attributed_grid_id"), F("grid_id")),
                      year=local_part(ExtractYear, "created_at"), month=local_part(ExtractMonth, "created_at"),
                      grid_seen=seen)
            .values("stat_grid_id", "year", "month", "status", "grid_seen")
            .annotate(n=Count("pk")))
    return {Key(r["stat_grid_id"], r["year"], r["month"], r["status"], bool(r["grid_seen"])): r["n"] for r in rows}


LOGGED_DIFFERENCES = 20  # the first ones in detail; the rest as a number


def reconcile(case_model=Case, round_model=GridRound, count_model=CaseCount, *,
              log_differences: bool = True) -> list[tuple[Key, int, int]]:
    """Make the stored counts equal the cases' own; return the differences
    repaired as (key, stored, actual), and log them (a warning: something
    changed cases behind the services' back). Runs in one transaction with the
    cells locked, so concurrent changes wait rather than being lost."""
    with transaction.atomic():
        stored = {Key.of(c): c for c in count_model.objects.select_for_update()}
        actual = live_counts(case_model, round_model)
        differences = []
        for key in sorted(set(stored) | set(actual)):
            row, n = stored.get(key), actual.get(key, 0)
            if row is None:
                try:
                    with transaction.atomic():  # savepoint
                        count_model.objects.create(**key.fields(), n=n)
                except IntegrityError:
                    # A change committed meanwhile created this cell (not locked
                    # above, it did not exist): its writer keeps it; a remaining
                    # difference is repaired by the next check.
                    continue
                differences.append((key, 0, n))
            elif row.n != n:
                differences.append((key, row.n, n))
                if n:
                    count_model.objects.filter(pk=row.pk).update(n=n)
                else:
                    count_model.objects.filter(pk=row.pk).delete()
    if log_differences and differences:
        log.warning("case counts repaired: %d cells differed from the cases; first ones: %s", len(differences),
                    "; ".join(f"{key} was {was}, is {now}" for key, was, now in differences[:LOGGED_DIFFERENCES]))
    return differences
