"""Desk pages of the figures: the one map (一张图, R-KB-18) and the analysis
(数据分析, R-KB-19), their Excel files, the district boundary (served, and
replaceable by the admin), and the two case-list filters the figures link to
(统计网格, 登记年份), so a number and the list behind it agree.

Every figure comes from ``kuaiban.stats`` (SQL aggregates over what the user
may see). Mounted at ``desk/kuaiban/stats/`` (``urls_stats``); each view is
wrapped by the desk's ``admin_view`` (sign-in + desk access).
"""

from __future__ import annotations

import datetime as dt

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
from zhonglou_hrss.kuaiban import map_boundary, stats, stats_exports

ECHARTS = "vendor/echarts/echarts.min.js"
BOUNDARY_PERM = "core.change_grid"  # who keeps the grid settings keeps the map
COMPLETED_STATUSES = "grid_resolved,closed"
YEAR_RANGE = (2000, 2100)
# Defaults of the site config's [map] section (siteconf.create_site writes the same).
MAP_DEFAULTS = {
    "tiles_enabled": False,
    "tile_url": "https://t{s}.tianditu.gov.cn/DataServer?T={layer}_w&x={x}&y={y}&l={z}&tk={key}",
    "tile_subdomains": "01234567",
    "tile_layers": ["vec", "cva"],
    "tile_key": "",
}


# --- case-list filters (kuaiban.admin.CaseAdmin) ---------------------------------------------
class StatGridFilter(admin.SimpleListFilter):
    """The figures' grid: the attributed grid once set, else the current grid."""

    title = "统计网格"
    parameter_name = "stat_grid"

    def lookups(self, request, model_admin):
        return [(g.code, g.name) for g in stats.grids_in_scope(request.user)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(stats.stat_grid_q(self.value(), request.user))
        return queryset


class YearFilter(admin.SimpleListFilter):
    """The year of registration in Asia/Shanghai, as the figures count it."""

    title = "登记年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = stats.data_years(request.user)
        chosen = _parse_year(self.value())
        if chosen and chosen not in years:
            years = sorted({*years, chosen}, reverse=True)
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        year = _parse_year(self.value())
        if year is None:
            return queryset.none()  # a bad year matches nothing rather than everything
        start, end = stats.year_bounds(year)
        return queryset.filter(created_at__gte=start, created_at__lt=end)


# --- helpers -------------------------------------------------------------------------------------
def _parse_year(raw) -> int | None:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def _year(request) -> tuple[int, str]:
    raw = request.GET.get("year", "").strip()
    if not raw:
        return stats.this_year(), ""
    year = _parse_year(raw)
    if year is None:
        return stats.this_year(), f"年份“{raw}”有误（须为 {YEAR_RANGE[0]} 至 {YEAR_RANGE[1]} 之间的四位数字），已显示今年的数据。"
    return year, ""


def _require_stats(request):
    if not stats.can_view_stats(request.user):
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


def _echarts_available() -> bool:
    return bool(finders.find(ECHARTS))


def _year_choices(user, year) -> list[int]:
    years = stats.data_years(user)
    return sorted({*years, year}, reverse=True)


def _export_links(year: int, *tables) -> dict:
    return {t: reverse("kuaiban_stats:export", args=[t]) + f"?year={year}" for t in tables}


# --- 一张图 ----------------------------------------------------------------------------------------
def map_page(request):
    _require_stats(request)
    user = request.user
    year, year_error = _year(request)
    figures = stats.map_figures(user, year)
    grid_pks = {g.code: g.pk for g in stats.grids_in_scope(user)}
    can_petitions = user.has_perm("kuaiban.view_petition")
    rows = []
    for g in figures["grids"]:
        rows.append({
            **g,
            "rate": stats._rate(g["cases_completed"], g["cases_received"]),
            "list_url": _case_list(stat_grid=g["code"], year=year),
            "completed_url": _case_list(stat_grid=g["code"], year=year, status__in=COMPLETED_STATUSES),
            "petitions_url": _petition_list(grid_pks.get(g["code"]), year) if can_petitions else "",
            "petitions_completed_url": (_petition_list(grid_pks.get(g["code"]), year, completed="true")
                                        if can_petitions else ""),
        })
    totals = figures["totals"]
    boundary = map_boundary.current()
    config = {
        "year": year,
        "grids": [{k: r[k] for k in ("code", "name", "kind", "lat", "lng", "cases_received", "cases_completed",
                                     "cases_invalid", "petitions", "petitions_completed", "list_url")}
                  for r in rows],
        "totals": totals,
        "boundaryUrl": reverse("kuaiban_stats:boundary") + (f"?v={int(boundary.modified_at)}"
                                                            if boundary.modified_at else ""),
        "apiUrl": reverse("api-kuaiban-stats-map") + f"?year={year}",
        "tiles": tile_config(),
    }
    return TemplateResponse(request, "kuaiban/stats/map.html", _context(
        request, title="一张图", year=year, year_error=year_error, years=_year_choices(user, year), rows=rows,
        totals=totals, totals_rate=stats._rate(totals["cases_completed"], totals["cases_received"]),
        all_cases_url=_case_list(year=year), config=config, echarts=_echarts_available(),
        definitions=stats.definitions(), exports=_export_links(year, "map"),
        can_change_boundary=user.has_perm(BOUNDARY_PERM), boundary_uploaded=boundary.uploaded,
        grid_worker_only=not user.has_perm("kuaiban.view_all_cases"),
    ))


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
    data = stats.analysis(user, year)
    grid_pks = {g.code: g.pk for g in stats.grids_in_scope(user)}
    yearly_rows = _yearly_pivot(stats.yearly_by_grid(user))
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
    return TemplateResponse(request, "kuaiban/stats/analysis.html", _context(
        request, title="数据分析", year=year, year_error=year_error, years=_year_choices(user, year),
        years_with_data=data["yearly"]["years"], yearly_rows=yearly_rows, monthly_rows=monthly_rows,
        month_totals={**month_totals, "received_sum": sum(month_totals["received"]),
                      "completed_sum": sum(month_totals["completed"])},
        months=range(1, 13), ranking=ranking, overdue=overdue, overdue_total=sum(r["overdue"] for r in overdue),
        min_cases=stats.MIN_CASES_TO_RANK, config=config, echarts=_echarts_available(),
        definitions=stats.definitions(),
        exports=_export_links(year, "yearly", "monthly", "ranking", "overdue"),
        overdue_days=settings.KUAIBAN_OVERDUE_DAYS,
    ))


# --- Excel ------------------------------------------------------------------------------------------
def export_table(request, table):
    _require_stats(request)
    build = stats_exports.TABLES.get(table)
    if build is None:
        raise Http404
    year, year_error = _year(request)
    if year_error:
        messages.error(request, year_error)
        return redirect(reverse("kuaiban_stats:analysis"))
    user = request.user
    data = build(user, year)
    content = stats_exports.workbook_bytes(data, year, user)
    audit.record(AuditLog.Action.EXPORT, request=request, target_repr=f"统计导出：{stats_exports.title_of(data, year)}",
                 detail={"kind": "kuaiban_stats", "table": table, "year": year if data.yearly else None,
                         "rows": len(data.rows) - data.total_rows, "format": "xlsx"})
    response = HttpResponse(content, content_type=stats_exports.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, stats_exports.filename_of(data, year))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the district boundary ---------------------------------------------------------------------------
def boundary_geojson(request):
    """The boundary the map draws (the uploaded one, else the shipped one)."""
    _require_stats_or_boundary(request)
    response = HttpResponse(map_boundary.current_bytes(), content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _require_stats_or_boundary(request):
    if not (stats.can_view_stats(request.user) or request.user.has_perm(BOUNDARY_PERM)):
        raise PermissionDenied("您没有查看统计数据的权限")


@require_http_methods(["GET", "POST"])
def boundary_page(request):
    """Replace the district boundary with an uploaded GeoJSON, or go back to the shipped one."""
    if not request.user.has_perm(BOUNDARY_PERM):
        raise PermissionDenied("只有可以维护网格设置的用户才能更换区界地图")
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            if map_boundary.remove_uploaded():
                audit.record(AuditLog.Action.IMPORT, request=request, target_repr="区界地图：恢复系统自带",
                             detail={"kind": "map_boundary", "action": "reset"})
                messages.success(request, "已恢复为系统自带的钟楼区区界。")
            return redirect("kuaiban_stats:boundary_upload")
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要上传的 GeoJSON 文件"
        elif upload.size > map_boundary.MAX_BYTES:
            error = f"文件不能超过 {map_boundary.MAX_BYTES // 1024 // 1024} MB"
        else:
            try:
                collection = map_boundary.parse_boundary(upload.read())
            except InvalidInput as exc:
                error = "；".join(exc.errors.get("file", [exc.message]))
            else:
                map_boundary.save_uploaded(collection)
                audit.record(AuditLog.Action.IMPORT, request=request, target_repr="区界地图：上传替换",
                             detail={"kind": "map_boundary", "action": "upload", "filename": upload.name[:200],
                                     "features": len(collection["features"]), "bytes": upload.size})
                messages.success(request, f"已更换区界地图（{len(collection['features'])} 个区域）。")
                return redirect("kuaiban_stats:boundary_upload")
        messages.error(request, f"区界地图未更换：{error}")
    boundary = map_boundary.current()
    modified = (timezone.localtime(dt.datetime.fromtimestamp(boundary.modified_at, tz=dt.timezone.utc))
                if boundary.modified_at else None)
    return TemplateResponse(request, "kuaiban/stats/boundary.html", _context(
        request, title="区界地图", boundary=boundary, modified=modified, upload_error=error,
        fixture_name=map_boundary.FIXTURE.name, max_mb=map_boundary.MAX_BYTES // 1024 // 1024,
        can_view_map=stats.can_view_stats(request.user),
    ), status=400 if error else 200)
