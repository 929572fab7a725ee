"""Shared checks of issue 17's custom fields in a desk list (core.admin.custom_fields):
the same fields defined on any object, two rows given values through the engine, and
one function that reads the list over HTTP as a user and checks the columns, the choice,
number, decimal and date filters, a bad value, masking and a field the user may not see."""

from __future__ import annotations

from zhonglou_hrss.core import custom_fields as cf

A = {"level": "a", "staff": 5, "amount": "1.5", "visited": "2026-03-01", "contact": "张三丰", "secret": "x",
     "note": "只给领导看"}
B = {"level": "b", "staff": 50, "amount": "20", "visited": "2026-06-01", "secret": "y"}


def define_fields(admin, object_key: str) -> None:
    """A choice, an integer, a decimal and a date field shown as list columns; a personal text
    column; a choice and a text column only leaders may see."""
    def define(**data):
        cf.define(actor=admin, data={"object": object_key, **data})

    define(code="level", label="级别", type="choice", list_column=True,
           choices=[{"code": "a", "label": "甲类"}, {"code": "b", "label": "乙类"}])
    define(code="staff", label="职工人数", type="number", list_column=True)
    define(code="amount", label="补贴金额", type="decimal")
    define(code="visited", label="走访日期", type="date", list_column=True)
    define(code="contact", label="联系人姓名", type="text", personal=True, list_column=True)
    define(code="secret", label="内部密级", type="choice", view_roles=["领导"],
           choices=[{"code": "x", "label": "秘"}, {"code": "y", "label": "机"}])
    define(code="note", label="领导批注", type="text", view_roles=["领导"], list_column=True)


def give(obj, object_key: str, values: dict) -> None:
    """Values written as every object's services write them: checked, stored, indexed."""
    errors = cf.ErrorCollector()
    obj.custom = cf.clean_values(object_key, values, errors=errors, current=obj.custom)
    errors.raise_if_any()
    obj.save(update_fields=["custom"])
    cf.index(object_key, obj.pk, obj.custom)


def check_list(client, url: str, a: str, b: str, *, extra: dict | None = None) -> None:
    """``a`` and ``b``: text only row A's or row B's line shows (a number, a name)."""
    extra = extra or {}

    def listed(**params):
        response = client.get(url, {**extra, **params})
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    page = listed()
    assert a in page and b in page
    # columns: the marked fields the user may see, their values as people read them
    for code in ("level", "staff", "visited", "contact"):
        assert f'class="field-custom_{code}' in page, code
    assert "甲类" in page and "乙类" in page and "2026-06-01" in page
    assert "field-custom_amount" not in page  # not marked 在列表中显示
    assert "张三丰" not in page and "张**" in page  # a personal value masked, as lists always are
    assert "field-custom_note" not in page and "只给领导看" not in page  # leaders' only
    # filters: a choice, number and date ranges; none on the leaders' field or the personal one
    assert "custom.level=b" in page and 'name="custom.staff_from"' in page
    assert 'name="custom.visited_from"' in page and 'name="custom.amount_to"' in page
    assert "custom.secret" not in page and "custom.contact" not in page

    def only(params, present, absent):
        html = listed(**params)
        assert present in html and absent not in html, params

    only({"custom.level": "b"}, b, a)
    only({"custom.level": "a"}, a, b)
    only({"custom.staff_from": "10"}, b, a)
    only({"custom.staff_to": "10"}, a, b)
    only({"custom.amount_from": "1.5", "custom.amount_to": "1.5"}, a, b)  # inclusive
    only({"custom.visited_from": "2026-05-01", "custom.visited_to": "2026-12-31"}, b, a)
    only({"custom.visited_to": "2026/03/01"}, a, b)  # as the calendar may write it
    bad = listed(**{"custom.staff_from": "很多"})
    assert "筛选条件有误：职工人数：应为数字" in bad and a not in bad and b not in bad
    bad_date = listed(**{"custom.visited_from": "去年"})
    assert "筛选条件有误：走访日期：日期格式应为 YYYY-MM-DD" in bad_date
