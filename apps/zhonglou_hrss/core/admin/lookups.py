from django.contrib import admin

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.models import LookupEntry

# Who maintains the lists sees their codes (what records, fixtures and the API
# refer to); everyone else reads the Chinese names only (issue 11 item 10).
CODES_PERMISSION = "core.change_lookupentry"


def shows_codes(user) -> bool:
    return user.has_perm(CODES_PERMISSION)


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

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if shows_codes(request.user) else tuple(f for f in shown if f != "code")

    def get_search_fields(self, request):
        return self.search_fields if shows_codes(request.user) else ("label",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if shows_codes(request.user) else [f for f in fields if f != "code"]

    def get_readonly_fields(self, request, obj=None):
        # The code is what records and fixtures refer to: fixed once created.
        return ("kind", "code") if obj else ()
