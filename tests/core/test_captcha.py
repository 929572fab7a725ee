"""Captchas (R-KB-01's anti-abuse; the fifty-staff issue's "no database row
per page view"): a key drawn from nothing stored, good for one try within its
time, its picture drawn by any worker."""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.core.cache import cache

from zhonglou_hrss.core import captcha

REPORT = "/kuaiban/report/"


@pytest.fixture(autouse=True)
def _real_captchas(settings):
    settings.CAPTCHA_TEST_MODE = False
    cache.clear()
    yield
    cache.clear()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.managed}


@pytest.mark.django_db
def test_showing_the_public_page_writes_no_row(client):
    before = row_counts()
    for _ in range(5):
        assert client.get(REPORT).status_code == 200
        assert client.get("/captcha/refresh/").status_code == 200
    assert row_counts() == before


@pytest.mark.django_db
def test_refresh_gives_a_key_and_its_picture(client):
    body = client.get("/captcha/refresh/").json()
    assert set(body) == {"key", "image_url"}
    response = client.get(body["image_url"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["nodot", "zz.", "!!.abc", "x" * 80 + ".a"])
def test_a_made_up_key_has_no_picture(client, key):
    assert client.get(f"/captcha/image/{key}/").status_code == 404


def test_the_answer_is_accepted_once():
    key = captcha.new_challenge().key
    captcha.check(key, captcha.answer_for(key).lower())  # case does not matter
    with pytest.raises(captcha.CaptchaError) as replay:
        captcha.check(key, captcha.answer_for(key))
    assert replay.value.code == "invalid"


def test_a_wrong_guess_spends_the_key():
    key = captcha.new_challenge().key
    wrong = "AAAA" if captcha.answer_for(key) != "AAAA" else "CCCC"
    with pytest.raises(captcha.CaptchaError, match="验证码不正确"):
        captcha.check(key, wrong)
    with pytest.raises(captcha.CaptchaError, match="验证码不正确"):
        captcha.check(key, captcha.answer_for(key))


def test_an_old_key_has_expired(settings):
    old = int(time.time()) - settings.CAPTCHA_TTL_SECONDS - 5
    key = f"{captcha._base36(old)}.abcdefgh"
    with pytest.raises(captcha.CaptchaError, match="验证码已过期") as expired:
        captcha.check(key, captcha.answer_for(key))
    assert expired.value.code == "expired"


def test_an_empty_answer_is_required():
    with pytest.raises(captcha.CaptchaError, match="请输入验证码"):
        captcha.check(captcha.new_challenge().key, "  ")


def test_the_answer_depends_on_the_site_secret(settings):
    """Without the secret nobody computes the answer from the key."""
    keys = [captcha.new_challenge().key for _ in range(5)]
    ours = [captcha.answer_for(k) for k in keys]
    captcha._secret.cache_clear()
    settings.SECRET_KEY = "another-site-" + "x" * 60
    try:
        theirs = [captcha.answer_for(k) for k in keys]
    finally:
        captcha._secret.cache_clear()
    assert ours != theirs
    assert all(len(a) == captcha.LENGTH and set(a) <= set(captcha.ALPHABET) for a in ours + theirs)


def test_test_mode_accepts_passed_only_when_on(settings):
    key = captcha.new_challenge().key
    with pytest.raises(captcha.CaptchaError):
        captcha.check(key, "PASSED")
    settings.CAPTCHA_TEST_MODE = True
    captcha.check("anything", "PASSED")
