"""The desk home (工作台): what the signed-in user can act on now.

Domain apps contribute cards as they land; the foundation shows the system
figures an admin looks after.
"""

from django.urls import reverse

from zhonglou_hrss.core.models import AuditLog, Enterprise, Grid, User


def _cards(request):
    user = request.user
    cards = []
    if user.has_perm("core.view_enterprise"):
        cards.append({"title": "企业库", "value": Enterprise.objects.count(),
                      "link": reverse("admin:core_enterprise_changelist")})
    if user.has_perm("core.view_user"):
        cards.append({"title": "有效用户", "value": User.objects.filter(is_active=True).count(),
                      "link": reverse("admin:core_user_changelist") + "?is_active__exact=1"})
    if user.has_perm("core.view_grid"):
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


def _domain_cards(request) -> list[dict]:
    """Each domain app may ship ``<app>.dashboard.cards(request)``; core names none."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    cards = []
    for config in apps.get_app_configs():
        if config.name.startswith("zhonglou_hrss.") and config.label != "core":
            if find_spec(f"{config.name}.dashboard") is not None:
                cards += import_module(f"{config.name}.dashboard").cards(request)
    return cards


def dashboard_callback(request, context):
    context.update({"work_cards": _domain_cards(request), "desk_cards": _cards(request), "desk_user": request.user})
    return context
