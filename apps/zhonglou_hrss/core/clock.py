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


def _local_offset() -> dt.timedelta:
    # Asia/Shanghai has had no daylight saving since 1991: one fixed offset.
    return timezone.get_current_timezone().utcoffset(dt.datetime(2000, 1, 1))


def local_part(kind, field: str):
    """``kind`` (Extract…/Trunc… of year or month) of a stored datetime in the site's time zone,
    computed by a fixed shift in SQL and read as UTC. Not ``kind(field, tzinfo=…)``: on MariaDB
    Django converts with CONVERT_TZ(…, 'UTC', …), which needs the server's time-zone tables and
    gives NULL where they are not loaded (a fresh install)."""
    from django.db.models import DateTimeField, ExpressionWrapper, F, Value

    shifted = ExpressionWrapper(F(field) + Value(_local_offset()), output_field=DateTimeField())
    return kind(shifted, tzinfo=dt.timezone.utc)
