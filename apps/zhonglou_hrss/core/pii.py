"""Personal data (身份证号、手机号): encryption at rest, keyed hashes for exact
search, masking for display — and the one door that decides who sees it whole.

``disclose`` is the only decision, everywhere personal data is shown or
written out (desk pages, edit forms, API answers, exports): full or masked,
for this user and this record, and when full, the audit row. Lists are always
masked. An edit form shown masked takes the masked value sent back unchanged
as "unchanged" (``unmasked``).

Keys come from the site config: ``[pii].encryption_keys`` (Fernet, newest
first, older ones still decrypt so keys can be rotated) and ``[pii].hash_key``
(HMAC-SHA256 over the normalised value, so equal values hash equal and
``WHERE x_hash = ...`` finds them).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

ID_CARD = "id_card"
MOBILE = "mobile"
KINDS = (ID_CARD, MOBILE)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    plain = _fast_decrypt(token)
    if plain is not None:
        return plain
    try:  # anything unusual goes through cryptography's Fernet itself
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key set: never show ciphertext as data
        raise ValueError("个人信息无法解密：站点密钥与数据不匹配") from exc


# Fernet's own decrypt builds an HMAC and an AES-CBC context for every value:
# ~30 % of an export's time (benchmarks/RESULTS.md). The same checks, with one
# reusable AES-ECB decryptor per key: a token is verified first (HMAC-SHA256
# of version ‖ timestamp ‖ IV ‖ ciphertext, constant-time compare, as Fernet),
# then its blocks are decrypted and chained (CBC: each block XOR the previous
# ciphertext block, the IV for the first), then the PKCS7 padding is checked.
# No TTL is asked anywhere, as with ``fernet().decrypt``. A token that fails any
# check is handed to Fernet, which gives the authoritative answer.
_FERNET_VERSION = 0x80
_BLOCK = 16


@lru_cache(maxsize=4)
def _raw_keys(keys: tuple[str, ...]) -> tuple:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    out = []
    for key in keys:
        raw = base64.urlsafe_b64decode(key.encode())
        out.append((raw[:16], Cipher(algorithms.AES(raw[16:]), modes.ECB()).decryptor()))
    return tuple(out)


def _fast_decrypt(token: str) -> str | None:
    try:
        data = base64.urlsafe_b64decode(token)
    except (ValueError, TypeError):
        return None
    # version (1) + timestamp (8) + IV (16) + at least one block + HMAC (32)
    if len(data) < 57 or data[0] != _FERNET_VERSION or (len(data) - 57) % _BLOCK:
        return None
    signed, mac = data[:-32], data[-32:]
    iv_and_blocks = data[9:-32]
    for signing_key, ecb in _raw_keys(tuple(settings.PII_ENCRYPTION_KEYS)):
        if not hmac.compare_digest(hmac.digest(signing_key, signed, "sha256"), mac):
            continue
        blocks = iv_and_blocks[_BLOCK:]
        decrypted = ecb.update(blocks)
        size = len(blocks)
        padded = (int.from_bytes(decrypted, "big") ^ int.from_bytes(iv_and_blocks[:size], "big")).to_bytes(size, "big")
        pad = padded[-1]
        if not 1 <= pad <= _BLOCK or padded[-pad:] != bytes((pad,)) * pad:
            return None
        try:
            return padded[:-pad].decode()
        except UnicodeDecodeError:
            return None
    return None


def normalize(kind: str, value: str) -> str:
    from zhonglou_hrss.core.validators import normalize_id_number, normalize_mobile

    if kind == ID_CARD:
        return normalize_id_number(value)
    if kind == MOBILE:
        return normalize_mobile(value)
    return (value or "").strip()


def pii_hash(kind: str, value: str) -> str:
    """Keyed hash of the normalised value; '' for an empty value."""
    value = normalize(kind, value)
    if not value:
        return ""
    key = settings.PII_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def mask(kind: str, value: str | None) -> str:
    """``320404********123X`` / ``138****5678``."""
    if not value:
        return ""
    if kind == ID_CARD:
        if len(value) <= 10:
            return "*" * len(value)
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == MOBILE:
        if len(value) < 7:
            return "*" * len(value)
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * len(value)


# ID numbers (18 characters, the last may be X) and mainland mobiles (11 digits
# from 13…19, optionally +86) standing alone in free text: not part of a longer
# run of letters or digits (a hash, a count, a case number); a URL-encoded
# separator before them (``q%3D…``, ``%2B86…``) counts as a separator.
_ALONE = r"(?:(?<![0-9A-Za-z])|(?<=%[0-9A-Fa-f]{2}))"
ID_IN_TEXT = re.compile(_ALONE + r"\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_IN_TEXT = re.compile(_ALONE + r"(\+?86)?(1[3-9]\d{9})(?![0-9A-Za-z])")


def mask_in_text(text: str) -> str:
    """Free text (a log line, a search keyword kept in an audit row) with every
    ID number and mobile in it masked as ``mask`` masks them."""
    text = ID_IN_TEXT.sub(lambda m: mask(ID_CARD, m.group()), text)
    return MOBILE_IN_TEXT.sub(lambda m: (m.group(1) or "") + mask(MOBILE, m.group(2)), text)


# --- the one door -----------------------------------------------------------------------
VIEW = "view"  # on a page, in a form, in an API answer
EXPORT = "export"  # written into a file: a full export also needs a reason (core.exports.jobs)
PERMISSIONS = {VIEW: "core.view_pii", EXPORT: "core.export_pii"}


def may_see(user, purpose: str = VIEW) -> bool:
    """May this user see personal data in full for this purpose at all?"""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSIONS[purpose]))


def disclose(user, target, *, fields, purpose: str = VIEW, asked: bool = True, request=None,
             record: bool = True, detail: dict | None = None) -> bool:
    """Whether ``user`` sees the personal ``fields`` of ``target`` in full now.

    ``asked``: the user asked to see them (a desk page reveals on an explicit
    click; an API detail or an edit form asks by being requested). Full only
    when asked and permitted; then one audit row (``PII_VIEW``: who, what,
    which fields) is written — unless ``record`` is off because the caller's
    own audit row says it (an export records itself with its ``masked`` flag).
    Nothing is recorded when there is nothing personal to show."""
    full = asked and may_see(user, purpose)
    if full and record and fields:
        from zhonglou_hrss.core import audit
        from zhonglou_hrss.core.models import AuditLog

        audit.record(AuditLog.Action.PII_VIEW, target=target, request=request,
                     detail={"fields": list(fields), **(detail or {})})
    return full


def shown_fields(obj, names, *, companions=None, companion_names=("id_number", "phone")) -> list[str]:
    """The personal fields of ``obj`` (and its companions) that hold a value —
    what a full view would show, for its audit row."""
    fields = [name for name in names if getattr(obj, name, "")]
    rows = list(companions or [])
    fields += [f"companions.{name}" for name in companion_names if any(getattr(c, name) for c in rows)]
    return fields


def unmasked(kind: str, sent: str | None, current: str | None) -> str:
    """A value sent back from a form or API that showed it masked: the masked
    value sent back unchanged means "unchanged" (the stored one); anything
    else is what was typed."""
    sent = (sent or "").strip()
    if current and sent and sent == mask(kind, current):
        return current
    return sent
