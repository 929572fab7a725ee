"""Desk pages of talent demands (R-PT-13, 14): one demand whole (positions,
majors, services, the outcome, the timeline) with 审核通过 / 不通过 (a reason
required; post, then redirect; a decision that lost a race is shown as a
message), and the statistics page — a period, the counts and satisfaction,
an ECharts chart and a table per dimension, the enterprises, the
definitions — with its Excel export (audited). The list is ``admin.demands``.
"""

from __future__ import annotations

from datetime import date

from django.contrib import admin, messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zhonglou_hrss.core import audit, clock, custom_fields, pii
from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.core.navigation import enterprise_page
from zhonglou_hrss.portal.models import Demand, DemandStatus
from zhonglou_hrss.portal.reports import demands as report
from zhonglou_hrss.portal.rules import REVIEW_DEMANDS, VIEW_DEMANDS
from zhonglou_hrss.portal.selectors.demands import DEFINITIONS, demand_for, demand_statistics, timeline_of, with_rows
from zhonglou_hrss.portal.services.demands import decide_demand
from zhonglou_hrss.portal.workflow import DEMAND_EVENT_LABELS, DEMAND_TONES, demand_error

ECHARTS = "vendor/echarts/echarts.min.js"
OUTCOME_TONES = {"completed": "green", "partial": "amber"}


def _require_view(request):
    if not request.user.has_perm(VIEW_DEMANDS):
        raise PermissionDenied


def _demand(request, demand_id) -> Demand:
    _require_view(request)
    try:
        visible = demand_for(request.user, demand_id)
    except NotVisible:
        raise Http404 from None
    return with_rows(Demand.objects.filter(pk=visible.pk)).select_related("enterprise", "account__user",
                                                                          "decided_by").get()


def detail(request, demand_id):
    demand = _demand(request, demand_id)
    shown = custom_fields.visible("demand", request.user)
    reveal = pii.disclose(request.user, demand, asked=request.GET.get("pii") == "1", request=request,
                          fields=["contact_phone", *custom_fields.personal_shown("demand", demand, request.user, shown)])
    may_decide = request.user.has_perm(REVIEW_DEMANDS) and demand_error("approve", demand.status) is None
    labels = dict(DemandStatus.choices)
    events = timeline_of(demand)
    for event in events:
        event.label = DEMAND_EVENT_LABELS.get(event.action, event.action)
        if event.from_status and event.from_status != event.to_status:
            event.move = f"{labels.get(event.from_status, event.from_status)} → {labels.get(event.to_status)}"
    positions = list(demand.positions.all())
    return TemplateResponse(request, "portal/desk/demand_page.html", {
        **admin.site.each_context(request), "opts": Demand._meta, "title": f"人才需求 {demand.company_name}",
        "demand": demand, "positions": positions, "services": [s.service.label for s in demand.services.all()],
        "requested": sum(p.headcount for p in positions),
        "hired": sum(p.hired or 0 for p in positions) if demand.outcome else None,
        "reveal": reveal, "can_reveal": pii.may_see(request.user) and not reveal,
        "may_decide": may_decide, "events": events, "tone": DEMAND_TONES.get(demand.status, "grey"),
        "outcome_tone": OUTCOME_TONES.get(demand.outcome, "grey"),
        "enterprise_url": enterprise_page(demand.enterprise.uscc) if demand.enterprise.uscc else "",
        "reason": request.session.pop("demand_reject_reason", ""),
        "custom_shown": custom_fields.display_rows("demand", demand.custom, shown, full=reveal),
    })


@require_POST
def decide(request, demand_id):
    demand = _demand(request, demand_id)
    approve = request.POST.get("decision") == "approve"
    reason = request.POST.get("reason", "")
    try:
        decide_demand(actor=request.user, demand_id=demand.pk, approve=approve, reason=reason)
    except InvalidInput as exc:
        messages.error(request, "；".join(m for ms in exc.errors.values() for m in ms))
        request.session["demand_reject_reason"] = reason[:500]  # kept for the form after the redirect
    except DomainError as exc:  # 409: decided by someone else meanwhile, or no permission
        messages.error(request, exc.message)
    else:
        messages.success(request, "已审核通过。" if approve else "已退回企业（审核不通过），企业将看到原因。")
    return redirect("admin:portal_demand_change", demand_id=demand.pk)


# --- statistics (R-PT-14) ----------------------------------------------------------------------
def _period(request) -> tuple[date, date, str]:
    today = timezone.localdate(clock.now())
    default_from, default_to = date(today.year, 1, 1), today
    try:
        date_to = date.fromisoformat(request.GET["to"]) if request.GET.get("to") else default_to
        date_from = date.fromisoformat(request.GET["from"]) if request.GET.get("from") else date(date_to.year, 1, 1)
    except ValueError:
        return default_from, default_to, "日期格式应为 YYYY-MM-DD，已按今年显示"
    if date_from > date_to:
        return default_from, default_to, "开始日期不能晚于结束日期，已按今年显示"
    return date_from, date_to, ""


def _percent(share) -> str:
    return "—" if share is None else f"{share * 100:.2f}%"


def stats_page(request):
    _require_view(request)
    date_from, date_to, error = _period(request)
    stats = demand_statistics(date_from, date_to)
    sections = report.sections(stats)
    for s in sections:
        for row in s.rows:
            if s.share_column is not None:
                row.append(_percent(row[s.share_column]))
    charts = {s.key: {"title": s.title, "names": [r[0] for r in s.rows], "values": [r[1] for r in s.rows]}
              for s in sections if s.chart}
    charts["enterprises"] = {"title": "各企业需求与实际招聘",
                             "names": [e["name"] for e in stats.enterprises[:15]],
                             "requested": [e["requested"] for e in stats.enterprises[:15]],
                             "hired": [e["hired"] for e in stats.enterprises[:15]]}
    today = timezone.localdate(clock.now())
    query = f"from={date_from:%Y-%m-%d}&to={date_to:%Y-%m-%d}"
    return TemplateResponse(request, "portal/desk/demand_stats.html", {
        **admin.site.each_context(request), "opts": Demand._meta, "title": "需求统计",
        "stats": stats, "sections": sections, "satisfaction": _percent(stats.satisfaction),
        "date_from": date_from, "date_to": date_to, "error": error, "query": query,
        "presets": [("今年", date(today.year, 1, 1), today),
                    ("去年", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
                    ("本月", today.replace(day=1), today)],
        "definitions": report.definitions(), "definition_text": DEFINITIONS,
        "echarts": bool(finders.find(ECHARTS)), "charts": charts,
    })


def stats_export(request):
    _require_view(request)
    date_from, date_to, error = _period(request)
    if error:
        messages.error(request, error)
        return redirect("admin:portal_demand_stats")
    stats = demand_statistics(date_from, date_to)
    content = report.workbook_bytes(stats, request.user)
    audit.record(AuditLog.Action.EXPORT, request=request,
                 target_repr=f"统计导出：{report.period_title(date_from, date_to)}",
                 detail={"kind": "portal_demand_stats", "from": f"{date_from:%Y-%m-%d}", "to": f"{date_to:%Y-%m-%d}",
                         "rows": len(stats.enterprises), "format": "xlsx"})
    response = HttpResponse(content, content_type=report.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, report.filename_of(date_from, date_to))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
