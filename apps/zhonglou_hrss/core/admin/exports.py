"""Desk page for export templates (R-KB-17): the admin uploads .xlsx templates,
sees which fields each kind offers, downloads any template to edit it."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from zhonglou_hrss.core import private_files
from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports import registry, templates
from zhonglou_hrss.core.models import ExportTemplate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOW_TO = ("模板是一个 .xlsx 文件：第一个工作表上方为表头（可多行，可合并单元格），表头下面紧接着一行占位符，"
          "每列一个，如 {{number}}、{{status}}；导出时每条记录按占位符行的列顺序写一行。占位符行之后不要再有内容。")


class ExportTemplateForm(forms.ModelForm):
    upload = forms.FileField(label="模板文件（.xlsx）", required=False, help_text=HOW_TO,
                             widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    class Meta:
        model = ExportTemplate
        fields = ("name", "kind", "active", "is_default")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # a new template (a saved one keeps its kind: read-only)
            self.fields["kind"] = forms.ChoiceField(label="导出内容", choices=[("", "请选择"), *registry.kinds()])

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        kind = cleaned.get("kind") or (self.instance.kind if self.instance.pk else None)
        self.content = None
        if upload is None:
            if not self.instance.file:
                self.add_error("upload", "请上传模板文件")
            return cleaned
        if upload.size > templates.MAX_TEMPLATE_BYTES:
            self.add_error("upload", "模板文件过大（不能超过 2 MB）")
            return cleaned
        content = upload.read()
        if kind:
            try:
                templates.parse_template(content, kind=kind)
            except InvalidInput as exc:
                for message in exc.errors.get("file", []):
                    self.add_error("upload", message)
                return cleaned
        self.content = content
        return cleaned


class KindFilter(admin.SimpleListFilter):
    title = "导出内容"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return registry.kinds()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(ExportTemplate)
class ExportTemplateAdmin(DeskModelAdmin):
    form = ExportTemplateForm
    list_display = ("name", "kind_col", "default_badge", "active_badge", "field_count", "download_link",
                    "uploaded_by", "updated_at")
    list_filter = (KindFilter, "active")
    search_fields = ("name",)
    readonly_fields = ("download_link", "placeholder_list", "original_filename", "uploaded_by", "created_at",
                       "updated_at", "available_fields")

    def get_fields(self, request, obj=None):
        fields = ["name", "kind", "upload", "active", "is_default"]
        if obj is not None:
            fields += ["download_link", "placeholder_list", "original_filename", "uploaded_by", "updated_at"]
        return fields + ["available_fields"]

    def get_readonly_fields(self, request, obj=None):
        # Placeholders were checked against the kind: a template keeps its kind.
        return (*self.readonly_fields, "kind") if obj is not None else self.readonly_fields

    @admin.display(description="导出内容", ordering="kind")
    def kind_col(self, obj):
        return obj.kind_label

    @admin.display(description="默认", ordering="is_default")
    def default_badge(self, obj):
        return badge("默认", "blue") if obj.is_default else ""

    @admin.display(description="状态", ordering="active")
    def active_badge(self, obj):
        return badge("启用", "green") if obj.active else badge("已停用", "grey")

    @admin.display(description="字段数")
    def field_count(self, obj):
        return len(obj.placeholders or [])

    @admin.display(description="下载")
    def download_link(self, obj):
        if obj is None or not obj.pk or not obj.file:
            return "—"
        url = reverse("admin:core_exporttemplate_download", args=[obj.pk])
        return format_html('<a class="text-primary-600 underline" href="{}">下载模板</a>', url)

    @admin.display(description="模板中的字段")
    def placeholder_list(self, obj):
        labels = dict(registry.field_choices(obj.kind))
        return "、".join(f"{labels.get(k, k)}" for k in obj.placeholders or []) or "—"

    @admin.display(description="可用的占位符")
    def available_fields(self, obj):
        blocks = []
        for kind, label in registry.kinds():
            items = format_html_join("", "<li><code>{{{{{}}}}}</code> {}</li>", registry.field_choices(kind))
            blocks.append(format_html('<p class="font-semibold mt-2">{}</p><ul class="ml-4 columns-2">{}</ul>',
                                      label, items))
        return format_html("{}", format_html_join("", "{}", ((b,) for b in blocks)))

    def get_urls(self):
        urls = [path("<int:pk>/download/", self.admin_site.admin_view(self.download_view),
                     name="core_exporttemplate_download")]
        return urls + super().get_urls()

    def download_view(self, request, pk):
        template = ExportTemplate.objects.filter(pk=pk).first()
        if template is None or not self.has_view_permission(request, template):
            raise Http404
        try:
            content = templates.template_bytes(template)
        except (InvalidInput, OSError):
            raise Http404 from None
        from io import BytesIO

        response = FileResponse(BytesIO(content), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template.name + '.xlsx')}"
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        templates.save_template(actor=request.user, template=obj, content=form.content,
                              filename=upload.name if upload else "")

    def delete_model(self, request, obj):
        file = obj.file
        super().delete_model(request, obj)
        if file and not file.startswith(templates.BUILTIN_PREFIX):
            transaction.on_commit(lambda: private_files.delete_private(file))

    def delete_queryset(self, request, queryset):
        files = [f for f in queryset.values_list("file", flat=True) if f and not f.startswith(templates.BUILTIN_PREFIX)]
        super().delete_queryset(request, queryset)
        for file in files:
            transaction.on_commit(lambda file=file: private_files.delete_private(file))
