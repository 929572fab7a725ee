"""信用申报 in the desk (R-CR-02, R-CR-03): one declaration whole — the
company's profile and licence, each item with the self points, note and
evidence (downloaded through the private-file view), the timeline — and the
staff's actions by stage and permission: 退回修改 (a reason and the chosen
items), 初评/终评 points per item with their basis, deductions in the five
categories (points, basis, material), veto marks, the deduction candidates
from kuaiban (accept as a deduction / dismiss with a reason) and 确认 of a
stage, after which the page shows the working of the score line by line.
Locked after 终评.

Every action posts to one of the credit services and redirects back; bad
input re-renders the page (400) with the message beside the field and what
was typed kept; a refusal because another staff member changed the
declaration meanwhile (the services lock the row and check the status)
re-renders the latest state with a 409 and says so. The list is
``admin.declarations``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import custom_fields, pii
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.credit import workflow
from zhonglou_hrss.credit.desk.common import conflict_text, require_any
from zhonglou_hrss.credit.models import Declaration
from zhonglou_hrss.credit.rules import REVIEW, SCORE
from zhonglou_hrss.credit.selectors.candidates import candidates_for
from zhonglou_hrss.credit.selectors.declarations import (
    declaration_for,
    deduction_material_for,
    detail,
    evidence_for,
    scoring_sheet,
)
from zhonglou_hrss.credit.services import candidates as candidate_services
from zhonglou_hrss.credit.services import declarations as declaration_services
from zhonglou_hrss.credit.services import scoring

STAGE_LABELS = {"initial": "初评", "final": "终评"}
STATUS_TONES = {"draft": "grey", "submitted": "blue", "returned": "amber", "initial_done": "amber",
                "final_done": "green"}
SOURCE_LABELS = {"case": "快办事件", "petition": "信访记录"}


def _declaration(request, declaration_id) -> Declaration:
    require_any(request, REVIEW, SCORE, message="您没有查看信用申报的权限")
    try:
        return declaration_for(request.user, declaration_id)
    except NotVisible:
        raise Http404 from None


def _stage(declaration) -> str | None:
    """The scoring stage the declaration is in (初评 while submitted, 终评 after 初评), or None."""
    if workflow.declaration_error("score_initial", declaration.status) is None:
        return "initial"
    if workflow.declaration_error("score_final", declaration.status) is None:
        return "final"
    return None


def _render(request, declaration, *, form="", values=None, errors=None, conflict="", status=200):
    declaration = Declaration.objects.select_related("scheme", "account__enterprise", "account__industry").get(
        pk=declaration.pk)  # the latest state, after whatever the action did or refused
    user = request.user
    data = detail(declaration)
    sheet = scoring_sheet(declaration)
    frozen = declaration.scheme.frozen
    stage = None if frozen else _stage(declaration)
    may_score = user.has_perm(SCORE) and stage is not None
    may_return = (user.has_perm(REVIEW) and not frozen
                  and workflow.declaration_error("return", declaration.status) is None)
    may_deduct = user.has_perm(SCORE) and not frozen and workflow.declaration_error("deduct", declaration.status) is None
    values, errors = values or {}, errors or {}
    score_values = values if form == "score" else {}
    items = []
    for line in data["items"]:
        code = line["item"]
        own = line[f"{stage}_points"] if stage else None
        earlier = line["initial_points"] if stage == "final" else line["self_points"]
        items.append({
            **line, "rule": sheet["rules"].get(code, ""), "evidence_required": sheet["evidence_required"].get(code, []),
            "cap": sheet["caps"].get(code),
            "points_value": score_values.get(f"points_{code}",
                                             _fmt(own) if own is not None else _fmt(earlier) if earlier is not None
                                             else ""),
            "basis_value": score_values.get(f"basis_{code}", (line[f"{stage}_basis"] if stage else "") or ""),
            "errors": errors.get(code, []) if form == "score" else [],
        })
    for d in data["deductions"]:
        d["has_material"] = sheet["materials"].get(d["id"], False)
        d["source_label"] = SOURCE_LABELS.get(d["source"], "")
    deduction_titles = {i["code"]: f"{i['category']} · {i['title']}" for i in sheet["deduction_items"]}
    for d in data["deductions"]:
        d["title"] = deduction_titles.get(d["item"], d["item"])
    veto_titles = {v["code"]: v["description"] for v in sheet["vetoes"]}
    for v in data["vetoes"]:
        v["description"] = veto_titles.get(v["item"], "")
    candidates = []
    if user.has_perm(SCORE):
        candidates = candidates_for(user, uscc=data["uscc"], scheme=declaration.scheme)
        for c in candidates:
            c["source_label"] = SOURCE_LABELS.get(c["source"], c["source"])
            c["key"] = f"{c['source']}-{c['id']}"
    preview = scoring.compute(declaration, stage).lines if stage else []
    timeline = [{**e, "label": workflow.ACTION_LABELS.get(e["action"], e["action"])}
                for e in reversed(data["timeline"])]
    account = declaration.account
    licence = getattr(account, "credit_licence", None)
    return TemplateResponse(request, "credit/desk/declaration_page.html", {
        **admin.site.each_context(request), "opts": Declaration._meta,
        "title": f"{data['year']}年度信用申报 · {data['name']}", "d": data, "declaration": declaration,
        "account": account, "licence": licence, "phone": pii.mask(pii.MOBILE, account.contact_phone),
        # The bureau's own fields (core.custom_fields) by the viewer's roles; personal ones masked here.
        "custom_shown": custom_fields.display_rows("declaration", declaration.custom,
                                                   custom_fields.visible("declaration", user)),
        "tone": STATUS_TONES.get(declaration.status, "grey"), "frozen": frozen, "stage": stage,
        "stage_label": STAGE_LABELS.get(stage, ""), "may_score": may_score, "may_return": may_return,
        "may_deduct": may_deduct, "items": items, "deduction_items": sheet["deduction_items"],
        "vetoes": sheet["vetoes"], "candidates": candidates, "preview": preview, "timeline": timeline,
        "locked": declaration.status == workflow.FINAL_DONE, "form": form,
        "ferr": {form: errors} if form else {},
        # A template reads errors.items as the dict's method: the chosen items' errors by their own name.
        "return_item_errors": errors.get("items", []) if form == "return" else [], "fval": {form: values} if form else {}, "conflict": conflict,
        "list_url": reverse("admin:credit_declaration_changelist") + f"?year={data['year']}",
    }, status=status)


def _num(value) -> str:
    """A Decimal as people write it: 101, 92.5, -2."""
    return f"{value.normalize():f}" if value is not None else "—"


def _fmt(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def page(request, declaration_id):
    return _render(request, _declaration(request, declaration_id))


def _act(request, declaration, form, values, call, success, *, error_keys=None):
    """Run a service call; the page again with the refusal, or back to it with ``success``."""
    try:
        outcome = call()
    except InvalidInput as exc:
        errors = error_keys(exc.errors) if error_keys else exc.errors
        return _render(request, declaration, form=form, values=values, errors=errors, status=400)
    except StateConflict as exc:
        return _render(request, declaration, conflict=conflict_text(exc), status=409)
    except ActionForbidden as exc:
        raise PermissionDenied(exc.message) from None
    except NotVisible as exc:
        return _render(request, declaration, conflict=exc.message, status=404)
    messages.success(request, success(outcome) if callable(success) else success)
    return redirect("admin:credit_declaration_page", declaration_id=declaration.pk)


@require_POST
def return_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    values = {"reason": request.POST.get("reason", ""), "items": request.POST.getlist("items")}
    return _act(request, declaration, "return", values, lambda: declaration_services.return_declaration(
        actor=request.user, declaration_id=declaration.pk, reason=values["reason"], items=values["items"]),
        "已退回企业修改，企业将看到退回原因" + ("和需修改的指标。" if values["items"] else "。"))


@require_POST
def score_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    stage = request.POST.get("stage", "")
    codes = [line.item.code for line in declaration.lines.select_related("item")]
    values = {}
    entries = []
    for code in codes:
        points = request.POST.get(f"points_{code}", "").strip()
        basis = request.POST.get(f"basis_{code}", "").strip()
        values[f"points_{code}"], values[f"basis_{code}"] = points, basis
        if points or basis:
            entries.append(scoring.ScoreInput(item=code, points=points, basis=basis))

    def by_item(errors):
        # The service names a row by its place in what was sent: give each message to its item's row.
        out = {}
        for key, messages_ in errors.items():
            if key.startswith("items[") and "]" in key:
                index = int(key[6:key.index("]")])
                code = entries[index].item if index < len(entries) else "items"
                out.setdefault(code, []).extend(messages_)
            else:
                out.setdefault("form", []).extend(messages_)
        return out

    if not entries:
        return _render(request, declaration, form="score", values=values,
                       errors={"form": ["请至少填写一项的分值"]}, status=400)
    label = STAGE_LABELS.get(stage, "")
    return _act(request, declaration, "score", values, lambda: scoring.score_items(
        actor=request.user, declaration_id=declaration.pk, stage=stage, items=entries),
        f"已保存{label}分值（{len(entries)}项）。", error_keys=by_item)


@require_POST
def confirm_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    stage = request.POST.get("stage", "")
    label = STAGE_LABELS.get(stage, "")
    return _act(request, declaration, "confirm", {}, lambda: scoring.confirm_stage(
        actor=request.user, declaration_id=declaration.pk, stage=stage),
        lambda d: f"已确认{label}：信用得分 {_num(d.credit_score)}，等级 {d.grade or '—'}"
                  + ("。申报已锁定。" if stage == "final" else "。"),
        error_keys=lambda errors: {"confirm": [m for ms in errors.values() for m in ms]})


@require_POST
def deduct_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    values = {k: request.POST.get(k, "") for k in ("item", "points", "basis")}
    material = request.FILES.get("material")
    return _act(request, declaration, "deduct", values, lambda: scoring.add_deduction(
        actor=request.user, declaration_id=declaration.pk, item=values["item"], points=values["points"].strip(),
        basis=values["basis"], material=material),
        lambda d: f"已记录扣分：{d.item.code} {_num(d.points)}分。")


@require_POST
def veto_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    values = {k: request.POST.get(k, "") for k in ("item", "basis")}
    return _act(request, declaration, "veto", values, lambda: scoring.mark_veto(
        actor=request.user, declaration_id=declaration.pk, item=values["item"], basis=values["basis"]),
        lambda m: f"已认定一票否决：{m.veto.code}。")


def _source(request) -> tuple[str, int]:
    source, raw = request.POST.get("source", ""), request.POST.get("source_id", "")
    if source not in SOURCE_LABELS or not raw.isdigit():
        raise Http404
    return source, int(raw)


@require_POST
def accept_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    source, source_id = _source(request)
    values = {k: request.POST.get(k, "") for k in ("item", "points", "basis")}
    values["key"] = f"{source}-{source_id}"
    return _act(request, declaration, "accept", values, lambda: candidate_services.accept_candidate(
        actor=request.user, declaration_id=declaration.pk, source=source, source_id=source_id, item=values["item"],
        points=values["points"].strip(), basis=values["basis"]),
        lambda d: f"已将{SOURCE_LABELS[source]}{d.source_number}记为扣分：{d.item.code} {_num(d.points)}分。")


@require_POST
def dismiss_view(request, declaration_id):
    declaration = _declaration(request, declaration_id)
    source, source_id = _source(request)
    values = {"reason": request.POST.get("reason", ""), "key": f"{source}-{source_id}"}
    return _act(request, declaration, "dismiss", values, lambda: candidate_services.dismiss_candidate(
        actor=request.user, scheme=declaration.scheme, uscc=declaration.account.enterprise.uscc, source=source,
        source_id=source_id, reason=values["reason"]),
        f"已记录该{SOURCE_LABELS[source]}不扣分及原因。")


def evidence_file(request, declaration_id, evidence_id):
    require_any(request, REVIEW, SCORE, message="您没有查看信用申报的权限")
    try:
        evidence = evidence_for(request.user, declaration_id, evidence_id)
    except NotVisible:
        raise Http404 from None
    return serve_private(evidence.path, filename=evidence.name, content_type=evidence.content_type)


def deduction_material(request, declaration_id, deduction_id):
    require_any(request, REVIEW, SCORE, message="您没有查看信用申报的权限")
    try:
        deduction = deduction_material_for(request.user, declaration_id, deduction_id)
    except NotVisible:
        raise Http404 from None
    return serve_private(deduction.material, filename=f"扣分材料-{deduction.item.code}{_suffix(deduction.material)}")


def _suffix(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""

