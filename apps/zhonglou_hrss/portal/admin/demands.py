"""人才需求 in the desk (R-PT-13): the submitted demands, newest first (drafts
are the enterprise's own and never listed), filtered by status, submission
period, industry, industrial chain, enterprise and keyword; the company links
to its enterprise page. The record page, the decision and the statistics
(R-PT-14) are ``desk.demands``, routed here so they carry the desk's names."""

from django.contrib import admin
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import format_html
from unfold.contrib.filters.admin import TextFilter

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.admin.custom_fields import CustomFieldListMixin
from zhonglou_hrss.core.admin.filters import LocalDateRangeFilter
from zhonglou_hrss.core.display import when
from zhonglou_hrss.core.models import LookupEntry, LookupKind
from zhonglou_hrss.core.navigation import enterprise_page
from zhonglou_hrss.portal.desk.urls import demand_patterns
from zhonglou_hrss.portal.models import Demand, DemandStatus
from zhonglou_hrss.portal.rules import VIEW_DEMANDS
from zhonglou_hrss.portal.selectors.demands import demand_list_for, filter_demands
from zhonglou_hrss.portal.workflow import DEMAND_TONES

OUTCOME_TONES = {"completed": "green", "partial": "amber"}


class StatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(s.value, s.label) for s in DemandStatus if s != DemandStatus.DRAFT]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class _LookupFilter(admin.SimpleListFilter):
    kind = ""
    field = ""

    def lookups(self, request, model_admin):
        return [(e.code, e.label) for e in LookupEntry.objects.of(self.kind).order_by("order", "code")]

    def queryset(self, request, queryset):
        return queryset.filter(**{f"{self.field}__code": self.value()}) if self.value() else queryset


class IndustryFilter(_LookupFilter):
    title = "所属行业"
    parameter_name = "industry"
    kind, field = LookupKind.INDUSTRY, "industry"


class ChainFilter(_LookupFilter):
    title = "所属产业链"
    parameter_name = "chain"
    kind, field = LookupKind.INDUSTRIAL_CHAIN, "industrial_chain"


class EnterpriseFilter(TextFilter):
    title = "企业（统一社会信用代码）"
    parameter_name = "uscc"

    def queryset(self, request, queryset):
        return filter_demands(queryset, uscc=self.value()) if self.value() else queryset


@admin.register(Demand)
class DemandAdmin(CustomFieldListMixin, DeskModelAdmin):
    custom_object = "demand"
    list_display = ("number_link", "company_link", "positions_col", "requested_col", "status_col", "outcome_col",
                    "submitted_col")
    list_display_links = None
    list_filter = (StatusFilter, ("submitted_at", LocalDateRangeFilter), IndustryFilter, ChainFilter,
                   EnterpriseFilter)
    search_fields = ("company_name",)
    search_help_text = "企业名称或岗位名称"
    ordering = ("-submitted_at", "-id")
    list_before_template = "portal/desk/demand_list_before.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_DEMANDS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # demand_list_for: staff see every demand but drafts.
        return (demand_list_for(request.user).select_related("enterprise").prefetch_related("positions")
                .annotate(requested=Sum("positions__headcount")))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return filter_demands(queryset, q=search_term), False

    def get_urls(self):
        return demand_patterns(self.admin_site) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:portal_demand_change", demand_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "人才需求", **(extra_context or {})})

    @admin.display(description="需求", ordering="id")
    def number_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}/">查看 #{}</a>', obj.pk, obj.pk)

    @admin.display(description="企业", ordering="company_name")
    def company_link(self, obj):
        if not obj.enterprise.uscc:
            return obj.company_name
        return format_html('<a class="text-primary-600" href="{}" title="企业页面">{}</a>',
                           enterprise_page(obj.enterprise.uscc), obj.company_name)

    @admin.display(description="需求岗位")
    def positions_col(self, obj):
        titles = [p.position_text for p in obj.positions.all()]
        text = "、".join(titles)
        return text if len(text) <= 30 else text[:30] + f"…（共{len(titles)}个）"

    @admin.display(description="需求人数", ordering="requested")
    def requested_col(self, obj):
        return obj.requested or 0

    @admin.display(description="状态", ordering="status")
    def status_col(self, obj):
        return badge(obj.get_status_display(), DEMAND_TONES.get(obj.status, "grey"))

    @admin.display(description="招聘结果", ordering="outcome")
    def outcome_col(self, obj):
        if obj.status != DemandStatus.APPROVED:
            return "—"
        return badge(obj.get_outcome_display(), OUTCOME_TONES.get(obj.outcome, "grey"))

    @admin.display(description="提交时间", ordering="submitted_at")
    def submitted_col(self, obj):
        return when(obj.submitted_at)
