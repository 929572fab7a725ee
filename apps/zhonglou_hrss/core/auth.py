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
