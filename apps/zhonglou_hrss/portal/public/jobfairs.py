"""Job fairs in the PC portal (R-PT-08, 09, 10): the fairs open for
registration with their documents; an approved enterprise's registration form
(contact, introduction, attendees and positions as rows added and removed in
place — ``static/portal/jobfairs.js``; without script one row each, and a
button that adds a row through the server), the stamped form's upload, 保存草稿
and 提交审核; 我的报名 with each status, 修改 until approved, 撤回.

Every rule is in ``services.jobfairs``: these views read the form, hand it to
the service and show its answer — each error next to its field (the service's
``attendees[0].id_number`` is the first attendee row's ID-number input), with
everything typed kept.
"""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhonglou_hrss.core import clock, custom_fields, pii
from zhonglou_hrss.core.errors import ActionForbidden, DomainError, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.custom_field_forms import CustomFieldsForm
from zhonglou_hrss.core.models import LookupEntry, LookupKind
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.core.selectors import access_of, access_refusal
from zhonglou_hrss.portal.models import Gender, JobFair, Registration, RegistrationStatus
from zhonglou_hrss.portal.public.views import INVALID, _enterprise_required, _page
from zhonglou_hrss.portal.rules import MAX_ATTENDEES, MAX_POSITIONS, SUBSYSTEM, fair_accepts_registrations
from zhonglou_hrss.portal.selectors.jobfairs import open_fairs, registration_for, registration_list_for
from zhonglou_hrss.portal.services.files import STAMPED_FORM_HINT
from zhonglou_hrss.portal.services.jobfairs import (
    AttendeeInput,
    PositionInput,
    RegistrationInput,
    save_registration,
    set_stamped_form,
    submit_registration,
    withdraw_registration,
)
from zhonglou_hrss.portal.workflow import may_edit

ATTENDEE_FIELDS = ("name", "gender", "title", "phone", "id_number")
POSITION_FIELDS = ("title", "count", "education", "major", "description", "salary_min", "salary_max")
ROWS = {"attendees": ATTENDEE_FIELDS, "positions": POSITION_FIELDS}
MAX_ROW_INDEX = 200  # a form's row numbers; the service caps the rows themselves
FILE_AGAIN = "其他内容有误，盖章报名表未保存：改正后请重新选择文件。"


def _approved_required(view):
    """An enterprise whose portal access is approved; others see why not (账号待审核 …) and no form."""

    @_enterprise_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            return _page(request, "portal/public/jobfair_refused.html", {"refusal": refusal}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _educations():
    return list(LookupEntry.objects.of(LookupKind.EDUCATION).selectable().order_by("order", "code"))


# --- fairs (R-PT-08) --------------------------------------------------------------------------
@never_cache
def fair_list(request):
    """The fairs open for registration, with their documents (downloaded through
    ``views.jobfair_attachment``, ``portal:jobfair_attachment``); 报名 or 查看我的报名."""
    fairs = list(open_fairs(timezone.localdate(clock.now())))
    mine = {r.fair_id: r for r in registration_list_for(request.user).filter(fair__in=fairs)}
    for fair in fairs:
        fair.mine = mine.get(fair.pk)
    return _page(request, "portal/public/jobfair_list.html", {
        "fairs": fairs, "refusal": access_refusal(request.user, SUBSYSTEM) if request.user.is_authenticated else ""})


# --- the registration form (R-PT-09, 10) --------------------------------------------------------
def _posted_rows(post, prefix: str, *, keep_empty: bool = False) -> list[dict]:
    """The rows of ``prefix`` in the order of their numbers; a row left wholly empty is dropped
    (that is how a row goes without script). Each keeps its ``ref`` (the stored row it showed)."""
    pattern = re.compile(rf"^{prefix}-(\d{{1,3}})-")
    indices = sorted({int(m.group(1)) for key in post for m in [pattern.match(key)] if m
                      and int(m.group(1)) < MAX_ROW_INDEX})
    rows = []
    for i in indices:
        values = {f: post.get(f"{prefix}-{i}-{f}", "").strip() for f in ROWS[prefix]}
        if keep_empty or any(values.values()):
            rows.append({"values": values, "ref": post.get(f"{prefix}-{i}-ref", ""), "errors": {}})
    return rows


def _stored_rows(registration: Registration) -> dict:
    """The form's rows of a saved registration: mobiles and ID numbers masked (sent back
    unchanged they mean "unchanged")."""
    attendees = [{"values": {"name": a.name, "gender": a.gender, "title": a.title,
                             "phone": pii.mask(pii.MOBILE, a.phone), "id_number": pii.mask(pii.ID_CARD, a.id_number)},
                  "ref": str(a.pk), "errors": {}} for a in registration.attendees.all()]
    positions = [{"values": {"title": p.title, "count": str(p.count), "education": p.education.code,
                             "major": p.major, "description": p.description, "salary_min": str(p.salary_min),
                             "salary_max": str(p.salary_max)}, "ref": "", "errors": {}}
                 for p in registration.positions.select_related("education")]
    return {"attendees": attendees, "positions": positions}


def _blank(prefix: str) -> dict:
    return {"values": dict.fromkeys(ROWS[prefix], ""), "ref": "", "errors": {}}


def _input(fair_id, values: dict, rows: dict, registration: Registration | None,
           custom: dict | None = None) -> RegistrationInput:
    """The service's input; a masked mobile or ID number sent back for a stored attendee
    (moved or not) is that attendee's stored value."""
    stored = {str(a.pk): a for a in registration.attendees.all()} if registration else {}
    attendees = []
    for row in rows["attendees"]:
        data = dict(row["values"])
        before = stored.get(row["ref"])
        if before is not None:
            data["phone"] = pii.unmasked(pii.MOBILE, data["phone"], before.phone)
            data["id_number"] = pii.unmasked(pii.ID_CARD, data["id_number"], before.id_number)
        attendees.append(AttendeeInput(**data))
    positions = [PositionInput(**row["values"]) for row in rows["positions"]]
    return RegistrationInput(fair_id=fair_id, contact_name=values["contact_name"],
                             contact_phone=values["contact_phone"], introduction=values["introduction"],
                             attendees=attendees, positions=positions, custom=custom)


ROW_KEY = re.compile(r"^(attendees|positions)(?:\[(\d+)\]|\.(\d+))\.(\w+)$")


def _place_errors(errors: dict, rows: dict) -> dict:
    """The service's keys on the form: ``attendees[1].phone`` (or ``attendees.1.phone``) → the
    second attendee row's phone; the rest stay by their own key (``contact_phone``,
    ``attendees``, ``stamped_form``)."""
    rest = {}
    for key, messages_ in errors.items():
        match = ROW_KEY.match(key)
        index = int(match.group(2) or match.group(3)) if match else -1
        if match and index < len(rows[match.group(1)]):
            rows[match.group(1)][index]["errors"].setdefault(match.group(4), []).extend(messages_)
        else:
            rest.setdefault("stamped_form" if key == "file" else key, []).extend(messages_)
    return rest


def _form_page(request, *, fair, registration, values, rows, errors=None, message="", status=200, custom_form=None):
    template = next((a for a in fair.attachments.all() if a.is_form_template), None)
    if custom_form is None:  # the bureau's own fields on enterprise forms: the company's values in full
        custom_form = CustomFieldsForm("registration", public=True, full=True,
                                       current=registration.custom if registration else None)
    for prefix in ROWS:
        if not rows[prefix]:
            rows[prefix] = [_blank(prefix)]
    action = (reverse("portal:registration_detail", args=[registration.pk]) if registration
              else reverse("portal:jobfair_register", args=[fair.pk]))
    return _page(request, "portal/public/registration_form.html", {
        "fair": fair, "registration": registration, "values": values, "rows": rows, "errors": errors or {},
        "message": message, "action": action, "educations": _educations(), "genders": Gender.choices,
        "form_template": template, "stamped_hint": STAMPED_FORM_HINT, "max_attendees": MAX_ATTENDEES,
        "max_positions": MAX_POSITIONS, "blank_attendee": _blank("attendees"), "blank_position": _blank("positions"),
        "custom_form": custom_form,
    }, status=status)


def _handle_post(request, fair, registration):
    """保存草稿 / 提交审核 (or, without script, 增加一行): the service's answer on the page."""
    values = {k: request.POST.get(k, "").strip() for k in ("contact_name", "contact_phone", "introduction")}
    rows = {prefix: _posted_rows(request.POST, prefix) for prefix in ROWS}
    action = request.POST.get("action", "draft")
    upload = request.FILES.get("stamped_form")
    custom_form = CustomFieldsForm("registration", request.POST, public=True)

    def again(errors=None, message=INVALID, status=200):  # as the portal's other forms
        custom_form.put_errors(errors or {})
        return _form_page(request, fair=fair, registration=registration, values=values, rows=rows,
                          errors=_place_errors(errors or {}, rows), message=message, status=status,
                          custom_form=custom_form)

    if action in ("add_attendees", "add_positions"):  # no script: one more row, nothing saved
        rows = {prefix: _posted_rows(request.POST, prefix, keep_empty=True) for prefix in ROWS}
        rows[action[4:]].append(_blank(action[4:]))
        return again(message="", status=200)
    try:
        if registration is not None and upload is not None:
            # The file first: kept even when a field below must be corrected.
            set_stamped_form(actor=request.user, registration_id=registration.pk, upload=upload)
            upload = None
        saved = save_registration(actor=request.user,
                                  data=_input(fair.pk, values, rows, registration, custom_form.raw_values()),
                                  registration_id=registration.pk if registration else None)
    except InvalidInput as exc:
        errors = dict(exc.errors)
        if upload is not None and "file" not in errors:
            errors.setdefault("stamped_form", []).append(FILE_AGAIN)
        return again(errors)
    except (StateConflict, ActionForbidden) as exc:
        return again(message=exc.message, status=409 if isinstance(exc, StateConflict) else 403)
    registration = saved
    try:
        if upload is not None:
            set_stamped_form(actor=request.user, registration_id=saved.pk, upload=upload)
        if action == "submit" and saved.status != RegistrationStatus.PENDING:
            submit_registration(actor=request.user, registration_id=saved.pk)
    except InvalidInput as exc:
        return again(exc.errors, message="报名已保存为草稿，但还不能提交审核：请按提示处理。")
    except DomainError as exc:
        return again(message=f"报名已保存为草稿：{exc.message}", status=409)
    done = "submitted" if action == "submit" else "changed" if saved.status == RegistrationStatus.PENDING else "saved"
    return redirect(reverse("portal:registrations") + f"?done={done}&id={saved.pk}")


@never_cache
@require_http_methods(["GET", "POST"])
@_approved_required
def registration_new(request, fair_id):
    fair = JobFair.objects.prefetch_related("attachments").filter(pk=fair_id).first()
    if fair is None:
        raise Http404
    existing = registration_list_for(request.user).filter(fair=fair).first()
    if existing is not None:  # one per enterprise per fair: its own page
        return redirect("portal:registration_detail", registration_id=existing.pk)
    if not fair_accepts_registrations(fair, timezone.localdate(clock.now())):
        messages.error(request, "该招聘会已停止报名。")
        return redirect("portal:jobfair_list")
    if request.method == "POST":
        return _handle_post(request, fair, None)
    account = access_of(request.user, SUBSYSTEM).account  # the profile's contact to start with
    values = {"contact_name": account.contact_name, "contact_phone": account.contact_phone, "introduction": ""}
    return _form_page(request, fair=fair, registration=None, values=values,
                      rows={"attendees": [], "positions": []})


def _own(request, registration_id) -> Registration:
    try:
        return registration_for(request.user, registration_id)
    except NotVisible:
        raise Http404 from None


@never_cache
@require_http_methods(["GET", "POST"])
@_approved_required
def registration_detail(request, registration_id):
    """修改 while the registration may change and the fair takes registrations; read-only otherwise."""
    registration = _own(request, registration_id)
    fair = JobFair.objects.prefetch_related("attachments").get(pk=registration.fair_id)
    editable = may_edit(registration.status) and fair_accepts_registrations(fair, timezone.localdate(clock.now()))
    if request.method == "POST":
        if not editable:
            messages.error(request, "报名已审核通过，不能再修改；如需变更请联系就业服务工作人员。"
                           if registration.status == RegistrationStatus.APPROVED else "该招聘会已停止报名，不能再修改。")
            return redirect("portal:registration_detail", registration_id=registration.pk)
        return _handle_post(request, fair, registration)
    if editable and request.GET.get("view") != "1":
        values = {"contact_name": registration.contact_name,
                  "contact_phone": pii.mask(pii.MOBILE, registration.contact_phone),
                  "introduction": registration.introduction}
        return _form_page(request, fair=fair, registration=registration, values=values,
                          rows=_stored_rows(registration))
    return _page(request, "portal/public/registration_detail.html", {
        "registration": registration, "fair": fair, "editable": editable,
        "attendees": list(registration.attendees.all()),
        "positions": list(registration.positions.select_related("education")),
        "custom_shown": custom_fields.display_rows(
            "registration", registration.custom, custom_fields.visible("registration", None, public=True),
            full=True)})


def _stamped_form(request, registration_id):
    registration = _own(request, registration_id)
    return serve_private(registration.stamped_form_path, filename=registration.stamped_form_name,
                         content_type=registration.stamped_form_type or "application/octet-stream")


registration_stamped_form = _approved_required(_stamped_form)


@never_cache
@_approved_required
def registration_list(request):
    """我的报名: each with its fair, status (and the reason of 未通过), 修改 / 撤回 while allowed."""
    registrations = list(registration_list_for(request.user).select_related("fair").order_by("-created_at", "-id"))
    today = timezone.localdate(clock.now())
    for r in registrations:
        r.editable = may_edit(r.status) and fair_accepts_registrations(r.fair, today)
        r.withdrawable = r.status != RegistrationStatus.APPROVED
    done = request.GET.get("done", "")
    return _page(request, "portal/public/registration_list.html", {
        "registrations": registrations, "done": done if done in ("submitted", "saved", "changed", "withdrawn") else "",
        "done_id": request.GET.get("id", "")})


@require_POST
@_approved_required
def registration_withdraw(request, registration_id):
    _own(request, registration_id)
    try:
        withdraw_registration(actor=request.user, registration_id=registration_id)
    except NotVisible:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:registrations")
    return redirect(reverse("portal:registrations") + "?done=withdrawn")
