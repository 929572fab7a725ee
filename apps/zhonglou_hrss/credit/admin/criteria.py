"""评价标准: the rating years, newest first, with their state (frozen once
published) and "复制上一年" above the list; a year opens its page
(``desk.criteria``)."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.display import when
from zhonglou_hrss.credit.desk.urls import criteria_patterns
from zhonglou_hrss.credit.models import CriteriaYear
from zhonglou_hrss.credit.rules import MANAGE_CRITERIA
from zhonglou_hrss.credit.selectors.criteria import next_year, years_overview


@admin.register(CriteriaYear)
class CriteriaYearAdmin(DeskModelAdmin):
    list_display = ("year_link", "name", "initial_col", "window_col", "items_col", "declarations_col", "state_col")
    list_display_links = None
    ordering = ("-year",)
    list_before_template = "credit/desk/criteria_list_before.html"

    def has_module_permission(self, request):
        return request.user.has_perm(MANAGE_CRITERIA)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE_CRITERIA)

    def has_add_permission(self, request):
        return False  # a year is copied from the one before (or loaded from the default file)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return years_overview()

    def get_urls(self):
        return criteria_patterns(self.admin_site) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        year = CriteriaYear.objects.filter(pk=object_id).values_list("year", flat=True).first() if str(
            object_id).isdigit() else None
        if year is None:
            raise Http404
        return redirect("admin:credit_criteria_year", year=year)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "评价标准", "next_year": next_year(),
                                                 **(extra_context or {})})

    @admin.display(description="评价年度", ordering="year")
    def year_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}">{}年度</a>',
                           reverse("admin:credit_criteria_year", args=[obj.year]), obj.year)

    @admin.display(description="初始分")
    def initial_col(self, obj):
        return f"{obj.initial_score.normalize():f}"

    @admin.display(description="申报期")
    def window_col(self, obj):
        return f"{when(obj.window_start)} 至 {when(obj.window_end)}"

    @admin.display(description="指标数")
    def items_col(self, obj):
        return obj.item_count

    @admin.display(description="申报数")
    def declarations_col(self, obj):
        return obj.declaration_count

    @admin.display(description="状态")
    def state_col(self, obj):
        if obj.frozen:
            return format_html("{} {}", badge("已冻结", "grey"), f"结果发布于{when(obj.published_at)}")
        return badge("可修改", "blue")
