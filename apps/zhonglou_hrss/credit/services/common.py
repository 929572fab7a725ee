"""What credit's write services share: who the actor is (staff holding a
permission, or an HR company whose credit access is approved), typed text,
points and reasons — every message in Chinese, gathered before anything is saved."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.selectors import access_of, access_refusal
from zhonglou_hrss.core.validators import clean_text
from zhonglou_hrss.credit.rules import SUBSYSTEM

MAX_REASON = 500


def require(actor, permission: str, message: str):
    if actor is None or not actor.is_authenticated or not actor.is_active or not actor.has_perm(permission):
        raise ActionForbidden(message)


def approved_company(actor):
    """The actor's approved credit access (with account and enterprise), or
    ActionForbidden saying why (账号待审核 / 账号未通过审核：原因 / 仅企业账号可以使用)."""
    refusal = access_refusal(actor, SUBSYSTEM)
    if refusal:
        raise ActionForbidden(refusal)
    return access_of(actor, SUBSYSTEM)


def typed_text(errors, key, value, label, *, limit, required=True, multiline=False) -> str:
    try:
        text = clean_text(value if value is not None else "", label=label, multiline=multiline)
    except ValidationError as exc:
        errors.add(key, exc.messages[0])
        return ""
    if required and not text:
        errors.add(key, f"请填写{label}")
    elif len(text) > limit:
        errors.add(key, f"{label}不能超过{limit}个字")
    return text


def points_value(errors, key, value, label="分值") -> Decimal | None:
    """A number with at most two decimals, or None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(key, f"{label}应为数字")
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add(key, f"{label}应为数字")
        return None
    if not number.is_finite() or abs(number) >= 10000 or number != number.quantize(Decimal("0.01")):
        errors.add(key, f"{label}应为最多两位小数的数字")
        return None
    return number


def reason_text(reason, *, label="原因", what="请填写原因") -> str:
    reason = " ".join((reason or "").split())
    try:
        reason = clean_text(reason, label=label)
    except ValidationError as exc:
        raise InvalidInput({"reason": exc.messages}) from None
    if not reason:
        raise InvalidInput({"reason": [what]})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": [f"{label}不能超过{MAX_REASON}个字"]})
    return reason
