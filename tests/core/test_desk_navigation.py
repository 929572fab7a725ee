"""R-SYS-01 / R-SYS-03: the desk, entered by permission, shows each role only
what it may use."""

import pytest

pytestmark = pytest.mark.django_db

SETTINGS_LINKS = {
    "用户": "/desk/core/user/",
    "角色": "/desk/core/role/",
    "网格": "/desk/core/grid/",
    "字典": "/desk/core/lookupentry/",
    "审计日志": "/desk/core/auditlog/",
}


def test_desk_title_is_chinese(client_as):
    html = client_as("admin").get("/desk/").content.decode()
    assert "钟楼区人社局业务管理系统" in html
    assert "工作台" in html


@pytest.mark.parametrize("role", ["admin", "clerk", "leader", "inspector", "grid_worker", "portal_staff", "credit_staff"])
def test_staff_roles_enter_the_desk(client_as, role):
    assert client_as(role).get("/desk/").status_code == 200


def test_enterprise_account_cannot_enter_the_desk(client_as):
    response = client_as("enterprise_user").get("/desk/")
    assert response.status_code == 302
    assert "/desk/login/" in response["Location"]


def test_admin_sees_system_settings(client_as):
    html = client_as("admin").get("/desk/").content.decode()
    for href in SETTINGS_LINKS.values():
        assert f'href="{href}"' in html


def test_grid_worker_does_not_see_system_settings(client_as):
    client = client_as("grid_worker")
    html = client.get("/desk/").content.decode()
    for href in SETTINGS_LINKS.values():
        assert f'href="{href}"' not in html
    assert 'href="/desk/core/enterprise/"' in html
    # Not just hidden: the pages themselves refuse.
    assert client.get("/desk/core/user/").status_code == 403
    assert client.get("/desk/core/auditlog/").status_code == 403
