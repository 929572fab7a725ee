"""Simple fixed-window rate limits in Django's cache (local memory or Redis).

Public pages (the kuaiban QR page, the progress look-up, later the portal's
sign-up) use them to keep one address or one ID number from flooding the
bureau::

    PER_IP = RateLimit("kb-report-ip", limit=10, window=3600, message="…")
    if PER_IP.exceeded(client_ip(request)):
        ...show PER_IP.message...
    ...do the work...
    PER_IP.hit(client_ip(request))

The identity (an address, an ID number) is stored only as a keyed hash, so
the cache never holds personal data in clear. Counting uses ``cache.add`` +
``cache.incr``, atomic on Redis and per process on local memory.
Time comes from ``core.clock`` so tests can move it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from zhonglou_hrss.core import clock


@dataclass(frozen=True)
class RateLimit:
    scope: str  # names the limit in cache keys, e.g. "kb-report-ip"
    limit: int  # at most this many hits ...
    window: int  # ... per this many seconds
    message: str = "操作过于频繁，请稍后再试"

    def _key(self, ident: str) -> str:
        digest = hmac.new(settings.SECRET_KEY.encode(), f"{self.scope}:{ident}".encode(), hashlib.sha256)
        slot = int(clock.now().timestamp()) // self.window
        return f"ratelimit:{self.scope}:{digest.hexdigest()[:32]}:{slot}"

    def count(self, ident: str | None) -> int:
        if not ident:
            return 0
        return int(cache.get(self._key(ident), 0) or 0)

    def exceeded(self, ident: str | None) -> bool:
        """True when ``ident`` has used up its hits in the current window."""
        return bool(ident) and self.count(ident) >= self.limit

    def hit(self, ident: str | None) -> int:
        """Count one use; return the count in the current window."""
        if not ident:
            return 0
        key = self._key(ident)
        cache.add(key, 0, timeout=self.window + 60)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.window + 60)
            return 1

    def reset(self, ident: str | None):
        if ident:
            cache.delete(self._key(ident))
