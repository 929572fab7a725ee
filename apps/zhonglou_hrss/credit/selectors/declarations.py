"""Who sees which declaration: a company its own; staff holding a credit
permission all of them; nobody else any."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.credit import workflow
from zhonglou_hrss.credit.models import CategoryKind, Declaration, DeclarationStatus, Deduction, Evidence
from zhonglou_hrss.credit.rules import REVIEW, SCORE, bonus_max, compute_score, describe_scoring, scoring_explained
from zhonglou_hrss.credit.selectors.criteria import scheme_data


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and (user.has_perm(REVIEW) or user.has_perm(SCORE)))


def declaration_list_for(user) -> QuerySet[Declaration]:
    base = Declaration.objects.select_related("scheme", "account__enterprise")
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if is_staff(user):
        return base
    return base.filter(account__user=user)


def declaration_for(user, declaration_id) -> Declaration:
    try:
        return declaration_list_for(user).get(pk=declaration_id)
    except (Declaration.DoesNotExist, ValueError, TypeError):
        raise NotVisible("申报不存在或您无权查看") from None


def detail(declaration: Declaration) -> dict:
    lines = list(declaration.lines.select_related("item__category").prefetch_related("evidence"))
    working = declaration.working or _preview(declaration, scheme_data(declaration.scheme), lines)
    licence = getattr(declaration.account, "credit_licence", None)
    return {
        "id": declaration.pk,
        "year": declaration.scheme.year,
        "uscc": declaration.account.enterprise.uscc,
        "name": declaration.account.company_name,
        "status": declaration.status,
        "status_label": declaration.get_status_display(),
        "return_reason": declaration.return_reason,
        "submitted_at": declaration.submitted_at,
        "licence_date": licence.licence_date if licence else None,
        "items": [{"item": line.item.code, "category": line.item.category.code, "title": line.item.title,
                   "self_points": _num(line.self_points), "note": line.note, "returned": line.returned,
                   "initial_points": _num(line.initial_points), "initial_basis": line.initial_basis,
                   "final_points": _num(line.final_points), "final_basis": line.final_basis,
                   "evidence": [{"id": e.pk, "name": e.name, "size": e.size,
                                 "url": f"/api/v1/credit/declarations/{declaration.pk}/evidence/{e.pk}/"}
                                for e in line.evidence.all()]}
                  for line in lines],
        "deductions": [{"id": d.pk, "item": d.item.code, "points": _num(d.points), "basis": d.basis,
                        "source": d.source, "source_id": d.source_id, "source_number": d.source_number}
                       for d in declaration.deductions.select_related("item")],
        "vetoes": [{"item": m.veto.code, "basis": m.basis} for m in declaration.vetoes.select_related("veto")],
        "credit_score": _num(declaration.credit_score),
        "grade": declaration.grade,
        "working": working,
        "timeline": [{"action": e.action, "note": e.note, "actor": e.actor.display_name, "at": e.at}
                     for e in declaration.events.select_related("actor")],
    }


def _num(value):
    return None if value is None else float(value)


def _preview(declaration, scheme, lines) -> list[dict]:
    bonus = {}
    for line in lines:
        points = line.final_points if line.final_points is not None else line.initial_points
        if points is not None:
            bonus[line.item.code] = points
    deductions = [(d.item.code, d.points) for d in declaration.deductions.select_related("item")]
    vetoes = [m.veto.code for m in declaration.vetoes.select_related("veto")]
    return compute_score(scheme, bonus, deductions, vetoes).lines


def status_counts(user, *, year: int | None = None) -> dict[str, int]:
    """How many of the declarations the user sees are in each status (a year's, or all)."""
    qs = declaration_list_for(user)
    if year is not None:
        qs = qs.filter(scheme__year=year)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in DeclarationStatus.values}


def declaration_years(user) -> list[int]:
    return sorted(set(declaration_list_for(user).order_by().values_list("scheme__year", flat=True)), reverse=True)


def scoring_sheet(declaration: Declaration) -> dict:
    """What the staff's page of a declaration needs besides ``detail``: each declared item's
    scoring rule and evidence list, the year's deduction items and veto items to choose from,
    and each deduction's material."""
    scheme = declaration.scheme
    items = {i.code: i for i in scheme.items.select_related("category")}
    rules = {code: describe_scoring(i.scoring, i.cap) for code, i in items.items()}
    deduction_items = [{"code": i.code, "title": i.title, "category": i.category.label,
                        "rule": rules[i.code]} for i in items.values() if i.category.kind == CategoryKind.DEDUCTION]
    materials = {d.pk: bool(d.material) for d in declaration.deductions.all()}
    return {"rules": rules, "evidence_required": {code: i.evidence for code, i in items.items()},
            "caps": {code: i.cap for code, i in items.items()},
            "deduction_items": deduction_items, "materials": materials,
            "vetoes": [{"code": v.code, "description": v.description} for v in scheme.vetoes.all()]}


def evidence_for(user, declaration_id, evidence_id) -> Evidence:
    """A piece of evidence of a declaration the user sees (NotVisible otherwise)."""
    return evidence_of(declaration_for(user, declaration_id), evidence_id)


# --- the company's own pages (the portal, R-CR-02) ---------------------------------------------
def company_form(declaration: Declaration) -> list[dict]:
    """The declaration's lines grouped by the year's bonus categories (基本指标,
    良好信用信息 …) in the year's order; each line with its item, the rule in
    Chinese, the most it allows and its evidence."""
    groups: dict[int, dict] = {}
    lines = declaration.lines.select_related("item__category").prefetch_related("evidence")
    for line in lines:
        category = line.item.category
        group = groups.setdefault(category.pk, {"category": category, "lines": []})
        group["lines"].append({"line": line, "item": line.item, "most": bonus_max(line.item.scoring, line.item.cap),
                               "rule": scoring_explained(line.item.scoring, line.item.cap),
                               "evidence": list(line.evidence.all())})
    return sorted(groups.values(), key=lambda g: (g["category"].order, g["category"].pk))


def company_timeline(declaration: Declaration, user) -> list[dict]:
    """Every step of the declaration as the company sees it: its own steps as
    本企业, the bureau's as 区人社局 (the staff member's name is not the company's business)."""
    return [{"label": workflow.ACTION_LABELS.get(e.action, e.action), "action": e.action, "note": e.note,
             "by": "本企业" if e.actor_id == user.pk else "区人社局", "at": e.at}
            for e in declaration.events.all()]


def evidence_of(declaration: Declaration, evidence_id) -> Evidence:
    """A piece of the (already visible) declaration's evidence, or NotVisible."""
    evidence = Evidence.objects.filter(pk=evidence_id, line__declaration=declaration).first()
    if evidence is None:
        raise NotVisible("材料不存在或您无权查看")
    return evidence


def deduction_material_for(user, declaration_id, deduction_id) -> Deduction:
    declaration = declaration_for(user, declaration_id)
    deduction = Deduction.objects.filter(pk=deduction_id, declaration=declaration).exclude(material="").first()
    if deduction is None:
        raise NotVisible("材料不存在或您无权查看")
    return deduction
