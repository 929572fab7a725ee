from django.contrib import admin

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.models import Grid


@admin.register(Grid)
class GridAdmin(DeskModelAdmin):
    list_display = ("code", "name", "kind", "active_badge", "lat", "lng", "order", "worker_count")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    ordering = ("order", "code")
    fields = ("code", "name", "kind", "active", ("lat", "lng"), "order")

    @admin.display(description="状态", ordering="active")
    def active_badge(self, obj):
        return badge("有效", "green") if obj.active else badge("已停用", "grey")

    @admin.display(description="网格员人数")
    def worker_count(self, obj):
        return obj.workers.filter(is_active=True).count()

    def has_delete_permission(self, request, obj=None):
        # Grids stay on old records: deactivate instead of deleting.
        return False
