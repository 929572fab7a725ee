"""Desk pages of a case: the case page (header, action bar, details, timeline),
action submission, internal registration and the reporter's photo; the counts
above the case list and the sidebar badge. Reads through the selectors, writes
through the services; the desk site wraps these views (login + desk access)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from zhonglou_hrss.core import custom_fields, pii
from zhonglou_hrss.core.display import style_form
from zhonglou_hrss.core.errors import ActionForbidden, DomainError, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.desk import desk_required
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.kuaiban.desk.forms import CompanionFormSet, RegistrationForm, attach_errors, registration_input
from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.rules import overdue_q
from zhonglou_hrss.kuaiban.selectors.cases import (
    case_for,
    case_list_for,
    queue_q,
    visible_count,
    visible_for_small_counts,
    with_overdue,
)
from zhonglou_hrss.kuaiban.services.action_inputs import ACTION_FORMS
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import allowed_actions, perform
from zhonglou_hrss.kuaiban.workflow import ACTION_LABELS, ACTIONS, STATUS_TONE

PII_FIELDS = ("reporter_id_number", "reporter_phone")


def _context(request, **extra):
    return {**admin.site.each_context(request), "opts": _opts(), **extra}


def _opts():
    from zhonglou_hrss.kuaiban.models import Case

    return Case._meta


def queue_count(user) -> int:
    """How many cases wait for this user (the 待我处理 card and the sidebar
    badge of one request ask once): one COUNT on the status index."""
    known = getattr(user, "_kuaiban_queue_count", None)
    if known is None:
        known = user._kuaiban_queue_count = visible_for_small_counts(user).filter(queue_q(user)).count()
    return known


def overdue_count(user) -> int:
    """How many of the user's cases are overdue now (the card and the list ask once)."""
    known = getattr(user, "_kuaiban_overdue_count", None)
    if known is None:
        known = user._kuaiban_overdue_count = visible_for_small_counts(user).filter(overdue_q()).count()
    return known


def list_context(request) -> dict:
    """Counts above the case list: what waits for me, what is overdue, and —
    on the whole list, where the paginator counts it anyway — how many I see."""
    user = request.user
    # One COUNT each, on its index: one aggregate with a FILTER per card
    # would read every visible case (a second for a leader at 10⁶ cases).
    whole = not any(k not in ("p", "o") for k in request.GET)
    counts = {
        "mine": queue_count(user),
        "overdue": overdue_count(user),
        "total": visible_count(user) if whole else None,
    }
    return {
        "case_counts": counts,
        "can_register": user.has_perm("kuaiban.register_case"),
        "can_export": user.has_perm("kuaiban.export_case"),
    }


def queue_badge(request):
    """The sidebar badge of 待我处理: how many cases wait for this user."""
    user = request.user
    if not user.is_authenticated:
        return ""
    count = queue_count(user)
    return str(count) if count else ""


# --- case page -------------------------------------------------------------------------
def _timeline(case):
    events = []
    for event in case.events.select_related("actor").order_by("-at", "-id"):
        events.append({
            "event": event,
            "label": ACTION_LABELS.get(event.action, event.action),
            "from_label": CaseStatus(event.from_status).label if event.from_status else "",
            "to_label": CaseStatus(event.to_status).label if event.to_status else "",
            "payload": [(PAYLOAD_LABELS.get(k, k), v) for k, v in event.payload.items()],
        })
    return events


PAYLOAD_LABELS = {
    "source": "登记方式", "channel": "来源渠道", "grid": "网格", "reason": "案由/理由", "respondent": "对方单位",
    "respondent_uscc": "统一社会信用代码", "companions": "同行人数", "photo": "有照片",
    "uscc_checksum_confirmed": "代码校验位不符已确认", "resolution_way": "成功方式", "amount": "金额（元）",
    "notes": "备注/结果", "inspector": "监察员", "previous_inspector": "原监察员", "at": "时间",
    "attributed_grid": "归属网格", "penalty_required": "需要处罚", "executed_at": "执行时间",
    "enforcement_applied_at": "申请强制执行时间",
}


def _submit_label(spec) -> str:
    # "确认接收" stays itself; "办结" becomes "确认办结" (never "确认确认接收").
    return spec.label if spec.label.startswith("确认") else f"确认{spec.label}"


def _initial(case, action: str) -> dict:
    if action == "record_handling" and case.grid_id and case.grid.active and case.grid.kind != Grid.Kind.DISTRICT:
        # The inspector most often attributes the case to the grid it came from.
        return {"attributed_grid": case.grid}
    return {}


def _action_forms(case, user, failed_action=None, failed_form=None):
    """Each action the user may take now. ``one_click``: nothing to enter and
    nothing that cannot be undone — a plain button; else a dialog."""
    forms = []
    for spec in allowed_actions(case, user):
        if spec.name == failed_action and failed_form is not None:
            form = failed_form
        else:
            form = ACTION_FORMS[spec.name](initial=_initial(case, spec.name))
        style_form(form)
        forms.append({"spec": spec, "form": form, "open": spec.name == failed_action,
                      "one_click": not form.fields and not spec.confirm, "submit": _submit_label(spec)})
    return forms


# A refused dialog: its input and errors wait in the session for the case page
# (post/redirect/get — a reload never re-posts, the address is the case's).
_FAILED = "kuaiban_failed_action"


def _keep_failed(request, case_id, action, exc: InvalidInput):
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    request.session[_FAILED] = {"case": case_id, "action": action, "data": data, "errors": exc.errors}


def _failed_form(request, case_id):
    kept = request.session.pop(_FAILED, None)
    if not kept or kept.get("case") != case_id or kept.get("action") not in ACTIONS:
        return None, None
    from django.utils.datastructures import MultiValueDict

    action = kept["action"]
    form = ACTION_FORMS[action](data=MultiValueDict(kept["data"]))
    form.is_valid()  # the form's own errors; the service's case rules are added below
    for field, msgs in kept["errors"].items():
        key = field if field in form.fields else None
        shown = form.errors.get(key or "__all__", [])
        for message in msgs:
            if message not in shown:
                form.add_error(key, message)
    return action, form


def _render_case(request, case, *, failed_action=None, failed_form=None, status=200):
    user = request.user
    companions = list(case.companions.all())
    shown = custom_fields.visible("case", user)
    personal = custom_fields.personal_shown("case", case, user, shown)
    reveal = pii.disclose(user, case, fields=pii.shown_fields(case, PII_FIELDS, companions=companions) + personal,
                          asked=request.GET.get("pii") == "1", request=request)
    case_obj = with_overdue(case_list_for(user).filter(pk=case.pk)).select_related(
        "grid", "attributed_grid", "reason", "channel", "respondent", "registered_by").get()
    rounds = case_obj.rounds.select_related("grid", "accepted_by", "outcome_by", "resolution_way")
    assignments = case_obj.assignments.select_related("inspector", "assigned_by")
    context = _context(
        request,
        title=f"事件 {case_obj.number}",
        case=case_obj,
        status_tone=STATUS_TONE.get(case_obj.status, "grey"),
        reveal=reveal,
        can_reveal=pii.may_see(user) and not reveal,
        companions=companions,
        rounds=rounds,
        assignments=assignments,
        action_forms=_action_forms(case_obj, user, failed_action, failed_form),
        timeline=_timeline(case_obj),
        photo_url=_photo_url(case_obj),
        custom_shown=custom_fields.display_rows("case", case.custom, shown, full=reveal),
    )
    return TemplateResponse(request, "kuaiban/desk/case_page.html", context, status=status)


def _photo_url(case):
    if not case.reporter_photo:
        return ""
    try:
        return reverse("kuaiban:case_photo", args=[case.pk])
    except Exception:  # the public/photo routes are not installed
        return ""


def case_page(request, case_id):
    try:
        case = case_for(request.user, case_id)
    except NotVisible:
        raise Http404("事件不存在或您无权查看") from None
    failed_action, failed_form = _failed_form(request, case.pk)
    return _render_case(request, case, failed_action=failed_action, failed_form=failed_form)


def act(request, case_id, action):
    if request.method != "POST":
        return redirect("admin:kuaiban_case_change", case_id=case_id)
    if action not in ACTIONS:
        raise Http404
    try:
        perform(case_id=case_id, action=action, actor=request.user, data=request.POST)
    except NotVisible:
        raise Http404("事件不存在或您无权查看") from None
    except InvalidInput as exc:
        _keep_failed(request, case_id, action, exc)
        messages.error(request, f"“{ACTIONS[action].label}”未提交：{exc.message}")
        return redirect("admin:kuaiban_case_change", case_id=case_id)
    except (ActionForbidden, StateConflict) as exc:
        # e.g. someone else acted first (double click, two people): say so, show the case as it is now.
        messages.warning(request, exc.message)
        return redirect("admin:kuaiban_case_change", case_id=case_id)
    messages.success(request, f"已完成：{ACTIONS[action].label}")
    return redirect("admin:kuaiban_case_change", case_id=case_id)


# --- internal registration ----------------------------------------------------------
def register(request):
    if not request.user.has_perm("kuaiban.register_case"):
        raise Http404
    companions_rows = []
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES, user=request.user)
        companions = CompanionFormSet(request.POST, prefix="companions")
        if form.is_valid() and companions.is_valid():
            data, companions_rows = registration_input(form, companions)
            try:
                result = register_case(actor=request.user, data=data, source=CaseSource.INTERNAL)
            except InvalidInput as exc:
                attach_errors(form, companions_rows, exc.errors)
                messages.error(request, "登记未保存：请按提示修改标红的内容。")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if result.duplicate:
                    messages.warning(request, f"相同的投诉刚刚已登记为 {result.case.number}，未重复登记。")
                else:
                    messages.success(request, f"已登记事件 {result.case.number}。")
                return redirect("admin:kuaiban_case_change", case_id=result.case.pk)
        else:
            messages.error(request, "登记未保存：请按提示修改标红的内容。")
    else:
        initial = {"channel": request.GET.get("channel", "walk_in"), "grid": request.GET.get("grid", "")}
        form = RegistrationForm(initial=initial, user=request.user)
        companions = CompanionFormSet(prefix="companions")
    context = _context(request, title="内部登记", form=form, companions=companions)
    return TemplateResponse(request, "kuaiban/desk/register.html", context,
                            status=400 if request.method == "POST" else 200)


# --- the reporter's photo ----------------------------------------------------------------
@desk_required
def case_photo(request, case_id):
    try:
        case = case_for(request.user, case_id)
    except NotVisible:
        raise Http404 from None
    return serve_private(case.reporter_photo, content_type="image/jpeg")
