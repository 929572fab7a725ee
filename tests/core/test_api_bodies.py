"""Request bodies the API cannot or will not read (issue 10 item 4): JSON
nested too deep, bodies too big, too many form fields — each a 400 in JSON
with a Chinese message, never a 500, signed in or not."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD
from zhonglou_hrss.core import json_body

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
CASES = "/api/v1/kuaiban/cases/"


def nested(kind: str, depth: int) -> str:
    if kind == "arrays":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_json_400(response, words: str):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert words in body["detail"] and is_chinese(body["detail"])
    assert body["errors"] == {"non_field_errors": [body["detail"]]}


@pytest.fixture
def signed_in(role_user):
    """A district clerk's client, signed in by the token the API hands out."""
    role_user("clerk")
    token = Client().post(TOKEN, {"username": "u_clerk", "password": PASSWORD},
                          content_type="application/json").json()["token"]
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


# --- nesting --------------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("kind", ["arrays", "objects"])
def test_deeply_nested_json_to_the_token_endpoint_is_400(db, kind, depth):
    """issue 10 item 4: 1,000 or 100,000 nested arrays or objects, no sign-in:
    400 in Chinese (was a RecursionError, 500)."""
    response = Client().post(TOKEN, nested(kind, depth), content_type="application/json")
    assert_json_400(response, "嵌套层数过多")


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("kind", ["arrays", "objects"])
@pytest.mark.parametrize("url", [CASES, CASES + "1/grid_accept/"])
def test_deeply_nested_json_signed_in_is_400(signed_in, url, kind, depth):
    """issue 10 item 4: the same on endpoints behind the sign-in."""
    response = signed_in.post(url, nested(kind, depth), content_type="application/json")
    assert_json_400(response, "嵌套层数过多")


def test_nesting_up_to_the_limit_is_read(db):
    """issue 10 item 4: 32 levels are read as usual (the body's fields are then
    checked), 33 are refused."""
    deep_name = json.loads(nested("arrays", json_body.MAX_DEPTH - 1))
    response = Client().post(TOKEN, {"username": deep_name, "password": "x"}, content_type="application/json")
    assert response.status_code == 400 and "username" in response.json()["errors"]
    too_deep = {"username": json.loads(nested("arrays", json_body.MAX_DEPTH)), "password": "x"}
    assert_json_400(Client().post(TOKEN, too_deep, content_type="application/json"), "嵌套层数过多")


def test_malformed_json_is_400_in_chinese(db):
    """issue 10 item 4: broken JSON says so in Chinese, with where."""
    assert_json_400(Client().post(TOKEN, '{"username": ', content_type="application/json"), "不是有效的 JSON")


@pytest.mark.parametrize(("text", "deeper"), [
    (nested("arrays", 32), False),
    (nested("arrays", 33), True),
    (nested("objects", 32), False),
    (nested("objects", 33), True),
    ('[{"a":' * 16 + "1" + "}]" * 16, False),
    ('[{"a":' * 16 + "[]" + "}]" * 16, True),
    ('["' + "[" * 100 + '"]', False),  # brackets inside a string do not count
    ('["\\"' + "[" * 100 + '", "\\\\", "{{{{"]', False),  # nor after an escaped quote or backslash
    ("[" * 100, True),  # unclosed: refused too
    ("[" + ",".join(["[]"] * 10_000) + "]", False),  # many, but side by side
])
def test_depth_is_measured_outside_strings(text, deeper):
    """issue 10 item 4: the depth check agrees with the nesting json would recurse into."""
    assert json_body.nested_deeper_than(text) is deeper
    if not deeper:
        json.loads(text)  # the texts said to be shallow enough are JSON


# --- size -----------------------------------------------------------------------------------
def test_a_body_over_the_upload_limit_is_400(db):
    """issue 10 item 4: a flat body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused
    before it is read, in JSON."""
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = "[" + "1," * (size // 2) + "1]"
    assert_json_400(Client().post(TOKEN, body, content_type="application/json"), "请求内容过大")


def test_a_big_flat_body_under_the_limit_is_an_ordinary_400(db):
    """issue 10 item 4: a few megabytes of flat JSON are read and refused by
    the fields' checks, quickly."""
    body = "[" + "1," * 2_000_000 + "1]"
    response = Client().post(TOKEN, body, content_type="application/json")
    assert response.status_code == 400 and is_chinese(response.json()["detail"])


def test_too_many_form_fields_is_400(db):
    """issue 10 item 4: a form body with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS."""
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = Client().post(TOKEN, body, content_type="application/x-www-form-urlencoded")
    assert_json_400(response, "字段或文件过多")
