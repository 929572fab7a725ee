"""The enterprise registry (``core.Enterprise``), written — the one door.

Every app that meets a company by its USCC (kuaiban respondents, portal
accounts, credit HR companies) and the desk's own enterprise pages and
import go through here:

- ``clean_uscc``: the USCC rule for anything a person types — typing errors
  are refused; a checksum mismatch is accepted only when confirmed (real
  registered codes exist that fail it), and remembered as such.
- ``ensure_enterprise``: the registry entry of a USCC, created when new —
  race-safe: two requests naming a new code at once make one row.
- ``save_enterprise``: the desk's create and edit (form and import).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.core.validators import USCC_CHECKSUM_MESSAGE, check_uscc, clean_name

DUPLICATE_MESSAGE = "企业库中已有该统一社会信用代码的企业"


def clean_uscc(value: str, *, confirmed: bool) -> tuple[str, bool]:
    """(normalised code, checksum ok); ``""`` for an empty value. Raises
    ``ValidationError`` (Chinese) for a typing error and — code ``checksum`` —
    for a checksum mismatch that was not confirmed."""
    if not (value or "").strip():
        return "", True
    result = check_uscc(value)
    if not result.checksum_ok and not confirmed:
        raise ValidationError(USCC_CHECKSUM_MESSAGE, code="checksum")
    return result.code, result.checksum_ok


def ensure_enterprise(*, uscc: str, name: str) -> Enterprise | None:
    """The registry entry for ``uscc`` (already cleaned), created with ``name``
    when the code is new; None for an unknown code. Safe inside the caller's
    transaction: a concurrent first insert of the same code wins, this one reads it."""
    if not uscc:
        return None
    existing = Enterprise.objects.filter(uscc=uscc).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
            return Enterprise.objects.create(uscc=uscc, name=name[:200],
                                             uscc_checksum_ok=check_uscc(uscc).checksum_ok)
    except IntegrityError:
        return Enterprise.objects.get(uscc=uscc)


def save_enterprise(*, actor, enterprise: Enterprise) -> Enterprise:
    """Create or update an enterprise from the desk (its form or an import row,
    both already checked with ``clean_uscc``). A code taken meanwhile by
    another entry is refused by the database and reported on ``uscc``."""
    try:
        # The typed-text rule here too, whatever the way in (form, import).
        enterprise.name = clean_name(enterprise.name, label="企业名称")
    except ValidationError as exc:
        raise InvalidInput({"name": exc.messages}) from None
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:
        raise InvalidInput({"uscc": [DUPLICATE_MESSAGE]}) from None
    return enterprise
