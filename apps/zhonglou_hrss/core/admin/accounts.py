"""External accounts in the desk (R-PT-03; credit's R-CR-01 later): the list
of enterprise accounts with their status per subsystem, and the account's
page where the subsystem's staff approve, or reject with a reason
(``core.services.accounts.decide_access``). Passwords are reset on the
account's user (系统设置 → 用户), linked from the page."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.errors import DomainError
from zhonglou_hrss.core.models import AccessStatus, EnterpriseAccount, Subsystem
from zhonglou_hrss.core.selectors import accounts_for
from zhonglou_hrss.core.services.accounts import DECIDE_PERMISSIONS, decide_access

TONES = {AccessStatus.PENDING: "blue", AccessStatus.APPROVED: "green", AccessStatus.REJECTED: "red"}
SHORT = {Subsystem.PORTAL: "码上办", Subsystem.CREDIT: "信用评价"}


def access_badge(access):
    return badge(access.get_status_display(), TONES.get(access.status, "grey"))


class SubsystemStatusFilter(admin.SimpleListFilter):
    """One filter per subsystem: ``?portal=pending`` lists the portal's queue."""

    subsystem = Subsystem.PORTAL
    title = "码上办审核"
    parameter_name = "portal"

    def lookups(self, request, model_admin):
        return AccessStatus.choices

    def queryset(self, request, queryset):
        if self.value() in AccessStatus.values:
            return queryset.filter(accesses__subsystem=self.subsystem, accesses__status=self.value())
        return queryset


class CreditStatusFilter(SubsystemStatusFilter):
    subsystem = Subsystem.CREDIT
    title = "信用评价审核"
    parameter_name = "credit"


class ChecksumFilter(admin.SimpleListFilter):
    title = "代码校验"
    parameter_name = "uscc_flag"

    def lookups(self, request, model_admin):
        return [("confirmed", "校验位不符（企业确认）")]

    def queryset(self, request, queryset):
        return queryset.filter(uscc_checksum_confirmed=True) if self.value() == "confirmed" else queryset


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(DeskModelAdmin):
    list_display = ("name_link", "uscc_col", "username_col", "industry", "contact_name", "phone_masked", "access_col",
                    "created_at")
    list_display_links = None
    list_filter = (SubsystemStatusFilter, CreditStatusFilter, ChecksumFilter, "industry")
    search_fields = ("company_name", "enterprise__uscc", "user__username", "contact_name")
    search_help_text = "企业名称、统一社会信用代码、登录账号、联系人"
    list_select_related = ("enterprise", "industry", "user")
    ordering = ("-created_at", "-id")

    def has_view_permission(self, request, obj=None):
        # The view permission, or a subsystem's deciding one (then only that subsystem's accounts).
        return request.user.has_perm("core.view_enterpriseaccount") or any(
            request.user.has_perm(perm) for perm in DECIDE_PERMISSIONS.values())

    def has_add_permission(self, request):
        return False  # companies register themselves (the portal, the API)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return accounts_for(request.user).select_related("enterprise", "industry", "user").prefetch_related("accesses")

    def get_urls(self):
        site = self.admin_site
        return [
            path("<int:account_id>/", site.admin_view(self.account_page), name="core_enterpriseaccount_change"),
            path("<int:account_id>/decide/", site.admin_view(self.decide), name="core_enterpriseaccount_decide"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("admin:core_enterpriseaccount_change", account_id=int(object_id))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": "企业账号", **(extra_context or {})})

    @admin.display(description="企业名称", ordering="company_name")
    def name_link(self, obj):
        return format_html('<a class="font-semibold text-primary-600" href="{}/">{}</a>', obj.pk, obj.company_name)

    @admin.display(description="统一社会信用代码")
    def uscc_col(self, obj):
        if obj.uscc_checksum_confirmed:
            return format_html("{} {}", obj.enterprise.uscc, badge("校验位不符", "amber"))
        return obj.enterprise.uscc

    @admin.display(description="登录账号")
    def username_col(self, obj):
        return obj.user.username

    @admin.display(description="联系人手机号")
    def phone_masked(self, obj):
        return pii.mask(pii.MOBILE, obj.contact_phone)

    @admin.display(description="审核状态")
    def access_col(self, obj):
        return format_html_join(" ", "{}：{}", ((SHORT.get(a.subsystem, a.subsystem), access_badge(a))
                                              for a in obj.accesses.all()))

    # --- the account's page -------------------------------------------------------------
    def _account(self, request, account_id):
        account = (accounts_for(request.user).select_related("enterprise", "industry", "industrial_chain", "user")
                   .filter(pk=account_id).first())
        if account is None:
            raise Http404
        return account

    def account_page(self, request, account_id):
        account = self._account(request, account_id)
        reveal = pii.disclose(request.user, account, fields=["contact_phone"], asked=request.GET.get("pii") == "1",
                              request=request)
        accesses = list(account.accesses.select_related("decided_by").order_by("subsystem"))
        for access in accesses:
            access.badge = access_badge(access)
            access.may_decide = (access.status == AccessStatus.PENDING
                                 and request.user.has_perm(DECIDE_PERMISSIONS[access.subsystem]))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": account.company_name,
            "account": account, "accesses": accesses, "reveal": reveal,
            "can_reveal": pii.may_see(request.user) and not reveal,
            "user_link": (reverse("admin:core_user_change", args=[account.user_id])
                          if request.user.has_perm("core.change_user") else ""),
        }
        return TemplateResponse(request, "core/admin/account_page.html", context)

    def decide(self, request, account_id):
        """POST subsystem, decision (approve / reject) and reason: the service decides."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        account = self._account(request, account_id)
        approve = request.POST.get("decision") == "approve"
        try:
            decide_access(actor=request.user, account_id=account.pk, subsystem=request.POST.get("subsystem", ""),
                          approve=approve, reason=request.POST.get("reason", ""), request=request)
        except DomainError as exc:
            message = exc.message
            if getattr(exc, "errors", None):
                message = "；".join(m for ms in exc.errors.values() for m in ms)
            messages.error(request, f"未能审核：{message}")
        else:
            messages.success(request, "已审核通过，企业现在可以使用各项服务。" if approve
                             else "已审核不通过，企业登录后可看到原因。")
        return redirect("admin:core_enterpriseaccount_change", account_id=account.pk)
