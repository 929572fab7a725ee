"""Responses to review (R-PT-15, R-CR-06, R-CR-09): filters by questionnaire,
year, valid/invalid, flagged; search by HR company or enterprise (name or
USCC). A response's page (``desk.responses``) shows it as the respondent
saw it, with its timeline and the review and correction forms. The
enterprises' HR-company lists (R-CR-05) are a read-only list."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.display import when
from zhonglou_hrss.questionnaires.desk.urls import response_patterns
from zhonglou_hrss.questionnaires.models import ClientHrCompany, Response
from zhonglou_hrss.questionnaires.rules import VIEW_CLIENT_LISTS, VIEW_RESPONSES
from zhonglou_hrss.questionnaires.selectors.hr_companies import client_lists_for
from zhonglou_hrss.questionnaires.selectors.responses import filter_responses, response_list_for


class YearFilter(admin.SimpleListFilter):
    title = "评价年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Response.objects.values_list("year", flat=True).distinct().order_by("-year")
        return [(str(y), f"{y}年度") for y in years]

    def queryset(self, request, queryset):
        return queryset.filter(year=self.value()) if (self.value() or "").isdigit() else queryset


@admin.register(Response)
class ResponseAdmin(DeskModelAdmin):
    list_display = ("id_link", "questionnaire", "year", "target_col", "enterprise_col", "score_col", "valid_col",
                    "flag_col", "submitted_col")
    list_display_links = None
    list_filter = ("questionnaire", YearFilter, "valid", "flagged", "reviewed")
    search_fields = ("target__name",)
    search_help_text = "被评价单位或用工单位的名称，或完整的统一社会信用代码"
    ordering = ("-submitted_at", "-id")
    list_select_related = ("questionnaire", "target", "enterprise")

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_RESPONSES)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_RESPONSES)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return response_list_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        by_enterprise = filter_responses(queryset, enterprise_uscc=term)
        return (filter_responses(queryset, q=term) | by_enterprise), False

    def get_urls(self):
        return response_patterns(self.admin_site) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:questionnaires_response_page", response_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "问卷答卷审核", **(extra_context or {})})

    @admin.display(description="编号", ordering="id")
    def id_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:questionnaires_response_page", args=[obj.pk]), obj.pk)

    @admin.display(description="被评价单位")
    def target_col(self, obj):
        return obj.target.name

    @admin.display(description="用工单位")
    def enterprise_col(self, obj):
        return obj.enterprise.name if obj.enterprise else "—"

    @admin.display(description="得分")
    def score_col(self, obj):
        if obj.corrected_score is not None:
            return format_html("{} <span class='zl-muted'>（原 {}）</span>", obj.corrected_score, obj.score)
        return obj.score if obj.score is not None else "—"

    @admin.display(description="有效", ordering="valid")
    def valid_col(self, obj):
        if not obj.valid:
            return badge("无效", "red")
        return badge("有效", "green") if obj.reviewed else badge("未审核", "grey")

    @admin.display(description="风险提示")
    def flag_col(self, obj):
        return badge(f"{len(obj.flags)}项", "amber") if obj.flagged else "—"

    @admin.display(description="提交时间", ordering="submitted_at")
    def submitted_col(self, obj):
        return when(obj.submitted_at)


@admin.register(ClientHrCompany)
class ClientHrCompanyAdmin(DeskModelAdmin):
    list_display = ("enterprise", "name", "uscc_col", "created_at")
    search_fields = ("enterprise__name", "name", "hr_company__uscc")
    list_select_related = ("enterprise", "hr_company")

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW_CLIENT_LISTS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_CLIENT_LISTS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return client_lists_for(request.user)

    @admin.display(description="统一社会信用代码")
    def uscc_col(self, obj):
        return obj.hr_company.uscc
