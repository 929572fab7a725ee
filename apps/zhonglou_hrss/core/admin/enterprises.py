from django import forms
from django.contrib import admin
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from import_export.admin import ImportMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin
from unfold.contrib.import_export.forms import ImportForm

from zhonglou_hrss.core.admin.custom_fields import CustomFieldListMixin
from zhonglou_hrss.core.admin.base import AllOrNothingImportMixin, DeskModelAdmin, badge
from zhonglou_hrss.core.imports import EnterpriseResource
from zhonglou_hrss.core import custom_field_forms, custom_fields, pii, registry
from zhonglou_hrss.core.admin.accounts import access_badge
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.core.navigation import enterprise_page
from zhonglou_hrss.core.selectors import DECIDERS, accounts_for
from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput
from zhonglou_hrss.core.services.enterprises import clean_uscc, save_enterprise
from zhonglou_hrss.core.validators import clean_name


class EnterpriseForm(forms.ModelForm):
    confirm_uscc = forms.BooleanField(
        label="确认代码无误", required=False,
        help_text="代码校验位不符、但已在国家企业信用信息公示系统核实无误时勾选。",
    )

    class Meta:
        model = Enterprise
        fields = ("uscc", "name", "industry", "address")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The bureau's own fields on enterprises (core.custom_fields), checked in clean() by the engine.
        full = pii.may_see(user) if user is not None else False
        custom_field_forms.add_fields(self, "enterprise", user, current=self.instance.custom, full=full)

    def clean(self):
        cleaned = super().clean()
        errors = ErrorCollector()
        self.custom_values = custom_fields.clean_values(
            "enterprise", custom_field_forms.posted_values(self), errors=errors, user=self.user,
            current=self.instance.custom, creating=self.instance.pk is None)
        for key, messages in errors.errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
        return cleaned

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""), label="企业名称")

    def clean_uscc(self):
        code, checksum_ok = clean_uscc(
            self.cleaned_data.get("uscc", ""), confirmed=self.data.get("confirm_uscc") in ("on", "true", "1")
        )
        self.instance.uscc_checksum_ok = checksum_ok
        return code or None


@admin.register(Enterprise)
class EnterpriseAdmin(CustomFieldListMixin, AllOrNothingImportMixin, ImportMixin, SimpleHistoryAdmin, DeskModelAdmin):
    custom_object = "enterprise"
    form = EnterpriseForm
    import_form_class = ImportForm
    resource_classes = [EnterpriseResource]
    formats = [XLSX]
    import_template_name = "core/admin/import_with_template.html"
    list_display = ("name", "uscc", "checksum_badge", "industry", "address", "updated_at", "page_link")
    list_filter = ("industry", "uscc_checksum_ok")
    search_fields = ("name", "uscc", "address")
    fields = ("uscc", "confirm_uscc", "name", "industry", "address")
    list_select_related = ("industry",)

    @admin.display(description="企业页面")
    def page_link(self, obj):
        if not obj.uscc:
            return "—"
        return format_html('<a class="text-primary-600" href="{}">查看全貌</a>', enterprise_page(obj.uscc))

    def get_urls(self):
        site = self.admin_site
        return [path("uscc/<str:uscc>/", site.admin_view(self.enterprise_page), name="core_enterprise_page")
                ] + super().get_urls()

    def enterprise_page(self, request, uscc):
        """One company whole (issue 13): its registry entry, its portal account and
        access, and what each app registered (``registry.enterprise_section``) and
        lets this user see — demands, job-fair registrations, cases, petitions."""
        if not request.user.has_perm("core.view_enterprise"):
            raise Http404
        enterprise = (Enterprise.objects.select_related("industry")
                      .filter(uscc=(uscc or "").strip().upper()).first())
        if enterprise is None:
            raise Http404
        may_see_accounts = request.user.has_perm("core.view_enterpriseaccount") or any(
            request.user.has_perm(perm) for perm in DECIDERS.values())
        accounts = []
        if may_see_accounts:  # all, or those of the subsystems the user decides (core.selectors.accounts_for)
            accounts = list(accounts_for(request.user).filter(enterprise=enterprise)
                            .select_related("user", "industry", "industrial_chain")
                            .prefetch_related("accesses"))
            for account in accounts:
                account.access_list = [(a.get_subsystem_display(), access_badge(a), a)
                                       for a in account.accesses.all()]
        sections = registry.enterprise_sections_for(request.user, enterprise)
        for section in sections:
            section["html"] = render_to_string(section["template"], {**section["context"], "enterprise": enterprise},
                                               request=request)
        return TemplateResponse(request, "core/admin/enterprise_page.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": enterprise.name,
            "enterprise": enterprise, "accounts": accounts, "sections": sections,
            "may_edit": request.user.has_perm("core.change_enterprise"), "may_see_accounts": may_see_accounts,
            # The bureau's own fields by the viewer's roles (a personal one masked: edit it on the form).
            "custom_shown": custom_fields.display_rows("enterprise", enterprise.custom,
                                                       custom_fields.visible("enterprise", request.user)),
        })

    @admin.display(description="代码校验", ordering="uscc_checksum_ok")
    def checksum_badge(self, obj):
        if not obj.uscc:
            return badge("未填写", "grey")
        return badge("通过", "green") if obj.uscc_checksum_ok else badge("人工确认", "amber")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields"):  # the custom fields are the form's own (not the model's): see get_fields
            kwargs["fields"] = [name for name in kwargs["fields"] if not name.startswith("custom.")]
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class WithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        return WithUser

    def get_fields(self, request, obj=None):
        # The custom fields the user may fill, after the enterprise's own (their names hold a dot:
        # not model fields, so the form class gets them from EnterpriseForm.__init__).
        names = [f"custom.{f.code}" for f in custom_fields.definitions("enterprise")
                 if custom_fields.may_edit(f, request.user)]
        return [*self.fields, *names]

    def save_model(self, request, obj, form, change):
        obj.custom = getattr(form, "custom_values", obj.custom)
        try:
            save_enterprise(actor=request.user, enterprise=obj)
            custom_fields.index("enterprise", obj.pk, obj.custom)
        except InvalidInput as exc:  # the code was taken between the form's check and the save
            from django.contrib import messages

            messages.error(request, "；".join(m for msgs in exc.errors.values() for m in msgs))

    def has_import_permission(self, request):
        return request.user.has_perm("core.import_enterprise")

    def has_delete_permission(self, request, obj=None):
        # Cases, accounts and ratings point at enterprises.
        return False
