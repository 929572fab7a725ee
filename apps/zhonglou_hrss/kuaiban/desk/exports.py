"""Desk pages for exporting the case list and the petition list (R-KB-17, R-KB-15).

- ``start``: GET shows what will be exported (the list filters, in the API's
  names, from the query string) and lets the user pick a template and — with
  core.export_pii — a full export with its reason (``pii=full``,
  ``export_reason``: ``reason`` is a list filter, 案由);
  POST starts the export job (``core.exports.jobs.start_export``, which checks
  both) and goes to its page. The desk
  list's button posts straight to it with ``?<current filters>``; the petition
  list adds ``kind=kuaiban_petition`` (without ``kind``: the case list).
- ``job``: progress, then the download link; polls with htmx when the desk has
  it, else refreshes itself.
- ``download``: the file, for the job's own user only (anyone else: 404);
  never stored by a browser or proxy (``core.middleware.NoStoreMiddleware``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhonglou_hrss.core import audit, clock, pii
from zhonglou_hrss.core.desk import desk_required
from zhonglou_hrss.core.display import style_form
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.core.models import ExportJob, ExportTemplate
from zhonglou_hrss.kuaiban.exports import cases as case_exports
from zhonglou_hrss.kuaiban.exports import petitions as petition_exports

KIND = case_exports.KIND  # the default kind (the case list's button sends none)
# kind → (exporter, filter names a POST may override, what one row is)
DESK_KINDS = {
    case_exports.KIND: (case_exports.exporter, case_exports.FILTER_NAMES, "事件"),
    petition_exports.KIND: (petition_exports.exporter, petition_exports.FILTER_NAMES, "信访记录"),
}
HTMX = "vendor/htmx/htmx.min.js"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FullExportReasonForm(forms.Form):
    """The reason of a full export, shown to holders of core.export_pii (the
    choice itself is the page's 脱敏 / 完整 radio buttons, ``pii``); checked by
    ``jobs.start_export``."""

    export_reason = forms.CharField(  # jobs.REASON_FIELD
        label="完整导出的理由", required=False, max_length=jobs.REASON_MAX,
        widget=forms.TextInput(attrs={"placeholder": "如：市信访局来函核查，需核对身份", "form": "export-form"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


def _kind(request) -> str:
    kind = request.GET.get("kind") or KIND
    if kind not in DESK_KINDS:
        raise Http404
    return kind


def _filters_from(request, kind) -> dict:
    """Filters from the query string (the list's), overridden by posted fields."""
    merged = request.GET.copy()
    for name in DESK_KINDS[kind][1]:
        if name in request.POST:
            merged.setlist(name, request.POST.getlist(name))
    return merged


def _htmx_available() -> bool:
    return bool(finders.find(HTMX))


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


def _recent_jobs(user, kind):
    return ExportJob.objects.filter(user=user, kind=kind).order_by("-created_at", "-id")[:10]


def _labels(kind) -> dict:
    exporter, _, noun = DESK_KINDS[kind]
    return {"title": f"导出{exporter.label}", "noun": noun, "kind": kind,
            "kind_query": "" if kind == KIND else f"kind={kind}"}


@desk_required
@require_http_methods(["GET", "POST"])
def start(request):
    user = request.user
    kind = _kind(request)
    exporter = DESK_KINDS[kind][0]
    if not user.has_perm(exporter.permission):
        raise Http404
    raw = _filters_from(request, kind)
    if request.method == "POST":
        try:
            job = jobs.start_export(user=user, kind=kind, filters=raw, template_id=request.POST.get("template"),
                                    ip=audit.client_ip(request), full=request.POST.get("pii") == "full",
                                    reason=request.POST.get(jobs.REASON_FIELD))
        except (InvalidInput, ActionForbidden) as exc:
            errors = getattr(exc, "errors", None)
            text = "；".join(m for msgs in errors.values() for m in msgs) if errors else exc.message
            messages.error(request, f"无法导出：{text}")
            return redirect(f"{request.path}?{request.GET.urlencode()}")
        if getattr(job, "queue_unavailable", False):
            messages.warning(request, jobs.QUEUE_DOWN)
        return redirect("kuaiban_export:job", job_id=job.pk)
    error, count, filters = "", None, {}
    try:
        filters = exporter.clean_filters(raw)
        count = exporter.count(user, filters, now=clock.now())
    except InvalidInput as exc:
        error = "；".join(m for msgs in exc.errors.values() for m in msgs)
    templates = ExportTemplate.objects.filter(kind=kind, active=True).order_by("-is_default", "name", "id")
    return render(request, "kuaiban/desk/exports/start.html", _context(
        request, **_labels(kind), filters_text=exporter.describe_filters(filters), count=count, error=error,
        templates=templates, query=request.GET.urlencode(), recent=_recent_jobs(user, kind),
        reason_form=FullExportReasonForm() if pii.may_see(user, pii.EXPORT) else None,
    ))


def _job_or_404(request, job_id) -> ExportJob:
    try:
        job = jobs.job_for(request.user, job_id)
    except NotVisible:
        raise Http404 from None
    if job.kind not in DESK_KINDS:
        raise Http404
    return job


@desk_required
def job(request, job_id):
    job = _job_or_404(request, job_id)
    exporter = DESK_KINDS[job.kind][0]
    return render(request, "kuaiban/desk/exports/job.html", _context(
        request, **_labels(job.kind), job=job, filters_text=exporter.describe_filters(job.filters),
        htmx=_htmx_available(),
    ))


@desk_required
def job_status(request, job_id):
    """The progress block alone (htmx polls it)."""
    job = _job_or_404(request, job_id)
    return render(request, "kuaiban/desk/exports/job_status.html",
                  {"job": job, "htmx": _htmx_available(), **_labels(job.kind)})


@desk_required
def download(request, job_id):
    job = _job_or_404(request, job_id)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    try:
        path = jobs.export_path(job)
    except NotVisible:
        raise Http404 from None
    if not path.is_file():
        raise Http404
    stamp = timezone.localtime(job.finished_at or job.created_at)
    response = FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX,
                            filename=f"{DESK_KINDS[job.kind][0].label}导出_{stamp:%Y%m%d_%H%M}.xlsx")
    response["X-Content-Type-Options"] = "nosniff"
    return response
