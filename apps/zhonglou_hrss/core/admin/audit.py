from django.contrib import admin
from unfold.contrib.filters.admin import RangeDateTimeFilter

from zhonglou_hrss.core.admin.base import DeskModelAdmin
from zhonglou_hrss.core.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(DeskModelAdmin):
    list_display = ("at", "actor_username", "action", "target_repr", "ip")
    list_filter = ("action", ("at", RangeDateTimeFilter))
    search_fields = ("actor_username", "target_repr", "ip")
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "actor_username", "action", "target_type", "target_id",
                       "target_repr", "detail", "ip")
    fields = readonly_fields

    # Kept, never editable.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
