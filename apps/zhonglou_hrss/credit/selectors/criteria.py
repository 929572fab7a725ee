"""Reads of the yearly scheme: the year's rows, and the same as the pure
``rules.SchemeData`` the formula takes."""

from __future__ import annotations

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.credit.models import CriteriaYear
from zhonglou_hrss.credit.rules import BandData, CategoryData, ItemData, SchemeData


def scheme_of(year: int) -> CriteriaYear:
    scheme = CriteriaYear.objects.filter(year=year).first()
    if scheme is None:
        raise NotVisible(f"{year}年度的评价标准尚未建立")
    return scheme


def latest_scheme() -> CriteriaYear | None:
    return CriteriaYear.objects.order_by("-year").first()


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
