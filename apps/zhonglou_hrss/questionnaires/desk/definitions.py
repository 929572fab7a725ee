"""Desk pages of a definition: a new draft version, publishing, the preview
exactly as respondents see it (the answer pages' own templates), and the
Excel export and import (``services.xlsform``)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import captcha, clock
from zhonglou_hrss.core.errors import DomainError
from zhonglou_hrss.questionnaires.models import Questionnaire, Version
from zhonglou_hrss.questionnaires.rules import EMPLOYEE, MANAGE, VIEW
from zhonglou_hrss.questionnaires.selectors.definitions import build_definition
from zhonglou_hrss.questionnaires.selectors.forms import form_sections
from zhonglou_hrss.questionnaires.services import definitions as services
from zhonglou_hrss.questionnaires.services.xlsform import import_workbook, workbook_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request, perm):
    if not (request.user.has_perm(perm) or (perm == VIEW and request.user.has_perm(MANAGE))):
        raise PermissionDenied("您没有编辑问卷的权限" if perm == MANAGE else "您没有查看问卷的权限")


def _message(exc: DomainError) -> str:
    if getattr(exc, "errors", None):
        return "；".join(m for ms in exc.errors.values() for m in ms)
    return exc.message


@require_POST
def new_draft(request, questionnaire_id):
    _check(request, MANAGE)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    version = services.new_draft(actor=request.user, questionnaire_id=questionnaire.pk)
    messages.success(request, f"草稿第{version.number}版已就绪，可以修改。")
    return redirect("admin:questionnaires_version_change", version.pk)


@require_POST
def publish(request, version_id):
    _check(request, MANAGE)
    version = get_object_or_404(Version, pk=version_id)
    try:
        services.publish(actor=request.user, version_id=version.pk)
    except DomainError as exc:
        messages.error(request, f"不能发布：{_message(exc)}")
        return redirect("admin:questionnaires_version_change", version.pk)
    messages.success(request, f"第{version.number}版已发布：新的答卷都使用这一版，此前的答卷仍按原版本显示和计分。")
    return redirect("admin:questionnaires_questionnaire_change", version.questionnaire_id)


def preview(request, version_id):
    """The version exactly as respondents see it: the answer page's own template, sample answers none."""
    _check(request, VIEW)
    version = get_object_or_404(Version.objects.select_related("questionnaire"), pk=version_id)
    definition = build_definition(version)
    sections = form_sections(definition)
    year = clock.now().year
    if version.questionnaire.audience == EMPLOYEE:
        return render(request, "questionnaires/public/employee_form.html", {
            "preview": True, "definition": definition, "sections": sections, "key": version.questionnaire.key,
            "enterprise": {"name": "（示例）某用工单位"}, "target": {"name": "（示例）某劳务派遣有限公司"},
            "captcha": captcha.new_challenge().as_dict(), "errors": {}, "weui_css": ""})
    return render(request, "questionnaires/public/hr_form.html", {
        "preview": True, "definition": definition, "sections": sections, "editable": True, "year": year,
        "target_name": "（示例）某劳务派遣有限公司", "uscc": "91320404XXXXXXXXXX", "errors": {},
        "portal_access": None, "help_phone": settings.PORTAL_HELP_PHONE})


def export_excel(request, version_id):
    _check(request, VIEW)
    version = get_object_or_404(Version.objects.select_related("questionnaire"), pk=version_id)
    response = HttpResponse(workbook_of(version), content_type=XLSX)
    filename = f"问卷-{version.questionnaire.key}-第{version.number}版.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def import_excel(request, questionnaire_id):
    _check(request, MANAGE)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = ["请选择要导入的 Excel 文件"]
        else:
            try:
                version = import_workbook(actor=request.user, questionnaire_id=questionnaire.pk, data=upload.read())
            except DomainError as exc:
                errors = [m for ms in exc.errors.values() for m in ms] if getattr(exc, "errors", None) else [exc.message]
            else:
                messages.success(request, f"已导入为草稿第{version.number}版，请预览核对后发布。")
                return redirect("admin:questionnaires_version_change", version.pk)
    elif request.method != "GET":
        raise Http404
    return TemplateResponse(request, "questionnaires/desk/import.html", {
        **admin.site.each_context(request), "title": f"导入问卷：{questionnaire.title}", "questionnaire": questionnaire,
        "errors": errors, "opts": Questionnaire._meta})
