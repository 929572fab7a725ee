"""The portal's entries in the desk sidebar (registered in ``PortalConfig.ready``):
the group 就业服务 — enterprise accounts to review, news, urgent concerns, job
fairs and their registrations."""

from django.urls import reverse_lazy

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.navigation import changelist
from zhonglou_hrss.portal.rules import (
    APPROVE_ACCOUNTS,
    PUBLISH_NEWS,
    VIEW_ACCOUNTS,
    VIEW_CONCERNS,
    VIEW_DEMANDS,
    VIEW_JOBFAIRS,
    VIEW_NEWS,
)

EMPLOYMENT = "就业服务"


def pending_accounts_link(request=None):
    from django.urls import reverse

    return reverse("admin:core_enterpriseaccount_changelist") + "?portal=pending"


def register():
    registry.nav_group(EMPLOYMENT, order=60)
    registry.nav_item(EMPLOYMENT, "企业账号审核", icon="how_to_reg", link=pending_accounts_link,
                      permissions=(APPROVE_ACCOUNTS,), order=10,
                      badge="zhonglou_hrss.portal.dashboard.pending_accounts_badge")
    registry.nav_item(EMPLOYMENT, "企业账号", icon="apartment", link=changelist("core.enterpriseaccount"),
                      permissions=(VIEW_ACCOUNTS,), order=20)
    registry.nav_item(EMPLOYMENT, "政策资讯", icon="newspaper", link=changelist("portal.news"),
                      permissions=(VIEW_NEWS, PUBLISH_NEWS), order=30)
    registry.nav_item(EMPLOYMENT, "发布资讯", icon="post_add", link=reverse_lazy("admin:portal_news_new"),
                      permissions=(PUBLISH_NEWS,), order=40)
    registry.nav_item(EMPLOYMENT, "急难愁盼", icon="support_agent", link=changelist("portal.concern"),
                      permissions=(VIEW_CONCERNS,), order=50,
                      badge="zhonglou_hrss.portal.dashboard.new_concerns_badge")
    registry.nav_item(EMPLOYMENT, "招聘会", icon="event", link=changelist("portal.jobfair"),
                      permissions=(VIEW_JOBFAIRS,), order=60)
    registry.nav_item(EMPLOYMENT, "招聘会报名", icon="fact_check", link=changelist("portal.registration"),
                      permissions=(VIEW_JOBFAIRS,), order=70,
                      badge="zhonglou_hrss.portal.dashboard.pending_registrations_badge")
    # Talent demands (R-PT-13, 14).
    registry.nav_item(EMPLOYMENT, "人才需求", icon="work", link=changelist("portal.demand"),
                      permissions=(VIEW_DEMANDS,), order=80,
                      badge="zhonglou_hrss.portal.dashboard.pending_demands_badge")
    registry.nav_item(EMPLOYMENT, "需求统计", icon="bar_chart", link=reverse_lazy("admin:portal_demand_stats"),
                      permissions=(VIEW_DEMANDS,), order=90)
