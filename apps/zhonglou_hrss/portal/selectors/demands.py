"""Reads of talent demands (R-PT-04, 13) and their statistics (R-PT-14).

Who sees which demand starts here: staff holding ``portal.view_demand`` see
every submitted demand (drafts are the enterprise's own until submitted); an
enterprise account sees its own enterprise's; anybody else none.

The statistics are SQL aggregates (``GROUP BY`` a lookup key, ``SUM`` of
headcounts) over the demands **approved** whose submission falls in the
period — the figures describe verified demand, so a rejected or pending
demand counts only in ``demands`` (submitted in the period)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.models import Enterprise, LookupEntry
from zhonglou_hrss.core.selectors import access_of
from zhonglou_hrss.portal.models import (
    Demand,
    DemandMajor,
    DemandOutcome,
    DemandPosition,
    DemandService,
    DemandStatus,
    DemandTally,
    GenderRequirement,
)
from zhonglou_hrss.portal.rules import REVIEW_DEMANDS, SALARY_BANDS, SUBSYSTEM, VIEW_DEMANDS


SUBMITTED = [DemandStatus.PENDING, DemandStatus.APPROVED, DemandStatus.REJECTED]


def is_demand_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(VIEW_DEMANDS))


def demand_list_for(user) -> QuerySet:
    if user is None or not user.is_authenticated or not user.is_active:
        return Demand.objects.none()
    if is_demand_staff(user):
        return Demand.objects.exclude(status=DemandStatus.DRAFT)
    access = access_of(user, SUBSYSTEM)
    if access is None:
        return Demand.objects.none()
    return Demand.objects.filter(enterprise_id=access.account.enterprise_id)


def demand_for(user, demand_id) -> Demand:
    demand = (demand_list_for(user).select_related("account", "enterprise", "industry", "industrial_chain",
                                                   "decided_by")
              .filter(pk=demand_id).first())
    if demand is None:
        raise NotVisible("人才需求不存在或您无权查看")
    return demand


def with_rows(qs: QuerySet) -> QuerySet:
    """Demands with their services, positions (their choices joined in), majors: four queries a page."""
    positions = DemandPosition.objects.select_related(
        "position_entry", "employment_type", "age_band", "education", "skill_level", "experience",
    ).prefetch_related(Prefetch("majors", queryset=DemandMajor.objects.select_related("category")))
    return qs.select_related("industry", "industrial_chain", "enterprise").prefetch_related(
        Prefetch("services", queryset=DemandService.objects.select_related("service")),
        Prefetch("positions", queryset=positions))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def in_period(qs: QuerySet, date_from: date | None, date_to: date | None, *, prefix: str = "") -> QuerySet:
    """Submitted from/to (local dates, both inclusive)."""
    if date_from:
        qs = qs.filter(**{f"{prefix}submitted_at__gte": _day_start(date_from)})
    if date_to:
        qs = qs.filter(**{f"{prefix}submitted_at__lt": _day_start(date_to + timedelta(days=1))})
    return qs


def filter_demands(qs: QuerySet, *, status: str = "", date_from: date | None = None, date_to: date | None = None,
                   industry: str = "", industrial_chain: str = "", uscc: str = "", q: str = "") -> QuerySet:
    """Staff's filters (R-PT-13): status, period, industry, chain, enterprise, keyword (company or post)."""
    if status:
        qs = qs.filter(status=status)
    qs = in_period(qs, date_from, date_to)
    if industry:
        qs = qs.filter(industry__code=industry)
    if industrial_chain:
        qs = qs.filter(industrial_chain__code=industrial_chain)
    if uscc:
        qs = qs.filter(enterprise__uscc=uscc.strip().upper())
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(company_name__icontains=word)
                       | Q(pk__in=DemandPosition.objects.filter(position_text__icontains=word).values("demand_id")))
    return qs


def pending_demand_count(user) -> int:
    if not (is_demand_staff(user) and user.has_perm(REVIEW_DEMANDS)):
        return 0
    return Demand.objects.filter(status=DemandStatus.PENDING).count()


def timeline_of(demand: Demand) -> list:
    return list(demand.events.select_related("actor").order_by("-at", "-id"))


# --- statistics (R-PT-14) --------------------------------------------------------------------------
@dataclass
class Share:
    code: str
    label: str
    headcount: int
    share: float


@dataclass
class DemandStatistics:
    date_from: date
    date_to: date
    demands: int  # submitted in the period (pending, approved or rejected)
    approved: int
    completed: int  # approved, and the enterprise confirmed 已完成
    partial: int  # approved, 未完全达成
    no_feedback: int  # approved, no outcome yet
    satisfaction: float | None  # completed ÷ approved (None when nothing was approved)
    requested: int  # headcount of the approved demands
    hired: int
    dimensions: dict[str, list[Share]] = field(default_factory=dict)
    services: list[dict] = field(default_factory=list)
    enterprises: list[dict] = field(default_factory=list)


# (key, Chinese title, the position's field grouped by) — lookups; gender and salary bands are fixed lists.
DIMENSIONS = [
    ("age_band", "年龄段", "age_band"),
    ("education", "学历", "education"),
    ("experience", "工作经历", "experience"),
    ("gender", "性别", None),
    ("employment_type", "用工性质", "employment_type"),
    ("salary_band", "月薪区间", None),
    ("skill_level", "技能要求", "skill_level"),
    ("major_category", "专业类别", None),
    ("industry", "所属行业", "demand__industry"),
    ("industrial_chain", "所属产业链", "demand__industrial_chain"),
]
DEFINITIONS = {
    "period": "统计期间按需求的提交审核日期（含起止两天）。",
    "demands": "需求数：期间内提交审核的需求（待审核、已通过、未通过）。",
    "approved": "各项占比和人数只统计期间内提交且已审核通过的需求；占比 = 该项需求人数 ÷ 需求总人数。",
    "services": "服务需求按需求条数统计（一条需求可选多项服务），占比 = 该项条数 ÷ 各项条数之和。",
    "major": "专业类别按企业填写的专业人数统计；未填写专业的岗位不计入。",
    "salary": "月薪区间按岗位月薪上下限的平均值归入。",
    "satisfaction": "满意度 = 企业反馈“已完成”的需求数 ÷ 已通过的需求数；“未完全达成”和“未反馈”分别列出。",
}


def _shares(rows: list[tuple[str, str, int]]) -> list[Share]:
    total = sum(n for _, _, n in rows) or 0
    return [Share(code, label, n, round(n / total, 4) if total else 0.0) for code, label, n in rows if n]


LOOKUP_DIMENSIONS = {"age_band", "education", "experience", "employment_type", "skill_level", "major_category",
                     "industry", "industrial_chain", "service"}


def demand_statistics(date_from: date, date_to: date) -> DemandStatistics:
    """The figures of a period from the tallies (``DemandTally``, kept by the approval and
    the outcome report): one grouped query for every dimension, one for the demands
    submitted, one each for the lookup labels and the enterprises' names."""
    # status IN (…): three ranges of the (status, submitted_at) index, where "not draft" read the whole index.
    submitted = in_period(Demand.objects.filter(status__in=SUBMITTED), date_from, date_to).count()
    cells = (DemandTally.objects.filter(day__gte=date_from, day__lte=date_to)
             .values_list("dimension", "code").annotate(d=Sum("demands"), h=Sum("headcount"), g=Sum("hired"))
             .order_by())
    by_dimension: dict[str, dict[str, tuple[int, int, int]]] = {}
    for dimension, code, d, h, g in cells:
        by_dimension.setdefault(dimension, {})[code] = (d or 0, h or 0, g or 0)
    entry_ids = {int(code) for dim, codes in by_dimension.items() if dim in LOOKUP_DIMENSIONS
                 for code in codes if code.isdigit()}
    entries = {str(e.pk): e for e in LookupEntry.objects.filter(pk__in=entry_ids).order_by("order", "code")}

    def lookup_rows(dimension: str, index: int) -> list[tuple[str, str, int]]:
        codes = by_dimension.get(dimension, {})
        rows = [(e.code, e.label, codes[pk][index]) for pk, e in entries.items() if pk in codes]
        if codes.get("", (0, 0, 0))[index]:
            rows.append(("", "未填写", codes[""][index]))
        return rows

    dims: dict[str, list[Share]] = {}
    for key, _, path in DIMENSIONS:
        if key in LOOKUP_DIMENSIONS:
            dims[key] = _shares(lookup_rows(key, 1))
    gender = by_dimension.get("gender", {})
    dims["gender"] = _shares([(g.value, g.label, gender.get(g.value, (0, 0, 0))[1]) for g in GenderRequirement])
    bands = by_dimension.get("salary_band", {})
    dims["salary_band"] = _shares([(code, label, bands.get(code, (0, 0, 0))[1]) for code, label, _, _ in SALARY_BANDS])
    dims = {key: dims[key] for key, _, _ in DIMENSIONS}  # the page's order
    picked = lookup_rows("service", 0)
    total_picks = sum(n for _, _, n in picked)
    services = [{"code": c, "label": label, "demands": n, "share": round(n / total_picks, 4) if total_picks else 0.0}
                for c, label, n in picked if n]
    outcome = by_dimension.get("outcome", {})
    completed = outcome.get(DemandOutcome.COMPLETED, (0, 0, 0))[0]
    partial = outcome.get(DemandOutcome.PARTIAL, (0, 0, 0))[0]
    no_feedback = outcome.get(DemandOutcome.NONE, (0, 0, 0))[0]
    approved = completed + partial + no_feedback
    totals = [v for v in gender.values()]
    companies = by_dimension.get("enterprise", {})
    registry = {pk: (uscc, name) for pk, uscc, name in Enterprise.objects.filter(
        pk__in=[int(c) for c in companies if c.isdigit()]).values_list("pk", "uscc", "name")}
    enterprises = sorted(({"uscc": registry.get(int(code), ("", ""))[0], "name": registry.get(int(code), ("", ""))[1],
                           "requested": h, "hired": g} for code, (_, h, g) in companies.items()
                          if code.isdigit() and h),
                         key=lambda e: (-e["requested"], e["uscc"]))
    return DemandStatistics(
        date_from=date_from, date_to=date_to, demands=submitted, approved=approved, completed=completed,
        partial=partial, no_feedback=no_feedback,
        satisfaction=round(completed / approved, 4) if approved else None,
        requested=sum(h for _, h, _ in totals), hired=sum(g for _, _, g in totals), dimensions=dims,
        services=services, enterprises=enterprises)


def demand_position_list_for(user) -> QuerySet:
    """The positions of the demands this user may see (``demand_list_for``)."""
    return DemandPosition.objects.filter(demand__in=demand_list_for(user))
