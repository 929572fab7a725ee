"""The one clock of the domain code, so tests can move time (overdue rules)
and demo/benchmark data can be written as if in the past."""

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

_fixed = []


def now():
    return _fixed[-1] if _fixed else timezone.now()


@contextmanager
def at(moment):
    """Within the block, ``now()`` is ``moment``."""
    _fixed.append(moment)
    try:
        yield moment
    finally:
        _fixed.pop()


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight that starts ``day`` in the bureau's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())
