"""Kuaiban's entries in the desk sidebar (registered in ``KuaibanConfig.ready``):
快办事件, 信访 and 统计分析, and 区界地图 under 系统设置."""

from django.urls import reverse_lazy

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.navigation import SETTINGS, changelist
from zhonglou_hrss.kuaiban.rules import CASE_LIST_PERMS, GRID, STATS_PERMS, VIEW_ALL

CASES, PETITIONS, FIGURES = "快办事件", "信访", "统计分析"


def case_list(query=""):
    """Link to the case list, optionally pre-filtered (resolved per request)."""

    def link(request):
        from django.urls import reverse

        return reverse("admin:kuaiban_case_changelist") + query

    return link


def register():
    registry.nav_group(CASES, order=10)
    registry.nav_group(PETITIONS, order=20)
    registry.nav_group(FIGURES, order=30)
    registry.nav_item(CASES, "待我处理", icon="pending_actions", link=case_list("?queue=mine"),
                      permissions=CASE_LIST_PERMS, badge="zhonglou_hrss.kuaiban.desk.cases.queue_badge", order=10)
    registry.nav_item(CASES, "全部事件", icon="list_alt", link=case_list(), permissions=CASE_LIST_PERMS, order=20)
    registry.nav_item(CASES, "超时事件", icon="alarm", link=case_list("?overdue=true"), permissions=(VIEW_ALL, GRID),
                      order=30)
    registry.nav_item(CASES, "内部登记", icon="edit_note", link=reverse_lazy("admin:kuaiban_case_register"),
                      permissions=("kuaiban.register_case",), order=40)
    registry.nav_item(CASES, "群众登记二维码", icon="qr_code_2", link=reverse_lazy("kuaiban:qr_posters"),
                      permissions=("kuaiban.print_qr_poster",), order=50)
    registry.nav_item(PETITIONS, "信访记录", icon="forum", link=changelist("kuaiban.petition"),
                      permissions=("kuaiban.view_petition",), order=10)
    registry.nav_item(PETITIONS, "录入信访", icon="post_add", link=reverse_lazy("admin:kuaiban_petition_new"),
                      permissions=("kuaiban.add_petition",), order=20)
    registry.nav_item(FIGURES, "一张图", icon="map", link=reverse_lazy("kuaiban_stats:map"), permissions=STATS_PERMS,
                      order=10)
    registry.nav_item(FIGURES, "数据分析", icon="monitoring", link=reverse_lazy("kuaiban_stats:analysis"),
                      permissions=STATS_PERMS, order=20)
    registry.nav_item(SETTINGS, "区界地图", icon="map", link=reverse_lazy("kuaiban_stats:boundary_upload"),
                      permissions=("core.change_grid",), order=35)
