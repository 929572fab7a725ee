"""The API's description (/api/schema/, /api/docs/): open on demo and test
sites, signed-in users only on production sites (issue 10 item 9)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import MODEL_BACKEND, PASSWORD
from zhonglou_hrss.siteconf import create_site, load_site

DOCS = ["/api/schema/", "/api/docs/"]


def test_a_production_site_is_neither_demo_nor_debug(sites):
    """issue 10 item 9: the signal — `new_site --production` (debug off, no demo users)."""
    create_site("prod", production=True)
    create_site("show", demo=True)
    create_site("plain")
    assert load_site("prod").is_production
    assert not load_site("show").is_production
    assert not load_site("plain").is_production  # a development or test site: debug on


def test_this_test_site_keeps_the_docs_open(settings):
    """issue 10 item 9: the setting follows the site (the test site is not a production one)."""
    assert settings.API_DOCS_PUBLIC is (not settings.SITE.is_production) is True


@pytest.mark.django_db
@pytest.mark.parametrize("url", DOCS)
def test_open_to_anyone_on_demo_and_test_sites(settings, url):
    """issue 10 item 9: demo and test sites keep the docs open."""
    settings.API_DOCS_PUBLIC = True
    assert Client().get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", DOCS)
def test_only_for_signed_in_users_on_a_production_site(settings, role_user, url):
    """issue 10 item 9: a stranger gets the API's 401 (JSON, Chinese); a desk
    session or an API token opens them."""
    settings.API_DOCS_PUBLIC = False
    response = Client().get(url)
    assert response.status_code == 401
    assert "请先登录" in response.json()["detail"]

    user = role_user("grid_worker")
    session = Client()
    session.force_login(user, backend=MODEL_BACKEND)
    assert session.get(url).status_code == 200

    token = Client().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                          content_type="application/json").json()["token"]
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get(url).status_code == 200
