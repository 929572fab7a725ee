from django.contrib import admin

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.models import LookupEntry


@admin.register(LookupEntry)
class LookupEntryAdmin(DeskModelAdmin):
    list_display = ("label", "code", "kind", "active_badge", "order", "parent")
    list_filter = ("kind", "active")
    search_fields = ("label", "code")
    list_editable = ("order",)
    fields = ("kind", "code", "label", "parent", "active", "order")
    autocomplete_fields = ("parent",)

    @admin.display(description="状态", ordering="active")
    def active_badge(self, obj):
        return badge("有效", "green") if obj.active else badge("已停用", "grey")

    def get_readonly_fields(self, request, obj=None):
        # The code is what records and fixtures refer to: fixed once created.
        return ("kind", "code") if obj else ()
