"""The statistics' tallies (``DemandTally``), written: kept exact with every
change that moves a figure — and only two changes do, both in
``services.demands``: an approval (the demand's positions, majors, services and
"no outcome yet" join the figures of its submission day) and an outcome
report (hired numbers and the outcome move). A rejected, pending or draft
demand is in no tally; an approved demand is never edited or withdrawn.

- ``contribution(demand)``: what one approved demand adds, cell by cell.
- ``apply(day, cells, sign)``: add or take away, in a fixed cell order (two
  transactions never wait for each other in a cycle), inside the caller's
  transaction, so a figure changes if and only if the demand does.
- ``reconcile()``: recompute every tally from the demands and repair the
  cells that differ — missing ones inserted in bulk — (after a bulk load,
  ``manage.py reconcile_demand_tallies``, and every night as a safety net).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhonglou_hrss.portal.models import Demand, DemandMajor, DemandPosition, DemandService, DemandStatus, DemandTally
from zhonglou_hrss.portal.rules import salary_band

log = logging.getLogger(__name__)

# A cell: (dimension, code) → [demands, headcount, hired].
Cells = dict[tuple[str, str], list[int]]
# The positions' lookup dimensions: (dimension, the position's field id).
POSITION_LOOKUPS = [("age_band", "age_band_id"), ("education", "education_id"), ("experience", "experience_id"),
                    ("employment_type", "employment_type_id"), ("skill_level", "skill_level_id")]


def day_of(demand: Demand) -> date:
    """The local day a demand was submitted: the period the statistics put it in."""
    return timezone.localtime(demand.submitted_at).date()


POSITION_COLUMNS = ["id", "demand_id", "headcount", "hired", "gender", "salary_min", "salary_max",
                    *[attr for _, attr in POSITION_LOOKUPS]]


def _cells(demand: Demand, positions: list[dict], majors: dict[int, list[dict]], services: list[int]) -> Cells:
    cells: Cells = defaultdict(lambda: [0, 0, 0])

    def add(dimension, code, *, demands=0, headcount=0, hired=0):
        cell = cells[(dimension, "" if code is None else str(code))]
        cell[0] += demands
        cell[1] += headcount
        cell[2] += hired

    for p in positions:
        n, got = p["headcount"], p["hired"] or 0
        for dimension, attr in POSITION_LOOKUPS:
            add(dimension, p[attr], headcount=n, hired=got)
        add("gender", p["gender"], headcount=n, hired=got)
        add("salary_band", salary_band(p["salary_min"], p["salary_max"]), headcount=n, hired=got)
        add("industry", demand.industry_id, headcount=n, hired=got)
        add("industrial_chain", demand.industrial_chain_id, headcount=n, hired=got)
        add("enterprise", demand.enterprise_id, headcount=n, hired=got)
        for major in majors.get(p["id"], ()):
            add("major_category", major["category_id"], headcount=major["headcount"])
    for service_id in services:
        add("service", service_id, demands=1)
    add("outcome", demand.outcome, demands=1)
    return dict(cells)


def _rows_of(demand_ids: list[int]):
    """Positions, majors (by position) and services (by demand) of some demands: three queries."""
    positions = list(DemandPosition.objects.filter(demand_id__in=demand_ids).values(*POSITION_COLUMNS))
    majors: dict[int, list[dict]] = defaultdict(list)
    for m in DemandMajor.objects.filter(position__demand_id__in=demand_ids).values("position_id", "category_id",
                                                                                  "headcount"):
        majors[m["position_id"]].append(m)
    services: dict[int, list[int]] = defaultdict(list)
    for demand_id, service_id in DemandService.objects.filter(demand_id__in=demand_ids).values_list(
            "demand_id", "service_id"):
        services[demand_id].append(service_id)
    by_demand: dict[int, list[dict]] = defaultdict(list)
    for p in positions:
        by_demand[p["demand_id"]].append(p)
    return by_demand, majors, services


def contribution(demand: Demand) -> Cells:
    """What an approved demand adds to the tallies of its submission day."""
    positions, majors, services = _rows_of([demand.pk])
    return _cells(demand, positions[demand.pk], majors, services[demand.pk])


def _add(day: date, dimension: str, code: str, delta: list[int]) -> None:
    d, h, g = delta
    cell = DemandTally.objects.filter(day=day, dimension=dimension, code=code)
    if cell.update(demands=F("demands") + d, headcount=F("headcount") + h, hired=F("hired") + g):
        return
    try:
        with transaction.atomic():  # savepoint: a concurrent first insert of the same cell may win
            DemandTally.objects.create(day=day, dimension=dimension, code=code, demands=d, headcount=h, hired=g)
    except IntegrityError:
        cell.update(demands=F("demands") + d, headcount=F("headcount") + h, hired=F("hired") + g)


def apply(day: date, cells: Cells, sign: int = 1) -> None:
    for (dimension, code), values in sorted(cells.items()):
        if any(values):
            _add(day, dimension, code, [sign * v for v in values])


def difference(before: Cells, after: Cells) -> Cells:
    keys = set(before) | set(after)
    zero = [0, 0, 0]
    out = {k: [a - b for a, b in zip(after.get(k, zero), before.get(k, zero))] for k in keys}
    return {k: v for k, v in out.items() if any(v)}


def reconcile() -> list[tuple]:
    """Recompute every tally from the approved demands; repair and return the cells that differed."""
    expected: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    approved = Demand.objects.filter(status=DemandStatus.APPROVED).only(
        "id", "submitted_at", "industry_id", "industrial_chain_id", "enterprise_id", "outcome")
    last = 0
    while True:  # chunks by id: flat memory whatever the number of demands
        chunk = list(approved.filter(id__gt=last).order_by("id")[:1000])
        if not chunk:
            break
        last = chunk[-1].pk
        positions, majors, services = _rows_of([d.pk for d in chunk])
        for demand in chunk:
            day = day_of(demand)
            for (dimension, code), values in _cells(demand, positions[demand.pk], majors,
                                                    services[demand.pk]).items():
                cell = expected[(day, dimension, code)]
                for i in range(3):
                    cell[i] += values[i]
    stored = {(t.day, t.dimension, t.code): [t.demands, t.headcount, t.hired] for t in DemandTally.objects.all()}
    repaired, missing = [], []
    for key in sorted(set(expected) | set(stored)):
        want = expected.get(key, [0, 0, 0])
        have = stored.get(key)
        if have == want or (have is None and not any(want)):
            continue
        day, dimension, code = key
        repaired.append((key, have or [0, 0, 0], want))
        if have is None:  # a cell never written (after a bulk load: all of them) — inserted in bulk below
            missing.append(DemandTally(day=day, dimension=dimension, code=code, demands=want[0], headcount=want[1],
                                       hired=want[2]))
        else:
            DemandTally.objects.filter(day=day, dimension=dimension, code=code).update(
                demands=want[0], headcount=want[1], hired=want[2])
    # A cell an approval creates meanwhile wins (ignore_conflicts); the next check looks again.
    DemandTally.objects.bulk_create(missing, batch_size=2000, ignore_conflicts=True)
    if repaired:
        log.warning("demand tallies repaired: %d cells", len(repaired))
    return repaired

