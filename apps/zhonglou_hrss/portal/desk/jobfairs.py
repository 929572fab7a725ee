"""Desk pages of job fairs (R-PT-17, 18, 19): a fair's form (name, date,
venue, notes), opening and closing its registration, its documents (the
registration-form template among them); a registration's page (everything the
enterprise filled, the stamped form shown inline, approve or reject with a
reason, the timeline) and the fair's export. The lists are
``admin.jobfairs``; every write goes through ``services.jobfairs``."""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import clock, custom_fields, pii
from zhonglou_hrss.core.display import style_form
from zhonglou_hrss.core.errors import ActionForbidden, DomainError, InvalidInput, NotVisible
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.portal.exports.jobfairs import fair_export_response
from zhonglou_hrss.portal.models import JobFair, Registration
from zhonglou_hrss.portal.rules import MANAGE_JOBFAIRS, MAX_ATTACHMENTS, REVIEW_REGISTRATIONS, VIEW_JOBFAIRS
from zhonglou_hrss.portal.selectors.jobfairs import (
    fair_for_staff,
    fair_list_for,
    readable_attachment,
    registration_for,
    timeline_of,
)
from zhonglou_hrss.portal.services.files import ATTACHMENT_HINT
from zhonglou_hrss.portal.services.jobfairs import (
    FairInput,
    add_fair_attachment,
    decide_registration,
    remove_fair_attachment,
    save_fair,
    set_registration_open,
)
from zhonglou_hrss.portal.workflow import EVENT_LABELS, REGISTRATION_TONES


INVALID = "未保存：请按提示修改标红的内容。"


def _joined(exc: DomainError) -> str:
    if getattr(exc, "errors", None):
        return "；".join(m for ms in exc.errors.values() for m in ms)
    return exc.message


def _require(request, permission: str):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _context(request, opts, **extra):
    return {**admin.site.each_context(request), "opts": opts, **extra}


# --- fairs (R-PT-17) -----------------------------------------------------------------------
class FairForm(forms.Form):
    name = forms.CharField(label="招聘会名称", max_length=200, required=False,
                           help_text="例如：2027年钟楼区春风行动专场招聘会")
    date = forms.DateField(label="举办日期", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": "举办日期格式应为 YYYY-MM-DD"})
    venue = forms.CharField(label="举办地点", max_length=200, required=False)
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="报名须知、展位安排等，企业在门户中可以看到。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "date", "venue"):
            self.fields[name].show_required = True
        style_form(self)


def _fair(request, fair_id) -> JobFair:
    try:
        return fair_for_staff(request.user, fair_id)
    except NotVisible:
        raise Http404 from None


def fair_edit(request, fair_id=None):
    """新建 / 修改招聘会; an existing fair's page also holds its registration switch and documents."""
    _require(request, VIEW_JOBFAIRS)
    fair = _fair(request, fair_id) if fair_id is not None else None
    may_manage = request.user.has_perm(MANAGE_JOBFAIRS)
    if fair is None and not may_manage:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        _require(request, MANAGE_JOBFAIRS)
        form = FairForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_fair(actor=request.user, fair_id=fair_id, data=FairInput(
                    name=data["name"], date=data["date"], venue=data["venue"], notes=data["notes"]))
            except InvalidInput as exc:
                for key, errors in exc.errors.items():
                    for message in errors:
                        form.add_error(key if key in form.fields else None, message)
                messages.error(request, INVALID)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if fair is None:
                    messages.success(request, f"招聘会“{saved.name}”已创建。报名尚未开放：上传附件后点击“开放报名”。")
                else:
                    messages.success(request, "招聘会信息已保存。")
                return redirect("admin:portal_jobfair_change", fair_id=saved.pk)
        else:
            messages.error(request, INVALID)
        status = 400
    else:
        initial = {"date": timezone.localdate(clock.now())}
        if fair is not None:
            initial = {f: getattr(fair, f) for f in ("name", "date", "venue", "notes")}
        form = FairForm(initial=initial)
    counts = fair_list_for(request.user).filter(pk=fair.pk).first() if fair else None
    return TemplateResponse(request, "portal/desk/jobfair_form.html", _context(
        request, JobFair._meta, title=f"招聘会：{fair.name}" if fair else "新建招聘会", form=form, fair=fair,
        counts=counts, may_manage=may_manage, attachments=list(fair.attachments.all()) if fair else [],
        attachment_hint=ATTACHMENT_HINT, max_attachments=MAX_ATTACHMENTS,
        registrations_url=reverse("admin:portal_registration_changelist") + f"?fair={fair.pk}" if fair else ""),
        status=status)


@require_POST
def fair_open(request, fair_id):
    """开放报名 / 关闭报名."""
    _require(request, MANAGE_JOBFAIRS)
    is_open = request.POST.get("open") == "1"
    try:
        fair = set_registration_open(actor=request.user, fair_id=fair_id, is_open=is_open)
    except NotVisible:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{fair.name}”已{'开放报名：审核通过的企业现在可以报名' if is_open else '关闭报名'}。")
    return redirect("admin:portal_jobfair_change", fair_id=fair_id)


@require_POST
def attachment_add(request, fair_id):
    """Upload documents: the registration-form template (one; it replaces the mark) and others (several)."""
    _require(request, MANAGE_JOBFAIRS)
    uploads = [(f, True) for f in request.FILES.getlist("template")[:1]]
    uploads += [(f, False) for f in request.FILES.getlist("files")]
    if not uploads:
        messages.error(request, "请选择要上传的文件。")
    added = []
    for upload, is_template in uploads:
        try:
            attachment = add_fair_attachment(actor=request.user, fair_id=fair_id, upload=upload,
                                             is_form_template=is_template)
        except NotVisible:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, f"“{upload.name}”未上传：{_joined(exc)}")
        else:
            added.append(attachment.name + ("（报名表模板）" if is_template else ""))
    if added:
        messages.success(request, "已上传：" + "、".join(added))
    return redirect("admin:portal_jobfair_change", fair_id=fair_id)


@require_POST
def attachment_remove(request, fair_id, attachment_id):
    _require(request, MANAGE_JOBFAIRS)
    try:
        remove_fair_attachment(actor=request.user, fair_id=fair_id, attachment_id=attachment_id)
    except NotVisible:
        messages.error(request, "附件不存在或已被删除。")
    else:
        messages.success(request, "附件已删除。")
    return redirect("admin:portal_jobfair_change", fair_id=fair_id)


def attachment_file(request, fair_id, attachment_id):
    _require(request, VIEW_JOBFAIRS)
    try:
        attachment = readable_attachment(request.user, fair_id, attachment_id, timezone.localdate(clock.now()))
    except NotVisible:
        raise Http404 from None
    response = serve_private(attachment.path, filename=attachment.name, content_type=attachment.content_type)
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment")
    return response


# --- registrations (R-PT-18) -----------------------------------------------------------------
def _registration(request, registration_id) -> Registration:
    _require(request, VIEW_JOBFAIRS)
    try:
        return registration_for(request.user, registration_id)
    except NotVisible:
        raise Http404 from None


def registration_page(request, registration_id):
    registration = _registration(request, registration_id)
    attendees = list(registration.attendees.all())
    positions = list(registration.positions.select_related("education"))
    fields = [name for name, present in (("contact_phone", registration.contact_phone),
                                         ("attendees.phone", any(a.phone for a in attendees)),
                                         ("attendees.id_number", any(a.id_number for a in attendees))) if present]
    shown = custom_fields.visible("registration", request.user)
    fields += custom_fields.personal_shown("registration", registration, request.user, shown)
    reveal = pii.disclose(request.user, registration, fields=fields, asked=request.GET.get("pii") == "1",
                          request=request)
    events = timeline_of(registration)
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    may_review = request.user.has_perm(REVIEW_REGISTRATIONS) and registration.status == "pending"
    return TemplateResponse(request, "portal/desk/registration_page.html", _context(
        request, Registration._meta, title=f"招聘会报名：{registration.company_name}", registration=registration,
        attendees=attendees, positions=positions, reveal=reveal,
        can_reveal=pii.may_see(request.user) and not reveal, may_review=may_review, events=events,
        tone=REGISTRATION_TONES.get(registration.status, "grey"),
        is_pdf=registration.stamped_form_type == "application/pdf",
        headcount=sum(p.count for p in positions),
        custom_shown=custom_fields.display_rows("registration", registration.custom, shown, full=reveal),
        list_url=reverse("admin:portal_registration_changelist") + f"?fair={registration.fair_id}"))


@require_POST
def decide(request, registration_id):
    """审核通过 / 不通过 (a reason the enterprise sees); someone else's decision first → a message."""
    _require(request, REVIEW_REGISTRATIONS)
    approve = request.POST.get("decision") == "approve"
    try:
        registration = decide_registration(actor=request.user, registration_id=registration_id, approve=approve,
                                           reason=request.POST.get("reason", ""))
    except NotVisible:
        messages.error(request, "该报名已不存在（企业可能已撤回）。")
        return redirect("admin:portal_registration_changelist")
    except DomainError as exc:  # InvalidInput (no reason), StateConflict (decided already), ActionForbidden
        messages.error(request, ("未审核：" if isinstance(exc, InvalidInput) else "") + _joined(exc))
    else:
        messages.success(request, f"“{registration.company_name}”的报名已{'审核通过' if approve else '退回（不通过）'}。")
    return redirect("admin:portal_registration_change", registration_id=registration_id)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def stamped_form(request, registration_id):
    """The stamped registration form, shown inline in the registration's page (an
    image, or a PDF in a frame of our own origin); never sniffed into anything else."""
    registration = _registration(request, registration_id)
    return serve_private(registration.stamped_form_path, filename=registration.stamped_form_name,
                         content_type=registration.stamped_form_type or "application/octet-stream")


@require_POST
def export(request):
    """The chosen fair's enterprises and positions as Excel (R-PT-19): masked by default;
    whole with a reason for holders of ``core.export_pii``."""
    _require(request, VIEW_JOBFAIRS)
    fair_id = request.POST.get("fair", "")
    back = reverse("admin:portal_registration_changelist") + (f"?fair={fair_id}" if fair_id.isdigit() else "")
    if not fair_id.isdigit():
        messages.error(request, "请先选择一场招聘会再导出。")
        return redirect(back)
    full = request.POST.get("full") == "1"
    try:
        return fair_export_response(user=request.user, fair_id=int(fair_id), full=full,
                                    reason=request.POST.get("export_reason", ""),
                                    scope=request.POST.get("scope") or "approved", request=request)
    except NotVisible:
        raise Http404 from None
    except (ActionForbidden, InvalidInput) as exc:
        messages.error(request, "未导出：" + _joined(exc))
        return redirect(back)
