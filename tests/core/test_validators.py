"""Validators for 身份证号, 统一社会信用代码 and mobile numbers, checked against
every vector of the shared validation rules (copied into ``vectors.py``).

Requirements: R-KB-01 / R-KB-15 (ID number and phone on cases and petitions),
R-KB-12 and R-PT-03 (USCC), R-PT-05 (contact mobile), R-SYS-04 (import checks
the same rules)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from tests.core import vectors
from zhonglou_hrss.core.validators import (
    check_uscc,
    clean_name,
    clean_text,
    id_number_check_char,
    normalize_mobile,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _error(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return info.value


def _assert_chinese(exc: ValidationError):
    assert exc.messages, "a validation error must carry a message"
    for message in exc.messages:
        assert CJK.search(message), f"message is not Chinese: {message!r}"


# --- 身份证号 -----------------------------------------------------------------------
@pytest.mark.parametrize("value, normalised, reason", vectors.ID_NUMBER_VALID)
def test_id_number_valid_vectors(value, normalised, reason):
    """R-KB-01: valid 身份证号 vectors pass and come back normalised."""
    assert validate_id_number(value) == normalised


@pytest.mark.parametrize("value, code, reason", vectors.ID_NUMBER_INVALID)
def test_id_number_invalid_vectors(value, code, reason):
    """R-KB-01: each invalid 身份证号 vector raises with its stable code and a Chinese message."""
    exc = _error(validate_id_number, value)
    assert exc.code == code, reason
    _assert_chinese(exc)


def test_id_number_messages_name_the_problem():
    """R-KB-01: the message says what is wrong (校验位 / 出生日期 / 格式)."""
    assert "校验位" in _error(validate_id_number, "110105194912310021").messages[0]
    assert "出生日期" in _error(validate_id_number, "110105194902310026").messages[0]
    assert "格式" in _error(validate_id_number, "11010519491231002").messages[0]
    assert "晚于今天" in _error(validate_id_number, "110105209901010020").messages[0]


def test_id_number_worked_example_check_char():
    """R-KB-01: ISO 7064 MOD 11-2 worked example (S=167 → X)."""
    first17, check = vectors.ID_WORKED_EXAMPLE
    assert id_number_check_char(first17) == check
    assert id_number_check_char("44052418800101001") == "4"


def test_id_number_trims_whitespace():
    """R-KB-01: input is trimmed before checking."""
    assert validate_id_number("  11010519491231002x ") == "11010519491231002X"


def test_id_number_legacy_15_digits_rejected():
    """R-KB-01: the obsolete 15-digit form is refused with a Chinese message asking for 18 digits."""
    exc = _error(validate_id_number, "110105491231002")
    assert exc.code == "format"
    assert "18位" in exc.messages[0]


# --- 统一社会信用代码 -------------------------------------------------------------------
@pytest.mark.parametrize("value, normalised, reason", vectors.USCC_VALID)
def test_uscc_valid_vectors_check(value, normalised, reason):
    """R-KB-12 / R-PT-03: check_uscc normalises and reports a good checksum."""
    result = check_uscc(value)
    assert result.code == normalised
    assert result.checksum_ok is True


@pytest.mark.parametrize("value, normalised, reason", vectors.USCC_VALID)
def test_uscc_valid_vectors_validate(value, normalised, reason):
    """R-KB-12 / R-PT-03: validate_uscc returns the normalised code."""
    assert validate_uscc(value) == normalised


@pytest.mark.parametrize("value, code, reason", [v for v in vectors.USCC_INVALID if v[1] != "checksum"])
def test_uscc_typing_errors_always_rejected(value, code, reason):
    """R-KB-12: length / charset / format errors are rejected by check_uscc and by
    validate_uscc even when a checksum mismatch would be allowed."""
    exc = _error(check_uscc, value)
    assert exc.code == code, reason
    _assert_chinese(exc)
    exc = _error(validate_uscc, value, allow_checksum_mismatch=True)
    assert exc.code == code
    _assert_chinese(exc)


@pytest.mark.parametrize("value, code, reason", [v for v in vectors.USCC_INVALID if v[1] == "checksum"])
def test_uscc_checksum_vectors(value, code, reason):
    """R-KB-12: a wrong check character is reported by check_uscc (not raised) and
    raised by validate_uscc with code "checksum" and a Chinese message."""
    result = check_uscc(value)
    assert result.checksum_ok is False
    assert result.code == value.upper()
    exc = _error(validate_uscc, value)
    assert exc.code == "checksum"
    _assert_chinese(exc)
    assert "校验位" in exc.messages[0]


@pytest.mark.parametrize("value, expected_check, source", vectors.USCC_REAL_CHECKSUM_MISMATCH)
def test_uscc_real_codes_failing_checksum(value, expected_check, source):
    """R-KB-12: real registered codes that fail the checksum: check_uscc reports
    checksum_ok=False, validate_uscc raises "checksum" unless the mismatch is allowed."""
    assert uscc_check_char(value[:17]) == expected_check
    result = check_uscc(value)
    assert result.checksum_ok is False
    assert result.code == value
    assert _error(validate_uscc, value).code == "checksum"
    assert validate_uscc(value, allow_checksum_mismatch=True) == value


def test_uscc_worked_example_check_char():
    """R-KB-12: GB 32100 worked example (S=1640 → 3)."""
    first17, check = vectors.USCC_WORKED_EXAMPLE
    assert uscc_check_char(first17) == check


def test_uscc_charset_message_names_bad_chars():
    """R-KB-12: the charset message lists the disallowed characters."""
    exc = _error(check_uscc, "91350100M000100Y4Z")
    assert "Z" in exc.messages[0]
    assert "不允许" in exc.messages[0]


def test_uscc_length_message_gives_count():
    """R-KB-12: the length message gives the actual length."""
    exc = _error(check_uscc, "91440300192203821")
    assert "18位" in exc.messages[0]
    assert "17" in exc.messages[0]


def test_uscc_trims_and_upper_cases():
    """R-PT-03: whitespace around the code and lower case are accepted."""
    assert validate_uscc("  9144030071526726xg\t") == "9144030071526726XG"


# --- 手机号 ---------------------------------------------------------------------------
@pytest.mark.parametrize("value, normalised, reason", vectors.MOBILE_VALID)
def test_mobile_valid_vectors(value, normalised, reason):
    """R-KB-01 / R-PT-05: valid mobiles normalise to the 11-digit form."""
    assert normalize_mobile(value) == normalised
    assert validate_mobile(value) == normalised


@pytest.mark.parametrize("value, reason", vectors.MOBILE_INVALID)
def test_mobile_invalid_vectors(value, reason):
    """R-KB-01 / R-PT-05: invalid mobiles raise code "format" with a Chinese message."""
    exc = _error(validate_mobile, value)
    assert exc.code == "format", reason
    _assert_chinese(exc)
    assert "手机号" in exc.messages[0]


def test_mobile_normalisation_steps():
    """R-PT-05: separators are dropped before the prefix is removed; a 13-digit
    number not starting with 86 is left alone (and then fails)."""
    assert normalize_mobile("138-0013-8000") == "13800138000"
    assert normalize_mobile("+86-138 0013-8000") == "13800138000"
    assert normalize_mobile("1380013800012") == "1380013800012"
    assert _error(validate_mobile, "").code == "format"


# --- a living person's birth date (issue 10 item 7) -------------------------------------------------
def _id_born(born: dt.date) -> str:
    body = f"320404{born:%Y%m%d}101"
    return body + id_number_check_char(body)


def test_issue_10_item_7_id_number_birth_between_1900_and_120_years_ago(monkeypatch):
    """issue 10 item 7: born 1800 or 1899 → refused ("date", the birth date and
    the bounds named); exactly 120 years ago accepted, a day earlier refused;
    the checksum is checked first (a typo is told as a typo)."""
    today = dt.date(2026, 12, 7)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    for born in (dt.date(1800, 1, 1), dt.date(1899, 12, 31), dt.date(1906, 12, 6)):
        exc = _error(validate_id_number, _id_born(born))
        assert exc.code == "date" and born.isoformat() in exc.messages[0] and "1900" in exc.messages[0]
    assert validate_id_number(_id_born(dt.date(1906, 12, 7))) == _id_born(dt.date(1906, 12, 7))
    assert validate_id_number(_id_born(today)) == _id_born(today)
    mistyped = _id_born(dt.date(1800, 1, 1))[:-1] + ("0" if _id_born(dt.date(1800, 1, 1))[-1] != "0" else "1")
    assert _error(validate_id_number, mistyped).code == "checksum"


def test_issue_10_item_7_id_number_earliest_birth_on_29_february(monkeypatch):
    """issue 10 item 7: 120 years before 29 February 2020 (1900 was no leap year) is the 28th."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2020, 2, 29))
    assert validate_id_number(_id_born(dt.date(1900, 2, 28)))
    assert _error(validate_id_number, _id_born(dt.date(1900, 2, 27))).code == "date"


# --- typed text (issue 10 item 7) ------------------------------------------------------------------
REFUSED = ["\u202e", "\u202a", "\u2066", "\u200e", "\u200b", "\u200c", "\u200d", "\ufeff", "\x00", "\x07",
           "\x1b", "\x7f", "\u2028", "\u2029", "\u00ad"]


@pytest.mark.parametrize("char", REFUSED)
def test_issue_10_item_7_text_refuses_control_direction_and_zero_width(char):
    """issue 10 item 7: control, bidi-override, direction-mark and zero-width
    characters are refused in names and in long text, the message naming the field."""
    for func, kwargs in ((clean_name, {}), (clean_text, {}), (clean_text, {"multiline": True})):
        exc = _error(func, f"张{char}三", label="上报人姓名", **kwargs)
        assert exc.code == "control" and exc.messages[0].startswith("上报人姓名含有")
        _assert_chinese(exc)


def test_issue_10_item_7_long_text_keeps_line_breaks_and_tabs_names_do_not():
    """issue 10 item 7: ``\\n`` and ``\\t`` only in long text (``\\r\\n`` read as ``\\n``)."""
    assert clean_text("  第一，\r\n第二：\t完  ", label="具体诉求", multiline=True) == "第一，\n第二：\t完"
    for text in ("张\n三", "张\t三"):
        assert _error(clean_name, text, label="姓名").code == "control"
        assert _error(clean_text, text, label="姓名").code == "control"
    assert clean_name("李四\n", label="姓名") == "李四"  # a trailing line break is trimmed, not refused


def test_issue_10_item_7_names_are_nfkc_normalised_and_trimmed():
    """issue 10 item 7: full-width letters, digits, brackets and spaces as their
    plain forms, compatibility ideographs unified, runs of spaces as one; long
    text keeps its Chinese punctuation (NFC only)."""
    assert clean_name("\u3000ＡＢＣ（常州）  有限公司１号 ", label="对方单位名称") == "ABC(常州) 有限公司1号"
    assert clean_name("\uf900", label="姓名") == "\u8c48"  # CJK compatibility ideograph → unified
    assert clean_name("买买提·艾力", label="姓名") == "买买提·艾力"
    assert clean_text("拖欠工资，共３个月？", label="具体诉求", multiline=True) == "拖欠工资，共３个月？"
