"""What case registration and petitions share: the input of a complaint
(``ComplaintInput``: companions, respondent, reason, grid, demand) and the
checks of the person, their companions and the respondent. Each check adds
Chinese messages, keyed by field, to an ErrorCollector and returns the
normalised values.

The rules themselves are core's (``core.validators``: names, free text, ID
numbers, mobiles), so every form and API of every path — the desk, the API,
the public page, cases and petitions — refuses the same input (issue 10 item 7)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from zhonglou_hrss.core.errors import ErrorCollector
from zhonglou_hrss.core.services.enterprises import clean_uscc, ensure_enterprise
from zhonglou_hrss.core.validators import clean_name, clean_text, validate_id_number, validate_mobile

MAX_COMPANIONS = 50
MAX_DEMAND = 2000


@dataclass
class CompanionInput:
    name: str = ""
    id_number: str = ""
    phone: str = ""


@dataclass
class ComplaintInput:
    """What a case and a petition both record of a complaint (as typed)."""

    companions: list[CompanionInput] = field(default_factory=list)
    respondent_name: str = ""
    respondent_uscc: str = ""
    respondent_uscc_confirmed: bool = False
    reason: str = ""  # lookup code
    grid: str = ""  # grid code
    demand: str = ""


def _text(errors: ErrorCollector, name: str, value, label: str, max_length: int, clean, *, required=True) -> str:
    try:
        value = clean(value, label=label)
    except ValidationError as exc:
        errors.add(name, exc.messages[0])
        return ""
    if not value:
        if required:
            errors.add(name, f"请填写{label}")
    elif len(value) > max_length:
        errors.add(name, f"{label}不能超过{max_length}个字")
    return value


def _long_text(value, *, label):
    return clean_text(value, label=label, multiline=True)


def required_name(errors: ErrorCollector, name: str, value, label: str, max_length: int = 50) -> str:
    """A person's or a company's name (``core.validators.clean_name``)."""
    return _text(errors, name, value, label, max_length, clean_name)


def required_text(errors: ErrorCollector, name: str, value, label: str, max_length: int) -> str:
    """Free text that may run over lines (``core.validators.clean_text``)."""
    return _text(errors, name, value, label, max_length, _long_text)


def optional_text(errors: ErrorCollector, name: str, value, label: str, max_length: int) -> str:
    return _text(errors, name, value, label, max_length, _long_text, required=False)


def validated(errors: ErrorCollector, name: str, value, validator, label: str, *, required=True) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors.add(name, f"请填写{label}")
        return ""
    try:
        return validator(value)
    except ValidationError as exc:
        errors.add(name, exc.messages[0])
        return ""


def clean_id_number(errors, name, value, label="身份证号"):
    return validated(errors, name, value, validate_id_number, label)


def clean_mobile(errors, name, value, label="手机号", *, required=True):
    return validated(errors, name, value, validate_mobile, label, required=required)


def clean_companions(errors: ErrorCollector, companions: list[CompanionInput], main_id_number: str,
                     main_label: str = "上报人") -> list[CompanionInput]:
    """Errors are keyed ``companions[i].field`` so forms and the API can place them."""
    out = []
    if len(companions) > MAX_COMPANIONS:
        errors.add("companions", f"同行人员最多{MAX_COMPANIONS}人")
    for i, c in enumerate(companions[:MAX_COMPANIONS]):
        prefix = f"companions[{i}]"
        name = required_name(errors, f"{prefix}.name", c.name, f"第{i + 1}位同行人员的姓名")
        cid = clean_id_number(errors, f"{prefix}.id_number", c.id_number, f"第{i + 1}位同行人员的身份证号")
        phone = clean_mobile(errors, f"{prefix}.phone", c.phone, required=False)
        if cid and cid == main_id_number:
            errors.add(f"{prefix}.id_number", f"第{i + 1}位同行人员的身份证号与{main_label}相同")
        out.append(CompanionInput(name=name, id_number=cid, phone=phone))
    ids = [c.id_number for c in out if c.id_number]
    if len(ids) != len(set(ids)):
        errors.add("companions", "同行人员中有重复的身份证号")
    return out


def clean_respondent_uscc(errors: ErrorCollector, value, confirmed: bool, field="respondent_uscc") -> tuple[str, bool]:
    """The registry's USCC rule (``core.services.enterprises.clean_uscc``), its
    message keyed by field. Returns (code or "", checksum_ok)."""
    try:
        return clean_uscc(value, confirmed=confirmed)
    except ValidationError as exc:
        errors.add(field, exc.messages[0])
        return "", True


def respondent_enterprise(uscc: str, name: str):
    """The registry entry for a respondent with a known USCC (created when new)."""
    return ensure_enterprise(uscc=uscc, name=name)


@dataclass
class CleanComplaint:
    companions: list[CompanionInput]
    respondent_name: str
    respondent_uscc: str
    respondent_uscc_ok: bool  # False: checksum mismatch, confirmed by the user
    demand: str


def clean_complaint(errors: ErrorCollector, data: ComplaintInput, *, main_id_number: str,
                    main_label: str) -> CleanComplaint:
    """The checks a case and a petition share: companions (none the same
    person as the main one), the respondent's name and USCC, the demand. The
    reason and grid are each service's own (which ones may be chosen differs)."""
    companions = clean_companions(errors, data.companions, main_id_number, main_label)
    respondent_name = required_name(errors, "respondent_name", data.respondent_name, "对方单位名称", 200)
    uscc, uscc_ok = clean_respondent_uscc(errors, data.respondent_uscc, data.respondent_uscc_confirmed)
    demand = required_text(errors, "demand", data.demand, "具体诉求", MAX_DEMAND)
    return CleanComplaint(companions, respondent_name, uscc, uscc_ok, demand)
