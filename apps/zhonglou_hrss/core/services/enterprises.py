"""Enterprise registry writes and the USCC rule for staff entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from zhonglou_hrss.core.validators import USCC_CHECKSUM_MESSAGE, check_uscc


def clean_uscc_for_staff(value: str, *, confirmed: bool) -> tuple[str | None, bool]:
    """Staff entry: typing errors are rejected; a checksum mismatch is accepted
    only when the user confirms it (real registered codes exist that fail it).
    Returns (normalised code or None, checksum_ok)."""
    if not (value or "").strip():
        return None, True
    result = check_uscc(value)
    if not result.checksum_ok and not confirmed:
        raise ValidationError(USCC_CHECKSUM_MESSAGE, code="checksum")
    return result.code, result.checksum_ok
