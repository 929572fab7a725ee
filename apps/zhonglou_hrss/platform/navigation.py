"""The platform's entries in the desk sidebar (registered in ``PlatformConfig.ready``):
系统设置 → 自定义字段; under 统计分析 (kuaiban's figures group, same title and
order) 自定义报表 — the builder and the list of my and shared reports — for
holders of platform.build_report, and one entry per report shared with one of
the user's roles (computed per request: ``core.registry.nav_entries``)."""

from django.contrib.auth.models import Group
from django.urls import reverse, reverse_lazy

from zhonglou_hrss.core import memo, registry
from zhonglou_hrss.core.models import Role, User
from zhonglou_hrss.core.navigation import SETTINGS, changelist
from zhonglou_hrss.platform.rules import BUILD
from zhonglou_hrss.platform.selectors.reports import shared_with_me

FIGURES = "统计分析"  # kuaiban.navigation.FIGURES: one group for every figure the desk shows
SHARED_MAX = 20  # entries in the sidebar; the list page has them all
SHARED_VERSION = "platform:shared-reports:version"  # the cache's token for the entries kept (core.memo.kept)
SHARED_PREFIX = "platform:shared:"


def register():
    registry.nav_item(SETTINGS, "自定义字段", icon="dynamic_form", link=changelist("core.customfield"),
                      permissions=("core.manage_customfield",), order=65)
    registry.nav_group(FIGURES, order=30)
    registry.nav_item(FIGURES, "自定义报表", icon="query_stats", link=reverse_lazy("admin:platform_savedreport_changelist"),
                      permissions=(BUILD,), order=40)
    registry.nav_entries(FIGURES, "zhonglou_hrss.platform.navigation.shared_entries", order=50)
    _renew_on_change()


def shared_entries(request) -> tuple[tuple[str, str, str], ...]:
    """Kept across requests until a report, its sharing or someone's roles change (a query and
    its building on every desk page, issue 19)."""
    user = request.user

    def load():
        return tuple((report.name, "table_chart", reverse("admin:platform_report_page", args=[report.pk]))
                     for report in shared_with_me(user)[:SHARED_MAX])

    return memo.kept(f"{SHARED_PREFIX}{user.pk}", load, version=SHARED_VERSION)


def _renew_on_change():
    from zhonglou_hrss.platform.models import SavedReport

    # A role deleted in the desk is a core.Role (Django signals the proxy's class, not Group's).
    memo.renew_on(SHARED_VERSION, SHARED_PREFIX, models=(SavedReport, Group, Role),
                  relations=(SavedReport.shared_with.through, User.groups.through))
