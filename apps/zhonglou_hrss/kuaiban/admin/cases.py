"""The kuaiban case list in the desk (unfold changelist) and the routes of
the case's desk pages (``desk.cases``: case page, actions, internal
registration) under the desk site's names (``admin:kuaiban_case_…``).

Cases are never edited as a model: every change goes through the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from zhonglou_hrss.core import clock, pii
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.admin import custom_fields as custom_columns
from zhonglou_hrss.core.admin.filters import LocalDateRangeFilter
from zhonglou_hrss.core.display import money, when
from zhonglou_hrss.core.paging import IdsFirstPaginator
from zhonglou_hrss.kuaiban.desk import cases as desk_cases
from zhonglou_hrss.kuaiban.desk.urls import case_patterns
from zhonglou_hrss.kuaiban.models import Case, CaseStatus
from zhonglou_hrss.kuaiban.rules import (
    CASE_LIST_PERMS, FILTERED_COUNT_CAP, days_open, overdue_q, parse_year, result_amount, year_bounds,
)
from zhonglou_hrss.kuaiban.selectors.cases import (
    figure_list_count,
    keyword_q,
    queue_q,
    visible_case_by_case,
    visible_count,
    visible_for_small_counts,
    with_overdue,
)
from zhonglou_hrss.kuaiban.selectors.counts import stat_grid_q
from zhonglou_hrss.kuaiban.selectors.figures import data_years, grids_in_scope
from zhonglou_hrss.kuaiban.selectors.handling import NOT_HANDLED, current_inspectors_of, grid_handling_of
from zhonglou_hrss.kuaiban.workflow import ASSIGN, STATUS_TONE


def can_use_cases(user) -> bool:
    return any(user.has_perm(p) for p in CASE_LIST_PERMS)


class QueueFilter(admin.SimpleListFilter):
    title = "待我处理"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", "待我处理")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(queue_q(request.user))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "是否超时"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("true", "已超时"), ("false", "未超时")]

    def queryset(self, request, queryset):
        if self.value() == "true":
            return queryset.filter(overdue_q())
        if self.value() == "false":
            return queryset.exclude(overdue_q())
        return queryset


class StatGridFilter(admin.SimpleListFilter):
    """The figures' grid: the attributed grid once set, else the current grid
    (so a number of the one map and the list behind it agree)."""

    title = "统计网格"
    parameter_name = "stat_grid"

    def lookups(self, request, model_admin):
        return [(g.code, g.name) for g in grids_in_scope(request.user)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(stat_grid_q(self.value(), request.user))
        return queryset


class YearFilter(admin.SimpleListFilter):
    """The year of registration in Asia/Shanghai, as the figures count it."""

    title = "登记年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = data_years(request.user)
        chosen = parse_year(self.value())
        if chosen and chosen not in years:
            years = sorted({*years, chosen}, reverse=True)
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        year = parse_year(self.value())
        if year is None:
            return queryset.none()  # a bad year matches nothing rather than everything
        start, end = year_bounds(year)
        return queryset.filter(created_at__gte=start, created_at__lt=end)


COUNT_CAP = FILTERED_COUNT_CAP  # a filtered list counts up to this many (kuaiban.rules)
# A name search reads the list until it has found this many (a scan: names match anywhere).
SEARCH_COUNT_CAP = 200
FIGURE_LIST_PARAMS = {"stat_grid", "year", "status__in"}  # the list's parameters behind a figure


def figure_list_params_count(request) -> int | None:
    """The list's count when it is the list behind a figure (the one map's and
    the analysis's links: ``?stat_grid=…&year=…[&status__in=…]``), from the
    case counts like the figure itself; None otherwise."""
    params = {k: v for k, v in request.GET.items() if k not in ("p", "o")}
    if not (params.get("stat_grid") and params.get("year", "").isdigit() and set(params) <= FIGURE_LIST_PARAMS):
        return None
    statuses = [s for s in params.get("status__in", "").split(",") if s]
    return figure_list_count(request.user, stat_grid=params["stat_grid"], year=int(params["year"]),
                             statuses=statuses or None)


# --- the list's columns ------------------------------------------------------------------------
# Each user picks the columns they want (remembered in their session); the
# number always shows. Every column reads the page's ~20 rows only: the case's
# own fields, its grid and reason (joined on the page query), and what the
# rounds and assignments say (selectors.handling: one query each per page,
# only when a column needs it) — never a query per row, nothing added to the count.
COLUMNS = {
    "status_col": "状态",
    "overdue_col": "超时",
    "grid": "所属网格",
    "reason": "案由",
    "respondent_name": "对方单位",
    "reporter_col": "上报人",
    "created_col": "登记时间",
    "accepted_col": "网格接收",
    "inspector_col": "监察员",
    "amount_col": "金额",
    "closed_col": "办结时间",
    "days_col": "办理天数",
}
# What a list shows before the user chooses (all twelve do not fit 1366 px):
# the columns of ui.md for the people who work the cases; for those who
# assign them (leaders), how the cases are being handled — who, how much,
# when finished, how long — instead of the reason, the (masked) reporter and
# the grid's acceptance (one tick away in 显示列).
DEFAULT_COLUMNS = ("status_col", "overdue_col", "grid", "reason", "respondent_name", "reporter_col",
                   "created_col", "accepted_col")
OVERSIGHT_COLUMNS = ("status_col", "overdue_col", "grid", "respondent_name", "created_col",
                     "inspector_col", "amount_col", "closed_col", "days_col")
COLUMNS_SESSION_KEY = "kuaiban_case_columns"
NEEDS_GRID_HANDLING = {"accepted_col", "amount_col"}


def default_columns(user) -> tuple[str, ...]:
    return OVERSIGHT_COLUMNS if user.has_perm(ASSIGN) else DEFAULT_COLUMNS


def all_columns(user) -> dict[str, str]:
    """The chooser's columns: the list's own, then the custom fields this user may see."""
    return {**COLUMNS, **custom_columns.columns("case", user)}


def chosen_columns(request) -> tuple[str, ...]:
    chosen = request.session.get(COLUMNS_SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(chosen, list):
        return default_columns(request.user)
    return tuple(c for c in all_columns(request.user) if c in chosen)


def status_badge(case) -> str:
    return badge(CaseStatus(case.status).label, STATUS_TONE.get(case.status, "grey"))


@admin.register(Case)
class CaseAdmin(custom_columns.CustomFieldListMixin, DeskModelAdmin):
    custom_object = "case"  # its filters; its columns are the chooser's (get_list_display)
    list_display = ("number_link", *COLUMNS)
    list_display_links = None
    list_filter = (QueueFilter, "status", OverdueFilter, "grid", StatGridFilter, YearFilter, "reason",
                   ("created_at", LocalDateRangeFilter),
                   ("closed_at", LocalDateRangeFilter))
    search_fields = ("number",)  # replaced by keyword_q in get_search_results
    search_help_text = "事件编号、上报人姓名、对方单位、统一社会信用代码；输入完整身份证号或手机号可精确查找"
    list_select_related = ("grid", "reason")
    list_per_page = 20  # a screen of cases; each row costs about 1.5 ms of rendering
    list_before_template = "kuaiban/desk/case_list_before.html"
    ordering = ("-created_at", "-id")

    # --- access: visibility comes from the selector, editing from the services ----
    def has_module_permission(self, request):
        return can_use_cases(request.user)

    def has_view_permission(self, request, obj=None):
        return can_use_cases(request.user)

    def has_add_permission(self, request):
        return False  # internal registration has its own page (desk.cases.register)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The desk's own record page, never the admin's generic form (which
        # would show every field, personal data unmasked, to anyone who may
        # see the list).
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:kuaiban_case_change", case_id=int(object_id))

    # At a million cases the plain paginator's joined page query sorts every
    # visible case (benchmarks/RESULTS.md): read the page's ids first, and skip
    # the second, unfiltered count.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if queryset.model is not self.model:
            # The admin's history page pages the log entries of one case.
            return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        # The whole, unfiltered list is counted and paged by the faster forms
        # of the visibility rule (as the API's list: api/paging.py).
        params = {k for k in request.GET if k not in ("p", "o")}
        whole = not params
        # Exact counts that are cheap: the whole list's, the cards' lists', the figures' lists'.
        if whole:
            count = visible_count(request.user)
        elif params == {"queue"} and request.GET.get("queue") == "mine":
            count = desk_cases.queue_count(request.user)
        elif params == {"overdue"} and request.GET.get("overdue") == "true":
            count = desk_cases.overdue_count(request.user)
        else:
            count = figure_list_params_count(request)
        paginator = IdsFirstPaginator(queryset, per_page, orphans, allow_empty_first_page, count=count,
                                      ids_from=visible_case_by_case(request.user) if whole else None,
                                      count_cap=SEARCH_COUNT_CAP if request.GET.get("q") else COUNT_CAP)
        request.kuaiban_paginator = paginator  # the list's note says when the count was capped
        return paginator

    def get_queryset(self, request):
        # The rule's form a list pages fastest (selectors.cases): a grid worker's
        # grid test checked case by case on the cases the filters pick.
        return with_overdue(visible_for_small_counts(request.user))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(keyword_q(search_term)), False

    def get_urls(self):
        columns = path("columns/", self.admin_site.admin_view(self.columns_view), name="kuaiban_case_columns")
        return [columns, *case_patterns(self.admin_site), *super().get_urls()]

    def get_list_display(self, request):
        shown = []
        for key in chosen_columns(request):
            if key.startswith(custom_columns.PREFIX):
                key = custom_columns.column("case", key[len(custom_columns.PREFIX):], request.user)
            if key:
                shown.append(key)
        return ("number_link", *shown)

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        # The page's rows, with what their columns read from the rounds and
        # assignments: one query each for the whole page.
        cl.result_list = rows = list(cl.result_list)
        ids = [case.pk for case in rows]
        shown = set(cl.list_display)
        handling = grid_handling_of(ids) if ids and shown & NEEDS_GRID_HANDLING else {}
        inspectors = current_inspectors_of(ids) if ids and "inspector_col" in shown else {}
        now = clock.now()
        for case in rows:
            case.grid_handling = handling.get(case.pk, NOT_HANDLED)
            case.inspector_name = inspectors.get(case.pk, "")
            case.listed_at = now
        return cl

    def columns_view(self, request):
        """The column chooser's form: remember this user's columns (or forget
        them: 恢复默认) and go back to the list they were on."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if request.POST.get("reset"):
            request.session.pop(COLUMNS_SESSION_KEY, None)
        else:
            picked = set(request.POST.getlist("col"))
            request.session[COLUMNS_SESSION_KEY] = [c for c in all_columns(request.user) if c in picked]
        back = request.POST.get("next", "")
        base = reverse("admin:kuaiban_case_changelist")
        if not (back.startswith(base) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
            back = base
        # The sort parameter names columns by position: it would sort another column now.
        path_part, _, query = back.partition("?")
        query = "&".join(p for p in query.split("&") if p and not p.startswith("o="))
        return redirect(f"{path_part}?{query}" if query else path_part)

    def changelist_view(self, request, extra_context=None):
        chosen = set(chosen_columns(request))
        columns = [{"key": key, "label": label, "shown": key in chosen}
                   for key, label in all_columns(request.user).items()]
        extra_context = {"title": "快办事件", **(extra_context or {}), **desk_cases.list_context(request),
                         "case_columns": columns}
        return super().changelist_view(request, extra_context)

    # --- columns --------------------------------------------------------------------------
    @admin.display(description="事件编号", ordering="number")
    def number_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}">{}</a>',
                           f"{obj.pk}/", obj.number)

    @admin.display(description="状态", ordering="status")
    def status_col(self, obj):
        return status_badge(obj)

    @admin.display(description="超时")
    def overdue_col(self, obj):
        return badge("超时", "red") if getattr(obj, "is_overdue", False) else ""

    @admin.display(description="上报人")
    def reporter_col(self, obj):
        # Lists always show personal data masked; the case page can reveal it.
        return format_html("{}<br><span class='text-xs text-font-subtle-light'>{}</span>",
                           obj.reporter_name, pii.mask(pii.MOBILE, obj.reporter_phone))

    @admin.display(description="登记时间", ordering="created_at")
    def created_col(self, obj):
        return when(obj.created_at)

    @admin.display(description="网格接收")
    def accepted_col(self, obj):
        # The rounds' latest acceptance: Case.grid_accepted_at is the open
        # round's only, cleared once the grid resolves, fails or returns the
        # case — the export shows the same time (selectors.handling).
        return when(_handling(obj).accepted_at)

    @admin.display(description="监察员")
    def inspector_col(self, obj):
        return getattr(obj, "inspector_name", "") or "—"

    @admin.display(description="金额")
    def amount_col(self, obj):
        return money(result_amount(obj.handling_amount, _handling(obj).amount))

    # Not sortable, like the other new columns: sorting a million cases by a
    # column without its own (column, id) index reads them all for one page.
    @admin.display(description="办结时间")
    def closed_col(self, obj):
        return when(obj.closed_at)

    @admin.display(description="办理天数")
    def days_col(self, obj):
        days = days_open(obj.created_at, obj.closed_at, getattr(obj, "listed_at", None))
        title = "登记至办结（结束）" if obj.closed_at else "登记至今，仍在办理"
        return format_html('<span title="{}">{}天</span>', title, days)


def _handling(case):
    return getattr(case, "grid_handling", NOT_HANDLED)
