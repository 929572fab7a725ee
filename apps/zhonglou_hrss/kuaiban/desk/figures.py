"""Desk pages of the figures: the one map (一张图, R-KB-18) and the analysis
(数据分析, R-KB-19), their Excel files, and the district boundary (served,
and replaceable by the admin). Each number links to the case list behind it
(the list's 统计网格 and 登记年份 filters, ``admin.cases``), so a number and
its list agree.

Every figure comes from ``selectors.figures`` (SQL aggregates over what the
user may see). Mounted at ``desk/kuaiban/stats/`` (``desk.urls``); each view
is wrapped by the desk's ``admin_view`` (sign-in + desk access).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_http_methods

from zhonglou_hrss.core import audit
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.models import CaseStatus
from zhonglou_hrss.kuaiban.reports import figures as tables
from zhonglou_hrss.kuaiban.rules import (
    MIN_CASES_TO_RANK,
    YEAR_MAX,
    YEAR_MIN,
    completion_rate,
    figure_definitions,
    parse_year,
    this_year,
)
from zhonglou_hrss.kuaiban.selectors import boundary, figures
from zhonglou_hrss.kuaiban.selectors.people import can_view_stats
from zhonglou_hrss.kuaiban.services import boundary as boundary_service
from zhonglou_hrss.kuaiban.workflow import COMPLETED_STATES

ECHARTS = "vendor/echarts/echarts.min.js"
BOUNDARY_PERM = boundary_service.PERMISSION  # who keeps the grid settings keeps the map
COMPLETED_STATUSES = ",".join(s for s in CaseStatus.values if s in COMPLETED_STATES)  # grid_resolved,closed
# Defaults of the site config's [map] section (siteconf.create_site writes the same).
MAP_DEFAULTS = {
    "tiles_enabled": False,
    "tile_url": "https://t{s}.tianditu.gov.cn/DataServer?T={layer}_w&x={x}&y={y}&l={z}&tk={key}",
    "tile_subdomains": "01234567",
    "tile_layers": ["vec", "cva"],
    "tile_key": "",
}


# --- helpers -------------------------------------------------------------------------------------
def _year(request) -> tuple[int, str]:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return this_year(), ""
    year = parse_year(raw)
    if year is None:
        return this_year(), f"年份“{raw}”有误（须为 {YEAR_MIN} 至 {YEAR_MAX} 之间的四位数字），已显示今年的数据。"
    return year, ""


def _require_stats(request):
    if not can_view_stats(request.user):
        raise PermissionDenied("您没有查看统计数据的权限")


def _context(request, **extra):
    return {**admin.site.each_context(request), **extra}


def _case_list(**params) -> str:
    return reverse("admin:kuaiban_case_changelist") + "?" + urlencode(params)


def _petition_list(grid_pk, year, **params) -> str:
    query = {"grid__id__exact": grid_pk, "created_at_from": f"{year}-01-01", "created_at_to": f"{year}-12-31",
             **params}
    return reverse("admin:kuaiban_petition_changelist") + "?" + urlencode(query)


def map_settings() -> dict:
    return {**MAP_DEFAULTS, **(getattr(settings, "MAP_SETTINGS", None) or {})}


def tile_config() -> dict | None:
    """The base-map tiles for the page, or None (the default: no request leaves the LAN)."""
    conf = map_settings()
    if not conf.get("tiles_enabled"):
        return None
    layers = conf.get("tile_layers") or [""]
    return {
        "url": str(conf.get("tile_url") or ""),
        "subdomains": str(conf.get("tile_subdomains") or ""),
        "layers": [str(layer) for layer in (layers if isinstance(layers, list) else [layers])],
        "key": str(conf.get("tile_key") or ""),
    }


def tile_origins(tiles: dict | None) -> list[str]:
    """The hosts the map page loads its tiles from ({s} expanded: t0…t7.tianditu.gov.cn),
    added to that page's Content-Security-Policy img-src; none for tiles on this site."""
    if not tiles:
        return []
    origins = []
    for sub in tiles["subdomains"] or [""]:
        parts = urlsplit(tiles["url"].replace("{s}", sub))
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def _echarts_available() -> bool:
    return bool(finders.find(ECHARTS))


def _year_choices(user, year) -> list[int]:
    years = figures.data_years(user)
    return sorted({*years, year}, reverse=True)


def _export_links(year: int, *tables) -> dict:
    return {t: reverse("kuaiban_stats:export", args=[t]) + f"?year={year}" for t in tables}


# --- 一张图 ----------------------------------------------------------------------------------------
def map_page(request):
    _require_stats(request)
    user = request.user
    year, year_error = _year(request)
    shown = figures.map_figures(user, year)
    grid_pks = {g.code: g.pk for g in figures.grids_in_scope(user)}
    can_petitions = user.has_perm("kuaiban.view_petition")
    rows = []
    for g in shown["grids"]:
        rows.append({
            **g,
            "rate": completion_rate(g["cases_completed"], g["cases_received"]),
            "list_url": _case_list(stat_grid=g["code"], year=year),
            "completed_url": _case_list(stat_grid=g["code"], year=year, status__in=COMPLETED_STATUSES),
            "petitions_url": _petition_list(grid_pks.get(g["code"]), year) if can_petitions else "",
            "petitions_completed_url": (_petition_list(grid_pks.get(g["code"]), year, completed="true")
                                        if can_petitions else ""),
        })
    totals = shown["totals"]
    shown = boundary.current()
    config = {
        "year": year,
        "grids": [{k: r[k] for k in ("code", "name", "kind", "lat", "lng", "cases_received", "cases_completed",
                                     "cases_invalid", "petitions", "petitions_completed", "list_url")}
                  for r in rows],
        "totals": totals,
        "boundaryUrl": reverse("kuaiban_stats:boundary") + (f"?v={int(shown.modified_at)}"
                                                            if shown.modified_at else ""),
        "apiUrl": reverse("api-kuaiban-stats-map") + f"?year={year}",
        "tiles": tile_config(),
    }
    response = TemplateResponse(request, "kuaiban/desk/figures/map.html", _context(
        request, title="一张图", year=year, year_error=year_error, years=_year_choices(user, year), rows=rows,
        totals=totals, totals_rate=completion_rate(totals["cases_completed"], totals["cases_received"]),
        all_cases_url=_case_list(year=year), config=config, echarts=_echarts_available(),
        definitions=figure_definitions(), exports=_export_links(year, "map"),
        can_change_boundary=user.has_perm(BOUNDARY_PERM), boundary_uploaded=shown.uploaded,
        grid_worker_only=not user.has_perm("kuaiban.view_all_cases"),
    ))
    origins = tile_origins(config["tiles"])
    if origins:
        # What django-csp's @csp_update does, with the hosts of this site's config.
        response._csp_update = {"img-src": origins}
    return response


# --- 数据分析 -------------------------------------------------------------------------------------
def _yearly_pivot(yearly: dict) -> list[dict]:
    by_grid: dict[str, dict] = {}
    for r in yearly["rows"]:
        row = by_grid.setdefault(r.code, {"code": r.code, "name": r.name, "cells": []})
        row["cells"].append({"year": r.year, "received": r.received, "completed": r.completed, "rate": r.rate})
    return list(by_grid.values())


def analysis_page(request):
    _require_stats(request)
    user = request.user
    year, year_error = _year(request)
    data = figures.analysis(user, year)
    grid_pks = {g.code: g.pk for g in figures.grids_in_scope(user)}
    yearly_rows = _yearly_pivot(figures.yearly_by_grid(user))
    for row in yearly_rows:
        for cell in row["cells"]:
            cell["list_url"] = _case_list(stat_grid=row["code"], year=cell["year"])
    monthly = data["monthly"]["grids"]
    month_totals = {
        "received": [sum(g["received"][m] for g in monthly) for m in range(12)],
        "completed": [sum(g["completed"][m] for g in monthly) for m in range(12)],
    }
    monthly_rows = [{**g, "received_sum": sum(g["received"]), "completed_sum": sum(g["completed"])}
                    for g in monthly]
    ranking = [{**r, "list_url": _case_list(stat_grid=r["code"], year=year)} for r in data["ranking"]]
    overdue = [{**r, "list_url": _case_list(overdue="true", grid__id__exact=grid_pks.get(r["code"]))}
               for r in data["overdue"]]
    config = {"year": year, "yearly": data["yearly"], "monthly": data["monthly"], "monthTotals": month_totals}
    return TemplateResponse(request, "kuaiban/desk/figures/analysis.html", _context(
        request, title="数据分析", year=year, year_error=year_error, years=_year_choices(user, year),
        years_with_data=data["yearly"]["years"], yearly_rows=yearly_rows, monthly_rows=monthly_rows,
        month_totals={**month_totals, "received_sum": sum(month_totals["received"]),
                      "completed_sum": sum(month_totals["completed"])},
        months=range(1, 13), ranking=ranking, ranked=data["ranked"], overdue=overdue, overdue_total=sum(r["overdue"] for r in overdue),
        min_cases=MIN_CASES_TO_RANK, config=config, echarts=_echarts_available(),
        definitions=figure_definitions(),
        exports=_export_links(year, "yearly", "monthly", "ranking", "overdue"),
        overdue_days=settings.KUAIBAN_OVERDUE_DAYS,
    ))


# --- Excel ------------------------------------------------------------------------------------------
def export_table(request, table):
    _require_stats(request)
    build = tables.TABLES.get(table)
    if build is None:
        raise Http404
    year, year_error = _year(request)
    if year_error:
        messages.error(request, year_error)
        return redirect(reverse("kuaiban_stats:analysis"))
    user = request.user
    data = build(user, year)
    content = tables.workbook_bytes(data, year, user)
    audit.record(AuditLog.Action.EXPORT, request=request, target_repr=f"统计导出：{tables.title_of(data, year)}",
                 detail={"kind": "kuaiban_stats", "table": table, "year": year if data.yearly else None,
                         "rows": len(data.rows) - data.total_rows, "format": "xlsx"})
    response = HttpResponse(content, content_type=tables.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, tables.filename_of(data, year))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the district boundary ---------------------------------------------------------------------------
def boundary_geojson(request):
    """The boundary the map draws (the uploaded one, else the shipped one)."""
    _require_stats_or_boundary(request)
    response = HttpResponse(boundary.current_bytes(), content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _require_stats_or_boundary(request):
    if not (can_view_stats(request.user) or request.user.has_perm(BOUNDARY_PERM)):
        raise PermissionDenied("您没有查看统计数据的权限")


@require_http_methods(["GET", "POST"])
def boundary_page(request):
    """Replace the district boundary with an uploaded GeoJSON, or go back to the shipped one."""
    if not request.user.has_perm(BOUNDARY_PERM):
        raise PermissionDenied("只有可以维护网格设置的用户才能更换区界地图")
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            if boundary_service.reset_boundary(actor=request.user):
                messages.success(request, "已恢复为系统自带的钟楼区区界。")
            return redirect("kuaiban_stats:boundary_upload")
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要上传的 GeoJSON 文件"
        elif upload.size > boundary_service.MAX_BYTES:
            error = f"文件不能超过 {boundary_service.MAX_BYTES // 1024 // 1024} MB"
        else:
            try:
                areas = boundary_service.replace_boundary(actor=request.user, content=upload.read(),
                                                          filename=upload.name)
            except InvalidInput as exc:
                error = "；".join(exc.errors.get("file", [exc.message]))
            else:
                messages.success(request, f"已更换区界地图（{areas} 个区域）。")
                return redirect("kuaiban_stats:boundary_upload")
        messages.error(request, f"区界地图未更换：{error}")
    shown = boundary.current()
    modified = (timezone.localtime(dt.datetime.fromtimestamp(shown.modified_at, tz=dt.timezone.utc))
                if shown.modified_at else None)
    return TemplateResponse(request, "kuaiban/desk/figures/boundary.html", _context(
        request, title="区界地图", boundary=shown, modified=modified, upload_error=error,
        fixture_name=boundary.FIXTURE.name, max_mb=boundary_service.MAX_BYTES // 1024 // 1024,
        can_view_map=can_view_stats(request.user),
    ), status=400 if error else 200)
