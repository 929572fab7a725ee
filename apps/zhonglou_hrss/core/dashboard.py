"""The desk home (工作台): what the signed-in user can act on now.

The apps' work cards come from ``core.registry.dashboard_cards`` (each app
registers its provider in ``AppConfig.ready``), in rows by their ``section``;
core adds, after them, the system figures of the people who keep those
records (the enterprise registry, the accounts, the grids, the sign-ins) —
not of everyone who may look them up: a leader's home shows the cases, not
how many enterprises the registry holds.
"""

from django.urls import reverse

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.models import AuditLog, Enterprise, Grid, User


def _cards(request):
    user = request.user
    cards = []
    if user.has_perm("core.import_enterprise"):  # who keeps the registry (an inspector only adds to it)
        cards.append({"title": "企业库", "value": Enterprise.objects.count(),
                      "link": reverse("admin:core_enterprise_changelist")})
    if user.has_perm("core.change_user"):
        cards.append({"title": "有效用户", "value": User.objects.filter(is_active=True).count(),
                      "link": reverse("admin:core_user_changelist") + "?is_active__exact=1"})
    if user.has_perm("core.change_grid"):
        cards.append({"title": "有效网格", "value": Grid.objects.filter(active=True).count(),
                      "link": reverse("admin:core_grid_changelist") + "?active__exact=1"})
    if user.has_perm("core.view_auditlog"):
        cards.append({"title": "近24小时登录失败", "value": AuditLog.objects.filter(
            action=AuditLog.Action.LOGIN_FAILED, at__gte=_since_hours(24)).count(),
            "link": reverse("admin:core_auditlog_changelist") + "?action__exact=login_failed"})
    return cards


def _since_hours(hours):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(hours=hours)


def dashboard_callback(request, context):
    context.update({"work_cards": registry.cards_for(request), "desk_cards": _cards(request), "desk_user": request.user})
    return context
