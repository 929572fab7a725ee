"""An HR company's yearly self-declaration (R-CR-02): the form generated from
the year's bonus items (BI, GC), self points and notes, evidence per item
(private uploads checked by content: core.uploads), drafts, submission within
the window; staff return the declaration or single items with a reason; the
company corrects and submits again. Each write: one transaction — the row
locked, then ``workflow.declaration_error``, then a timeline row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from zhonglou_hrss.core import clock, custom_fields
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.images import PhotoError
from zhonglou_hrss.core.private_files import delete_private, save_private
from zhonglou_hrss.core.uploads import check_scan
from zhonglou_hrss.credit import workflow
from zhonglou_hrss.credit.models import (
    CategoryKind,
    Declaration,
    DeclarationEvent,
    DeclarationItem,
    DeclarationStatus,
    Evidence,
)
from zhonglou_hrss.credit.rules import REVIEW, bonus_points_error, window_message
from zhonglou_hrss.credit.selectors.criteria import scheme_of
from zhonglou_hrss.credit.services.common import approved_company, points_value, reason_text, require, typed_text

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_HINT = "证明材料请上传 PDF 或 JPG/PNG 图片，每个不超过10 MB"
MAX_EVIDENCE_PER_ITEM = 10


@dataclass
class LineInput:
    item: str
    self_points: object = None
    note: str = ""


@dataclass
class DeclarationInput:
    items: list[LineInput] = field(default_factory=list)
    custom: dict | None = None  # the custom fields shown on the company's form (None: not sent)


def event(declaration, action: str, actor, note: str = "", **detail) -> None:
    DeclarationEvent.objects.create(declaration=declaration, action=action, actor=actor, note=note,
                                    detail=detail, at=clock.now())


def _locked(declaration_id, account) -> Declaration:
    declaration = (Declaration.objects.select_for_update().select_related("scheme")
                   .filter(pk=declaration_id, account=account).first())
    if declaration is None:
        raise NotVisible("申报不存在或您无权查看")
    return declaration


def _check(action: str, declaration: Declaration) -> None:
    if declaration.scheme.frozen:
        raise StateConflict(f"{declaration.scheme.year}年度的评价结果已发布，申报和评分不能再修改")
    error = workflow.declaration_error(action, declaration.status)
    if error:
        raise StateConflict(error)


def create_declaration(*, actor, year: int) -> Declaration:
    """The year's form for the signed-in company (one line per bonus item) — inside the year's
    declaration window only, whichever way in (the portal, the API)."""
    access = approved_company(actor)
    scheme = scheme_of(year)
    if scheme.frozen:
        raise StateConflict(f"{year}年度的评价结果已发布，不能再申报")
    refusal = window_message(scheme.window_start, scheme.window_end, clock.now().date())
    if refusal:
        raise StateConflict(refusal)
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(scheme=scheme, account=access.account)
            DeclarationItem.objects.bulk_create([
                DeclarationItem(declaration=declaration, item=item)
                for item in scheme.items.filter(category__kind=CategoryKind.BONUS)])
            event(declaration, "create", actor)
    except IntegrityError:
        raise StateConflict(f"本企业{year}年度的申报已存在，请在原申报中填写") from None
    return declaration


def save_declaration(*, actor, declaration_id: int, data: DeclarationInput) -> Declaration:
    """Save self points and notes (a draft, or a returned declaration being corrected)."""
    access = approved_company(actor)
    errors = ErrorCollector()
    with transaction.atomic():
        declaration = _locked(declaration_id, access.account)
        _check("edit", declaration)
        refusal = _window_refusal(declaration.scheme, declaration.status)
        if refusal:
            raise StateConflict(refusal)
        lines = {line.item.code: line for line in declaration.lines.select_related("item")}
        returned_only = declaration.status == DeclarationStatus.RETURNED and any(
            line.returned for line in lines.values())
        changed = []
        for n, entry in enumerate(data.items):
            key = f"items[{n}]"
            line = lines.get(entry.item)
            if line is None:
                errors.add(key, f"本年度申报表中没有指标“{entry.item}”")
                continue
            points = points_value(errors, f"{key}.self_points", entry.self_points, "自评分")
            if points is not None:
                problem = bonus_points_error(line.item.scoring, line.item.cap, points)
                if problem:
                    errors.add(f"{key}.self_points", f"{entry.item}：{problem}")
            note = typed_text(errors, f"{key}.note", entry.note, "说明", limit=1000, required=False, multiline=True)
            if returned_only and not line.returned and (points != line.self_points or note != line.note):
                errors.add(key, f"{entry.item}未被退回，不能修改")
                continue
            line.self_points, line.note = points, note
            changed.append(line)
        # The bureau's own fields on the company's form (core.custom_fields); required ones at submission.
        custom = custom_fields.clean_values("declaration", data.custom, errors=errors, public=True,
                                            current=declaration.custom, draft=True)
        if returned_only and custom != declaration.custom:
            errors.add("custom", "只有被退回的指标可以修改，其他信息不能修改")
        errors.raise_if_any()
        DeclarationItem.objects.bulk_update(changed, ["self_points", "note"])
        if custom != declaration.custom:
            declaration.custom = custom
            declaration.save(update_fields=["custom", "updated_at"])
            custom_fields.index("declaration", declaration.pk, custom)
        event(declaration, "edit", actor, detail_items=[line.item.code for line in changed])
    return declaration


def add_evidence(*, actor, declaration_id: int, item: str, upload) -> Evidence:
    access = approved_company(actor)
    try:
        stored = check_scan(upload, max_bytes=EVIDENCE_MAX_BYTES, hint=EVIDENCE_HINT, default_name="证明材料",
                            active_message="该 PDF 含有脚本、自动操作或嵌入文件，不能作为证明材料上传")
    except PhotoError as exc:
        raise InvalidInput({"file": [str(exc)]}) from None
    path = save_private("credit/evidence", stored.content, stored.suffix)
    try:
        with transaction.atomic():
            declaration = _locked(declaration_id, access.account)
            _check("evidence", declaration)
            refusal = _window_refusal(declaration.scheme, declaration.status)
            if refusal:
                raise StateConflict(refusal)
            line = declaration.lines.select_related("item").filter(item__code=item).first()
            if line is None:
                raise InvalidInput({"item": [f"本年度申报表中没有指标“{item}”"]})
            if line.evidence.count() >= MAX_EVIDENCE_PER_ITEM:
                raise InvalidInput({"file": [f"每个指标最多上传{MAX_EVIDENCE_PER_ITEM}个证明材料"]})
            evidence = Evidence.objects.create(line=line, name=stored.name, path=path,
                                               content_type=stored.content_type, size=len(stored.content),
                                               uploaded_by=actor, uploaded_at=clock.now())
            event(declaration, "evidence", actor, note=f"{item}：{stored.name}")
    except Exception:
        delete_private(path)  # nothing half-saved: the file goes with the failed transaction
        raise
    return evidence


def submit_declaration(*, actor, declaration_id: int) -> Declaration:
    """Within the year's window (a returned declaration may be resubmitted after it)."""
    access = approved_company(actor)
    with transaction.atomic():
        declaration = _locked(declaration_id, access.account)
        _check("submit", declaration)
        today = clock.now().date()
        scheme = declaration.scheme
        if declaration.status == DeclarationStatus.DRAFT and not scheme.window_start <= today <= scheme.window_end:
            raise StateConflict(f"不在申报期内（{scheme.window_start:%Y-%m-%d}至{scheme.window_end:%Y-%m-%d}）")
        missing = [line.item.code for line in declaration.lines.select_related("item")
                   if line.self_points is None]
        problems = custom_fields.missing_required("declaration", declaration.custom, public=True)
        if missing:
            problems["items"] = [f"请填写自评分（不得分的填0）：{'、'.join(missing)}"]
        if problems:
            raise InvalidInput(problems)
        resubmitted = declaration.status == DeclarationStatus.RETURNED
        declaration.status = workflow.next_status("submit", declaration.status)
        declaration.submitted_at = clock.now()
        declaration.save(update_fields=["status", "submitted_at", "updated_at"])
        declaration.lines.filter(returned=True).update(returned=False)
        event(declaration, "submit", actor, note="重新提交" if resubmitted else "")
    return declaration


def return_declaration(*, actor, declaration_id: int, reason, items: list[str] = ()) -> Declaration:
    """Staff send the declaration (or just ``items``) back for correction, with a reason."""
    require(actor, REVIEW, "您没有退回信用申报的权限")
    reason = reason_text(reason, label="退回原因", what="请填写退回原因，企业将看到该原因并据此修改")
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().filter(pk=declaration_id).first()
        if declaration is None:
                raise NotVisible("申报不存在或您无权查看")
        _check("return", declaration)
        if items:
            codes = set(declaration.lines.values_list("item__code", flat=True))
            unknown = [c for c in items if c not in codes]
            if unknown:
                raise InvalidInput({"items": [f"申报表中没有这些指标：{'、'.join(unknown)}"]})
            declaration.lines.filter(item__code__in=items).update(returned=True)
        declaration.status = workflow.next_status("return", declaration.status)
        declaration.return_reason = reason
        declaration.save(update_fields=["status", "return_reason", "updated_at"])
        event(declaration, "return", actor, note=reason, items=list(items))
    return declaration


def own_evidence_check(actor, evidence: Evidence) -> None:
    if evidence.line.declaration.account.user_id != actor.pk:
        raise ActionForbidden("无权查看该材料")


# --- the portal's doors (R-CR-02): the window, and one multipart form saved whole -------------
def _window_refusal(scheme, status) -> str | None:
    """A draft is started and filled only inside the year's window; a returned
    declaration may be corrected after it (as ``submit_declaration`` allows)."""
    if status == DeclarationStatus.RETURNED:
        return None
    return window_message(scheme.window_start, scheme.window_end, clock.now().date())


def save_from_form(*, actor, declaration_id: int, data: DeclarationInput, uploads: dict[str, list] | None = None,
                   then_submit: bool = False) -> Declaration:
    """The portal's form in one go: self points and notes, the evidence files
    chosen per item (``uploads``: item code → files), and, with
    ``then_submit``, the submission. All of it or nothing: every file is
    checked (content, size) and every field validated before anything is
    kept; a refusal anywhere (a bad file, a point over the cap, a missing
    point at submission) rolls back the rest and removes files already
    stored. File errors are keyed ``evidence.<code>``."""
    access = approved_company(actor)
    errors = ErrorCollector()
    checked = []
    for code, files in (uploads or {}).items():
        for upload in files:
            try:
                checked.append((code, check_scan(
                    upload, max_bytes=EVIDENCE_MAX_BYTES, hint=EVIDENCE_HINT, default_name="证明材料",
                    active_message="该 PDF 含有脚本、自动操作或嵌入文件，不能作为证明材料上传")))
            except PhotoError as exc:
                errors.add(f"evidence.{code}", str(exc))
    stored_paths: list[str] = []
    try:
        with transaction.atomic():
            declaration = _locked(declaration_id, access.account)
            _check("edit", declaration)
            refusal = _window_refusal(declaration.scheme, declaration.status)
            if refusal:
                raise StateConflict(refusal)
            if data.items or data.custom:
                try:
                    save_declaration(actor=actor, declaration_id=declaration_id, data=data)
                except InvalidInput as exc:
                    for key, messages in exc.errors.items():
                        for message in messages:
                            errors.add(key, message)
            lines = {line.item.code: line for line in declaration.lines.select_related("item")}
            returned_only = declaration.status == DeclarationStatus.RETURNED and any(
                line.returned for line in lines.values())
            for code in {code for code, _ in checked}:
                line = lines.get(code)
                if line is None:
                    errors.add(f"evidence.{code}", f"本年度申报表中没有指标“{code}”")
                elif returned_only and not line.returned:
                    errors.add(f"evidence.{code}", f"{code}未被退回，不能补充材料")
                elif line.evidence.count() + sum(1 for c, _ in checked if c == code) > MAX_EVIDENCE_PER_ITEM:
                    errors.add(f"evidence.{code}", f"每个指标最多上传{MAX_EVIDENCE_PER_ITEM}个证明材料")
            errors.raise_if_any()
            for code, stored in checked:
                path = save_private("credit/evidence", stored.content, stored.suffix)
                stored_paths.append(path)
                Evidence.objects.create(line=lines[code], name=stored.name, path=path,
                                        content_type=stored.content_type, size=len(stored.content),
                                        uploaded_by=actor, uploaded_at=clock.now())
                event(declaration, "evidence", actor, note=f"{code}：{stored.name}")
            if then_submit:
                submit_declaration(actor=actor, declaration_id=declaration_id)
    except Exception:
        for path in stored_paths:  # nothing half-saved: the files go with the rolled-back rows
            delete_private(path)
        raise
    declaration.refresh_from_db()
    return declaration
