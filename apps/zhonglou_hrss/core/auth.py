"""Permissions, read once and kept: every request of a signed-in user (a
desk page, an API call with a token) asks ``has_perm`` many times; Django's
ModelBackend answers from two queries per request (the user's own
permissions and their roles'). ``CachedModelBackend`` keeps the answer in the
cache (Redis on a production site, shared by every worker) under a version
that any change to roles, role permissions or a user's roles bumps, so a
change in 系统设置 → 角色 takes effect on the next request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

VERSION_KEY = "perms:version"
TTL = 3600


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def bump_version(**_kwargs) -> None:
    """Signal receiver: roles or permissions changed — every cached set is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted)
        cache.set(VERSION_KEY, 2, None)


class CachedModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"perms:user:{user_obj.pk}"
            version = _version()
            cached = cache.get(key)
            if cached is not None and cached[0] == version:
                perms = cached[1]
            else:
                perms = super().get_all_permissions(user_obj, obj)
                cache.set(key, (version, frozenset(perms)), TTL)
            user_obj._perm_cache = set(perms)
        return user_obj._perm_cache


# --- sign-in limits beyond the per-account lockout (django-axes) -----------------------------
def address_limit():
    """Failed sign-ins from one address, whatever the usernames (credential
    stuffing): beyond the limit the address waits out the window, on the desk
    and the API alike. The per-account lockout stays as it is."""
    from django.conf import settings

    from zhonglou_hrss.core.ratelimit import RateLimit

    minutes = settings.LOGIN_ADDRESS_WINDOW_MINUTES
    return RateLimit("login-address", settings.LOGIN_FAILURES_PER_ADDRESS, minutes * 60,
                     f"该网络地址登录失败次数过多，请{minutes}分钟后再试。")


def lockout_minutes() -> int:
    from django.conf import settings

    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return f"账号已临时锁定（连续多次输入错误的密码），{lockout_minutes()}分钟后可再次尝试。如需立即解锁，请联系系统管理员。"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout answer: the desk's page in Chinese (minutes, not
    an ISO duration), JSON with 429 for the API."""
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "core/lockout.html", {"minutes": lockout_minutes()}, status=429)


def safe_next(request, default: str) -> str:
    """Where a sign-in page sends the user afterwards: the ``next`` it was given when that
    stays on this site (an open redirect otherwise), else ``default``."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default
