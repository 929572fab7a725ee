"""评价结果: the results page (``desk.results``) in place of a list of the
versions — a version is read with its rankings, never edited."""

from django.contrib import admin

from zhonglou_hrss.core.admin.base import DeskModelAdmin
from zhonglou_hrss.credit.desk.urls import result_patterns
from zhonglou_hrss.credit.models import ResultVersion
from zhonglou_hrss.credit.rules import MANAGE_RESULTS


@admin.register(ResultVersion)
class ResultVersionAdmin(DeskModelAdmin):
    def has_module_permission(self, request):
        return request.user.has_perm(MANAGE_RESULTS)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE_RESULTS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # The results page answers the list's own address (admin:credit_resultversion_changelist too).
        return result_patterns(self.admin_site) + super().get_urls()
