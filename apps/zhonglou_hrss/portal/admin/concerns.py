"""The urgent-concern list in the desk (R-PT-16): status, submitted date and
keyword (number, name, details; a whole mobile finds its sender), newest
first, mobiles masked. The record page is ``desk.concerns``."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import format_html

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.admin.custom_fields import CustomFieldListMixin
from zhonglou_hrss.core.admin.filters import LocalDateRangeFilter
from zhonglou_hrss.core.display import when
from zhonglou_hrss.portal.desk.urls import concern_patterns
from zhonglou_hrss.portal.models import Concern
from zhonglou_hrss.portal.rules import VIEW_CONCERNS
from zhonglou_hrss.portal.selectors.concerns import concern_list_for, filter_concerns
from zhonglou_hrss.portal.workflow import TONES


@admin.register(Concern)
class ConcernAdmin(CustomFieldListMixin, DeskModelAdmin):
    custom_object = "concern"
    list_display = ("number_link", "name", "phone_masked", "details_short", "status_col", "created_col", "updated_col")
    list_display_links = None
    list_filter = ("status", ("created_at", LocalDateRangeFilter))
    search_fields = ("number",)
    search_help_text = "编号、姓名、咨询内容；完整手机号可精确查找"
    ordering = ("-created_at", "-id")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_CONCERNS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return concern_list_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return filter_concerns(queryset, q=search_term), False

    def get_urls(self):
        return concern_patterns(self.admin_site) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:portal_concern_change", concern_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "急难愁盼", **(extra_context or {})})

    @admin.display(description="编号", ordering="number")
    def number_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}/">{}</a>', obj.pk, obj.number)

    @admin.display(description="手机号")
    def phone_masked(self, obj):
        return pii.mask(pii.MOBILE, obj.phone)

    @admin.display(description="咨询内容")
    def details_short(self, obj):
        return obj.details if len(obj.details) <= 40 else obj.details[:40] + "…"

    @admin.display(description="状态", ordering="status")
    def status_col(self, obj):
        return badge(obj.get_status_display(), TONES.get(obj.status, "grey"))

    @admin.display(description="提交时间", ordering="created_at")
    def created_col(self, obj):
        return when(obj.created_at)

    @admin.display(description="状态更新", ordering="updated_at")
    def updated_col(self, obj):
        return when(obj.updated_at)
