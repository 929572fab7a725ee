"""Case counts (``CaseCount``), written: kept exact with every change to a case.

- ``register_case`` calls ``added(key_of(case))`` and ``transitions.perform``
  calls ``moved(before, key_of(case))`` inside their own transaction, so a
  count changes if and only if the case does. Those two are the only writers
  of the fields a key depends on (grid, attributed grid, status, created_at,
  the grid rounds).
- Rows are updated in a fixed key order, so two transactions never wait for
  each other in a cycle.
- ``reconcile()`` recomputes every count from the cases with one aggregate,
  without locks, then repairs each cell that differs in its own short
  transaction (returned, for the log): after a bulk load
  (benchmarks/generate.py), by ``manage.py reconcile_case_counts``, and every
  night (``kuaiban.tasks``) as a safety net.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import F

from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban.models import Case, CaseCount, GridRound
from zhonglou_hrss.kuaiban.selectors.cases import grid_lists_changed
from zhonglou_hrss.kuaiban.selectors.counts import Key, live_count_of, live_counts

log = logging.getLogger(__name__)


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


LOGGED_DIFFERENCES = 20  # the first ones in detail; the rest as a number


def reconcile(case_model=Case, round_model=GridRound, count_model=CaseCount, *,
              log_differences: bool = True) -> list[tuple[Key, int, int]]:
    """Make the stored counts equal the cases' own; return the differences
    repaired as (key, stored, actual), and log them (a warning: something
    changed cases behind the services' back).

    Nobody waits for it. First, without any lock, every cell is recounted at
    once (one aggregate: seconds at a million cases) and compared with the
    stored cells. Then each cell that differs — few or none on a healthy site
    — is repaired in a transaction of its own: the cell is locked (created if
    missing) and recounted alone (``live_count_of``: milliseconds), so a
    registration or a step that moves a case into or out of that cell waits
    at most that long, and a change committed meanwhile is counted exactly
    once — before the lock it is in the recount, after it the writer adds it."""
    # Cases loaded behind the services' back (a bulk load, a restore) also
    # change what grids see: the grids' cached list counts start afresh.
    for grid_id in Grid.objects.values_list("pk", flat=True):
        grid_lists_changed(grid_id)
    stored = {Key.of(c): c.n for c in count_model.objects.all()}
    actual = live_counts(case_model, round_model)
    suspects = sorted(k for k in set(stored) | set(actual) if stored.get(k, 0) != actual.get(k, 0))
    differences = []
    for key in suspects:
        with transaction.atomic():
            row = _locked_cell(count_model, key)
            n = live_count_of(key, case_model, round_model)
            if row.n == n:
                continue  # a change committed meanwhile had already put it right
            differences.append((key, row.n, n))
            if n:
                count_model.objects.filter(pk=row.pk).update(n=n)
            else:
                count_model.objects.filter(pk=row.pk).delete()
    if log_differences and differences:
        log.warning("case counts repaired: %d cells differed from the cases; first ones: %s", len(differences),
                    "; ".join(f"{key} was {was}, is {now}" for key, was, now in differences[:LOGGED_DIFFERENCES]))
    return differences


def _locked_cell(count_model, key: Key):
    """The cell's row, locked for this transaction (created with 0 when missing;
    a writer creating it at the same moment wins and is locked instead)."""
    row = count_model.objects.select_for_update().filter(**key.fields()).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():  # savepoint
            count_model.objects.create(**key.fields(), n=0)
    except IntegrityError:
        pass
    return count_model.objects.select_for_update().get(**key.fields())
