"""信用申报: the declarations credit staff see (``selectors.declarations``),
newest first, by rating year and status, with the count of each status above
the list (each a link to that status); search by company name or USCC. A
declaration opens its page (``desk.declarations``)."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from zhonglou_hrss.core.admin.custom_fields import CustomFieldListMixin
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.display import when
from zhonglou_hrss.credit.desk.declarations import STATUS_TONES
from zhonglou_hrss.credit.desk.urls import declaration_patterns
from zhonglou_hrss.credit.models import Declaration, DeclarationStatus
from zhonglou_hrss.credit.selectors.declarations import (
    declaration_list_for,
    declaration_years,
    is_staff,
    status_counts,
)


class YearFilter(admin.SimpleListFilter):
    title = "评价年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(y), f"{y}年度") for y in declaration_years(request.user)]

    def queryset(self, request, queryset):
        value = self.value() or ""
        return queryset.filter(scheme__year=int(value)) if value.isdigit() and len(value) == 4 else queryset


class StatusFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return DeclarationStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in DeclarationStatus.values else queryset


@admin.register(Declaration)
class DeclarationAdmin(CustomFieldListMixin, DeskModelAdmin):
    custom_object = "declaration"
    list_display = ("company_link", "uscc_col", "year_col", "status_col", "submitted_col", "score_col", "grade_col")
    list_display_links = None
    list_filter = (YearFilter, StatusFilter)
    search_fields = ("account__company_name", "account__enterprise__uscc")
    search_help_text = "企业名称或统一社会信用代码"
    ordering = ("-submitted_at", "-id")
    list_before_template = "credit/desk/declaration_list_before.html"

    def has_module_permission(self, request):
        return is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff(request.user)

    def has_add_permission(self, request):
        return False  # companies declare themselves (the portal, the API)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return declaration_list_for(request.user)

    def get_urls(self):
        return declaration_patterns(self.admin_site) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:credit_declaration_page", declaration_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and len(raw) == 4 else None
        counts = status_counts(request.user, year=year)
        base = reverse("admin:credit_declaration_changelist") + (f"?year={year}&" if year else "?")
        chips = [{"label": label, "count": counts[value], "tone": STATUS_TONES.get(value, "grey"),
                  "url": f"{base}status={value}", "active": request.GET.get("status") == value, "status": value}
                 for value, label in DeclarationStatus.choices]
        return super().changelist_view(request, {
            "title": "信用申报", "status_chips": chips, "status_total": sum(counts.values()),
            "chips_year": year, "all_url": base.rstrip("?&"), **(extra_context or {})})

    @admin.display(description="企业名称", ordering="account__company_name")
    def company_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}">{}</a>',
                           reverse("admin:credit_declaration_page", args=[obj.pk]), obj.account.company_name)

    @admin.display(description="统一社会信用代码")
    def uscc_col(self, obj):
        return obj.account.enterprise.uscc

    @admin.display(description="评价年度", ordering="scheme__year")
    def year_col(self, obj):
        return f"{obj.scheme.year}年度"

    @admin.display(description="状态", ordering="status")
    def status_col(self, obj):
        return badge(obj.get_status_display(), STATUS_TONES.get(obj.status, "grey"))

    @admin.display(description="提交时间", ordering="submitted_at")
    def submitted_col(self, obj):
        return when(obj.submitted_at)

    @admin.display(description="信用得分", ordering="credit_score")
    def score_col(self, obj):
        return "—" if obj.credit_score is None else f"{obj.credit_score.normalize():f}"

    @admin.display(description="信用等级", ordering="grade")
    def grade_col(self, obj):
        return obj.grade or "—"
