"""What the portal's write services share: who the actor is (staff holding a
permission, or an approved enterprise) and how typed fields are read (one
message per field, in Chinese, gathered before anything is saved)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.selectors import access_of, access_refusal
from zhonglou_hrss.core.validators import clean_name, clean_text
from zhonglou_hrss.portal.rules import SUBSYSTEM


def require(actor, permission: str, message: str):
    if actor is None or not actor.is_authenticated or not actor.is_active or not actor.has_perm(permission):
        raise ActionForbidden(message)


def approved_enterprise(actor):
    """The actor's approved portal access (with account and enterprise), or ActionForbidden
    saying why (账号待审核 / 账号未通过审核：原因 / 仅企业账号可以使用)."""
    refusal = access_refusal(actor, SUBSYSTEM)
    if refusal:
        raise ActionForbidden(refusal)
    return access_of(actor, SUBSYSTEM)


def whole_number(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError
    return int(text)


def typed_text(errors, key, value, label, *, limit, required=True, multiline=False, name=False) -> str:
    try:
        text = clean_name(value, label=label) if name else clean_text(value, label=label, multiline=multiline)
    except ValidationError as exc:
        errors.add(key, exc.messages[0])
        return ""
    if required and not text:
        errors.add(key, f"请填写{label}")
    elif len(text) > limit:
        errors.add(key, f"{label}不能超过{limit}个字")
    return text




MAX_REASON = 500


def reject_reason(reason) -> str:
    """Staff's reason for sending something back (a registration, a demand): the
    enterprise reads it and corrects, so it is required, one tidy line."""
    reason = " ".join((reason or "").split())
    try:
        reason = clean_text(reason, label="不通过原因")
    except ValidationError as exc:
        raise InvalidInput({"reason": exc.messages}) from None
    if not reason:
        raise InvalidInput({"reason": ["请填写不通过的原因，企业将看到该原因并据此修改"]})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": [f"原因不能超过{MAX_REASON}个字"]})
    return reason
