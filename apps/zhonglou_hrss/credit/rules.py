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
MANAGE_RESULTS = "credit.manage_results"
YEAR_MIN, YEAR_MAX = 2000, 2100  # the bounds every app's year parameter has (kuaiban.rules)

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


# --- the declaration window (R-CR-02) ------------------------------------------------------
def window_message(start: date, end: date, today: date) -> str | None:
    """Why a company may not start or fill a declaration today (a Chinese
    sentence with the window's dates), or None inside the window."""
    if start <= today <= end:
        return None
    if today < start:
        return f"申报期为{start:%Y-%m-%d}至{end:%Y-%m-%d}（含当日），尚未开始，请在申报期内填写。"
    return f"申报期为{start:%Y-%m-%d}至{end:%Y-%m-%d}（含当日），已截止，不能再填写或提交。"


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


def scoring_explained(scoring: dict, cap) -> list[str]:
    """A bonus item's rule for the company's form (R-CR-02): the rule as the desk
    writes it (``describe_scoring``), then the most it gives."""
    return [describe_scoring(scoring), f"本项最多{_pts(bonus_max(scoring, cap))}分；不符合的填0"]


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


def _pts(value, *, signed: bool = False) -> str:
    text = f"{D(value).normalize():f}"
    return f"+{text}" if signed and D(value) > 0 else text


def describe_scoring(scoring: dict, cap=None) -> str:
    """An item's scoring rule in Chinese for the desk (the default file keeps
    its own explanations in English, so staff read the rule from its numbers)."""
    kind = scoring.get("type")
    if kind == "fixed":
        text = f"{_pts(scoring.get('points', 0), signed=True)}分" + ("/次" if D(scoring.get("points", 0)) < 0 else "")
    elif kind == "per_unit":
        text = f"每满一个计分单位{_pts(scoring.get('points_per_unit', 0), signed=True)}分"
    elif kind == "tiered":
        text = "分档（取最高档）：" + "；".join(
            f"达到{_pts(t.get('min', 0))}得{_pts(t.get('points', 0))}分" for t in scoring.get("tiers", []))
    elif kind == "per_item_tiered":
        text = "每项按级别累计：" + "、".join(
            f"{t.get('level', '')}{_pts(t.get('points', 0), signed=True)}分" for t in scoring.get("tiers", []))
    elif kind == "components":
        text = "分项累计：" + "；".join(
            f"{c.get('label', c.get('code', ''))}{_pts(c.get('points', 0), signed=True)}分"
            for c in scoring.get("components", []))
    elif kind == "rate":
        text = (f"比例达{_pts(scoring.get('full_at_percent', 100))}%得{_pts(scoring.get('full_points', 0))}分，"
                f"每低1个百分点减{_pts(scoring.get('minus_per_percent_below', 0))}分，"
                f"最低{_pts(scoring.get('min_points', 0))}分")
    elif kind == "per_occurrence":
        text = f"每次{_pts(scoring.get('points', 0))}分"
    elif kind == "per_occurrence_banded":
        text = "每次按情形：" + "；".join(f"{b.get('label', '')}{_pts(b.get('points', 0))}分"
                                      for b in scoring.get("bands", []))
    elif kind == "staff_judgement":
        text = f"由评价人员酌定，{_pts(scoring.get('min_points', 0))}至{_pts(scoring.get('max_points', 0))}分"
    else:
        text = "按评分说明"
    if cap is not None:
        text += f"（上限{_pts(cap)}分）"
    return text


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


# --- results (R-CR-10, R-CR-11) ------------------------------------------------------------
TWO = Decimal("0.01")


def credit_max(scheme: SchemeData) -> Decimal:
    """The highest credit score the year's data allow: initial + every bonus category's cap."""
    return D(scheme.initial_score) + sum((D(c.cap) for c in scheme.categories if c.kind == "bonus" and c.cap),
                                         ZERO)


def min_samples(aggregation: dict, dimension: str, default: int) -> int:
    """The year's minimum valid questionnaires for a dimension (a number in the data; a formula
    the engine cannot evaluate — it needs the dispatched headcount — falls back to ``default``)."""
    value = (aggregation.get(dimension) or {}).get("min_valid_samples", default)
    return value if isinstance(value, int) and value >= 0 else default


@dataclass
class Composite:
    credit_norm: Decimal
    hr: Decimal | None
    employee: Decimal | None
    questionnaire: Decimal | None
    total: Decimal
    flags: list[str]
    formula: str


def combine(credit_score, credit_max_score, hr, employee, weights: dict, *, hr_ok: bool = True,
            employee_ok: bool = True) -> Composite:
    """The three dimensions weighted (R-CR-10): credit normalised to 100
    (min(score, max) / max × 100); questionnaire = HR × w_hr + employee × w_employee;
    total = credit × w_credit + questionnaire × w_questionnaire. A dimension with too few
    samples (or none) gets no score and its weight is spread over the others in proportion."""
    flags = []
    credit_norm = (min(D(credit_score), D(credit_max_score)) / D(credit_max_score) * 100).quantize(TWO)
    hr = D(hr) if hr is not None and hr_ok else None
    employee = D(employee) if employee is not None and employee_ok else None
    if hr is None:
        flags.append("HR评价样本不足")
    if employee is None:
        flags.append("员工评价样本不足")
    w_hr, w_emp = D(weights.get("hr", 0)), D(weights.get("employee", 0))
    parts = [(v, w) for v, w in ((hr, w_hr), (employee, w_emp)) if v is not None and w > 0]
    questionnaire = None
    if parts:
        questionnaire = (sum(v * w for v, w in parts) / sum(w for _, w in parts)).quantize(TWO)
    w_credit, w_q = D(weights.get("credit", 1)), D(weights.get("questionnaire", 0))
    if questionnaire is None:
        total = credit_norm
    else:
        total = ((credit_norm * w_credit + questionnaire * w_q) / (w_credit + w_q)).quantize(TWO)
    formula = (f"信用分折算 = min(信用得分, {_fmt(credit_max_score)}) ÷ {_fmt(credit_max_score)} × 100；"
               f"问卷得分 = HR评价 × {_fmt(w_hr)} + 员工评价 × {_fmt(w_emp)}；"
               f"总分 = 信用分折算 × {_fmt(w_credit)} + 问卷得分 × {_fmt(w_q)}（缺项的权重按比例分给其余各项）")
    return Composite(credit_norm, hr, employee, questionnaire, total, flags, formula)


def competition_ranks(values: list) -> list[int | None]:
    """Ranks from the highest, ties sharing a rank and the next skipping (1, 1, 3);
    a value None gets no rank. Values may be tuples (e.g. (no veto, total))."""
    order = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(order, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]


def quota_grades(rows: list[tuple[int | None, str]], grades: list[str], quota: dict) -> list[str]:
    """The grade quota (criteria grades.quota_rule, off unless ``enabled``), applied after
    scoring by rank: at most ``max_share_top_grade`` of the rated companies keep the top
    grade and at most ``max_share_a_and_above`` keep grade A or above (the bands from the
    top down to "A"); a company ranked beyond a limit moves to the next band below it.

    ``rows`` are (credit rank, grade) per company, ``grades`` the bands from the top. The
    limit is a number of places (share × companies, rounded down); companies tied on the
    last place all keep their grade, so a tie can put the share slightly over."""
    if not quota.get("enabled") or not rows or len(grades) < 2:
        return [grade for _, grade in rows]
    n = len(rows)
    out = [grade for _, grade in rows]
    limits = [({grades[0]}, int(n * float(quota.get("max_share_top_grade", 1))), grades[1])]
    if "A" in grades and grades.index("A") + 1 < len(grades):
        cut = grades.index("A") + 1
        limits.append((set(grades[:cut]), int(n * float(quota.get("max_share_a_and_above", 1))), grades[cut]))
    for kept, places, below in limits:
        for i, (rank, _) in enumerate(rows):
            if out[i] in kept and (rank is None or rank > places):
                # Moving down one band at a time keeps a company out of a band it never reached.
                out[i] = below if grades.index(out[i]) < grades.index(below) else out[i]
    return out
