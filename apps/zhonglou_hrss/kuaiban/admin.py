"""The kuaiban desk list (unfold changelist) and the routes of the case page,
the action forms and internal registration (``desk_views``).

Cases are never edited as a model: every change goes through the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.admin.filters import LocalDateRangeFilter
from zhonglou_hrss.core.display import when
from zhonglou_hrss.kuaiban import desk_views
from zhonglou_hrss.kuaiban.models import Case, CaseStatus
from zhonglou_hrss.kuaiban.paging import IdsFirstPaginator, desk_list_count
from zhonglou_hrss.kuaiban.selectors import case_list_for, keyword_q, overdue_q, queue_q, with_overdue
from zhonglou_hrss.kuaiban.stats_views import StatGridFilter, YearFilter
from zhonglou_hrss.kuaiban.workflow import STATUS_TONE

CASE_VIEW_PERMS = ("kuaiban.view_all_cases", "kuaiban.handle_assigned_case", "core.work_in_grid")


def can_use_cases(user) -> bool:
    return any(user.has_perm(p) for p in CASE_VIEW_PERMS)


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


def status_badge(case) -> str:
    return badge(CaseStatus(case.status).label, STATUS_TONE.get(case.status, "grey"))


@admin.register(Case)
class CaseAdmin(DeskModelAdmin):
    list_display = ("number_link", "status_col", "overdue_col", "grid", "reason", "respondent_name",
                    "reporter_col", "created_col", "accepted_col")
    list_display_links = None
    list_filter = (QueueFilter, "status", OverdueFilter, "grid", StatGridFilter, YearFilter, "reason",
                   ("created_at", LocalDateRangeFilter),
                   ("closed_at", LocalDateRangeFilter))
    search_fields = ("number",)  # replaced by keyword_q in get_search_results
    search_help_text = "事件编号、上报人姓名、对方单位、统一社会信用代码；输入完整身份证号或手机号可精确查找"
    list_select_related = ("grid", "reason")
    list_per_page = 30
    list_before_template = "kuaiban/desk/case_list_before.html"
    ordering = ("-created_at", "-id")

    # --- access: visibility comes from the selector, editing from the services ----
    def has_module_permission(self, request):
        return can_use_cases(request.user)

    def has_view_permission(self, request, obj=None):
        return can_use_cases(request.user)

    def has_add_permission(self, request):
        return False  # internal registration has its own page (desk_views.register)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # At a million cases the plain paginator's joined page query sorts every
    # visible case (benchmarks/RESULTS.md): read the page's ids first, and skip
    # the second, unfiltered count.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return IdsFirstPaginator(queryset, per_page, orphans, allow_empty_first_page,
                                 count=desk_list_count(request))

    def get_queryset(self, request):
        return with_overdue(case_list_for(request.user))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(keyword_q(search_term)), False

    def get_urls(self):
        site = self.admin_site
        return [
            path("register/", site.admin_view(desk_views.register), name="kuaiban_case_register"),
            path("<int:case_id>/", site.admin_view(desk_views.case_page), name="kuaiban_case_change"),
            path("<int:case_id>/act/<str:action>/", site.admin_view(desk_views.act), name="kuaiban_case_act"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "快办事件", **(extra_context or {}), **desk_views.list_context(request)}
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

    @admin.display(description="网格接收", ordering="grid_accepted_at")
    def accepted_col(self, obj):
        return when(obj.grid_accepted_at)
from zhonglou_hrss.kuaiban import petition_admin  # noqa: E402,F401
