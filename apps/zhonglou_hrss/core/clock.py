"""The one clock of the domain code, so tests can move time (overdue rules)
and demo/benchmark data can be written as if in the past."""

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
