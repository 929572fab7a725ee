"""我的人才需求 in the PC portal (R-PT-04, 05, 06, 07): the enterprise's own
demands with their review status, the demand form (positions and their
majors added and removed in place by ``static/portal/demand_form.js``; one
position row works without script), a demand's page (read-only once
approved; 修改 and 撤回 until then) and, after approval, the outcome form.

The form's fields are named as the service names its errors —
``positions[1].salary_max``, ``positions[0].majors[1].headcount`` — so every
error lands at its row's field and the page is rebuilt from what was typed.
Every rule is in ``services.demands``; these views read the form and show
the answer. A pending or rejected account sees why it cannot act, not the form.
"""

from __future__ import annotations

import re
from functools import wraps

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhonglou_hrss.core import clock, custom_fields
from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible
from zhonglou_hrss.core.custom_field_forms import CustomFieldsForm
from zhonglou_hrss.core.models import LookupEntry, LookupKind
from zhonglou_hrss.core.selectors import access_of, access_refusal
from zhonglou_hrss.portal.models import Demand, DemandOutcome, GenderRequirement
from zhonglou_hrss.portal.public.views import INVALID, _enterprise_required, _page
from zhonglou_hrss.portal.rules import MAX_DEMAND_MAJORS, MAX_DEMAND_POSITIONS, OUTCOME_CORRECTION_WINDOW, SUBSYSTEM
from zhonglou_hrss.portal.selectors.demands import demand_for, demand_list_for, with_rows
from zhonglou_hrss.portal.services.demands import (
    DemandInput,
    DemandPositionInput,
    MajorInput,
    OutcomeInput,
    report_outcome,
    save_demand,
    submit_demand,
    withdraw_demand,
)
from zhonglou_hrss.portal.workflow import DEMAND_TONES, demand_error

OTHER_POSITION = "__other__"  # the position select's 其他（手动填写）: the typed post is then used
POSITION_FIELDS = ("position", "position_other", "description", "headcount", "gender", "employment_type",
                   "employment_type_other", "salary_min", "salary_max", "age_band", "education", "skill_level",
                   "experience")
ROW = re.compile(r"^positions\[(\d{1,3})\]\.(\w+)$")
MAJOR = re.compile(r"^positions\[(\d{1,3})\]\.majors\[(\d{1,3})\]\.(\w+)$")
NOTICES = {
    "saved": "草稿已保存。填写完整后请点击“提交审核”。",
    "submitted": "需求已提交，请等待区人社局审核。审核结果会显示在本页。",
    "outcome": "招聘结果已保存。",
    "withdrawn": "需求已撤回。",
}
OUTCOME_TONES = {DemandOutcome.COMPLETED: "completed", DemandOutcome.PARTIAL: "partial"}


def _approved_required(view):
    """An approved enterprise account; a pending or rejected one sees why (账号待审核 / 未通过：原因)."""

    @wraps(view)
    @_enterprise_required
    def wrapped(request, *args, **kwargs):
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            return _page(request, "portal/public/demand_refused.html",
                         {"refusal": refusal, "access": access_of(request.user, SUBSYSTEM)}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _own(request, demand_id) -> Demand:
    try:
        visible = demand_for(request.user, demand_id)  # another enterprise's: 404
    except NotVisible:
        raise Http404 from None
    return with_rows(Demand.objects.filter(pk=visible.pk)).get()


def _choices() -> dict:
    def of(kind):
        return list(LookupEntry.objects.of(kind).selectable().order_by("order", "code"))

    return {
        "positions_lookup": of(LookupKind.POSITION), "employment_types": of(LookupKind.EMPLOYMENT_TYPE),
        "age_bands": of(LookupKind.AGE_BAND), "educations": of(LookupKind.EDUCATION),
        "skill_levels": of(LookupKind.SKILL_REQUIREMENT), "experiences": of(LookupKind.EXPERIENCE),
        "major_categories": of(LookupKind.MAJOR_CATEGORY), "services_lookup": of(LookupKind.DEMAND_SERVICE),
        "genders": [{"code": g.value, "label": g.label} for g in GenderRequirement],
        "all_months": [str(m) for m in range(1, 13)], "other_position": OTHER_POSITION,
        "max_positions": MAX_DEMAND_POSITIONS, "max_majors": MAX_DEMAND_MAJORS,
    }


def _blank_position() -> dict:
    return {**{f: "" for f in POSITION_FIELDS}, "majors": []}


# --- the form's values: from a demand, from a POST, into the service's input -------------------
def _values_of(demand: Demand) -> dict:
    positions = []
    for p in demand.positions.all():
        row = {"position": p.position_entry.code if p.position_entry_id else OTHER_POSITION,
               "position_other": "" if p.position_entry_id else p.position_text, "description": p.description,
               "headcount": p.headcount, "gender": p.gender, "employment_type": p.employment_type.code,
               "employment_type_other": p.employment_type_other, "salary_min": p.salary_min,
               "salary_max": p.salary_max, "age_band": p.age_band.code, "education": p.education.code,
               "skill_level": p.skill_level.code, "experience": p.experience.code,
               "majors": [{"category": m.category.code, "headcount": m.headcount} for m in p.majors.all()]}
        positions.append({k: ("" if v is None else v) if k != "majors" else v for k, v in row.items()})
    return {"contact_name": demand.contact_name, "contact_phone": demand.contact_phone,
            "months": [str(m) for m in demand.months], "workforce_size": demand.workforce_size,
            "services": [s.service.code for s in demand.services.all()], "services_other": demand.services_other,
            "positions": positions}


def _values_from_post(post) -> dict:
    """What was typed, rows in their order (indexes need not be contiguous: a removed row leaves a gap)."""
    rows: dict[int, dict] = {}
    majors: dict[int, dict[int, dict]] = {}
    for key in post:
        if m := MAJOR.match(key):
            majors.setdefault(int(m[1]), {}).setdefault(int(m[2]), {})[m[3]] = post.get(key, "")
        elif m := ROW.match(key):
            rows.setdefault(int(m[1]), {})[m[2]] = post.get(key, "")
    positions = []
    for i in sorted(rows)[:MAX_DEMAND_POSITIONS + 1]:
        row = {**_blank_position(), **{f: rows[i].get(f, "").strip() for f in POSITION_FIELDS}}
        for j in sorted(majors.get(i, {}))[:MAX_DEMAND_MAJORS + 1]:
            major = {"category": majors[i][j].get("category", "").strip(),
                     "headcount": majors[i][j].get("headcount", "").strip()}
            if major["category"] or major["headcount"]:  # a sub-row added and left empty is dropped
                row["majors"].append(major)
        positions.append(row)
    return {"contact_name": post.get("contact_name", ""), "contact_phone": post.get("contact_phone", "").strip(),
            "months": post.getlist("months"), "workforce_size": post.get("workforce_size", "").strip(),
            "services": post.getlist("services"), "services_other": post.get("services_other", ""),
            "positions": positions}


def _input_of(values: dict, custom: dict | None = None) -> DemandInput:
    positions = []
    for row in values["positions"]:
        post = row["position_other"] if row["position"] == OTHER_POSITION else row["position"]
        positions.append(DemandPositionInput(
            position=post, majors=[MajorInput(category=m["category"], headcount=m["headcount"]) for m in row["majors"]],
            **{f: row[f] for f in POSITION_FIELDS if f not in ("position", "position_other")}))
    return DemandInput(contact_name=values["contact_name"], contact_phone=values["contact_phone"],
                       months=values["months"], workforce_size=values["workforce_size"],
                       services=values["services"], services_other=values["services_other"], positions=positions,
                       custom=custom)


def _with_errors(values: dict, errors: dict) -> dict:
    """Each row's errors on the row (``row.errors.salary_max``, ``major.errors.headcount``)."""
    for i, row in enumerate(values["positions"]):
        row["prefix"], row["number"] = f"positions[{i}]", i + 1
        prefix = f"positions[{i}]."
        row["errors"] = {k[len(prefix):]: v for k, v in errors.items()
                         if k.startswith(prefix) and "[" not in k[len(prefix):]}
        if "position" in row["errors"]:
            row["errors"]["position_other"] = row["errors"]["position"]
        for j, major in enumerate(row["majors"]):
            major["prefix"] = f"{prefix}majors[{j}]"
            mprefix = f"{prefix}majors[{j}]."
            major["errors"] = {k[len(mprefix):]: v for k, v in errors.items() if k.startswith(mprefix)}
    return values


# --- pages --------------------------------------------------------------------------------------
@never_cache
@_approved_required
def demand_list(request):
    demands = list(demand_list_for(request.user).prefetch_related("positions").order_by("-created_at", "-id"))
    for d in demands:
        d.tone = DEMAND_TONES.get(d.status, "grey")
        d.requested = sum(p.headcount for p in d.positions.all())
        d.posts = "、".join(p.position_text for p in d.positions.all())
    return _page(request, "portal/public/demand_list.html", {
        "demands": demands, "notice": NOTICES.get(request.GET.get("done", ""), "")})


@never_cache
@require_http_methods(["GET", "POST"])
@_approved_required
def demand_form(request, demand_id=None):
    """新建需求 / 修改需求: 保存草稿 or 提交审核 (save, then submit)."""
    demand = _own(request, demand_id) if demand_id is not None else None
    if demand is not None and demand_error("save", demand.status):
        return redirect("portal:demand_detail", demand_id=demand.pk)
    account = access_of(request.user, SUBSYSTEM).account
    message, errors = "", {}
    # The bureau's own fields shown on enterprise forms (core.custom_fields): the company's own values in full.
    custom_form = CustomFieldsForm("demand", request.POST if request.method == "POST" else None, public=True,
                                   current=demand.custom if demand else None, full=True)
    if request.method == "GET":
        values = _values_of(demand) if demand else {
            "contact_name": account.contact_name, "contact_phone": account.contact_phone, "months": [],
            "workforce_size": "", "services": [], "services_other": "", "positions": []}
    else:
        values = _values_from_post(request.POST)
        try:
            saved = save_demand(actor=request.user, data=_input_of(values, custom_form.raw_values()),
                                demand_id=demand.pk if demand else None)
        except InvalidInput as exc:
            errors, message = exc.errors, INVALID
            custom_form.put_errors(errors)
        except DomainError as exc:  # approved meanwhile (409), or the account changed
            message = exc.message
        else:
            if request.POST.get("action") != "submit":
                return redirect(reverse("portal:demand_detail", args=[saved.pk]) + "?done=saved")
            try:
                submit_demand(actor=request.user, demand_id=saved.pk)
            except DomainError as exc:
                return _detail(request, saved.pk, message=f"已保存，但未能提交审核：{exc.message}")
            return redirect(reverse("portal:demand_detail", args=[saved.pk]) + "?done=submitted")
    if not values["positions"]:
        values["positions"] = [_blank_position()]  # without script, one row
    _with_errors(values, errors)
    return _page(request, "portal/public/demand_form.html", {
        "demand": demand, "account": account, "values": values, "errors": errors, "message": message,
        "custom_form": custom_form, "blank_row": {**_blank_position(), "prefix": "positions[__P__]", "number": "", "errors": {}},
        "blank_major": {"category": "", "headcount": "", "prefix": "positions[__P__].majors[__M__]", "errors": {}},
        **_choices()})


def _detail(request, demand_id, *, message="", outcome_values=None, outcome_errors=None, status=200):
    demand = _own(request, demand_id)
    positions = list(demand.positions.all())
    now = clock.now()
    may_outcome = demand_error("outcome", demand.status) is None
    correct_until = demand.outcome_at + OUTCOME_CORRECTION_WINDOW if demand.outcome_at else None
    if correct_until is not None and now > correct_until:
        may_outcome = False
    sent = outcome_values or {}
    for i, p in enumerate(positions):
        p.hired_value = sent.get(str(p.pk), "" if p.hired is None else p.hired)
        p.hired_errors = (outcome_errors or {}).get(f"positions[{i}].hired", [])
    return _page(request, "portal/public/demand_detail.html", {
        "demand": demand, "positions": positions, "tone": DEMAND_TONES.get(demand.status, "grey"),
        "custom_shown": custom_fields.display_rows(
            "demand", demand.custom, custom_fields.visible("demand", None, public=True), full=True),
        "may_edit": demand_error("save", demand.status) is None,
        "may_submit": demand_error("submit", demand.status) is None,
        "may_withdraw": demand_error("withdraw", demand.status) is None,
        "may_outcome": may_outcome, "correct_until": correct_until,
        "correction_days": OUTCOME_CORRECTION_WINDOW.days,
        "outcome_result": (outcome_values or {}).get("result", demand.outcome),
        "outcome_errors": outcome_errors or {}, "outcome_tone": OUTCOME_TONES.get(demand.outcome, "none"),
        "services": [s.service.label for s in demand.services.all()],
        "message": message, "notice": NOTICES.get(request.GET.get("done", ""), ""),
        "timezone_now": timezone.localtime(now)}, status=status)


@never_cache
@_approved_required
def demand_detail(request, demand_id):
    return _detail(request, demand_id)


@require_POST
@_approved_required
def demand_submit(request, demand_id):
    demand = _own(request, demand_id)
    try:
        submit_demand(actor=request.user, demand_id=demand.pk)
    except InvalidInput as exc:
        return _detail(request, demand.pk, message="；".join(m for ms in exc.errors.values() for m in ms))
    except DomainError as exc:
        return _detail(request, demand.pk, message=exc.message)
    return redirect(reverse("portal:demand_detail", args=[demand.pk]) + "?done=submitted")


@require_POST
@_approved_required
def demand_withdraw(request, demand_id):
    demand = _own(request, demand_id)
    try:
        withdraw_demand(actor=request.user, demand_id=demand.pk)
    except DomainError as exc:
        return _detail(request, demand.pk, message=exc.message)
    return redirect(reverse("portal:demand_list") + "?done=withdrawn")


@require_POST
@_approved_required
def demand_outcome(request, demand_id):
    """After approval: how many were hired per position and 已完成 / 未完全达成 (R-PT-07)."""
    demand = _own(request, demand_id)
    hired = {str(p.pk): request.POST.get(f"hired_{p.pk}", "").strip() for p in demand.positions.all()}
    result = request.POST.get("result", "")
    try:
        report_outcome(actor=request.user, demand_id=demand.pk, data=OutcomeInput(hired=hired, result=result))
    except InvalidInput as exc:
        return _detail(request, demand.pk, message=INVALID, outcome_values={**hired, "result": result},
                       outcome_errors=exc.errors)
    except DomainError as exc:
        return _detail(request, demand.pk, message=exc.message)
    return redirect(reverse("portal:demand_detail", args=[demand.pk]) + "?done=outcome")
