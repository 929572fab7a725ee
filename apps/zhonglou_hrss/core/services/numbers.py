"""Record numbers like XF2026-000024: a prefix, the year, a counter that never
repeats or skips, taken under the year's row lock inside the caller's
transaction (two records saved at once get consecutive numbers).

Kuaiban's case numbers (KB…) keep their own counter table from before this
one existed; new kinds of records number through here.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhonglou_hrss.core.models.numbers import NumberSequence


def ensure_sequence(prefix: str, year: int) -> None:
    """Create the year's counter if missing, committed on its own before the
    caller's transaction: the first records of a year, arriving together,
    then queue for the row's lock instead of deadlocking on its insert
    (MariaDB)."""
    NumberSequence.objects.bulk_create([NumberSequence(prefix=prefix, year=year)], ignore_conflicts=True)


def next_number(prefix: str, year: int) -> str:
    """The next number, inside the caller's transaction (the lock is held until it ends)."""
    seq = NumberSequence.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if seq is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # created by a concurrent caller
        seq = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return format_number(prefix, year, seq.last)


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}{year}-{serial:06d}"
