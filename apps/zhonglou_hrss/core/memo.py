"""What one request reads several times, read once (issue 19: the cost of a
request). A desk list asks for the custom-field definitions of its object
three times (columns, filters, rows) and for the grid list twice; each ask
was a query. ``remembered`` keeps the answer for the rest of the request and
forgets it when the request ends, so a change made by another request is
seen by the next one — no cross-request cache to go stale. Outside a request
(jobs, commands, the shell) nothing is kept. A write in the same request
that changes what was remembered calls ``forget`` (the models' signals do)."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import TypeVar

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
