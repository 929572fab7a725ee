"""The petition list in the desk (unfold changelist) and the routes of the
petition's desk pages (``desk.petitions``: entry, edit, detail). Writes go
through ``services.petitions``."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import format_html

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.admin.custom_fields import CustomFieldListMixin
from zhonglou_hrss.core.admin.filters import LocalDateRangeFilter
from zhonglou_hrss.core.display import when
from zhonglou_hrss.core.paging import IdsFirstPaginator
from zhonglou_hrss.kuaiban.desk.urls import petition_patterns
from zhonglou_hrss.kuaiban.models import Petition
from zhonglou_hrss.kuaiban.rules import PETITION_COMPLETED_Q
from zhonglou_hrss.kuaiban.selectors.petitions import petition_keyword_q, petition_list_for


class CompletedFilter(admin.SimpleListFilter):
    title = "办理情况"
    parameter_name = "completed"

    def lookups(self, request, model_admin):
        return [("true", "已办结"), ("false", "未办结")]

    def queryset(self, request, queryset):
        if self.value() == "true":
            return queryset.filter(PETITION_COMPLETED_Q)
        if self.value() == "false":
            return queryset.exclude(PETITION_COMPLETED_Q)
        return queryset


@admin.register(Petition)
class PetitionAdmin(CustomFieldListMixin, DeskModelAdmin):
    custom_object = "petition"
    list_display = ("number_link", "name", "phone_masked", "respondent_name", "reason", "grid", "completed_col",
                    "created_col", "handled_col")
    list_display_links = None
    list_filter = (CompletedFilter, "grid", "reason", ("created_at", LocalDateRangeFilter),
                   ("handled_at", LocalDateRangeFilter))
    search_fields = ("name",)
    search_help_text = "姓名、同行人员姓名、对方单位、诉求、处置结果；完整身份证号或电话可精确查找"
    list_select_related = ("grid", "reason")
    ordering = ("-created_at", "-id")
    list_before_template = "kuaiban/desk/petition_list_before.html"
    # As the case list: the page's ids first (core.paging), no second full count.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return IdsFirstPaginator(queryset, per_page, orphans, allow_empty_first_page)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("kuaiban.view_petition")

    def has_add_permission(self, request):
        return False  # entry has its own page (desk.petitions.edit)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        # The admin's own add address (bookmarks, the generic 新增 link) leads to the entry page.
        return redirect("admin:kuaiban_petition_new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The desk's own record page, never the admin's generic form (which
        # would show every field, personal data unmasked, to anyone who may
        # see the list).
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:kuaiban_petition_change", petition_id=int(object_id))

    def get_queryset(self, request):
        return petition_list_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(petition_keyword_q(search_term)), False

    def get_urls(self):
        return petition_patterns(self.admin_site) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "信访", **(extra_context or {}),
                         "can_add": request.user.has_perm("kuaiban.add_petition"),
                         "can_export": request.user.has_perm("kuaiban.export_petition")}
        return super().changelist_view(request, extra_context)

    @admin.display(description="编号", ordering="id")
    def number_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}/">{}</a>', obj.pk, obj.number)

    @admin.display(description="联系电话")
    def phone_masked(self, obj):
        return pii.mask(pii.MOBILE, obj.phone)

    @admin.display(description="办理情况")
    def completed_col(self, obj):
        return badge("已办结", "green") if obj.is_completed else badge("未办结", "blue")

    @admin.display(description="录入时间", ordering="created_at")
    def created_col(self, obj):
        return when(obj.created_at)

    @admin.display(description="处置时间", ordering="handled_at")
    def handled_col(self, obj):
        return when(obj.handled_at)
