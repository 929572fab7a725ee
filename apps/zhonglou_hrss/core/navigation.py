"""The desk's settings for django-unfold, and core's own sidebar entries.

The sidebar is grouped by what people do (ui.md): 工作台 · 快办事件 · 信访 ·
统计分析 · 企业 · 就业服务 · 信用评价 · 系统设置. Core declares its groups and
entries here (``register``, called from ``CoreConfig.ready``); each domain app
adds its own in its ``AppConfig.ready`` (``core.registry``). Every entry names
the permissions that show it: a user sees only what their roles allow.
Imported by settings, so nothing here touches models at import.
"""

from django.templatetags.static import static
from django.urls import reverse_lazy

from zhonglou_hrss.core import registry

# Group order (apps add theirs between these numbers).
WORKBENCH, ENTERPRISES, SETTINGS = "工作台", "企业", "系统设置"


def changelist(app_model):
    app, model = app_model.split(".")
    return reverse_lazy(f"admin:{app}_{model}_changelist")


def register():
    registry.nav_group(WORKBENCH, order=0)
    registry.nav_group(ENTERPRISES, order=50)
    registry.nav_group(SETTINGS, order=100, collapsible=True)
    registry.nav_item(WORKBENCH, "工作台首页", icon="dashboard", link=reverse_lazy("admin:index"),
                      permissions=("core.access_desk",), order=0)
    registry.nav_item(ENTERPRISES, "企业库", icon="domain", link=changelist("core.enterprise"),
                      permissions=("core.view_enterprise",), order=0)
    for order, (title, icon, model, perm) in enumerate([
        ("用户", "person", "core.user", "core.view_user"),
        ("角色", "badge", "core.role", "core.view_role"),
        ("网格", "grid_view", "core.grid", "core.view_grid"),
        ("字典", "list", "core.lookupentry", "core.change_lookupentry"),
        ("导出模板", "table_view", "core.exporttemplate", "core.view_exporttemplate"),
        ("登录锁定", "lock", "axes.accessattempt", "axes.view_accessattempt"),
        ("接口令牌", "key", "core.apitoken", "core.change_user"),
        ("审计日志", "history", "core.auditlog", "core.view_auditlog"),
    ]):
        registry.nav_item(SETTINGS, title, icon=icon, link=changelist(model), permissions=(perm,),
                          order=order * 10)
    registry.nav_item(SETTINGS, "系统状态", icon="monitor_heart", link=reverse_lazy("system_health"),
                      permissions=("core.view_system_health",), order=200)


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
    # Our pages' behaviours (data-autosubmit, data-confirm; no inline handler
    # runs under the CSP) and a fix to unfold's phone lists.
    "SCRIPTS": [lambda request: static("desk/desk.js")],
    "DASHBOARD_CALLBACK": "zhonglou_hrss.core.dashboard.dashboard_callback",
    "LOGIN": {"form": "zhonglou_hrss.core.desk.DeskLoginForm"},
    # The account menu (given links replace unfold's own 修改密码, so it is
    # listed again): everyone's own API tokens — the sidebar's 接口令牌 is the
    # user administrator's list of all of them.
    "ACCOUNT": {"navigation": [
        {"title": "修改密码", "link": reverse_lazy("admin:password_change")},
        {"title": "我的接口令牌", "link": changelist("core.apitoken")},
    ]},
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
        # Built per request from what core and the apps registered (core.registry).
        "navigation": "zhonglou_hrss.core.registry.sidebar",
    },
}


def enterprise_page(uscc: str) -> str:
    """The desk's page of one enterprise (``core.admin.enterprise_page``), by its USCC — the
    link every list naming a company uses (demands, job-fair registrations, the registry)."""
    from django.urls import reverse

    return reverse("admin:core_enterprise_page", args=[uscc])
