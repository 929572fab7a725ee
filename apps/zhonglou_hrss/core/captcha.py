"""Image captchas without a database row per page view.

A challenge's key is ``<issued, base 36>.<random nonce>``; its answer is
derived from the key with the site's secret (HMAC), so nothing is stored when
a page shows a captcha, the image can be drawn by any worker from the key
alone, and an answer cannot be computed without the secret. A key expires by
itself (``CAPTCHA_TTL_SECONDS`` after it was issued) and is good for one try:
checking it records the key in the cache until it would have expired, so a
solved captcha cannot be replayed (the cache is Redis on a production site,
shared by every worker).

Forms use ``CaptchaField`` (posted as ``captcha_0`` = key, ``captcha_1`` =
answer); clients of the API get ``{"key", "image_url"}`` from
``new_challenge()`` and send ``captcha_key`` / ``captcha_value``.
``CAPTCHA_TEST_MODE`` (tests, load tests on a non-production site) accepts
``PASSED`` as the answer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B): many users are older, on a phone.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 4
TEST_ANSWER = "PASSED"
MESSAGES = {"required": "请输入验证码", "invalid": "验证码不正确，请重新输入", "expired": "验证码已过期，请换一张"}
_CLOCK_SKEW = 60  # seconds a key may claim to be from the future (several servers)


def ttl_seconds() -> int:
    return int(getattr(settings, "CAPTCHA_TTL_SECONDS", 600))


@dataclass(frozen=True)
class Challenge:
    key: str
    image_url: str

    def as_dict(self) -> dict:
        return {"key": self.key, "image_url": self.image_url}


def new_challenge() -> Challenge:
    key = f"{_base36(int(time.time()))}.{secrets.token_urlsafe(12)}"
    return Challenge(key=key, image_url=reverse("captcha-image", args=[key]))


def answer_for(key: str) -> str:
    digest = hmac.new(_secret(), key.encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


def issued_at(key: str) -> int | None:
    """When the key was issued (epoch seconds), or None for a malformed key."""
    stamp, dot, nonce = key.partition(".")
    if not dot or not nonce or len(key) > 64 or not stamp.isalnum():
        return None
    try:
        return int(stamp, 36)
    except ValueError:
        return None


def is_live(key: str) -> bool:
    issued = issued_at(key)
    now = time.time()
    return issued is not None and issued - _CLOCK_SKEW <= now <= issued + ttl_seconds()


class CaptchaError(Exception):
    def __init__(self, code: str):
        super().__init__(MESSAGES[code])
        self.code = code


def check(key: str, value: str) -> None:
    """Raise ``CaptchaError`` unless ``value`` answers the live, unused ``key``.

    A checked key is spent whichever way the check went: a wrong guess does not
    leave the same image open for another guess.
    """
    key, value = (key or "").strip(), (value or "").strip().upper()
    if not value:
        raise CaptchaError("required")
    if getattr(settings, "CAPTCHA_TEST_MODE", False) and value == TEST_ANSWER:
        return
    if not is_live(key):
        raise CaptchaError("expired" if issued_at(key) is not None else "invalid")
    first_use = cache.add(f"captcha-used:{key}", 1, ttl_seconds() + _CLOCK_SKEW)
    if not first_use or not hmac.compare_digest(value, answer_for(key)):
        raise CaptchaError("invalid")


@lru_cache(maxsize=1)
def _secret() -> bytes:
    return hashlib.sha256(b"zhonglou-captcha:" + settings.SECRET_KEY.encode()).digest()


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def image_png(key: str) -> bytes:
    from captcha.image import ImageCaptcha  # Pillow-based drawing (PyPI "captcha")

    return ImageCaptcha(width=130, height=52, font_sizes=(38, 40, 42)).generate(answer_for(key), format="png").getvalue()


# --- form field -------------------------------------------------------------------------
class CaptchaWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        super().__init__([forms.HiddenInput(), forms.TextInput(attrs={"autocomplete": "off"})], attrs)

    def decompress(self, value):
        return list(value) if value else [None, None]


class CaptchaField(forms.MultiValueField):
    """``captcha_0`` (the key) + ``captcha_1`` (the answer), checked on clean."""

    widget = CaptchaWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {**MESSAGES, **kwargs["error_messages"]}
        super().__init__(fields=(forms.CharField(required=False), forms.CharField(required=False)),
                         require_all_fields=False, **kwargs)

    def compress(self, data_list):
        return tuple(data_list) if data_list else ("", "")

    def clean(self, value):
        key, answer = (list(value or []) + ["", ""])[:2]
        try:
            check(key or "", answer or "")
        except CaptchaError as exc:
            raise forms.ValidationError(self.error_messages[exc.code], code=exc.code) from None
        return key
