"""``/healthz`` for the load balancer and the desk's 系统状态 page (core.health)."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from zhonglou_hrss.core import health
from zhonglou_hrss.core.desk import can_use_desk

STATUS_LABELS = {health.OK: ("正常", "zl-green"), health.WARN: ("注意", "zl-amber"), health.FAIL: ("异常", "zl-red")}


@never_cache
def healthz(request):
    """200 ``{"status": "ok"}`` when the database answers, else 503
    ``{"status": "fail"}`` (Redis down: still 200, see ``health.liveness``). No sign-in, no rate limit,
    no versions, no detail (the desk page has those)."""
    ok, _ = health.liveness()
    return JsonResponse({"status": "ok" if ok else "fail"}, status=200 if ok else 503)


@never_cache
def status_page(request):
    """系统状态: every check with its detail, the periodic jobs' last runs."""
    if not can_use_desk(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.has_perm("core.view_system_health"):
        raise PermissionDenied
    data = health.report()
    checks = [{"name": c.name, "detail": c.detail, "label": STATUS_LABELS[c.status][0],
               "tone": STATUS_LABELS[c.status][1]} for c in data["checks"]]
    cron = [{**row, "label_status": STATUS_LABELS[row["status"]][0], "tone": STATUS_LABELS[row["status"]][1]}
            for row in data["cron"]]
    context = {**admin.site.each_context(request), "title": "系统状态", "checks": checks, "cron": cron,
               "all_ok": data["ok"]}
    return render(request, "core/health.html", context)
