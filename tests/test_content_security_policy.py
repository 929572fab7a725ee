"""Issue 10 item 9: the Content-Security-Policy header (django-csp) on every
kind of response — desk, public pages, API — and the templates it relies on:
no inline script and no inline event handler anywhere under apps/. The
browser side (no violation on the main pages, and the pages still working) is
tests/e2e/test_csp.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND

APPS = Path(__file__).resolve().parents[1] / "apps"


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"{response.request['PATH_INFO']} 没有 Content-Security-Policy 头"
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict(response):
    """Self only; scripts from files of this site, never inline."""
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert not any(v.startswith(("http", "*", "data:", "blob:")) for v in policy["script-src"])
    assert policy["script-src-attr"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    return policy


@pytest.mark.parametrize("url", ["/desk/", "/desk/kuaiban/case/", "/desk/kuaiban/case/register/",
                                 "/desk/kuaiban/stats/map/", "/desk/kuaiban/stats/analysis/",
                                 "/desk/core/grid/", "/kuaiban/qr/", "/api/docs/"])
def test_desk_pages_carry_the_policy(client_as, url):
    """issue 10 item 9: the desk's pages (a clerk who sees them all)."""
    response = client_as("clerk").get(url)
    assert response.status_code == 200, url
    assert_strict(response)


@pytest.mark.parametrize("url", ["/desk/login/", "/kuaiban/report/", "/kuaiban/report/?grid=320404001",
                                 "/kuaiban/progress/", "/", "/healthz"])
def test_public_pages_carry_the_policy(client, db, url):
    """issue 10 item 9: pages anyone reaches, signed in or not."""
    response = client.get(url)
    assert response.status_code in (200, 503), url
    assert_strict(response)


def test_api_responses_carry_the_policy(role_user):
    """issue 10 item 9: the API's answers — JSON, refusals, the browsable form."""
    anonymous = APIClient()
    assert_strict(anonymous.get("/api/v1/kuaiban/cases/"))  # 401/403
    api = APIClient()
    api.force_login(role_user("clerk"), backend=MODEL_BACKEND)
    response = api.get("/api/v1/kuaiban/cases/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert_strict(response)
    assert_strict(api.get("/api/v1/kuaiban/cases/", HTTP_ACCEPT="text/html"))
    assert_strict(api.get("/api/schema/"))


def test_swagger_ui_starts_from_a_file(client_as):
    """issue 10 item 9: /api/docs/ loads Swagger UI's start-up script from ?script (no inline script)."""
    client = client_as("clerk")
    page = client.get("/api/docs/").content.decode()
    assert re.search(r'<script src="[^"]*\?[^"]*script=', page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_map_page_allows_the_tile_hosts_only_when_tiles_are_on(client_as, settings):
    """issue 10 item 9: 天地图 tiles come from t0…t7.tianditu.gov.cn — that page's img-src names them."""
    client = client_as("leader")
    assert_strict(client.get("/desk/kuaiban/stats/map/"))
    settings.MAP_SETTINGS = {"tiles_enabled": True, "tile_key": "k", "tile_subdomains": "01"}
    policy = directives(client.get("/desk/kuaiban/stats/map/"))
    assert policy["img-src"] == ["'self'", "data:", "https://t0.tianditu.gov.cn", "https://t1.tianditu.gov.cn"]
    assert "tianditu" not in str(directives(client.get("/desk/kuaiban/stats/analysis/")))


# --- the templates the policy relies on ----------------------------------------------------
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def templates():
    found = sorted(p for p in APPS.rglob("templates/**/*.html"))
    assert found
    return found


def test_no_inline_script_or_handler_in_our_templates():
    """issue 10 item 9: scripts live in static files, behaviours in data attributes (desk.js)."""
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL):
            offenders += [f"{path.relative_to(APPS)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_template_check_finds_what_it_looks_for():
    samples = ['<script>alert(1)</script>', '<select name="y" onchange="this.form.submit()">',
               "<form method=post\n  onsubmit=\"return confirm('x')\">", '<a href="javascript:void(0)">']
    for sample in samples:
        assert any(p.search(sample) for p in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL)), sample
    for fine in ('<script src="/static/x.js"></script>', '<script id="c" type="application/json">{}</script>',
                 '<button data-confirm="确认？" x-on:click="open = true">', '<p>online=1</p>'):
        assert not any(p.search(fine) for p in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL)), fine
