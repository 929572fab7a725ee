"""The parts of a rating year, written (R-CR-04): categories (label, cap),
items added or removed, veto items, grade bands (minimum score and
conditions) and the optional grade quota. The year's own settings and its
items' rules are in ``services.criteria``. Every change is refused once the
year is frozen (``criteria.editable_year`` locks the year's row first, so two
editors queue), keeps the bands' order meaningful, and leaves an audit row
(``config_change``) naming the year, the part and the new values."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q

from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.credit.models import (
    CategoryKind,
    CriteriaCategory,
    CriteriaItem,
    Declaration,
    DeclarationStatus,
    Deduction,
    DeclarationItem,
    GradeBand,
    VetoItem,
    VetoMark,
)
from zhonglou_hrss.credit.rules import MANAGE_CRITERIA, SCORING_TYPES
from zhonglou_hrss.credit.services.common import points_value, require, typed_text
from zhonglou_hrss.credit.services.criteria import editable_year, touched

NO_RIGHT = "您没有维护信用评价标准的权限"
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _code(errors: ErrorCollector, value, label: str) -> str:
    code = str(value or "").strip().upper()
    if not code:
        errors.add("code", f"请填写{label}")
    elif len(code) > 20 or not set(code) <= CODE_CHARS:
        errors.add("code", f"{label}只能由大写字母、数字、“-”和“_”组成，最多20位")
    return code


def _signed_cap(errors, key, value, kind: str, label: str) -> Decimal | None:
    """A cap is positive for bonus parts and negative for deduction parts (the formula adds them)."""
    if value in (None, ""):
        return None
    cap = points_value(errors, key, value, label)
    if cap is None:
        return None
    if kind == CategoryKind.BONUS and cap < 0:
        errors.add(key, f"加分类的{label}应为正数")
    elif kind == CategoryKind.DEDUCTION and cap > 0:
        errors.add(key, f"扣分类的{label}应为负数（如 -20）")
    return cap


# --- categories ----------------------------------------------------------------------------------
def update_category(*, actor, year: int, code: str, changes: dict, request=None) -> CriteriaCategory:
    """A category's label and cap (its code and kind are what the items and formula hang on: fixed)."""
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    with transaction.atomic():
        scheme = editable_year(year)
        category = CriteriaCategory.objects.filter(scheme=scheme, code=code).first()
        if category is None:
            raise NotVisible(f"{year}年度没有类别 {code}")
        errors = ErrorCollector()
        clean = {}
        for key, value in changes.items():
            if key == "label":
                clean[key] = typed_text(errors, key, value, "类别名称", limit=100)
            elif key == "cap":
                clean[key] = _signed_cap(errors, key, value, category.kind, "类别上限")
            else:
                errors.add(key, "该项不能在此修改（类别代码和类型不能改）")
        errors.raise_if_any()
        for key, value in clean.items():
            setattr(category, key, value)
        category.save()
        touched(scheme, f"category:{code}", clean, request)
    return category


# --- items ---------------------------------------------------------------------------------------
def add_item(*, actor, year: int, data: dict, request=None) -> CriteriaItem:
    """A new item in a bonus or deduction category, at the end of its category."""
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    errors = ErrorCollector()
    code = _code(errors, data.get("code"), "指标代码")
    title = typed_text(errors, "title", data.get("title"), "指标名称", limit=100)
    description = typed_text(errors, "description", data.get("description", ""), "评分说明", limit=2000,
                             required=False, multiline=True)
    scoring = data.get("scoring") or {"type": "staff_judgement"}
    if not isinstance(scoring, dict) or scoring.get("type") not in SCORING_TYPES:
        errors.add("scoring", "计分方式应为：" + "、".join(SCORING_TYPES))
    evidence = data.get("evidence") or []
    if not isinstance(evidence, list) or not all(isinstance(v, str) and 0 < len(v) <= 100 for v in evidence):
        errors.add("evidence", "证明材料应为名称的列表")
    with transaction.atomic():
        scheme = editable_year(year)
        category = CriteriaCategory.objects.filter(scheme=scheme, code=str(data.get("category") or "")).first()
        if category is None:
            errors.add("category", "请选择本年度的一个类别")
        elif category.kind not in (CategoryKind.BONUS, CategoryKind.DEDUCTION):
            errors.add("category", "指标只能加在加分类或扣分类下")
        cap = _signed_cap(errors, "cap", data.get("cap"), category.kind if category else "", "指标上限")
        if code and CriteriaItem.objects.filter(scheme=scheme, code=code).exists():
            errors.add("code", f"本年度已有指标代码 {code}")
        errors.raise_if_any()
        order = (CriteriaItem.objects.filter(category=category).aggregate(n=Max("order"))["n"] or 0) + 1
        item = CriteriaItem.objects.create(scheme=scheme, category=category, code=code, title=title,
                                           description=description, scoring=scoring, cap=cap, evidence=evidence,
                                           order=order)
        if category.kind == CategoryKind.BONUS:
            # Forms already opened get the new line too (a final one is scored and stays as it is).
            DeclarationItem.objects.bulk_create([
                DeclarationItem(declaration_id=d, item=item) for d in Declaration.objects.filter(scheme=scheme)
                .exclude(status=DeclarationStatus.FINAL_DONE).values_list("id", flat=True)])
        touched(scheme, f"item_add:{code}", {"category": category.code, "title": title}, request)
    return item


def remove_item(*, actor, year: int, code: str, request=None) -> None:
    """An item nobody has declared or been deducted on yet; otherwise it stays (the records need it)."""
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    with transaction.atomic():
        scheme = editable_year(year)
        item = CriteriaItem.objects.filter(scheme=scheme, code=code).first()
        if item is None:
            raise NotVisible(f"{year}年度没有指标 {code}")
        filled = (Q(self_points__isnull=False) | ~Q(note="") | Q(initial_points__isnull=False)
                  | Q(final_points__isnull=False) | Q(evidence__isnull=False))
        used = (DeclarationItem.objects.filter(item=item).filter(filled).exists()
                or Deduction.objects.filter(item=item).exists())
        if used:
            raise StateConflict(f"指标 {code} 已有企业申报或扣分记录，不能删除；可修改其名称、计分方式或上限")
        DeclarationItem.objects.filter(item=item).delete()  # empty lines made when a form was opened
        item.delete()
        touched(scheme, f"item_remove:{code}", {}, request)


# --- veto items ----------------------------------------------------------------------------------
def add_veto(*, actor, year: int, data: dict, request=None) -> VetoItem:
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    errors = ErrorCollector()
    code = _code(errors, data.get("code"), "否决项代码")
    description = typed_text(errors, "description", data.get("description"), "否决情形", limit=300)
    with transaction.atomic():
        scheme = editable_year(year)
        if code and VetoItem.objects.filter(scheme=scheme, code=code).exists():
            errors.add("code", f"本年度已有否决项代码 {code}")
        errors.raise_if_any()
        order = (VetoItem.objects.filter(scheme=scheme).aggregate(n=Max("order"))["n"] or 0) + 1
        veto = VetoItem.objects.create(scheme=scheme, code=code, description=description, order=order)
        touched(scheme, f"veto_add:{code}", {"description": description}, request)
    return veto


def update_veto(*, actor, year: int, code: str, changes: dict, request=None) -> VetoItem:
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    errors = ErrorCollector()
    clean = {}
    for key, value in changes.items():
        if key == "description":
            clean[key] = typed_text(errors, key, value, "否决情形", limit=300)
        else:
            errors.add(key, "该项不能在此修改")
    errors.raise_if_any()
    with transaction.atomic():
        scheme = editable_year(year)
        veto = VetoItem.objects.filter(scheme=scheme, code=code).first()
        if veto is None:
            raise NotVisible(f"{year}年度没有否决项 {code}")
        for key, value in clean.items():
            setattr(veto, key, value)
        veto.save()
        touched(scheme, f"veto:{code}", clean, request)
    return veto


def remove_veto(*, actor, year: int, code: str, request=None) -> None:
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    with transaction.atomic():
        scheme = editable_year(year)
        veto = VetoItem.objects.filter(scheme=scheme, code=code).first()
        if veto is None:
            raise NotVisible(f"{year}年度没有否决项 {code}")
        if VetoMark.objects.filter(veto=veto).exists():
            raise StateConflict(f"否决项 {code} 已被认定过，不能删除；可修改其说明")
        veto.delete()
        touched(scheme, f"veto_remove:{code}", {}, request)


# --- grade bands ---------------------------------------------------------------------------------
def update_grade(*, actor, year: int, grade: str, changes: dict, request=None) -> GradeBand:
    """A band's label, minimum score and conditions. The bands, read from the top, must keep
    strictly falling minimum scores: otherwise a lower grade would never be reached."""
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    errors = ErrorCollector()
    clean = {}
    for key, value in changes.items():
        if key == "label":
            clean[key] = typed_text(errors, key, value, "等级名称", limit=20, required=False)
        elif key == "min_score":
            clean[key] = points_value(errors, key, value, "最低分")
            if clean[key] is None and key not in errors.errors:
                errors.add(key, "请填写最低分")
        elif key == "require_no_veto":
            if not isinstance(value, bool):
                errors.add(key, "应为 true 或 false")
            clean[key] = value
        elif key == "require_no_deductions_in":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.add(key, "应为扣分类代码的列表")
            clean[key] = value
        else:
            errors.add(key, "该项不能在此修改（等级代码不能改）")
    errors.raise_if_any()
    with transaction.atomic():
        scheme = editable_year(year)
        band = GradeBand.objects.filter(scheme=scheme, grade=grade).first()
        if band is None:
            raise NotVisible(f"{year}年度没有等级 {grade}")
        if "require_no_deductions_in" in clean:
            known = set(CriteriaCategory.objects.filter(scheme=scheme, kind=CategoryKind.DEDUCTION)
                        .values_list("code", flat=True))
            unknown = [c for c in clean["require_no_deductions_in"] if c not in known]
            if unknown:
                raise InvalidInput({"require_no_deductions_in": [f"不是本年度的扣分类：{'、'.join(unknown)}"]})
        for key, value in clean.items():
            setattr(band, key, value)
        bands = [band if b.pk == band.pk else b for b in GradeBand.objects.filter(scheme=scheme).order_by("order")]
        for upper, lower in zip(bands, bands[1:]):
            if lower.min_score >= upper.min_score:
                raise InvalidInput({"min_score": [
                    f"等级从高到低最低分应递减：{upper.grade}（{upper.min_score}分）应高于{lower.grade}（{lower.min_score}分）"]})
        band.save()
        touched(scheme, f"grade:{grade}", clean, request)
    return band


def update_quota(*, actor, year: int, changes: dict, request=None) -> dict:
    """The optional grade quota (criteria grades.quota_rule): on or off, and the highest share
    of rated companies in the top grade and in grade A and above (0 to 1)."""
    require(actor, MANAGE_CRITERIA, NO_RIGHT)
    errors = ErrorCollector()
    clean = {}
    for key, value in changes.items():
        if key == "enabled":
            if not isinstance(value, bool):
                errors.add(key, "应为 true 或 false")
            clean[key] = value
        elif key in ("max_share_top_grade", "max_share_a_and_above"):
            try:
                share = float(value)
            except (TypeError, ValueError):
                errors.add(key, "比例应为0到1之间的小数，如 0.1")
                continue
            if not 0 < share <= 1:
                errors.add(key, "比例应为0到1之间的小数，如 0.1")
            clean[key] = share
        else:
            errors.add(key, "该项不能在此修改")
    errors.raise_if_any()
    with transaction.atomic():
        scheme = editable_year(year)
        quota = {**scheme.extra.get("quota_rule", {}), **clean}
        if quota.get("max_share_top_grade", 0) > quota.get("max_share_a_and_above", 1):
            raise InvalidInput({"max_share_top_grade": ["最高等级的比例不能大于A级及以上的比例"]})
        scheme.extra = {**scheme.extra, "quota_rule": quota}
        scheme.save(update_fields=["extra"])
        touched(scheme, "quota_rule", clean, request)
    return quota
