"""The desk's sidebar (django-unfold), grouped by what people do.

Each item names the permission that shows it: a user sees only what their
roles allow. Imported by settings, so nothing here touches models at import.
Domain apps add their groups here as they land (kuaiban, portal, credit).
"""

from django.templatetags.static import static
from django.urls import reverse_lazy


def perm(*codenames):
    """Sidebar permission callback: visible when the user has any of these."""

    def check(request):
        user = request.user
        return user.is_active and any(user.has_perm(c) for c in codenames)

    return check


def case_list(query=""):
    """Link to the kuaiban case list, optionally pre-filtered (resolved per request)."""

    def link(request):
        from django.urls import reverse

        return reverse("admin:kuaiban_case_changelist") + query

    return link


def changelist(app_model):
    app, model = app_model.split(".")
    return reverse_lazy(f"admin:{app}_{model}_changelist")


UNFOLD = {
    "SITE_TITLE": "钟楼区人社局业务管理系统",
    "SITE_HEADER": "钟楼区人社局",
    "SITE_SUBHEADER": "业务管理系统",
    "SITE_URL": "/",
    "SITE_SYMBOL": "account_balance",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_BACK_BUTTON": True,
    "SITE_FAVICONS": [
        {"rel": "icon", "sizes": "any", "type": "image/svg+xml", "href": lambda request: static("desk/favicon.svg")},
    ],
    "STYLES": [lambda request: static("desk/desk.css")],
    "DASHBOARD_CALLBACK": "zhonglou_hrss.core.dashboard.dashboard_callback",
    "LOGIN": {"form": "zhonglou_hrss.core.desk.DeskLoginForm"},
    "COLORS": {
        # 政务蓝 primary
        "primary": {
            "50": "oklch(97% .014 254.604)",
            "100": "oklch(93.2% .032 255.585)",
            "200": "oklch(88.2% .059 254.128)",
            "300": "oklch(80.9% .105 251.813)",
            "400": "oklch(70.7% .165 254.624)",
            "500": "oklch(62.3% .214 259.815)",
            "600": "oklch(54.6% .245 262.881)",
            "700": "oklch(48.8% .243 264.376)",
            "800": "oklch(42.4% .199 265.638)",
            "900": "oklch(37.9% .146 265.522)",
            "950": "oklch(28.2% .091 267.935)",
        },
    },
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": [
            {
                "title": "工作台",
                "items": [
                    {"title": "工作台首页", "icon": "dashboard", "link": reverse_lazy("admin:index")},
                ],
            },
            {
                "title": "快办事件",
                "separator": True,
                "items": [
                    {"title": "待我处理", "icon": "pending_actions", "link": case_list("?queue=mine"),
                     "badge": "zhonglou_hrss.kuaiban.desk_views.queue_badge",
                     "permission": perm("kuaiban.view_all_cases", "kuaiban.handle_assigned_case", "core.work_in_grid")},
                    {"title": "全部事件", "icon": "list_alt", "link": case_list(),
                     "permission": perm("kuaiban.view_all_cases", "kuaiban.handle_assigned_case", "core.work_in_grid")},
                    {"title": "超时事件", "icon": "alarm", "link": case_list("?overdue=true"),
                     "permission": perm("kuaiban.view_all_cases", "core.work_in_grid")},
                    {"title": "内部登记", "icon": "edit_note", "link": reverse_lazy("admin:kuaiban_case_register"),
                     "permission": perm("kuaiban.register_case")},
                    {"title": "群众登记二维码", "icon": "qr_code_2", "link": reverse_lazy("kuaiban:qr_posters"),
                     "permission": perm("kuaiban.print_qr_poster")},
                ],
            },
            {
                "title": "信访",
                "separator": True,
                "items": [
                    {"title": "信访记录", "icon": "forum", "link": changelist("kuaiban.petition"),
                     "permission": perm("kuaiban.view_petition")},
                    {"title": "录入信访", "icon": "post_add", "link": reverse_lazy("admin:kuaiban_petition_add"),
                     "permission": perm("kuaiban.add_petition")},
                ],
            },
            {
                "title": "统计分析",
                "separator": True,
                "items": [
                    {"title": "一张图", "icon": "map", "link": reverse_lazy("kuaiban_stats:map"),
                     "permission": perm("kuaiban.view_all_cases", "core.work_in_grid")},
                    {"title": "数据分析", "icon": "monitoring", "link": reverse_lazy("kuaiban_stats:analysis"),
                     "permission": perm("kuaiban.view_all_cases", "core.work_in_grid")},
                ],
            },
            {
                "title": "企业",
                "separator": True,
                "items": [
                    {
                        "title": "企业库",
                        "icon": "domain",
                        "link": changelist("core.enterprise"),
                        "permission": perm("core.view_enterprise"),
                    },
                ],
            },
            {
                "title": "系统设置",
                "separator": True,
                "collapsible": True,
                "items": [
                    {"title": "用户", "icon": "person", "link": changelist("core.user"),
                     "permission": perm("core.view_user")},
                    {"title": "角色", "icon": "badge", "link": changelist("core.role"),
                     "permission": perm("core.view_role")},
                    {"title": "网格", "icon": "grid_view", "link": changelist("core.grid"),
                     "permission": perm("core.view_grid")},
                    {"title": "字典", "icon": "list", "link": changelist("core.lookupentry"),
                     "permission": perm("core.change_lookupentry")},
                    {"title": "区界地图", "icon": "map", "link": reverse_lazy("kuaiban_stats:boundary_upload"),
                     "permission": perm("core.change_grid")},
                    {"title": "导出模板", "icon": "table_view", "link": changelist("core.exporttemplate"),
                     "permission": perm("core.view_exporttemplate")},
                    {"title": "登录锁定", "icon": "lock", "link": changelist("axes.accessattempt"),
                     "permission": perm("axes.view_accessattempt")},
                    {"title": "审计日志", "icon": "history", "link": changelist("core.auditlog"),
                     "permission": perm("core.view_auditlog")},
                ],
            },
        ],
    },
}
