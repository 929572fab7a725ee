"""Desk pages of what the responses add up to: the composites per year and HR
company with the responses behind them and the formula (R-CR-07, R-CR-09),
the Excel exports (``core.exports``: responses, composites), and the
per-enterprise QR posters of the employee page (R-CR-08, drawn by
``core.posters`` like kuaiban's)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import audit, clock, posters
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.core.models import ExportJob
from zhonglou_hrss.questionnaires.models import Audience, Questionnaire
from zhonglou_hrss.questionnaires.rules import EXPORT, POSTER, SCORE_FORMULA, VIEW_RESPONSES
from zhonglou_hrss.questionnaires.selectors.definitions import published_version
from zhonglou_hrss.questionnaires.selectors.hr_companies import approved_enterprises
from zhonglou_hrss.questionnaires.selectors.responses import composites, formula_of, years_with_responses

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"questionnaires_response": "问卷答卷", "questionnaires_composite": "问卷综合得分"}
INLINE_ROWS = 3000
POSTER_FORMATS = {"png": "image/png", "pdf": "application/pdf"}
POSTER_STEPS = (
    "1. 用微信或手机相机扫描上方二维码",
    "2. 选择派遣您的劳务派遣单位，如实回答问题",
    "3. 每人每年对同一单位评价一次，回答不会提供给任何单位",
)


def composites_page(request):
    if not request.user.has_perm(VIEW_RESPONSES):
        raise PermissionDenied("您没有查看问卷答卷的权限")
    questionnaires = list(Questionnaire.objects.order_by("key"))
    key = request.GET.get("questionnaire") or (questionnaires[0].key if questionnaires else "")
    questionnaire = next((q for q in questionnaires if q.key == key), None)
    years = years_with_responses(questionnaire) if questionnaire else []
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() else (years[0] if years else clock.now().year)
    rows = composites(questionnaire, year) if questionnaire else []
    # The scores behind each composite on the page while they are a readable few; beyond that each
    # company links to its responses in the review list (and the export has them all).
    inline = sum(c.responses for c in rows) <= INLINE_ROWS
    if inline and rows:
        rows = composites(questionnaire, year, with_rows=True)
    return TemplateResponse(request, "questionnaires/desk/composites.html", {
        **admin.site.each_context(request), "title": "问卷综合得分", "questionnaires": questionnaires,
        "questionnaire": questionnaire, "years": years or [year], "year": year, "rows": rows,
        "formula": formula_of(questionnaire) if questionnaire else "", "score_formula": SCORE_FORMULA,
        "may_export": request.user.has_perm(EXPORT), "inline": inline if questionnaire else True,
        "responses_link": reverse("admin:questionnaires_response_changelist") + "?" + urlencode(
            {"questionnaire__id__exact": questionnaire.pk if questionnaire else "", "year": year})})


@require_POST
def export_start(request):
    kind = request.POST.get("kind", "")
    if kind not in KINDS:
        raise Http404
    raw = {k: request.POST.get(k, "") for k in ("questionnaire", "year", "target_uscc", "valid", "flagged")}
    try:
        job = jobs.start_export(user=request.user, kind=kind, filters=raw, ip=audit.client_ip(request))
    except (InvalidInput, ActionForbidden) as exc:
        errors = getattr(exc, "errors", None)
        messages.error(request, "无法导出：" + ("；".join(m for ms in errors.values() for m in ms) if errors
                                               else exc.message))
        return redirect(request.META.get("HTTP_REFERER") or reverse("admin:questionnaires_composites"))
    return redirect("admin:questionnaires_export_job", job_id=job.pk)


def _job(request, job_id) -> ExportJob:
    try:
        job = jobs.job_for(request.user, job_id)
    except NotVisible:
        raise Http404 from None
    if job.kind not in KINDS:
        raise Http404
    return job


def export_job(request, job_id):
    job = _job(request, job_id)
    return TemplateResponse(request, "questionnaires/desk/export_job.html", {
        **admin.site.each_context(request), "title": f"导出{KINDS[job.kind]}", "job": job, "label": KINDS[job.kind]})


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
    stamp = timezone.localtime(job.finished_at or job.created_at)
    response = FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX,
                            filename=f"{KINDS[job.kind]}导出_{stamp:%Y%m%d_%H%M}.xlsx")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- posters (R-CR-08) ---------------------------------------------------------------------------
def _employee_key() -> str | None:
    for questionnaire in Questionnaire.objects.filter(audience=Audience.EMPLOYEE).order_by("key"):
        if published_version(questionnaire) is not None:
            return questionnaire.key
    return None


def _entry_url(request, key, uscc) -> str:
    url = request.build_absolute_uri(reverse("questionnaires:employee_entry", args=[key]))
    return f"{url}?enterprise={quote(uscc)}" if uscc else url


def _check_poster(request):
    if not request.user.has_perm(POSTER):
        raise PermissionDenied("您没有打印问卷二维码的权限")


def posters_page(request):
    _check_poster(request)
    key = _employee_key()
    items = []
    if key:
        items.append({"uscc": "general", "title": "通用（扫码后自行查找用工单位）", "url": _entry_url(request, key, "")})
        items += [{"uscc": e.uscc, "title": e.name, "url": _entry_url(request, key, e.uscc)}
                  for e in approved_enterprises().exclude(uscc__isnull=True).order_by("name")]
    return TemplateResponse(request, "questionnaires/desk/posters.html", {
        **admin.site.each_context(request), "title": "问卷二维码", "posters": items, "published": bool(key)})


def poster(request, uscc, fmt):
    _check_poster(request)
    key = _employee_key()
    if fmt not in POSTER_FORMATS or key is None:
        raise Http404
    name = "钟楼区各用工单位通用"
    if uscc != "general":
        enterprise = approved_enterprises().filter(uscc=uscc).first()
        if enterprise is None:
            raise Http404
        name = enterprise.name
    title = "劳务派遣单位评价 · 扫码填写"
    image = posters.draw_poster(posters.Poster(
        title=title, place=name, url=_entry_url(request, key, "" if uscc == "general" else uscc), steps=POSTER_STEPS,
        note="本问卷匿名，仅用于人社部门对劳务派遣单位的评价。咨询电话 12333。"))
    data = posters.poster_pdf(image, title=title) if fmt == "pdf" else posters.poster_png(image)
    response = HttpResponse(data, content_type=POSTER_FORMATS[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'问卷二维码-{name}.{fmt}')}"
    return response
