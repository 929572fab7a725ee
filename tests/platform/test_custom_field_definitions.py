"""Issue 17, custom fields: definitions through the API (系统管理员 only),
each type's value check, required on create, role-scoped reading and
writing, personal values encrypted / masked / audited, the filter index,
what a definition in use may still change, and retiring."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.tokens import authorize
from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.core import pii
from zhonglou_hrss.core.errors import ErrorCollector
from zhonglou_hrss.core.models import AuditLog, CustomField, CustomValue, Enterprise

URL = "/api/v1/platform/fields/"


def api_as(user) -> APIClient:
    client = APIClient()
    authorize(client, user)
    return client


@pytest.fixture
def admin(make_user):
    return make_user("sysadmin", roles=["admin"], name="系统管理员")


def define(admin, **body):
    body = {"object": "enterprise", "label": "字段", "type": "text", **body}
    response = api_as(admin).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return CustomField.objects.get(pk=response.json()["id"])


def cleaned(key, sent, user=None, **kw):
    errors = ErrorCollector()
    out = cf.clean_values(key, sent, errors=errors, user=user, **kw)
    return out, errors.errors


@pytest.mark.django_db
def test_definitions_are_made_by_the_system_administrator_only(admin, make_user):
    body = {"object": "case", "code": "arrears_months", "label": "欠薪月数", "type": "number", "required": True}
    clerk = make_user("clerk1", roles=["district_clerk"])
    assert api_as(clerk).post(URL, body, format="json").status_code == 403
    made = api_as(admin).post(URL, body, format="json")
    assert made.status_code == 201
    assert made.json() | {"id": 0} == made.json() | {
        "object": "case", "code": "arrears_months", "label": "欠薪月数", "type": "number", "required": True,
        "personal": False, "public": False, "retired": False, "id": 0}
    again = api_as(admin).post(URL, body, format="json")
    assert again.status_code == 400 and "arrears_months" in again.json()["errors"]["code"][0]
    # every staff user may read the definitions (forms need them); enterprises and the public only
    # the fields of their own forms, without the roles
    listed = api_as(clerk).get(URL, {"object": "case"})
    assert [f["code"] for f in listed.json()["results"]] == ["arrears_months"]
    assert {"key": "case", "label": "快办事件"} in listed.json()["objects"]
    api_as(admin).post(URL, {**body, "code": "shop", "label": "店铺", "type": "text", "public": True}, format="json")
    for outsider in (api_as(make_user("ent1", roles=["enterprise_user"])), APIClient()):
        shown = outsider.get(URL, {"object": "case"}).json()["results"]
        assert [f["code"] for f in shown] == ["shop"] and "edit_roles" not in shown[0]
    assert AuditLog.objects.filter(action=AuditLog.Action.CONFIG_CHANGE, detail__what="define").count() == 2


@pytest.mark.django_db
def test_a_bad_definition_names_each_field(admin):
    bad = api_as(admin).post(URL, {"object": "nothing", "code": "9bad", "label": "", "type": "colour",
                                   "view_roles": ["不存在的角色"], "personal": "yes"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"object", "code", "label", "type", "view_roles", "personal"}
    choice = api_as(admin).post(URL, {"object": "case", "code": "kind", "label": "类别", "type": "choice"},
                                format="json")
    assert "二选一" in choice.json()["errors"]["lookup"][0]
    dup = api_as(admin).post(URL, {"object": "case", "code": "kind", "label": "类别", "type": "choice",
                                   "choices": [{"code": "a", "label": "甲"}, {"code": "a", "label": "乙"}]},
                             format="json")
    assert "重复" in dup.json()["errors"]["choices[1].code"][0]
    personal = api_as(admin).post(URL, {"object": "case", "code": "flag", "label": "标记", "type": "boolean",
                                        "personal": True}, format="json")
    assert "个人信息" in personal.json()["errors"]["personal"][0]
    assert not CustomField.objects.exists()


@pytest.mark.django_db
def test_each_type_checks_its_values(admin):
    fields = {
        "t": define(admin, code="t", type="text"), "lt": define(admin, code="lt", type="long_text"),
        "n": define(admin, code="n", type="number"), "d": define(admin, code="d", type="decimal"),
        "dt": define(admin, code="dt", type="date"), "b": define(admin, code="b", type="boolean"),
        "c": define(admin, code="c", type="choice", choices=[{"code": "x", "label": "甲"}, {"code": "y", "label": "乙"}]),
        "m": define(admin, code="m", type="multi_choice", lookup="industry"),
    }
    assert fields
    good, errors = cleaned("enterprise", {"t": " 文字 ", "lt": "一\n二", "n": "42", "d": 3.5, "dt": "2026-02-28",
                                          "b": "是", "c": "y", "m": ["F", "C", "F"]})
    assert errors == {}
    assert good == {"t": "文字", "lt": "一\n二", "n": 42, "d": "3.5", "dt": "2026-02-28", "b": True, "c": "y",
                    "m": ["C", "F"]}
    _, errors = cleaned("enterprise", {"t": "a\nb", "lt": "长" * 2001, "n": 1.5, "d": "1.23456", "dt": "2026-02-30",
                                       "b": "maybe", "c": "z", "m": ["ZZ"], "nope": 1})
    assert set(errors) == {f"custom.{k}" for k in ("t", "lt", "n", "d", "dt", "b", "c", "m", "nope")}
    assert "不能换行" in errors["custom.t"][0] and "ZZ" in errors["custom.m"][0]
    # an empty value removes one; a non-object is refused
    assert cleaned("enterprise", {"t": ""}, current={"t": "旧"})[0] == {}
    assert "custom" in cleaned("enterprise", ["t"])[1]


@pytest.mark.django_db
def test_required_roles_and_public_forms(admin, make_user):
    clerk = make_user("clerk2", roles=["district_clerk"])
    leader = make_user("leader2", roles=["leader"])
    define(admin, object="case", code="source_unit", label="转办单位", required=True, edit_roles=["领导"],
           view_roles=["领导", "区后勤人员"])
    define(admin, object="case", code="shop", label="店铺名称", public=True, required=True)
    # creating: every required field the user may fill must be there — the clerk may not fill source_unit
    _, errors = cleaned("case", {}, user=clerk, creating=True)
    assert set(errors) == {"custom.shop"}
    _, errors = cleaned("case", {"source_unit": "市局"}, user=clerk)
    assert "不能填写" in errors["custom.source_unit"][0]
    values, errors = cleaned("case", {"source_unit": "市局", "shop": "小店"}, user=leader, creating=True)
    assert errors == {}
    # the public form: only public fields
    _, errors = cleaned("case", {"source_unit": "市局", "shop": "小店"}, public=True, creating=True)
    assert set(errors) == {"custom.source_unit"}
    holder = Enterprise(custom=values)
    assert cf.read("case", holder, user=clerk) == {"source_unit": "市局", "shop": "小店"}
    inspector = make_user("insp2", roles=["inspector"])
    assert cf.read("case", holder, user=inspector) == {"shop": "小店"}
    assert cf.read("case", holder, user=None, public=True) == {"shop": "小店"}


@pytest.mark.django_db
def test_a_personal_field_is_encrypted_masked_and_audited(admin, make_user):
    define(admin, code="legal_mobile", label="法人手机", personal=True)
    values, errors = cleaned("enterprise", {"legal_mobile": "13912345678"}, user=admin)
    assert errors == {}
    assert values["legal_mobile"] != "13912345678" and pii.decrypt(values["legal_mobile"]) == "13912345678"
    ent = Enterprise.objects.create(name="常州测试有限公司", custom=values)
    cf.index("enterprise", ent.pk, values)
    assert not CustomValue.objects.exists()  # never indexed in plain text
    clerk = make_user("credit3", roles=["credit_staff"])  # a desk role without core.view_pii
    shown = cf.read("enterprise", ent, user=clerk)["legal_mobile"]
    assert shown.startswith("1") and "*" in shown and "5678" not in shown
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).exists()
    assert cf.read("enterprise", ent, user=admin)["legal_mobile"] == "13912345678"
    row = AuditLog.objects.get(action=AuditLog.Action.PII_VIEW)
    assert row.detail["fields"] == ["custom.legal_mobile"]


@pytest.mark.django_db
def test_the_index_filters_and_what_a_used_definition_may_change(admin):
    colour = define(admin, code="size", label="规模", type="choice",
                    choices=[{"code": "s", "label": "小"}, {"code": "l", "label": "大"}])
    staff = define(admin, code="staff", label="职工人数", type="number")
    tags = define(admin, code="tags", label="标签", type="multi_choice",
                  choices=[{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}])
    made = []
    for n, (size, people, picked) in enumerate([("s", 5, ["a"]), ("l", 500, ["a", "b"]), ("l", 50, [])]):
        values, _ = cleaned("enterprise", {"size": size, "staff": people, "tags": picked})
        ent = Enterprise.objects.create(name=f"企业{n}", custom=values)
        cf.index("enterprise", ent.pk, values)
        made.append(ent)
    qs = Enterprise.objects.all()
    assert list(cf.filter_queryset(qs, "enterprise", {"custom.size": "l"}).order_by("pk")) == made[1:]
    assert list(cf.filter_queryset(qs, "enterprise", {"custom.staff__min": "50", "custom.size": "l"})
                .order_by("pk")) == made[1:]
    assert list(cf.filter_queryset(qs, "enterprise", {"custom.staff__max": "49"})) == made[:1]
    assert list(cf.filter_queryset(qs, "enterprise", {"custom.tags": "b"})) == [made[1]]
    with pytest.raises(Exception) as bad:
        cf.filter_queryset(qs, "enterprise", {"custom.size__min": "1", "custom.nope": "x", "custom.staff": "many"})
    assert set(bad.value.errors) == {"custom.size__min", "custom.nope", "custom.staff"}
    api = api_as(admin)
    # in use: integer → decimal is allowed, choice → text is not, a used option cannot go, an unused one can
    assert api.patch(f"{URL}{staff.pk}/", {"type": "decimal"}, format="json").status_code == 200
    refused = api.patch(f"{URL}{colour.pk}/", {"type": "text", "code": "other"}, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"type", "code"}
    gone = api.patch(f"{URL}{tags.pk}/", {"choices": [{"code": "a", "label": "甲"}]}, format="json")
    assert "b" in gone.json()["errors"]["choices"][0]
    kept = api.patch(f"{URL}{colour.pk}/", {"label": "企业规模", "choices": [
        {"code": "s", "label": "小"}, {"code": "l", "label": "大"}, {"code": "m", "label": "中"}]}, format="json")
    assert kept.status_code == 200 and [c["code"] for c in kept.json()["choices"]] == ["s", "l", "m"]
    assert cf.labels("enterprise", made[1].custom) == {"size": "大", "staff": "500", "tags": "甲、乙"}


@pytest.mark.django_db
def test_a_retired_field_is_hidden_its_values_kept_and_no_longer_written(admin, make_user):
    field = define(admin, code="note2", label="备注二")
    values, _ = cleaned("enterprise", {"note2": "保留"})
    ent = Enterprise.objects.create(name="企业甲", custom=values)
    api = api_as(admin)
    assert api.post(f"{URL}{field.pk}/retire/").json()["retired"] is True
    assert api.post(f"{URL}{field.pk}/retire/").status_code == 409
    assert api.patch(f"{URL}{field.pk}/", {"label": "x"}, format="json").status_code == 409
    ent.refresh_from_db()
    assert ent.custom == {"note2": "保留"}
    assert cf.read("enterprise", ent, user=admin) == {}
    assert "已停用" in cleaned("enterprise", {"note2": "新"})[1]["custom.note2"][0]
    assert api.get(URL, {"object": "enterprise"}).json()["results"] == []
    assert [f["code"] for f in api.get(URL, {"object": "enterprise", "retired": "true"}).json()["results"]] == ["note2"]
    # the code is never reused
    again = api.post(URL, {"object": "enterprise", "code": "note2", "label": "备注", "type": "text"}, format="json")
    assert again.status_code == 400
