"""评价结果 in the desk (R-CR-07, R-CR-09, R-CR-10, R-CR-11): choose a year;
生成结果 makes a new version (who, when, the inputs' counts — never
overwriting); the versions; a version's rankings (credit score, grade, HR,
employee and questionnaire scores, total, the four ranks; filter by grade;
sort by any rank; paginated), the formula and weights it was computed with,
ECharts charts (companies per grade, total scores in bins), 发布 (freezes the
year; asked to confirm) and the Excel export in the government's format
(``exports.results``, the same file as the API's)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import DomainError, NotVisible
from zhonglou_hrss.credit.desk.common import require_any, text_of
from zhonglou_hrss.credit.exports.results import results_export_response
from zhonglou_hrss.credit.models import ResultVersion
from zhonglou_hrss.credit.rules import MANAGE_RESULTS, YEAR_MAX, YEAR_MIN
from zhonglou_hrss.credit.selectors.criteria import years_overview
from zhonglou_hrss.credit.selectors.results import (
    latest_year_with_results,
    ranked_rows,
    version_charts,
    version_for,
    versions_of,
)
from zhonglou_hrss.credit.services.results import generate_results, publish_results

ECHARTS = "vendor/echarts/echarts.min.js"
PAGE_SIZE = 50
SORTS = {"rank_total": "综合排名", "rank_credit": "信用排名", "rank_hr": "HR评价排名", "rank_employee": "员工评价排名"}
MESSAGE = "您没有管理信用评价结果的权限"


def _int(raw) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) <= 6 else None


def _year(request, years: list[int]) -> int:
    """The year asked for; else the latest year with results (a newly copied year has none yet), else the latest."""
    year = _int(request.GET.get("year") or request.POST.get("year"))
    if year is not None and YEAR_MIN <= year <= YEAR_MAX:
        return year
    return latest_year_with_results() or (years[0] if years else clock.now().year)


def _back(year, number=None) -> str:
    query = {"year": year, **({"version": number} if number else {})}
    return reverse("admin:credit_results") + "?" + urlencode(query)


def page(request):
    require_any(request, MANAGE_RESULTS, message=MESSAGE)
    schemes = list(years_overview())
    years = [s.year for s in schemes]
    year = _year(request, years)
    scheme = next((s for s in schemes if s.year == year), None)
    versions = list(versions_of(year))
    number = _int(request.GET.get("version"))
    grade = (request.GET.get("grade") or "")[:10]
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "rank_total"
    document, page_obj, charts = None, None, None
    if versions:
        try:
            version = version_for(request.user, year, number)
        except NotVisible:
            version = version_for(request.user, year)  # an unknown version number: the latest
        document = {"version": version.number, "published": version.published_at is not None,
                    "formula": version.formula, "weights": version.weights}
        # Paged in the database: a year of thousands of companies shows fifty at a time.
        page_obj = Paginator(ranked_rows(version, grade=grade, sort=sort), PAGE_SIZE).get_page(request.GET.get("page"))
        charts = version_charts(year, version.number)
    shown = next((v for v in versions if document and v.number == document["version"]), None)
    grades = [b.grade for b in scheme.grades.all()] if scheme else []
    base = {"year": year, **({"version": document["version"]} if document else {})}
    return TemplateResponse(request, "credit/desk/results.html", {
        **admin.site.each_context(request), "opts": ResultVersion._meta, "title": "信用评价结果",
        "years": years or [year], "year": year, "scheme": scheme, "versions": versions, "doc": document,
        "shown": shown, "page_obj": page_obj, "grade": grade, "grades": grades, "sort": sort, "sorts": SORTS,
        "charts": charts, "echarts": bool(finders.find(ECHARTS)),
        # The charts' figures in words, for screen readers (the canvas has none).
        "grade_summary": "，".join(f"{g} {n}家" for g, n in zip(charts["grades"], charts["grade_counts"],
                                                                   strict=True)) if charts else "",
        "histogram_summary": "，".join(f"{b}分 {n}家" for b, n in zip(charts["bins"], charts["bin_counts"],
                                                                    strict=True) if n) if charts else "",
        "frozen": bool(scheme and scheme.frozen), "weights": (document or {}).get("weights") or {},
        "filter_query": urlencode({**base, "sort": sort}), "sort_query": urlencode({**base, "grade": grade}),
        "page_query": urlencode({**base, "grade": grade, "sort": sort}),
        "export_query": urlencode({**base, "grade": grade}),
    })


@require_POST
def generate(request):
    require_any(request, MANAGE_RESULTS, message=MESSAGE)
    year = _year(request, [])
    try:
        version = generate_results(actor=request.user, year=year)
    except DomainError as exc:
        messages.error(request, f"未能生成结果：{text_of(exc)}")
        return redirect(_back(year))
    inputs = version.inputs
    messages.success(request, f"已生成{year}年度第{version.number}版结果：终评完成的申报{inputs.get('declarations', 0)}份，"
                              f"参评{inputs.get('rated', 0)}家，不参评{inputs.get('not_rated', 0)}家。")
    return redirect(_back(year, version.number))


@require_POST
def publish(request):
    require_any(request, MANAGE_RESULTS, message=MESSAGE)
    year = _year(request, [])
    number = _int(request.POST.get("version"))
    try:
        version = publish_results(actor=request.user, year=year, number=number)
    except DomainError as exc:
        messages.error(request, f"未能发布：{text_of(exc)}")
        return redirect(_back(year, number))
    messages.success(request, f"已发布{year}年度第{version.number}版结果，该年度的评价标准和评分已冻结。")
    return redirect(_back(year, version.number))


def export(request):
    require_any(request, MANAGE_RESULTS, message=MESSAGE)
    year = _year(request, [])
    try:
        return results_export_response(user=request.user, year=year, number=_int(request.GET.get("version")),
                                       grade=(request.GET.get("grade") or "")[:10], request=request)
    except NotVisible as exc:
        messages.error(request, f"无法导出：{exc.message}")
        return redirect(_back(year))
