"""Personal data (身份证号、手机号): encryption at rest, keyed hashes for exact
search, masking for display.

Keys come from the site config: ``[pii].encryption_keys`` (Fernet, newest
first, older ones still decrypt so keys can be rotated) and ``[pii].hash_key``
(HMAC-SHA256 over the normalised value, so equal values hash equal and
``WHERE x_hash = ...`` finds them).
"""

from __future__ import annotations

import hashlib
import hmac
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
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key set: never show ciphertext as data
        raise ValueError("个人信息无法解密：站点密钥与数据不匹配") from exc


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


def can_view_full(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("core.view_pii"))
