"""Job fairs in the desk (R-PT-17, 18): the fairs' list (newest first, with
their registration and pending counts) and the review list of registrations —
by default those of the latest fair, any earlier one by choice, filtered by
status and company. The record pages are ``desk.jobfairs``; every write goes
through ``services.jobfairs``."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.admin.custom_fields import CustomFieldListMixin
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.display import when
from zhonglou_hrss.core.navigation import enterprise_page
from zhonglou_hrss.portal.desk.urls import fair_patterns, registration_patterns
from zhonglou_hrss.portal.exports.jobfairs import SCOPES
from zhonglou_hrss.portal.models import JobFair, Registration, RegistrationStatus
from zhonglou_hrss.portal.rules import MANAGE_JOBFAIRS, VIEW_JOBFAIRS
from zhonglou_hrss.portal.selectors.jobfairs import (
    fair_list_for,
    filter_registrations,
    latest_fair,
    registration_list_for,
)
from zhonglou_hrss.portal.workflow import REGISTRATION_TONES

ALL_FAIRS = "all"
# The export's scopes, approved first (the enterprises taking part).
EXPORT_SCOPES = [(key, label) for key, (label, _) in SCOPES.items()]


@admin.register(JobFair)
class JobFairAdmin(DeskModelAdmin):
    list_display = ("name_link", "date", "venue", "open_col", "registrations_col", "pending_col", "created_col")
    list_display_links = None
    list_filter = ("registration_open",)
    search_fields = ("name", "venue")
    search_help_text = "招聘会名称、举办地点"
    ordering = ("-date", "-id")
    list_before_template = "portal/desk/jobfair_list_before.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_JOBFAIRS)

    def has_add_permission(self, request):
        return False  # the form has its own page (desk.jobfairs.fair_edit)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return fair_list_for(request.user)

    def get_urls(self):
        return fair_patterns(self.admin_site) + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:portal_jobfair_new")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:portal_jobfair_change", fair_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "招聘会", **(extra_context or {}),
                                                 "can_manage": request.user.has_perm(MANAGE_JOBFAIRS)})

    @admin.display(description="招聘会名称", ordering="name")
    def name_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}/">{}</a>', obj.pk, obj.name)

    @admin.display(description="报名状态", ordering="registration_open")
    def open_col(self, obj):
        return badge("报名中", "green") if obj.registration_open else badge("未开放", "grey")

    @admin.display(description="报名企业", ordering="registration_count")
    def registrations_col(self, obj):
        href = reverse("admin:portal_registration_changelist") + f"?fair={obj.pk}"
        return format_html('<a href="{}">{}</a>', href, obj.registration_count)

    @admin.display(description="待审核", ordering="pending_count")
    def pending_col(self, obj):
        if not obj.pending_count:
            return "0"
        href = reverse("admin:portal_registration_changelist") + f"?fair={obj.pk}&status__exact=pending"
        return format_html('<a href="{}">{}</a>', href, badge(str(obj.pending_count), "blue"))

    @admin.display(description="创建时间", ordering="created_at")
    def created_col(self, obj):
        return when(obj.created_at)


def chosen_fair_id(request) -> str:
    """The fair the review list shows: the one asked for, else the latest (R-PT-18);
    ``all`` for every fair (the desk home's card of pending registrations)."""
    value = request.GET.get("fair", "")
    if value == ALL_FAIRS or value.isdigit():
        return value
    latest = latest_fair()
    return str(latest.pk) if latest else ""


class FairFilter(admin.SimpleListFilter):
    """招聘会: the latest fair unless another (or all) is chosen — no "全部" that means "latest"."""

    title = "招聘会"
    parameter_name = "fair"

    def lookups(self, request, model_admin):
        fairs = [(str(f.pk), f"{f.name}（{f.date:%Y-%m-%d}）") for f in JobFair.objects.order_by("-date", "-id")[:200]]
        return [*fairs, (ALL_FAIRS, "全部招聘会")]

    def value(self):
        return chosen_fair_id(self.request)

    def queryset(self, request, queryset):
        value = self.value()
        if value and value != ALL_FAIRS:
            return filter_registrations(queryset, fair_id=int(value))
        return queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {"selected": self.value() == str(lookup), "query_string": changelist.get_query_string(
                {self.parameter_name: lookup}), "display": title}

    def __init__(self, request, params, model, model_admin):
        self.request = request
        super().__init__(request, params, model, model_admin)


class StatusFilter(admin.SimpleListFilter):
    """状态 (drafts are never listed: they are the enterprise's own until submitted)."""

    title = "审核状态"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [(s.value, s.label) for s in RegistrationStatus if s != RegistrationStatus.DRAFT]

    def queryset(self, request, queryset):
        if self.value() in {s.value for s in RegistrationStatus}:
            return filter_registrations(queryset, status=self.value())
        return queryset


@admin.register(Registration)
class RegistrationAdmin(CustomFieldListMixin, DeskModelAdmin):
    custom_object = "registration"
    list_display = ("company_link", "fair_col", "contact_col", "positions_col", "headcount_col", "status_col",
                    "submitted_col")
    list_display_links = None
    list_filter = (FairFilter, StatusFilter)
    search_fields = ("company_name",)
    search_help_text = "企业名称"
    ordering = ("-submitted_at", "-id")
    list_before_template = "portal/desk/registration_list_before.html"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_JOBFAIRS)

    def has_add_permission(self, request):
        return False  # enterprises register in the portal or the mini program

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (registration_list_for(request.user).select_related("fair", "enterprise")
                .annotate(positions_total=Count("positions"), headcount=Sum("positions__count")))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return filter_registrations(queryset, q=search_term), False

    def get_urls(self):
        return registration_patterns(self.admin_site) + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:portal_registration_change", registration_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        fair_id = chosen_fair_id(request)
        fair = JobFair.objects.filter(pk=fair_id).first() if fair_id.isdigit() else None
        return super().changelist_view(request, {
            "title": "招聘会报名", **(extra_context or {}), "chosen_fair": fair, "all_fairs": fair_id == ALL_FAIRS,
            "may_export_pii": request.user.has_perm("core.export_pii"), "export_scopes": EXPORT_SCOPES,
        })

    @admin.display(description="企业名称", ordering="company_name")
    def company_link(self, obj):
        link = format_html('<a class="font-semibold text-primary-600" href="{}/">{}</a>', obj.pk, obj.company_name)
        if not obj.enterprise.uscc:
            return link
        return format_html('{} <a class="text-primary-600" href="{}" title="企业页面">（企业）</a>', link,
                           enterprise_page(obj.enterprise.uscc))

    @admin.display(description="招聘会", ordering="fair__date")
    def fair_col(self, obj):
        return obj.fair.name

    @admin.display(description="联系人")
    def contact_col(self, obj):
        return f"{obj.contact_name} {pii.mask(pii.MOBILE, obj.contact_phone)}"

    @admin.display(description="岗位数", ordering="positions_total")
    def positions_col(self, obj):
        return obj.positions_total

    @admin.display(description="招聘人数", ordering="headcount")
    def headcount_col(self, obj):
        return obj.headcount or 0

    @admin.display(description="状态", ordering="status")
    def status_col(self, obj):
        return badge(obj.get_status_display(), REGISTRATION_TONES.get(obj.status, "grey"))

    @admin.display(description="提交时间", ordering="submitted_at")
    def submitted_col(self, obj):
        return when(obj.submitted_at) if obj.submitted_at else "—"
