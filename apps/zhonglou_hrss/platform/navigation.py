"""The platform's entries in the desk sidebar (registered in ``PlatformConfig.ready``):
系统设置 → 自定义字段; under 统计分析 (kuaiban's figures group, same title and
order) 自定义报表 — the builder and the list of my and shared reports — for
holders of platform.build_report, and one entry per report shared with one of
the user's roles (computed per request: ``core.registry.nav_entries``)."""

from django.urls import reverse, reverse_lazy

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.navigation import SETTINGS, changelist
from zhonglou_hrss.platform.rules import BUILD
from zhonglou_hrss.platform.selectors.reports import shared_with_me

FIGURES = "统计分析"  # kuaiban.navigation.FIGURES: one group for every figure the desk shows
SHARED_MAX = 20  # entries in the sidebar; the list page has them all


def register():
    registry.nav_item(SETTINGS, "自定义字段", icon="dynamic_form", link=changelist("core.customfield"),
                      permissions=("core.manage_customfield",), order=65)
    registry.nav_group(FIGURES, order=30)
    registry.nav_item(FIGURES, "自定义报表", icon="query_stats", link=reverse_lazy("admin:platform_savedreport_changelist"),
                      permissions=(BUILD,), order=40)
    registry.nav_entries(FIGURES, "zhonglou_hrss.platform.navigation.shared_entries", order=50)


def shared_entries(request) -> list[tuple[str, str, str]]:
    return [(report.name, "table_chart", reverse("admin:platform_report_page", args=[report.pk]))
            for report in shared_with_me(request.user)[:SHARED_MAX]]
