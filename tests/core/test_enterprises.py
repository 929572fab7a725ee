"""The enterprise registry's one door (core.services.enterprises): the USCC
rule for anything typed, a race-safe get-or-create by USCC that every app
uses (a kuaiban respondent, later the portal's and credit's accounts), and
the desk's create/edit."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.core.services.enterprises import clean_uscc, ensure_enterprise, save_enterprise

GOOD = "91350100M000100Y43"
BAD_CHECKSUM = "91350100M000100Y44"


def test_clean_uscc_refuses_typing_errors_and_asks_to_confirm_a_checksum_mismatch():
    assert clean_uscc("", confirmed=False) == ("", True)
    assert clean_uscc(f" {GOOD.lower()} ", confirmed=False) == (GOOD, True)
    with pytest.raises(ValidationError) as short:
        clean_uscc("9135", confirmed=True)
    assert "18位" in short.value.messages[0]
    with pytest.raises(ValidationError) as mismatch:
        clean_uscc(BAD_CHECKSUM, confirmed=False)
    assert mismatch.value.code == "checksum" and "确认代码无误" in mismatch.value.messages[0]
    assert clean_uscc(BAD_CHECKSUM, confirmed=True) == (BAD_CHECKSUM, False)


@pytest.mark.django_db
def test_ensure_enterprise_creates_once_and_then_finds():
    first = ensure_enterprise(uscc=GOOD, name="常州甲公司")
    again = ensure_enterprise(uscc=GOOD, name="另一个名字")
    assert first.pk == again.pk and again.name == "常州甲公司"
    assert ensure_enterprise(uscc="", name="无代码") is None
    assert Enterprise.objects.count() == 1
    mismatch = ensure_enterprise(uscc=BAD_CHECKSUM, name="常州乙公司")
    assert mismatch.uscc_checksum_ok is False


@pytest.mark.django_db(transaction=True)
def test_two_requests_naming_a_new_code_at_once_make_one_row(base_data):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a file database")
    barrier, found, errors = threading.Barrier(4), [], []

    def worker():
        from django.db import close_old_connections, transaction

        try:
            barrier.wait()
            with transaction.atomic():
                found.append(ensure_enterprise(uscc=GOOD, name="常州并发公司").pk)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(found)) == 1 and Enterprise.objects.filter(uscc=GOOD).count() == 1


@pytest.mark.django_db
def test_save_enterprise_reports_a_taken_code_on_the_field():
    ensure_enterprise(uscc=GOOD, name="常州甲公司")
    with pytest.raises(InvalidInput) as taken:
        save_enterprise(actor=None, enterprise=Enterprise(uscc=GOOD, name="重复"))
    assert list(taken.value.errors) == ["uscc"]
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_save_enterprise_applies_the_name_rule_whatever_the_way_in():
    """Issue 10 item 7 (R-SYS-04, the enterprise registry): the service itself
    refuses invisible characters and normalises the name, for the form and the
    import alike; nothing is written."""
    with pytest.raises(InvalidInput) as bad:
        save_enterprise(actor=None, enterprise=Enterprise(uscc=GOOD, name="常州\u200b甲公司"))
    assert list(bad.value.errors) == ["name"]
    assert not Enterprise.objects.exists()
    saved = save_enterprise(actor=None, enterprise=Enterprise(uscc=GOOD, name="  常州甲公司（钟楼）  "))
    assert saved.name == "常州甲公司(钟楼)"
