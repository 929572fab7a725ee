"""Issue 17: 系统设置 → 自定义字段 in the desk — the 系统管理员 defines a
field on a page (errors next to the fields, nothing saved), changes it
(object and code fixed), retires it; other roles do not get the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhonglou_hrss.core.models import AuditLog, CustomField

ADD = reverse("admin:core_customfield_add")
LIST = reverse("admin:core_customfield_changelist")


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**values):
    data = {"object": "demand", "code": "subsidy", "label": "申请补贴", "type": "choice", "order": 10,
            "choices_text": "yes 已申请\nno 未申请", "lookup": "", "help_text": ""}
    data.update(values)
    return data


@pytest.mark.django_db
def test_the_administrator_defines_changes_and_retires_a_field(make_user):
    admin_user = make_user("sys1", roles=["admin"])
    client = desk(admin_user)
    page = client.get(ADD)
    assert page.status_code == 200 and "自定义选项" in page.content.decode()
    bad = client.post(ADD, form(code="Bad Code", choices_text="", label=""))
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "字段代码须小写字母开头" in text and "单选、多选须指定字典或自定义选项" in text
    assert not CustomField.objects.exists()
    leader = make_user("leader1", roles=["leader"])
    saved = client.post(ADD, form(view_roles=[leader.groups.get().pk]))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    field = CustomField.objects.get()
    assert (field.object, field.code, field.choices[1]) == ("demand", "subsidy", {"code": "no", "label": "未申请"})
    assert [g.name for g in field.view_roles.all()] == ["领导"]
    change = reverse("admin:core_customfield_change", args=[field.pk])
    changed = client.post(change, form(object="case", code="other", label="是否申请补贴"))
    assert changed.status_code == 302
    field.refresh_from_db()
    assert (field.object, field.code, field.label) == ("demand", "subsidy", "是否申请补贴")  # object and code fixed
    listed = client.get(LIST).content.decode()
    assert "是否申请补贴" in listed and "人才需求" in listed
    retired = client.post(LIST, {"action": "retire_selected", "_selected_action": [field.pk]})
    assert retired.status_code == 302
    field.refresh_from_db()
    assert field.retired
    assert [r.detail["what"] for r in AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE)
            .order_by("id")] == ["define", "change", "retire"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["district_clerk", "leader", "portal_staff", "credit_staff"])
def test_other_roles_do_not_get_the_page(make_user, role):
    client = desk(make_user("someone", roles=[role]))
    assert client.get(LIST).status_code == 403
    assert client.post(ADD, form()).status_code == 403
    assert not CustomField.objects.exists()
