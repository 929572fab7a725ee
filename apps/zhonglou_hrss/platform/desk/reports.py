"""Desk pages of the saved reports (inside the unfold site): the list of my
and shared reports, the builder (source → columns, filters, groups,
aggregates, sort; the result as a table and an ECharts chart at once; save
with a name and share with roles), a report's page, and its Excel export in
the government's layout through core's export jobs.

The builder's page talks to the platform API (``/api/v1/platform/reports/``:
sources, preview, save) with the desk session and its CSRF token; a report's
page is the same page, read-only for those who may not change it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import audit, pii
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.core.exports.jobs import REASON_FIELD
from zhonglou_hrss.core.models import ExportJob
from zhonglou_hrss.platform.exports.reports import KIND
from zhonglou_hrss.platform.models import SavedReport
from zhonglou_hrss.platform.rules import AGGREGATES, BUILD, CHARTS, MAX_GROUPS, OPS, OPS_BY_TYPE, ROW_CAP, TRUNCATIONS
from zhonglou_hrss.platform.selectors.reports import (
    may_change,
    report_document,
    report_for,
    report_list_for,
    shared_with_me,
)

ECHARTS = "vendor/echarts/echarts.min.js"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESK = "core.access_desk"


def _require_desk(request):
    if not request.user.has_perm(DESK):
        raise PermissionDenied("自定义报表只供工作台用户使用")


def _report(request, report_id) -> SavedReport:
    try:
        return report_for(request.user, report_id)
    except NotVisible:
        raise Http404("报表不存在或您无权查看") from None


def list_page(request):
    _require_desk(request)
    user = request.user
    reports = report_list_for(user).select_related("owner").prefetch_related("shared_with")
    shared_ids = set(shared_with_me(user).values_list("pk", flat=True))
    rows = [{"report": r, "doc": report_document(r, user), "shared": r.pk in shared_ids} for r in reports]
    return TemplateResponse(request, "platform/desk/report_list.html", {
        **admin.site.each_context(request), "title": "自定义报表", "opts": SavedReport._meta,
        "mine": [r for r in rows if r["doc"]["mine"]], "shared": [r for r in rows if r["shared"]],
        "others": [r for r in rows if not r["doc"]["mine"] and not r["shared"]],
        "may_build": user.has_perm(BUILD),
    })


def _config(request, report: SavedReport | None) -> dict:
    user = request.user
    editable = user.has_perm(BUILD) and (report is None or may_change(user, report))
    return {
        "api": reverse("platform-reports"), "sources": reverse("platform-report-sources"),
        "preview": reverse("platform-report-preview"),
        "run": reverse("platform-report-run", args=[report.pk]) if report else "",
        "report": report_document(report, user) if report else None,
        "editable": editable, "roles": sorted(Group.objects.values_list("name", flat=True)),
        "page": reverse("admin:platform_report_page", args=[0]),
        "ops": OPS, "ops_by_type": OPS_BY_TYPE, "aggregates": AGGREGATES, "charts": CHARTS,
        "truncations": TRUNCATIONS, "max_groups": MAX_GROUPS, "row_cap": ROW_CAP,
    }


def _page(request, report: SavedReport | None, title: str):
    _require_desk(request)
    return TemplateResponse(request, "platform/desk/report_builder.html", {
        **admin.site.each_context(request), "title": title, "opts": SavedReport._meta, "report": report,
        "config": _config(request, report), "echarts": bool(finders.find(ECHARTS)),
        "may_export_full": pii.may_see(request.user, pii.EXPORT), "reason_field": REASON_FIELD,
        "list_url": reverse("admin:platform_savedreport_changelist"),
    })


def builder(request):
    if not request.user.has_perm(BUILD):
        raise PermissionDenied("您没有构建自定义报表的权限")
    return _page(request, None, "新建自定义报表")


def report_page(request, report_id):
    report = _report(request, report_id)
    return _page(request, report, report.name)


@require_POST
def export_start(request, report_id):
    report = _report(request, report_id)
    full = request.POST.get("full") == "1"
    try:
        job = jobs.start_export(user=request.user, kind=KIND, filters={"report": report.pk},
                                ip=audit.client_ip(request), full=full, reason=request.POST.get(REASON_FIELD, ""))
    except (InvalidInput, ActionForbidden) as exc:
        errors = getattr(exc, "errors", None)
        messages.error(request, "无法导出：" + ("；".join(m for ms in errors.values() for m in ms) if errors
                                               else exc.message))
        return redirect("admin:platform_report_page", report_id=report.pk)
    return redirect("admin:platform_report_export_job", job_id=job.pk)


def _job(request, job_id) -> ExportJob:
    try:
        job = jobs.job_for(request.user, job_id)
    except NotVisible:
        raise Http404 from None
    if job.kind != KIND:
        raise Http404
    return job


def export_job(request, job_id):
    job = _job(request, job_id)
    report = SavedReport.objects.filter(pk=job.filters.get("report")).first()
    return TemplateResponse(request, "platform/desk/export_job.html", {
        **admin.site.each_context(request), "title": f"导出报表：{report.name if report else '（已删除）'}",
        "job": job, "report": report})


def export_download(request, job_id):
    job = _job(request, job_id)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    try:
        path = jobs.export_path(job)
    except NotVisible:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    report = SavedReport.objects.filter(pk=job.filters.get("report")).first()
    stamp = timezone.localtime(job.finished_at or job.created_at)
    response = FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX,
                            filename=f"{report.name if report else '自定义报表'}_{stamp:%Y%m%d_%H%M}.xlsx")
    response["X-Content-Type-Options"] = "nosniff"
    return response
