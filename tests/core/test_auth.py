"""Permissions kept in the cache (core.auth.CachedModelBackend): read once,
then served without queries; any change to roles or a user's roles takes
effect on the next request (R-SYS-01: roles are data the admin changes)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import User

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # as each request loads it


def permission_queries(user, perm) -> tuple[bool, int]:
    with CaptureQueriesContext(connection) as ctx:
        allowed = user.has_perm(perm)
    return allowed, sum("auth_permission" in q["sql"] for q in ctx.captured_queries)


def test_a_second_request_reads_no_permission_tables(make_user):
    user = make_user("c_clerk", roles=["district_clerk"])
    assert permission_queries(fresh(user), "kuaiban.register_case") == (True, 2)  # own + roles
    assert permission_queries(fresh(user), "kuaiban.register_case") == (True, 0)


def test_a_role_change_counts_on_the_next_request(make_user):
    user = make_user("c_clerk", roles=["district_clerk"])
    assert fresh(user).has_perm("kuaiban.register_case")
    group = role_group("district_clerk")
    group.permissions.remove(Permission.objects.get(codename="register_case"))
    assert not fresh(user).has_perm("kuaiban.register_case")
    group.permissions.add(Permission.objects.get(codename="register_case"))
    assert fresh(user).has_perm("kuaiban.register_case")


def test_a_users_roles_change_counts_on_the_next_request(make_user):
    user = make_user("c_someone", roles=["district_clerk"])
    assert fresh(user).has_perm("kuaiban.view_all_cases")
    user.groups.set([role_group("grid_worker")])
    assert not fresh(user).has_perm("kuaiban.view_all_cases")
    user.groups.clear()
    assert fresh(user).get_all_permissions() == set()


def test_inactive_users_hold_nothing(make_user):
    user = make_user("c_gone", roles=["leader"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not fresh(user).has_perm("kuaiban.view_all_cases")


def test_a_role_deleted_in_the_desk_counts_on_the_next_request(make_user, client_as):
    """R-SYS-01 (roles are data the admin changes): a role is deleted through its proxy (core.Role): Django signals that delete for Role, not
    for Group, and the members' roles go with it without a signal of their own. Their kept
    permissions must go too (they were kept for an hour)."""
    from zhonglou_hrss.core.models import Role

    admin = client_as("admin")
    role = Role.objects.create(name="临时登记员")
    role.permissions.add(Permission.objects.get(codename="register_case"))
    user = make_user("c_temp", roles=[])
    user.groups.add(role)
    assert fresh(user).has_perm("kuaiban.register_case")
    response = admin.post(f"/desk/core/role/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Role.objects.filter(pk=role.pk).exists()
    assert not fresh(user).has_perm("kuaiban.register_case")
