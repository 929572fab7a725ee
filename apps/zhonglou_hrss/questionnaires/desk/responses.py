"""Desk page of one response (R-PT-15, R-CR-06): the answers exactly as the
respondent saw them (its own version), the fraud signals explained, the
timeline, and the forms to mark it 有效 / 无效 and to correct its score —
both with a reason; the original score stays visible."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zhonglou_hrss.core.errors import DomainError, NotVisible
from zhonglou_hrss.questionnaires.models import Audience, Response
from zhonglou_hrss.questionnaires.rules import REVIEW
from zhonglou_hrss.questionnaires.selectors.definitions import definition_of
from zhonglou_hrss.questionnaires.selectors.forms import form_sections
from zhonglou_hrss.questionnaires.selectors.responses import response_for, timeline_of
from zhonglou_hrss.questionnaires.services.responses import correct, review

ACTIONS = {"submitted": "提交", "updated": "企业修改", "valid": "标记有效", "invalid": "标记无效",
           "corrected": "更正得分", "flagged": "风险提示"}


def _response(request, response_id) -> Response:
    try:
        return response_for(request.user, response_id)
    except NotVisible:
        raise Http404 from None


def page(request, response_id):
    response = _response(request, response_id)
    definition = definition_of(response.version)
    events = timeline_of(response)
    for event in events:
        event.label = ACTIONS.get(event.action, event.action)
    return TemplateResponse(request, "questionnaires/desk/response_page.html", {
        **admin.site.each_context(request), "opts": Response._meta, "title": f"答卷 {response.pk}",
        "response": response, "definition": definition, "sections": form_sections(definition, response.answers),
        "events": events, "may_review": request.user.has_perm(REVIEW)})


def as_seen(request, response_id):
    """The response on the respondent's own page (its version, its answers), read-only."""
    response = _response(request, response_id)
    definition = definition_of(response.version)
    sections = form_sections(definition, response.answers)
    context = {"preview": True, "seen": response, "definition": definition, "sections": sections, "errors": {}}
    if response.questionnaire.audience == Audience.EMPLOYEE:
        return render(request, "questionnaires/public/employee_form.html", {
            **context, "key": response.questionnaire.key, "enterprise": response.enterprise or {"name": "—"},
            "target": {"name": response.target.name}, "id_number": response.id_number_masked,
            "captcha": {"key": "", "image_url": ""}, "weui_css": ""})
    return render(request, "questionnaires/public/hr_form.html", {
        **context, "editable": True, "year": response.year, "target_name": response.target.name,
        "uscc": response.target.uscc, "portal_access": None, "help_phone": settings.PORTAL_HELP_PHONE})


def _done(request, response_id, action):
    try:
        action()
    except DomainError as exc:
        text = "；".join(m for ms in exc.errors.values() for m in ms) if getattr(exc, "errors", None) else exc.message
        messages.error(request, text)
    else:
        messages.success(request, "已保存，并记入处理记录。")
    return redirect("admin:questionnaires_response_page", response_id=response_id)


@require_POST
def review_view(request, response_id):
    response = _response(request, response_id)
    valid = {"1": True, "0": False}.get(request.POST.get("valid", ""))
    return _done(request, response.pk, lambda: review(actor=request.user, response_id=response.pk, valid=valid,
                                                      reason=request.POST.get("reason", "")))


@require_POST
def correct_view(request, response_id):
    response = _response(request, response_id)
    return _done(request, response.pk, lambda: correct(actor=request.user, response_id=response.pk,
                                                       score=request.POST.get("score", "").strip() or None,
                                                       reason=request.POST.get("reason", "")))
