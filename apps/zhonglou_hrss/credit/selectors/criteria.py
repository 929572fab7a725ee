"""Reads of the yearly scheme: the year's rows, and the same as the pure
``rules.SchemeData`` the formula takes."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.credit.models import CriteriaItem, CriteriaYear, Declaration
from zhonglou_hrss.credit.rules import BandData, CategoryData, ItemData, SchemeData, describe_scoring


def scheme_of(year: int) -> CriteriaYear:
    scheme = CriteriaYear.objects.filter(year=year).first()
    if scheme is None:
        raise NotVisible(f"{year}年度的评价标准尚未建立")
    return scheme


def latest_scheme() -> CriteriaYear | None:
    return CriteriaYear.objects.order_by("-year").first()


def declaring_scheme(today) -> CriteriaYear | None:
    """The year whose declaration window holds ``today``; else the one whose
    window opens next; else the latest year (its window already closed)."""
    open_now = CriteriaYear.objects.filter(window_start__lte=today, window_end__gte=today).order_by("-year").first()
    if open_now is not None:
        return open_now
    upcoming = CriteriaYear.objects.filter(window_start__gt=today).order_by("window_start").first()
    return upcoming or latest_scheme()


def scheme_data(scheme: CriteriaYear) -> SchemeData:
    categories = tuple(CategoryData(c.code, c.label, c.kind, c.cap) for c in scheme.categories.all())
    items = {i.code: ItemData(i.code, i.category.code, i.cap) for i in scheme.items.select_related("category")}
    bands = tuple(BandData(b.grade, b.min_score, b.require_no_veto, tuple(b.require_no_deductions_in or ()))
                  for b in scheme.grades.all())
    return SchemeData(scheme.initial_score, scheme.floor, categories, items, bands, scheme.deductions_cap)


def criteria_document(scheme: CriteriaYear) -> dict:
    """The year's scheme as the API's contract has it."""
    def num(value):
        return None if value is None else float(value)

    return {
        "year": scheme.year,
        "name": scheme.name,
        "initial_score": num(scheme.initial_score),
        "floor": num(scheme.floor),
        "frozen": scheme.frozen,
        "window": {"start": scheme.window_start.isoformat(), "end": scheme.window_end.isoformat()},
        "stages": scheme.stages,
        "categories": [{"code": c.code, "label": c.label, "kind": c.kind, "cap": num(c.cap)}
                       for c in scheme.categories.all()],
        "items": [{"code": i.code, "category": i.category.code, "title": i.title, "description": i.description,
                   "points": i.scoring, "cap": num(i.cap), "evidence_required": i.evidence}
                  for i in scheme.items.select_related("category")],
        "vetoes": [{"code": v.code, "description": v.description} for v in scheme.vetoes.all()],
        "grades": [{"grade": b.grade, "label": b.label, "min_score": num(b.min_score),
                    "conditions": {"require_no_veto": b.require_no_veto,
                                   "require_no_deductions_in": b.require_no_deductions_in}}
                   for b in scheme.grades.all()],
        "weights": scheme.weights,
        "deductions_cap": num(scheme.deductions_cap),
        "quota_rule": scheme.extra.get("quota_rule", {}),
    }


def years_overview():
    """Every year with what staff look for in the list: items, declarations, published versions."""
    # Two counting subqueries, not one join of items × declarations (2,000 companies × 40 items).
    def counted(model):
        return Subquery(model.objects.filter(scheme=OuterRef("pk")).order_by().values("scheme")
                        .annotate(n=Count("pk")).values("n")[:1])

    return CriteriaYear.objects.annotate(
        item_count=Coalesce(counted(CriteriaItem), 0), declaration_count=Coalesce(counted(Declaration), 0),
    ).order_by("-year")


def next_year() -> int | None:
    """The year "复制上一年" creates: the one after the latest (None while there is no year to copy)."""
    latest = latest_scheme()
    return latest.year + 1 if latest else None


def criteria_page(scheme: CriteriaYear) -> dict:
    """The year's scheme as the desk shows it: categories with their items (the scoring rule
    written in Chinese), veto items, grade bands with their conditions, stages, weights."""
    categories = list(scheme.categories.all())
    labels = {c.code: c.label for c in categories}
    items = list(scheme.items.all())
    for category in categories:
        category.rows = [{"code": i.code, "title": i.title, "description": i.description,
                          "rule": describe_scoring(i.scoring, i.cap), "cap": i.cap, "evidence": i.evidence}
                         for i in items if i.category_id == category.pk]
    bands = []
    for b in scheme.grades.all():
        conditions = [f"信用得分不低于{b.min_score.normalize():f}分"]
        if b.require_no_veto:
            conditions.append("无一票否决项")
        if b.require_no_deductions_in:
            conditions.append("以下类别无扣分：" + "、".join(labels.get(c, c) for c in b.require_no_deductions_in))
        bands.append({"grade": b.grade, "label": b.label, "min_score": b.min_score, "conditions": conditions})
    quota = (scheme.extra or {}).get("quota_rule") or {}
    quota_text = "未启用"
    if quota.get("enabled"):
        quota_text = (f"启用：按排名，最高等级不超过参评企业的{float(quota.get('max_share_top_grade', 1)):.0%}，"
                      f"A级及以上不超过{float(quota.get('max_share_a_and_above', 1)):.0%}，超出的降一个等级")
    return {"categories": categories, "vetoes": list(scheme.vetoes.all()), "bands": bands, "quota": quota_text,
            "stages": [s.get("label", s.get("code", "")) for s in scheme.stages if isinstance(s, dict)],
            "weights": scheme.weights or {}}
