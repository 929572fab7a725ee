"""Who handled a case and how, for lists of cases: what the grid rounds and
the inspector assignments say. One place for the desk list, the API list and
the export (R-KB-17), so the three show the same acceptance time, amount and
inspector.

The functions take the ids of cases the caller already may see (a page of a
list, a chunk of an export) and answer with one query each, whatever the
number of ids — never a query per case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zhonglou_hrss.core.selectors import ids_in
from zhonglou_hrss.kuaiban.models import GridOutcome, GridRound, InspectorAssignment


@dataclass(frozen=True)
class GridHandling:
    """``accepted_at``: the latest grid acceptance, kept after the round ends
    (``Case.grid_accepted_at`` holds only the open round's, for the overdue
    rule, and is cleared when the grid resolves, fails or returns the case).
    ``resolution_way_id`` and ``amount``: of the successful round — a case
    has at most one, success ends the grid stage (R-KB-04)."""

    accepted_at: dt.datetime | None = None
    resolution_way_id: int | None = None
    amount: Decimal | None = None


NOT_HANDLED = GridHandling()


def grid_handling_of(case_ids) -> dict[int, GridHandling]:
    """Per case id (cases without a round are left out: ``NOT_HANDLED``)."""
    found: dict[int, GridHandling] = {}
    rows = (GridRound.objects.filter(ids_in(GridRound, "case", case_ids)).order_by("case_id", "sent_at", "id")
            .values_list("case_id", "accepted_at", "outcome", "resolution_way_id", "amount"))
    for case_id, accepted_at, outcome, way, amount in rows:
        known = found.get(case_id, NOT_HANDLED)
        if accepted_at is not None:
            known = GridHandling(accepted_at, known.resolution_way_id, known.amount)
        if outcome == GridOutcome.SUCCESS:
            known = GridHandling(known.accepted_at, way, amount)
        found[case_id] = known
    return found


def current_inspectors_of(case_ids) -> dict[int, str]:
    """The inspector of each case's current assignment (kept after the case is
    closed; none once returned to the leader), by name, else username."""
    rows = (InspectorAssignment.objects.filter(ids_in(InspectorAssignment, "open_case", case_ids))
            .values_list("open_case_id", "inspector__name", "inspector__username"))
    return {case_id: name or username for case_id, name, username in rows}
