"""R-SYS-01 (the desk every role enters), issue 11 item 2: people are never shown Django's debug or English error
pages — a Chinese 404/403/500 (and CSRF) page on every site, the demo's too."""

import pytest
from django.test import Client, RequestFactory
from django.views import defaults


pytestmark = pytest.mark.django_db


def _chinese(html: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in html)


def test_unknown_address_is_a_chinese_404():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "Not Found" not in html and "URLconf" not in html


def test_forbidden_desk_page_is_a_chinese_403(client_as):
    response = client_as("grid_worker").get("/desk/kuaiban/stats/boundary/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html and "Forbidden" not in html


def test_server_error_page_is_chinese_and_needs_no_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时出错了" in html and "Server Error" not in html


def test_csrf_failure_is_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/desk/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "CSRF verification failed" not in html and _chinese(html)


def test_login_without_next_lands_on_the_desk_home(role_user):
    from tests.conftest import PASSWORD

    role_user("clerk")
    response = Client().post("/desk/login/", {"username": "u_clerk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/desk/"


def test_a_demo_site_never_runs_in_debug(tmp_path):
    """Even a demo site whose config says debug = true (written by an older
    release) runs without Django's debug pages; a developer's own site may."""
    import re

    from tests.core.test_sites import manage, ok

    for name, flags in (("olddemo", ("--demo",)), ("mine", ())):
        ok(manage(tmp_path, "new_site", name, *flags))
        config = tmp_path / name / "site_config.toml"
        config.write_text(re.sub(r"^debug = \w+", "debug = true", config.read_text(encoding="utf-8"), flags=re.M),
                          encoding="utf-8")
    show = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    assert "DEBUG False" in ok(manage(tmp_path, "shell", "-c", show, site="olddemo")).stdout
    assert "DEBUG True" in ok(manage(tmp_path, "shell", "-c", show, site="mine")).stdout
