"""Shared desk behaviour."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.views import ChangeList
from unfold.widgets import UnfoldAdminTextInputWidget

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField


class DeskChangeList(ChangeList):
    # unfold's list templates ask whether the list is a dataset; see DeskModelAdmin.list_sections.
    is_dataset = False


class DeskModelAdmin(ModelAdmin):
    list_per_page = 50
    list_filter_submit = True
    warn_unsaved_form = True
    # unfold maps every TextField to a textarea; a PIIField holds one short value.
    formfield_overrides = {PIIField: {"widget": UnfoldAdminTextInputWidget}}
    # unfold's list templates ask for the row sections twice per row. Where an admin has none,
    # each ask failed through Django's template lookup, which then lists every attribute of
    # the admin (dir()): about 40 times on a case list page (issue 19). None, said plainly.
    list_sections = ()

    def get_changelist(self, request, **kwargs):
        return DeskChangeList


class AllOrNothingImportMixin:
    """Put before import-export's ImportMixin. When the confirmed import fails
    (the data changed since the preview) nothing was saved: say so, and log no
    desk history for rows that were rolled back."""

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            rows = sorted({r.number for r in result.invalid_rows} | {n for n, _ in result.row_errors()})
            messages.error(
                request,
                "导入未完成，整批均未导入：第" + "、".join(str(n) for n in rows)
                + "行在预览后出现错误（数据可能已被他人修改）。请重新上传，按预览提示修改。",
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)


class PIIAdminMixin:
    """Personal data in the desk: masked in lists, whole on a record's page
    only for users with ``core.view_pii`` (and then audit-logged); without the
    permission the field is read-only and masked."""

    def _pii_fields(self):
        return [f for f in self.model._meta.fields if isinstance(f, PIIField)]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not pii.may_see(request.user):
            for f in self._pii_fields():
                readonly.append(f"{f.name}_masked")
        return readonly

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not pii.may_see(request.user):
            names = {f.name for f in self._pii_fields()}
            fields = [f"{f}_masked" if f in names else f for f in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if pii.may_see(request.user):
            return fieldsets
        names = {f.name for f in self._pii_fields()}
        out = []
        for title, opts in fieldsets:
            opts = dict(opts)
            opts["fields"] = [f"{f}_masked" if f in names else f for f in opts.get("fields", [])]
            out.append((title, opts))
        return out

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 0) == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                pii.disclose(request.user, obj, request=request,
                             fields=pii.shown_fields(obj, [f.name for f in self._pii_fields()]))
        return response


def masked_display(field_name, kind, description):
    """A list/readonly column that always shows the masked value."""

    @admin.display(description=description)
    def _display(self, obj):
        return pii.mask(kind, getattr(obj, field_name))

    _display.__name__ = f"{field_name}_masked"
    return _display


def badge(text, tone):
    """Status badge; tones and colours as in ui.md (styles in static/desk/desk.css)."""
    tone = tone if tone in {"green", "grey", "red", "amber", "blue"} else "grey"
    return format_html('<span class="zl-badge zl-{}">{}</span>', tone, text)
