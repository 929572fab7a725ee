"""Staff scoring (R-CR-03): initial and final points per bonus item (within
the item's rule and cap), deductions (the item's rule, a basis, optionally a
kuaiban case or petition as the source), veto marks, and confirming a stage.
Confirming 终评 computes the score and grade with ``rules.compute_score``
over the year's data, stores the working and locks the declaration.

Every write locks the declaration row first: two staff scoring at once are
serialised, so neither loses an entry (tests/credit/test_R_CR_03_race.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.images import PhotoError
from zhonglou_hrss.core.private_files import delete_private, save_private
from zhonglou_hrss.core.uploads import check_scan
from zhonglou_hrss.credit import workflow
from zhonglou_hrss.credit.models import CategoryKind, Declaration, DeclarationItem, Deduction, VetoMark
from zhonglou_hrss.credit.rules import SCORE, bonus_points_error, compute_score, deduction_points_error
from zhonglou_hrss.credit.selectors.criteria import scheme_data
from zhonglou_hrss.credit.services.common import points_value, require, typed_text
from zhonglou_hrss.credit.services.declarations import EVIDENCE_HINT, EVIDENCE_MAX_BYTES, event

STAGES = ("initial", "final")


@dataclass
class ScoreInput:
    item: str
    points: object = None
    basis: str = ""


def _locked(declaration_id) -> Declaration:
    declaration = (Declaration.objects.select_for_update().select_related("scheme", "account__enterprise")
                   .filter(pk=declaration_id).first())
    if declaration is None:
        raise NotVisible("申报不存在或您无权查看")
    return declaration


def _check(action: str, declaration: Declaration) -> None:
    if declaration.scheme.frozen:
        raise StateConflict(f"{declaration.scheme.year}年度的评价结果已发布，申报和评分不能再修改")
    error = workflow.declaration_error(action, declaration.status)
    if error:
        raise StateConflict(error)


def _stage(stage) -> str:
    if stage not in STAGES:
        raise InvalidInput({"stage": ["阶段只能是 initial（初评）或 final（终评）"]})
    return stage


def score_items(*, actor, declaration_id: int, stage: str, items: list[ScoreInput]) -> Declaration:
    """Staff's points for some bonus items at a stage; items not sent keep theirs."""
    require(actor, SCORE, "您没有信用评价打分的权限")
    stage = _stage(stage)
    errors = ErrorCollector()
    with transaction.atomic():
        declaration = _locked(declaration_id)
        _check(workflow.stage_action(stage, "score"), declaration)
        lines = {line.item.code: line for line in declaration.lines.select_related("item")}
        changed = []
        for n, entry in enumerate(items):
            key = f"items[{n}]"
            line = lines.get(entry.item)
            if line is None:
                errors.add(key, f"申报表中没有加分指标“{entry.item}”")
                continue
            points = points_value(errors, f"{key}.points", entry.points)
            if points is None:
                if f"{key}.points" not in errors.errors:
                    errors.add(f"{key}.points", "请填写分值")
                continue
            problem = bonus_points_error(line.item.scoring, line.item.cap, points)
            if problem:
                errors.add(f"{key}.points", f"{entry.item}：{problem}")
            basis = typed_text(errors, f"{key}.basis", entry.basis, "评分依据", limit=500, required=False)
            setattr(line, f"{stage}_points", points)
            setattr(line, f"{stage}_basis", basis)
            changed.append(line)
        errors.raise_if_any()
        DeclarationItem.objects.bulk_update(changed, [f"{stage}_points", f"{stage}_basis"])
        event(declaration, workflow.stage_action(stage, "score"), actor,
              items={line.item.code: str(getattr(line, f"{stage}_points")) for line in changed})
    return declaration


def add_deduction(*, actor, declaration_id: int, item: str, points, basis, source: str = "",
                  source_id: int | None = None, source_number: str = "", material=None) -> Deduction:
    """One deduction instance; ``material`` an optional upload (a scan or a
    plain PDF, checked by content like the evidence: core.uploads)."""
    require(actor, SCORE, "您没有信用评价扣分的权限")
    stored = None
    if material is not None:
        try:
            stored = check_scan(material, max_bytes=EVIDENCE_MAX_BYTES, hint=EVIDENCE_HINT, default_name="扣分材料",
                                active_message="该 PDF 含有脚本、自动操作或嵌入文件，不能作为扣分材料上传")
        except PhotoError as exc:
            raise InvalidInput({"material": [str(exc)]}) from None
    path = save_private("credit/deductions", stored.content, stored.suffix) if stored else ""
    try:
        return _add_deduction(actor, declaration_id, item, points, basis, source, source_id, source_number, path)
    except Exception:
        delete_private(path)  # nothing half-saved
        raise


def _add_deduction(actor, declaration_id, item, points, basis, source, source_id, source_number, path):
    errors = ErrorCollector()
    value = points_value(errors, "points", points, "扣分")
    if value is None and "points" not in errors.errors:
        errors.add("points", "请填写扣分")
    basis = typed_text(errors, "basis", basis, "扣分依据", limit=2000, multiline=True)
    with transaction.atomic():
        declaration = _locked(declaration_id)
        _check("deduct", declaration)
        criteria_item = declaration.scheme.items.select_related("category").filter(code=item).first()
        if criteria_item is None or criteria_item.category.kind != CategoryKind.DEDUCTION:
            errors.add("item", f"本年度没有扣分指标“{item}”")
        elif value is not None:
            problem = deduction_points_error(criteria_item.scoring, value)
            if problem:
                errors.add("points", f"{item}：{problem}")
        errors.raise_if_any()
        if source and Deduction.objects.filter(declaration=declaration, source=source, source_id=source_id).exists():
            raise StateConflict("该线索已记为扣分")
        deduction = Deduction.objects.create(
            declaration=declaration, item=criteria_item, points=value, basis=basis, source=source,
            source_id=source_id, source_number=source_number, material=path, created_by=actor,
            created_at=clock.now())
        event(declaration, "deduct", actor, note=f"{item} {value}：{basis}", source=source,
              source_number=source_number)
    return deduction


def mark_veto(*, actor, declaration_id: int, item: str, basis) -> VetoMark:
    require(actor, SCORE, "您没有认定一票否决的权限")
    errors = ErrorCollector()
    basis = typed_text(errors, "basis", basis, "认定依据", limit=2000, multiline=True)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            declaration = _locked(declaration_id)
            _check("veto", declaration)
            veto = declaration.scheme.vetoes.filter(code=item).first()
            if veto is None:
                raise InvalidInput({"item": [f"本年度没有一票否决项“{item}”"]})
            mark = VetoMark.objects.create(declaration=declaration, veto=veto, basis=basis, created_by=actor,
                                           created_at=clock.now())
            event(declaration, "veto", actor, note=f"{item}：{basis}")
    except IntegrityError:
        raise StateConflict(f"已认定{item}") from None
    return mark


def compute(declaration: Declaration, stage: str):
    """The formula over the stage's points (final falls back to initial), the deductions and vetoes."""
    bonus = {}
    for line in declaration.lines.select_related("item"):
        points = line.initial_points
        if stage == "final" and line.final_points is not None:
            points = line.final_points
        if points is not None:
            bonus[line.item.code] = points
    deductions = [(d.item.code, d.points) for d in declaration.deductions.select_related("item")]
    vetoes = [m.veto.code for m in declaration.vetoes.select_related("veto")]
    return compute_score(scheme_data(declaration.scheme), bonus, deductions, vetoes)


def confirm_stage(*, actor, declaration_id: int, stage: str) -> Declaration:
    """Confirm 初评 (every bonus item scored) or 终评 (locks the declaration)."""
    require(actor, SCORE, "您没有确认信用评价的权限")
    stage = _stage(stage)
    with transaction.atomic():
        declaration = _locked(declaration_id)
        action = workflow.stage_action(stage, "confirm")
        _check(action, declaration)
        if stage == "initial":
            missing = list(declaration.lines.filter(initial_points__isnull=True)
                           .values_list("item__code", flat=True))
            if missing:
                raise InvalidInput({"items": [f"以下指标尚未初评：{'、'.join(missing)}"]})
        working = compute(declaration, stage)
        declaration.status = workflow.next_status(action, declaration.status)
        declaration.credit_score, declaration.grade, declaration.working = working.score, working.grade, working.lines
        if stage == "final":
            declaration.confirmed_at = clock.now()
        declaration.save(update_fields=["status", "credit_score", "grade", "working", "confirmed_at", "updated_at"])
        event(declaration, action, actor, note=f"信用得分{working.score}，等级{working.grade}")
    return declaration
