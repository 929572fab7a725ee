"""Credit's entries in the desk sidebar (registered in ``CreditConfig.ready``):
the group 信用评价 of ui.md — the HR-company accounts waiting for review, the
yearly criteria, the declarations to review and score, the results."""

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.navigation import changelist
from zhonglou_hrss.credit.rules import APPROVE_ACCOUNTS, MANAGE_CRITERIA, MANAGE_RESULTS, REVIEW, SCORE

GROUP = "信用评价"


def pending_accounts_link(request=None):
    """The enterprise accounts list filtered to credit's queue (core.admin.accounts' filter)."""
    from django.urls import reverse

    return reverse("admin:core_enterpriseaccount_changelist") + "?credit=pending"


def results_link(request=None):
    from django.urls import reverse

    return reverse("admin:credit_results")


def register():
    # ui.md: … 就业服务 (60) · 信用评价 · 系统设置 (100).
    registry.nav_group(GROUP, order=65)
    registry.nav_item(GROUP, "企业账号", icon="how_to_reg", link=pending_accounts_link,
                      permissions=(APPROVE_ACCOUNTS,), order=10,
                      badge="zhonglou_hrss.credit.dashboard.pending_accounts_badge")
    registry.nav_item(GROUP, "评价标准", icon="rule", link=changelist("credit.criteriayear"),
                      permissions=(MANAGE_CRITERIA,), order=20)
    registry.nav_item(GROUP, "信用申报", icon="assignment", link=changelist("credit.declaration"),
                      permissions=(REVIEW, SCORE), order=30,
                      badge="zhonglou_hrss.credit.dashboard.to_score_badge")
    registry.nav_item(GROUP, "评价结果", icon="leaderboard", link=results_link,
                      permissions=(MANAGE_RESULTS,), order=40)
