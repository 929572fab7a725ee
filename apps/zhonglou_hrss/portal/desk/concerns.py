"""Desk page of one urgent concern (R-PT-16): the message, the sender's
mobile (masked unless revealed by who may see it: audited), the buttons of
the steps still ahead, and the timeline. The list is ``admin.concerns``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import custom_fields, pii
from zhonglou_hrss.core.errors import DomainError, NotVisible
from zhonglou_hrss.portal.models import Concern, ConcernStatus
from zhonglou_hrss.portal.selectors.concerns import concern_for, timeline_of
from zhonglou_hrss.portal.services.concerns import set_status
from zhonglou_hrss.portal.workflow import HANDLE_PERMISSION, TARGETS, TONES, next_statuses


def _concern(request, concern_id) -> Concern:
    try:
        return concern_for(request.user, concern_id)
    except NotVisible:
        raise Http404 from None


def detail(request, concern_id):
    concern = _concern(request, concern_id)
    shown = custom_fields.visible("concern", request.user)
    reveal = pii.disclose(request.user, concern, asked=request.GET.get("pii") == "1", request=request,
                          fields=["phone", *custom_fields.personal_shown("concern", concern, request.user, shown)])
    may_handle = request.user.has_perm(HANDLE_PERMISSION)
    actions = [{"status": s, "label": TARGETS[s], "primary": i == 0}
               for i, s in enumerate(next_statuses(concern.status))] if may_handle else []
    labels = dict(ConcernStatus.choices)
    events = timeline_of(concern)
    for event in events:
        event.label = "提交咨询" if not event.from_status else f"{labels.get(event.from_status)} → {labels.get(event.to_status)}"
    return TemplateResponse(request, "portal/desk/concern_page.html", {
        **admin.site.each_context(request), "opts": Concern._meta, "title": f"急难愁盼 {concern.number}",
        "concern": concern, "reveal": reveal, "can_reveal": pii.may_see(request.user) and not reveal,
        "actions": actions, "events": events, "tone": TONES.get(concern.status, "grey"),
        "custom_shown": custom_fields.display_rows("concern", concern.custom, shown, full=reveal),
    })


@require_POST
def act(request, concern_id):
    concern = _concern(request, concern_id)
    try:
        set_status(actor=request.user, concern_id=concern.pk, status=request.POST.get("status", ""),
                   note=request.POST.get("note", ""))
    except DomainError as exc:
        message = exc.message
        if getattr(exc, "errors", None):
            message = "；".join(m for ms in exc.errors.values() for m in ms)
        messages.error(request, message)
    else:
        messages.success(request, f"已标记为“{ConcernStatus(request.POST['status']).label}”。")
    return redirect("admin:portal_concern_change", concern_id=concern.pk)
