"""Validators for 身份证号 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015),
mainland mobile numbers, and the text people type (names, free text). Every
function normalises first (trim, upper case, drop separators; Unicode
normalisation for text) and raises ``ValidationError`` with a Chinese message
and a stable ``code`` (format / checksum / date / charset / length / control).

The one place for these rules: every form, API and import of every app
reaches them through its service (kuaiban: ``services.person_input``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

# --- 身份证号 -------------------------------------------------------------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_FORMAT = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_number_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


# A living person's birth date: not before 1900, at most MAX_AGE years ago, not in the future.
EARLIEST_BIRTH = dt.date(1900, 1, 1)
MAX_AGE = 120


def earliest_birth(today: dt.date) -> dt.date:
    try:
        years_ago = today.replace(year=today.year - MAX_AGE)
    except ValueError:  # 29 February
        years_ago = today.replace(year=today.year - MAX_AGE, day=28)
    return max(EARLIEST_BIRTH, years_ago)


def validate_id_number(value: str) -> str:
    """Return the normalised number or raise ValidationError."""
    number = normalize_id_number(value)
    if len(number) == 15:
        raise ValidationError("15位旧身份证号已停用，请填写18位身份证号", code="format")
    if not ID_FORMAT.match(number):
        raise ValidationError("身份证号格式不正确：应为18位，前17位为数字，末位为数字或X", code="format")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期不存在", code="date") from None
    today = timezone.localdate()
    if born > today:
        raise ValidationError("身份证号中的出生日期晚于今天", code="date")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位不正确，请核对", code="checksum")
    # After the checksum: a mistyped number is told so; a well-formed one from 1800 is not a living person's.
    if born < earliest_birth(today):
        raise ValidationError(
            "身份证号中的出生日期（%(born)s）不合理：出生日期应在1900年以后，年龄不超过%(age)d岁，请核对",
            code="date", params={"born": born.isoformat(), "age": MAX_AGE})
    return number


# --- 统一社会信用代码 -------------------------------------------------------------
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_FORMAT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalize_uscc(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


@dataclass(frozen=True)
class UsccCheck:
    code: str
    checksum_ok: bool


def check_uscc(value: str) -> UsccCheck:
    """Structural check that always rejects typing errors (length, charset,
    format). A checksum mismatch is reported, not raised: real registered codes
    exist that fail it, so the caller decides (warn-and-confirm for staff)."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位（当前%(n)d位）", code="length", params={"n": len(code)})
    bad = sorted({ch for ch in code if ch not in USCC_CHARS})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用I、O、Z、S、V）",
            code="charset",
            params={"chars": "、".join(bad)},
        )
    if not USCC_FORMAT.match(code):
        raise ValidationError("统一社会信用代码格式不正确：第3-8位应为行政区划数字", code="format")
    return UsccCheck(code=code, checksum_ok=uscc_check_char(code[:17]) == code[17])


def validate_uscc(value: str, *, allow_checksum_mismatch: bool = False) -> str:
    """Return the normalised code; raise on a checksum mismatch unless allowed."""
    result = check_uscc(value)
    if not result.checksum_ok and not allow_checksum_mismatch:
        raise ValidationError(USCC_CHECKSUM_MESSAGE, code="checksum")
    return result.code


USCC_CHECKSUM_MESSAGE = (
    "统一社会信用代码校验位不符，请核对。"
    "如已在国家企业信用信息公示系统确认该代码无误，请勾选“确认代码无误”后保存"
)


# --- 手机号 -----------------------------------------------------------------------
MOBILE_FORMAT = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    number = re.sub(r"[\s\-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    return number


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not MOBILE_FORMAT.match(number):
        raise ValidationError("手机号格式不正确：应为以1开头的11位数字", code="format")
    return number


# --- typed text: names, free text ---------------------------------------------------
# Refused in any typed text: control characters (Cc: BEL, ESC, NUL …), format
# characters (Cf: zero-width U+200B–U+200D, U+FEFF, direction marks and the
# bidi overrides U+202A–U+202E / isolates U+2066–U+2069, which make a name or a
# file name read differently from what it is), surrogates and the line and
# paragraph separators. Long text keeps its line breaks and tabs.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
LONG_TEXT_ALLOWED = {"\n", "\t"}
CONTROL_MESSAGE = "%(label)s含有不可见字符或控制字符（如零宽空格、文字方向控制符），请删除后重新输入"


def clean_text(value, *, label: str, multiline: bool = False) -> str:
    """Typed text, normalised and trimmed: NFC (long text keeps its full-width
    Chinese punctuation, which NFKC would turn into ASCII), line breaks as
    ``\\n``. Raises ValidationError (code ``control``, naming ``label``) when it
    holds a refused character — in a single-line text a line break or tab too."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n").strip()
    allowed = LONG_TEXT_ALLOWED if multiline else set()
    if any(unicodedata.category(ch) in REFUSED_CATEGORIES and ch not in allowed for ch in text):
        raise ValidationError(CONTROL_MESSAGE, code="control", params={"label": label})
    return text


def clean_name(value, *, label: str) -> str:
    """A name (a person's, a company's): one line, NFKC-normalised (full-width
    letters, digits, brackets and spaces as their plain forms, compatibility
    ideographs as the unified ones), trimmed, runs of spaces as one."""
    text = clean_text(value, label=label)
    return " ".join(unicodedata.normalize("NFKC", text).split())

