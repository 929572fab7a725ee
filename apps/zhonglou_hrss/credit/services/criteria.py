"""The yearly scheme, written (R-CR-04): the default file loaded as the first
year by ``sync_fixtures`` (never again once the year exists: what staff
edited stays), "copy last year", edits — refused once the year's results are
published (frozen)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import yaml
from django.db import transaction

from zhonglou_hrss.core import audit, clock
from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.models import AuditLog, FixtureRecord
from zhonglou_hrss.credit.models import CriteriaCategory, CriteriaItem, CriteriaYear, GradeBand, VetoItem
from zhonglou_hrss.credit.rules import MANAGE_CRITERIA, SCORING_TYPES
from zhonglou_hrss.credit.services.common import points_value, require, typed_text
from zhonglou_hrss.siteconf import REPO_DIR

DEFAULT_FILE = REPO_DIR / "fixtures" / "credit" / "criteria_default.yaml"
FROZEN = "{year}年度的评价结果已发布，评价标准已冻结，不能修改"
FIXTURE_KIND = "credit_criteria"


def _dec(value):
    return None if value is None else Decimal(str(value))


def scheme_from_document(doc: dict, *, year: int | None = None, actor=None, source: str = "fixture") -> CriteriaYear:
    """Create a year from a scheme document in the default file's shape."""
    scheme_doc, scoring = doc["scheme"], doc["scoring"]
    year = year or int(scheme_doc["rating_year"])
    composite = doc.get("composite", {})
    weights = {**composite.get("total_weighted_score", {}).get("weights", {}),
               **composite.get("questionnaire_score", {}).get("weights", {})}
    cycle = doc.get("cycle", {})
    scheme = CriteriaYear.objects.create(
        year=year, name=scheme_doc.get("name", f"{year}年度信用评价标准"), version=str(scheme_doc.get("version", "")),
        initial_score=_dec(scoring["initial_score"]), floor=_dec(scoring.get("floor", 0)),
        deductions_cap=_dec(scoring.get("deductions_overall_cap")),
        stages=scoring.get("stages", []),
        # The default's window: 1 January to 31 March of the year after the rating year (cycle).
        window_start=date(year + 1, 1, 1), window_end=date(year + 1, 3, 31),
        weights=weights, aggregation=doc.get("aggregation", {}),
        eligibility={"min_licence_years": 1, "rules": cycle.get("eligibility", [])},
        extra={"cycle_steps": cycle.get("steps", []), "quota_rule": doc.get("grades", {}).get("quota_rule", {})},
        source=source, created_by=actor)
    categories = {}
    caps = scoring.get("category_caps", {})
    for order, c in enumerate(doc["categories"]):
        cap = c.get("cap", caps.get(c["code"]))
        categories[c["code"]] = CriteriaCategory.objects.create(
            scheme=scheme, code=c["code"], label=c["label"], kind=c["kind"], cap=_dec(cap), order=order)
    for order, i in enumerate(doc["items"]):
        CriteriaItem.objects.create(
            scheme=scheme, category=categories[i["category"]], code=i["code"],
            title=(i.get("dimension") or i["code"])[:100], description=i.get("description", ""),
            scoring=i.get("scoring", {}), cap=_dec(i.get("cap")), evidence=i.get("evidence", []), order=order)
    for order, v in enumerate(doc.get("veto_items", [])):
        VetoItem.objects.create(scheme=scheme, code=v["code"], description=v["description"][:300], order=order)
    for order, b in enumerate(doc["grades"]["bands"]):
        GradeBand.objects.create(scheme=scheme, grade=b["grade"], label=b.get("label", ""),
                                 min_score=_dec(b["min_score"]), require_no_veto=bool(b.get("require_no_veto")),
                                 require_no_deductions_in=list(b.get("require_no_deductions_in", [])), order=order)
    return scheme


def load_default(report) -> None:
    """``sync_fixtures``' hook (core.registry.fixture_sync): the default
    file becomes its rating year once; an existing year — loaded before,
    copied, or edited by staff — is never overwritten."""
    doc = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    year = int(doc["scheme"]["rating_year"])
    key = f"{year}"
    if FixtureRecord.objects.filter(kind=FIXTURE_KIND, key=key).exists() or CriteriaYear.objects.filter(
            year=year).exists():
        return
    scheme_from_document(doc)
    FixtureRecord.objects.create(kind=FIXTURE_KIND, key=key, data={"file": DEFAULT_FILE.name,
                                                                     "version": doc["scheme"].get("version")})
    report.created.append(f"信用评价标准 {year}年度")


def touched(scheme: CriteriaYear, part: str, detail: dict, request=None) -> None:
    """The year was changed: its edit time, and an audit row naming the part and the new values."""
    scheme.edited_at = clock.now()
    scheme.save(update_fields=["edited_at"])
    audit.record(AuditLog.Action.CONFIG_CHANGE, target=scheme, request=request,
                 detail={"part": part, **{k: str(v) if isinstance(v, (Decimal, date)) else v for k, v in detail.items()}})


def editable_year(year: int) -> CriteriaYear:
    scheme = CriteriaYear.objects.select_for_update().filter(year=year).first()
    if scheme is None:
        raise NotVisible(f"{year}年度的评价标准尚未建立")
    if scheme.frozen:
        raise StateConflict(FROZEN.format(year=year))
    return scheme


def copy_year(*, actor, year: int, request=None) -> CriteriaYear:
    """A new year ``year`` as a copy of the latest year before it; its window moves with it."""
    require(actor, MANAGE_CRITERIA, "您没有维护信用评价标准的权限")
    with transaction.atomic():
        if CriteriaYear.objects.filter(year=year).exists():
            raise StateConflict(f"{year}年度的评价标准已存在")
        source = CriteriaYear.objects.filter(year__lt=year).order_by("-year").first()
        if source is None:
            raise NotVisible(f"没有{year}年度之前的评价标准可复制")
        shift = year - source.year

        def moved(d: date) -> date:
            try:
                return d.replace(year=d.year + shift)
            except ValueError:  # 29 February
                return d.replace(year=d.year + shift, day=28)

        scheme = CriteriaYear.objects.create(
            year=year, name=source.name, version=source.version, initial_score=source.initial_score,
            floor=source.floor, deductions_cap=source.deductions_cap, stages=source.stages,
            window_start=moved(source.window_start), window_end=moved(source.window_end), weights=source.weights,
            aggregation=source.aggregation, eligibility=source.eligibility, extra=source.extra, source="copy",
            created_by=actor)
        categories = {}
        for c in source.categories.all():
            categories[c.pk] = CriteriaCategory.objects.create(scheme=scheme, code=c.code, label=c.label,
                                                               kind=c.kind, cap=c.cap, order=c.order)
        CriteriaItem.objects.bulk_create([
            CriteriaItem(scheme=scheme, category=categories[i.category_id], code=i.code, title=i.title,
                         description=i.description, scoring=i.scoring, cap=i.cap, evidence=i.evidence, order=i.order)
            for i in source.items.all()])
        VetoItem.objects.bulk_create([VetoItem(scheme=scheme, code=v.code, description=v.description, order=v.order)
                                      for v in source.vetoes.all()])
        GradeBand.objects.bulk_create([
            GradeBand(scheme=scheme, grade=b.grade, label=b.label, min_score=b.min_score,
                      require_no_veto=b.require_no_veto, require_no_deductions_in=b.require_no_deductions_in,
                      order=b.order) for b in source.grades.all()])
        touched(scheme, "copy", {"from_year": source.year}, request)
    return scheme


YEAR_FIELDS = ("name", "initial_score", "floor", "window_start", "window_end", "weights")


def update_year(*, actor, year: int, changes: dict, request=None) -> CriteriaYear:
    """Change the year's settings (those in ``changes``); refused when frozen."""
    require(actor, MANAGE_CRITERIA, "您没有维护信用评价标准的权限")
    errors = ErrorCollector()
    clean = {}
    for key, value in changes.items():
        if key == "name":
            clean[key] = typed_text(errors, key, value, "评价标准名称", limit=200)
        elif key in ("initial_score", "floor"):
            number = points_value(errors, key, value)
            if number is None and key not in errors.errors:
                errors.add(key, "请填写分值")
            clean[key] = number
        elif key in ("window_start", "window_end"):
            try:
                clean[key] = date.fromisoformat(str(value))
            except ValueError:
                errors.add(key, "日期格式应为 YYYY-MM-DD")
        elif key == "weights":
            if not isinstance(value, dict) or set(value) - {"credit", "questionnaire", "hr", "employee"}:
                errors.add(key, "权重应为 credit、questionnaire、hr、employee")
                continue
            try:
                weights = {k: float(v) for k, v in value.items()}
            except (TypeError, ValueError):
                errors.add(key, "权重应为数字")
                continue
            clean[key] = weights
        else:
            errors.add(key, "该项不能在此修改")
    errors.raise_if_any()
    with transaction.atomic():
        scheme = editable_year(year)
        if "weights" in clean:
            clean["weights"] = {**scheme.weights, **clean["weights"]}
            w = clean["weights"]
            if (round(w.get("credit", 0) + w.get("questionnaire", 0), 6) != 1
                    or round(w.get("hr", 0) + w.get("employee", 0), 6) != 1):
                raise InvalidInput({"weights": ["信用与问卷的权重之和、HR与员工的权重之和都应为1"]})
        for key, value in clean.items():
            setattr(scheme, key, value)
        if scheme.window_end < scheme.window_start:
            raise InvalidInput({"window_end": ["申报截止日期不能早于开始日期"]})
        scheme.save()
        touched(scheme, "year", clean, request)
    return scheme


def update_item(*, actor, year: int, code: str, changes: dict, request=None) -> CriteriaItem:
    """Change an item's title, description, scoring rule, cap or evidence list; refused when frozen."""
    require(actor, MANAGE_CRITERIA, "您没有维护信用评价标准的权限")
    errors = ErrorCollector()
    clean = {}
    for key, value in changes.items():
        if key == "title":
            clean[key] = typed_text(errors, key, value, "指标名称", limit=100)
        elif key == "description":
            clean[key] = typed_text(errors, key, value, "评分说明", limit=2000, required=False, multiline=True)
        elif key == "cap":
            clean[key] = points_value(errors, key, value, "上限")
        elif key == "scoring":
            if not isinstance(value, dict) or value.get("type") not in SCORING_TYPES:
                errors.add(key, "计分方式应为：" + "、".join(SCORING_TYPES))
            clean[key] = value
        elif key == "evidence":
            if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 100 for v in value):
                errors.add(key, "证明材料应为名称的列表")
            clean[key] = value
        else:
            errors.add(key, "该项不能在此修改")
    errors.raise_if_any()
    with transaction.atomic():
        scheme = editable_year(year)
        item = CriteriaItem.objects.select_for_update().filter(scheme=scheme, code=code).first()
        if item is None:
            raise NotVisible(f"{year}年度没有指标 {code}")
        for key, value in clean.items():
            setattr(item, key, value)
        item.save()
        touched(scheme, f"item:{code}", clean, request)
    return item


def freeze_year(scheme: CriteriaYear) -> None:
    """Called inside the publishing of a year's results (the results service): the year is frozen."""
    CriteriaYear.objects.filter(pk=scheme.pk, published_at__isnull=True).update(published_at=clock.now())
