"""The phone client's H5 build served under /m/ (issue 16, R-PT client side):
files from the configured build folder, index.html for the client's own routes,
a 404 for a missing asset, nothing outside the folder, an operator's page when
there is no build, and a CSP without eval for these pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

INDEX = '<!DOCTYPE html><html><head><script type="module" src="/m/assets/index-abc.js"></script></head></html>'


@pytest.fixture
def build(settings, tmp_path):
    root = tmp_path / "h5"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "assets" / "index-abc.js").write_text("console.log(1)", encoding="utf-8")
    (root / "assets" / "uni.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    settings.MINIPROGRAM_H5_DIR = root
    return root


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_R_PT_phone_client_index_and_assets(client, build):
    index = client.get("/m/")
    assert index.status_code == 200 and index["Content-Type"].startswith("text/html")
    assert body(index).decode() == INDEX
    assert index["Cache-Control"] == "no-cache"
    script = client.get("/m/assets/index-abc.js")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "immutable" in script["Cache-Control"]  # hashed names: a new build has new names
    assert client.get("/m/assets/uni.css")["Content-Type"].startswith("text/css")


def test_R_PT_phone_client_routes_fall_back_to_index_but_assets_do_not(client, build):
    route = client.get("/m/pages/news/list")
    assert route.status_code == 200 and body(route).decode() == INDEX
    assert client.get("/m/assets/gone-123.js").status_code == 404
    assert client.get("/m/missing.png").status_code == 404


def test_R_PT_phone_client_serves_nothing_outside_its_folder(client, build):
    for path in ("/m/../secret.txt", "/m/%2e%2e/secret.txt", "/m/assets/../../secret.txt"):
        response = client.get(path)
        content = body(response) if response.streaming else response.content
        assert b"not for the web" not in content, path


def test_R_PT_phone_client_only_reads(client, build):
    assert client.post("/m/").status_code == 405
    assert client.head("/m/").status_code == 200


def test_R_PT_phone_client_without_a_build_tells_the_operator_how_to_make_one(client, settings, tmp_path):
    settings.MINIPROGRAM_H5_DIR = tmp_path / "nothing-here"
    response = client.get("/m/")
    assert response.status_code == 503
    text = response.content.decode()
    assert "make miniprogram" in text and "码上办手机版尚未构建" in text
    assert str(tmp_path / "nothing-here") in text


def test_R_PT_phone_client_csp_has_no_eval_and_no_inline_script(client, build):
    policy = client.get("/m/")["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["script-src"] == ["'self'"]  # the desk's 'unsafe-eval' is not needed here
    assert directives["script-src-attr"] == ["'none'"]
    assert "blob:" in directives["img-src"]  # the picked photo's preview
    # the rest of the site keeps its own policy
    assert "'unsafe-eval'" in client.get("/portal/")["Content-Security-Policy"]
