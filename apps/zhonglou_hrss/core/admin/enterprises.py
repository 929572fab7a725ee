from django import forms
from django.contrib import admin
from import_export.admin import ImportMixin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin
from unfold.contrib.import_export.forms import ImportForm

from zhonglou_hrss.core.admin.base import AllOrNothingImportMixin, DeskModelAdmin, badge
from zhonglou_hrss.core.imports import EnterpriseResource
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.core.errors import InvalidInput
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

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""), label="企业名称")

    def clean_uscc(self):
        code, checksum_ok = clean_uscc(
            self.cleaned_data.get("uscc", ""), confirmed=self.data.get("confirm_uscc") in ("on", "true", "1")
        )
        self.instance.uscc_checksum_ok = checksum_ok
        return code or None


@admin.register(Enterprise)
class EnterpriseAdmin(AllOrNothingImportMixin, ImportMixin, SimpleHistoryAdmin, DeskModelAdmin):
    form = EnterpriseForm
    import_form_class = ImportForm
    resource_classes = [EnterpriseResource]
    formats = [XLSX]
    import_template_name = "core/admin/import_with_template.html"
    list_display = ("name", "uscc", "checksum_badge", "industry", "address", "updated_at")
    list_filter = ("industry", "uscc_checksum_ok")
    search_fields = ("name", "uscc", "address")
    fields = ("uscc", "confirm_uscc", "name", "industry", "address")
    list_select_related = ("industry",)

    @admin.display(description="代码校验", ordering="uscc_checksum_ok")
    def checksum_badge(self, obj):
        if not obj.uscc:
            return badge("未填写", "grey")
        return badge("通过", "green") if obj.uscc_checksum_ok else badge("人工确认", "amber")

    def save_model(self, request, obj, form, change):
        try:
            save_enterprise(actor=request.user, enterprise=obj)
        except InvalidInput as exc:  # the code was taken between the form's check and the save
            from django.contrib import messages

            messages.error(request, "；".join(m for msgs in exc.errors.values() for m in msgs))

    def has_import_permission(self, request):
        return request.user.has_perm("core.import_enterprise")

    def has_delete_permission(self, request, obj=None):
        # Cases, accounts and ratings point at enterprises.
        return False
