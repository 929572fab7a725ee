"""What one request reads several times, read once (issue 19: the cost of a
request). A desk list asks for the custom-field definitions of its object
three times (columns, filters, rows) and for the grid list twice; each ask
was a query. ``remembered`` keeps the answer for the rest of the request and
forgets it when the request ends, so a change made by another request is
seen by the next one — no cross-request cache to go stale. Outside a request
(jobs, commands, the shell) nothing is kept. A write in the same request
that changes what was remembered calls ``forget`` (the models' signals do).

``kept`` goes one step further for what nearly every request reads and
almost nothing changes (the custom-field definitions: three queries on every
list and record page): the answer stays in the process across requests while
a version token in the shared cache (Redis) stays the same. A writer calls
``changed``, which gives the token a new value at once and again when its
transaction commits, so every process reads the committed definitions on its
next request. The process keeps nothing it read inside a transaction (that
may hold uncommitted changes, or be rolled back) nor when the cache does not
answer, and nothing longer than ``KEEP_SECONDS`` (a site without a shared
cache then catches up within that)."""

from __future__ import annotations

import contextvars
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

V = TypeVar("V")

_store: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def start():
    return _store.set({})


def end(token) -> None:
    _store.reset(token)


def remembered(key: str, compute: Callable[[], V]) -> V:
    """``compute()`` once per request for ``key``. The value is shared by every caller in the
    request: callers must not change it (return tuples or lists they only read)."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget(prefix: str) -> None:
    """Drop every remembered value whose key starts with ``prefix``."""
    store = _store.get()
    if store:
        for key in [k for k in store if k.startswith(prefix)]:
            del store[key]


KEEP_SECONDS = 60.0
_kept: dict[str, tuple[str, float, object]] = {}  # key → (version token, when read, value)


def kept(key: str, compute: Callable[[], V], *, version: str) -> V:
    """``compute()`` kept in this process across requests while the cache's ``version`` token
    holds (and for at most KEEP_SECONDS); once per request as ``remembered``. Callers must not
    change the value: other requests share it."""

    def lookup() -> V:
        token = _token(version)
        if token is None or transaction.get_connection().in_atomic_block:
            return compute()
        entry = _kept.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] == token and now - entry[1] < KEEP_SECONDS:
            return entry[2]
        value = compute()
        _kept[key] = (token, now, value)
        return value

    return remembered(key, lookup)


def changed(version: str, prefix: str) -> None:
    """What ``kept`` holds under ``version`` (keys starting with ``prefix``) changed: a new token
    now (other processes stop using theirs) and again on commit (what they read meanwhile was
    the old, committed state); the request's own memo forgets it at once."""
    forget(prefix)
    cache.set(version, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(version, uuid.uuid4().hex, None))


def renew_on(version: str, prefix: str, *, models=(), relations=()) -> None:
    """Connect the signals that make what ``kept`` holds under ``version`` stale: a row of one of
    ``models`` saved or deleted, a row added to or removed from one of ``relations`` (many-to-many
    tables). Connected once per (version, model): ready() may run again."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def renew(sender, action="", **kwargs):
        if not action or action.startswith("post_"):
            changed(version, prefix)

    _receivers[version] = renew  # signals hold receivers weakly: keep it alive
    for model in models:
        post_save.connect(renew, sender=model, dispatch_uid=f"{version}:saved:{model._meta.label}")
        post_delete.connect(renew, sender=model, dispatch_uid=f"{version}:deleted:{model._meta.label}")
    for through in relations:
        m2m_changed.connect(renew, sender=through, dispatch_uid=f"{version}:m2m:{through._meta.label}")


_receivers: dict[str, Callable] = {}


def _token(version: str) -> str | None:
    token = cache.get(version)
    if token is None:
        cache.add(version, uuid.uuid4().hex, None)
        token = cache.get(version)
    return token
