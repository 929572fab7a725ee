"""The saved reports' definition rules (platform.rules, pure): what a definition
may say per field type, the parts left out when a field is gone, the filters
in words for the export's header."""

from __future__ import annotations

from zhonglou_hrss.core.reporting import ReportField
from zhonglou_hrss.platform.rules import describe_filters, output_keys, usable_part, validate

FIELDS = {
    "status": ReportField("status", "状态", "choice", choices=(("open", "办理中"), ("closed", "已办结")), groupable=True),
    "amount": ReportField("amount", "金额", "number", summable=True),
    "created_at": ReportField("created_at", "登记时间", "datetime", groupable=True),
    "name": ReportField("name", "名称", "text"),
    "phone": ReportField("phone", "手机号", "text", personal="mobile"),
    "flag": ReportField("flag", "需要处罚", "boolean", groupable=True),
}


def test_grouping_defaults_to_a_count_and_orders_keys():
    definition, errors = validate({"group_by": ["status", "created_at:year"]}, FIELDS)
    assert errors == {}
    assert definition["aggregates"] == [{"op": "count", "field": ""}]
    assert output_keys(definition) == ["status", "created_at:year", "count"]


def test_ops_follow_the_field_type():
    ok, errors = validate({"columns": ["name"], "filters": {
        "name": {"op": "contains", "value": "公司"}, "amount": {"op": "range", "value": ["10", None]},
        "flag": "是", "status": ["open", "closed"], "created_at": {"op": "isnull", "value": False}}}, FIELDS)
    assert errors == {}
    assert ok["filters"]["flag"] == {"op": "eq", "value": True}
    assert ok["filters"]["status"] == {"op": "in", "value": ["open", "closed"]}
    assert ok["filters"]["amount"] == {"op": "range", "value": ["10", None]}
    _, errors = validate({"columns": ["name"], "filters": {"flag": {"op": "range", "value": [1, 2]},
                                                           "amount": {"op": "range", "value": [5, 1]}}}, FIELDS)
    assert "只能用这些条件" in errors["filters.flag"][0] and "起始值不能大于结束值" in errors["filters.amount"][0]


def test_sum_and_avg_only_on_summable_fields():
    _, errors = validate({"group_by": ["status"], "aggregates": [{"op": "avg", "field": "name"},
                                                                 {"op": "sum", "field": "phone"}]}, FIELDS)
    assert set(errors) == {"aggregates[0].field", "aggregates[1].field"}


def test_usable_part_leaves_out_what_is_gone():
    saved = {"columns": [], "group_by": ["status", "custom.area"], "aggregates": [{"op": "sum", "field": "gone"}],
             "filters": {"gone": {"op": "eq", "value": 1}}, "sort": [{"key": "sum:gone", "desc": True}], "chart": "pie"}
    usable, warnings = usable_part(saved, FIELDS)
    assert usable == {"columns": [], "group_by": ["status"], "aggregates": [{"op": "count", "field": ""}],
                      "filters": {}, "sort": [], "chart": "pie"}
    assert len(warnings) == 3 and all("已不存在" in w for w in warnings)


def test_filters_in_words_for_the_export_header():
    definition, _ = validate({"columns": ["name"], "filters": {
        "status": ["closed"], "created_at": {"op": "range", "value": ["2026-01-01", ""]},
        "flag": False}}, FIELDS)
    assert describe_filters(definition, FIELDS) == "状态 属于 已办结；登记时间 2026-01-01 至 不限；需要处罚 等于 否"
    assert describe_filters({"filters": {}}, FIELDS) == "无（全部可见记录）"
