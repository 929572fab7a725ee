"""Credit's pure definitions (no query runs here): the permissions the rules
name, who is rated (the licence rule), what points an item's scoring rule
allows, and the score formula with the grade bands (R-CR-03, R-CR-04) — one
function over the year's data that returns the working line by line.

The formula (all of it from the year's data):
    score = max(floor, initial + Σ_bonus-categories min(Σ items, cap)
                       + max(Σ deductions (each item and category at most its cap), overall cap))
    grade = the first band, from the top, whose min_score and conditions are
            all met (require_no_veto, require_no_deductions_in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

SUBSYSTEM = "credit"
APPROVE_ACCOUNTS = "core.approve_credit_access"
VIEW_ACCOUNTS = "core.view_enterpriseaccount"
MANAGE_CRITERIA = "credit.manage_criteria"
REVIEW = "credit.review_declaration"
SCORE = "credit.score_declaration"

SCORING_TYPES = ("fixed", "per_unit", "tiered", "per_item_tiered", "components", "rate", "per_occurrence",
                 "per_occurrence_banded", "staff_judgement")
ZERO = Decimal("0")


def D(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


# --- who is rated (R-CR-01) ----------------------------------------------------------------
def licensed_long_enough(licence_date: date | None, year: int, min_years: int = 1) -> bool:
    """A company licensed for less than ``min_years`` at the rating year's end
    (31 December) is not rated (criteria cycle.eligibility, S10/S16)."""
    if licence_date is None:
        return False
    year_end = date(year, 12, 31)
    try:
        threshold = year_end.replace(year=year_end.year - min_years)
    except ValueError:  # pragma: no cover - 31 Dec always exists
        threshold = date(year - min_years, 12, 31)
    return licence_date <= threshold


NOT_RATED = "取得劳务派遣经营许可不满{years}年，本年度不参加评价"


# --- points an item allows -----------------------------------------------------------------
def bonus_max(scoring: dict, cap) -> Decimal:
    """The most a bonus item can give by its scoring rule, within its cap."""
    kind = scoring.get("type")
    if kind == "fixed":
        most = D(scoring.get("points", 0))
    elif kind in ("tiered", "per_item_tiered"):
        tiers = [D(t.get("points", 0)) for t in scoring.get("tiers", [])]
        most = max(tiers, default=ZERO)
        if kind == "per_item_tiered" and cap is not None:
            most = D(cap)
    elif kind == "components":
        most = sum((D(c.get("points", 0)) for c in scoring.get("components", [])), ZERO)
    elif kind == "rate":
        most = D(scoring.get("full_points", 0))
    else:  # per_unit, staff_judgement …: the cap says it
        most = D(cap) if cap is not None else D(scoring.get("max_points", 0))
    if cap is not None:
        most = min(most, D(cap))
    return most


def bonus_points_error(scoring: dict, cap, points) -> str | None:
    points = D(points)
    most = bonus_max(scoring, cap)
    if points < 0:
        return "加分项的分值不能为负数"
    if points > most:
        return f"该指标最多{most.normalize():f}分"
    return None


def deduction_points_error(scoring: dict, points) -> str | None:
    """One deduction instance's points by the item's rule: per_occurrence and
    fixed exactly the item's points; banded one of the bands'; staff judgement
    within its range."""
    points = D(points)
    kind = scoring.get("type")
    if points >= 0:
        return "扣分应为负数"
    if kind in ("per_occurrence", "fixed"):
        expected = D(scoring.get("points", 0))
        return None if points == expected else f"该项每次扣{(-expected).normalize():f}分"
    if kind == "per_occurrence_banded":
        allowed = sorted({D(b.get("points", 0)) for b in scoring.get("bands", [])})
        if points in allowed:
            return None
        return "该项扣分只能是：" + "、".join(f"{p.normalize():f}" for p in allowed)
    if kind == "staff_judgement":
        low, high = D(scoring.get("min_points", points)), D(scoring.get("max_points", points))
        if low <= points <= high:
            return None
        return f"该项扣分应在{low.normalize():f}至{high.normalize():f}之间"
    return None


# --- the formula ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CategoryData:
    code: str
    label: str
    kind: str  # base / bonus / deduction / veto
    cap: Decimal | None = None


@dataclass(frozen=True)
class ItemData:
    code: str
    category: str
    cap: Decimal | None = None


@dataclass(frozen=True)
class BandData:
    grade: str
    min_score: Decimal
    require_no_veto: bool = True
    require_no_deductions_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeData:
    initial_score: Decimal
    floor: Decimal
    categories: tuple[CategoryData, ...]
    items: dict[str, ItemData]
    bands: tuple[BandData, ...]  # from the top
    deductions_cap: Decimal | None = None


@dataclass
class Working:
    score: Decimal
    grade: str
    lines: list[dict] = field(default_factory=list)


def _fmt(value: Decimal) -> str:
    text = f"{D(value).quantize(Decimal('0.01')).normalize():f}"
    return text


def compute_score(scheme: SchemeData, bonus: dict[str, Decimal], deductions: list[tuple[str, Decimal]],
                  vetoes: list[str] = ()) -> Working:
    """The credit score and grade from the year's data; ``lines`` is the
    working as shown to staff (each with ``label``, ``value`` and ``note``)."""
    lines: list[dict] = []
    total = D(scheme.initial_score)
    lines.append({"label": "初始分", "value": _fmt(total), "note": ""})
    for category in scheme.categories:
        if category.kind != "bonus":
            continue
        raw = ZERO
        for code, points in bonus.items():
            item = scheme.items.get(code)
            if item is None or item.category != category.code:
                continue
            points = D(points)
            if item.cap is not None and points > D(item.cap):
                points = D(item.cap)
            raw += points
        counted = min(raw, D(category.cap)) if category.cap is not None else raw
        note = f"合计{_fmt(raw)}，上限{_fmt(category.cap)}" if category.cap is not None else f"合计{_fmt(raw)}"
        lines.append({"label": category.label, "value": f"+{_fmt(counted)}", "note": note})
        total += counted
    by_item: dict[str, Decimal] = {}
    for code, points in deductions:
        by_item[code] = by_item.get(code, ZERO) + D(points)
    deducted_in: set[str] = set()
    all_deductions = ZERO
    for category in scheme.categories:
        if category.kind != "deduction":
            continue
        raw = ZERO
        for code, points in by_item.items():
            item = scheme.items.get(code)
            if item is None or item.category != category.code:
                continue
            if item.cap is not None and points < D(item.cap):
                points = D(item.cap)  # an item's cap on deductions is negative: at most that much in total
            raw += points
        counted = max(raw, D(category.cap)) if category.cap is not None else raw
        if counted:
            deducted_in.add(category.code)
            note = f"合计{_fmt(raw)}，上限{_fmt(category.cap)}" if category.cap is not None else ""
            lines.append({"label": category.label, "value": _fmt(counted), "note": note})
        all_deductions += counted
    if scheme.deductions_cap is not None and all_deductions < D(scheme.deductions_cap):
        lines.append({"label": "扣分总上限", "value": _fmt(scheme.deductions_cap),
                      "note": f"扣分合计{_fmt(all_deductions)}"})
        all_deductions = D(scheme.deductions_cap)
    total += all_deductions
    raw_total = total
    if total < D(scheme.floor):
        total = D(scheme.floor)
    lines.append({"label": "信用得分", "value": _fmt(total),
                  "note": f"计算值{_fmt(raw_total)}，不低于{_fmt(scheme.floor)}" if raw_total != total else ""})
    grade = ""
    for band in scheme.bands:
        if total < D(band.min_score):
            continue
        if band.require_no_veto and vetoes:
            continue
        if set(band.require_no_deductions_in) & deducted_in:
            continue
        grade = band.grade
        break
    note = f"一票否决：{'、'.join(vetoes)}" if vetoes else ""
    lines.append({"label": "信用等级", "value": grade, "note": note})
    return Working(score=total, grade=grade, lines=lines)
