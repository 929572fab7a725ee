"""The saved reports' entry in the desk site. Its list is the desk page of my and
shared reports (``desk.reports.list_page``), not the generic changelist: who
sees a report is ``selectors.reports.report_list_for``; every change goes
through the builder and ``services.reports``."""

from django.contrib import admin

from zhonglou_hrss.core.admin.base import DeskModelAdmin
from zhonglou_hrss.platform.desk import reports as pages
from zhonglou_hrss.platform.desk.urls import report_patterns
from zhonglou_hrss.platform.models import SavedReport


@admin.register(SavedReport)
class SavedReportAdmin(DeskModelAdmin):
    def has_module_permission(self, request):
        return request.user.has_perm(pages.DESK)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(pages.DESK)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return report_patterns(self.admin_site) + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        return pages.list_page(request)
