"""Django's Redis cache, made to behave like an empty cache while Redis is down.

The site keeps nothing in the cache that it cannot lose (sessions live in the
database; the cache holds permission sets, rate-limit counters, spent captcha
keys, version counters): a Redis outage must slow pages down, not answer them
with 500 (issue 9's fault drill). Every read then misses, every write is
dropped, ``incr`` says the key is missing (callers already fall back to
``set``), ``add`` succeeds as it would on an empty cache. Each failure is
logged (at most once a minute per process, so the log stays readable); the
desk's 系统状态 page shows Redis as 异常.

The sockets time out after ``SOCKET_TIMEOUT`` seconds: a Redis that hangs costs
each request at most that, instead of the worker's whole timeout.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("zhonglou_hrss.cache")

SOCKET_TIMEOUT = 1.0
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_LOG_EVERY = 60.0
_last_logged = [0.0]


def _warn(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_logged[0] >= _LOG_EVERY:
        _last_logged[0] = now
        log.warning("Redis 缓存不可用（%s：%s），按空缓存继续", operation, type(exc).__name__)


class ReusingRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool instead of a new one for every cache call:
    Django builds a client (and its table of ~170 response callbacks) each time, five times on
    an API request (issue 19: the cost of a request). A client is safe to share; it takes a
    connection from the pool for each command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        options = {"socket_connect_timeout": SOCKET_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT,
                   **params.get("OPTIONS", {})}
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _guard(self, operation, fallback, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except UNAVAILABLE as exc:
            _warn(operation, exc)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # An empty cache accepts the key: a captcha stays single-use while Redis
        # answers, and nobody is locked out of the complaint form while it does not.
        return self._guard("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            _warn("incr", exc)
            raise ValueError(f"Key '{key}' not found (Redis unavailable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", [], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guard("clear", None, super().clear)
