"""issue 9 — exports at ≥ 10,000 rows/s on MariaDB (benchmarks/RESULTS.md): the
parts made faster give the same answers as the slow ones.

- ``pii.decrypt``'s own Fernet check (one reusable AES decryptor per key) reads
  exactly what ``cryptography``'s Fernet reads, across key rotation, and refuses
  what Fernet refuses;
- ``core.selectors.ids_in`` selects what ``column__in=ids`` selects;
- ``exporters.prefetched`` yields the same chunks in the same order, closes the
  source and its thread's connection, also when the reader stops early.
"""

from __future__ import annotations

import base64
import threading

import pytest
from cryptography.fernet import Fernet

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.exports.exporters import prefetched
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.core.selectors import ids_in

VALUES = ["", "1", "13800138000", "11010519491231002X", "x" * 15, "y" * 16, "z" * 17, "常州市钟楼区五星街道" * 9]


@pytest.mark.parametrize("value", VALUES)
def test_issue_9_fast_decrypt_reads_what_fernet_reads(value):
    token = pii.encrypt(value)
    assert pii._fast_decrypt(token) == value == pii.fernet().decrypt(token.encode()).decode()
    assert pii.decrypt(token) == value


def test_issue_9_fast_decrypt_with_rotated_keys(settings):
    """Older keys still decrypt (key rotation): the fast path tries them in order."""
    old = Fernet.generate_key().decode()
    old_token = Fernet(old.encode()).encrypt("13900139000".encode()).decode()
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    assert pii._fast_decrypt(old_token) == "13900139000" == pii.decrypt(old_token)


def test_issue_9_fast_decrypt_refuses_what_fernet_refuses(settings):
    token = pii.encrypt("11010519491231002X")
    raw = bytearray(base64.urlsafe_b64decode(token))
    for index in (0, 5, 12, 30, len(raw) - 1):  # version, timestamp, IV, ciphertext, HMAC
        bad = bytearray(raw)
        bad[index] ^= 0x01
        forged = base64.urlsafe_b64encode(bytes(bad)).decode()
        assert pii._fast_decrypt(forged) is None
        with pytest.raises(ValueError, match="无法解密"):
            pii.decrypt(forged)
    for junk in ("", "not a token", token[:-8], token + "AAAA", token.rstrip("=")):
        try:
            expected = pii.fernet().decrypt(junk.encode()).decode()
        except Exception:
            expected = None
        # Never a value Fernet would not give (None hands the token to Fernet itself).
        assert pii._fast_decrypt(junk) in (None, expected)
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # a wrong key set
    assert pii._fast_decrypt(token) is None
    with pytest.raises(ValueError, match="无法解密"):
        pii.decrypt(token)


def test_issue_9_ids_in_selects_as_in_does(db):
    grids = list(Grid.objects.order_by("pk").values_list("pk", flat=True))
    assert len(grids) > 3
    some = grids[1:3] + [grids[-1], 10**12]
    assert (sorted(Grid.objects.filter(ids_in(Grid, "id", some)).values_list("pk", flat=True))
            == sorted(Grid.objects.filter(pk__in=some).values_list("pk", flat=True)))
    assert list(Grid.objects.filter(ids_in(Grid, "id", []))) == []
    with pytest.raises(ValueError):
        ids_in(Grid, "id", ["1) OR (1=1"])
    # A plain IN the database can answer from the column's index: not a boolean expression
    # compared with ``= 1`` (MariaDB then read the whole table: a second per list page at 10⁶ cases).
    sql = str(Grid.objects.filter(ids_in(Grid, "id", some)).query)
    assert " IN (" in sql and ") = 1" not in sql and ") = true" not in sql.lower()


def test_issue_9_prefetched_keeps_order_and_closes(db):
    threads, closed = set(), []

    def source():
        try:
            for i in range(5):
                threads.add(threading.get_ident())
                yield [i, i + 1]
        finally:
            closed.append(True)

    assert list(prefetched(source())) == [[i, i + 1] for i in range(5)]
    assert closed == [True] and threading.get_ident() not in threads  # fetched in the other thread

    closed.clear()
    reader = prefetched(source())
    assert next(reader) == [0, 1]
    reader.close()  # the reader stops early: the source is closed too
    assert closed == [True]
