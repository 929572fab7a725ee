"""Saved reports' definitions, checked (pure: no database).

A definition is data (kept as JSON on the report, exported and imported
between sites)::

    {"columns": ["number", "grid__name"],
     "filters": {"status": {"op": "in", "value": ["closed"]},
                 "created_at": {"op": "range", "value": ["2026-01-01", "2026-03-31"]}},
     "group_by": ["grid__name", "created_at:month"],
     "aggregates": [{"op": "count", "field": ""}, {"op": "sum", "field": "handling_amount"}],
     "sort": [{"key": "count", "desc": true}],
     "chart": "bar"}

``validate`` names every bad part in Chinese (``columns[1]``, ``filters.status``,
``aggregates[0].field`` …); ``usable_part`` takes a saved definition and leaves
out what names a field the source no longer has (a retired custom field), with
a Chinese warning for each part left out — the report runs without it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from zhonglou_hrss.core.reporting import BOOLEAN, CHOICE, DATE, DATETIME, NUMBER, TEXT

BUILD = "platform.build_report"
MANAGE_ALL = "platform.manage_reports"
MAX_GROUPS = 2
MAX_COLUMNS = 25  # the government sheet takes 26 columns, the first is 序号
MAX_AGGREGATES = 6
ROW_CAP = 5000  # rows a page shows; the export has them all
NAME_MAX = 100
TRUNCATIONS = {"month": "按月", "year": "按年"}
AGGREGATES = {"count": "计数", "sum": "合计", "avg": "平均"}
CHARTS = {"bar": "柱状图", "line": "折线图", "pie": "饼图"}
OPS = {"eq": "等于", "in": "属于", "range": "范围", "contains": "包含", "isnull": "为空"}
OPS_BY_TYPE = {
    TEXT: ("eq", "in", "contains", "isnull"),
    NUMBER: ("eq", "in", "range", "isnull"),
    DATE: ("eq", "range", "isnull"),
    DATETIME: ("eq", "range", "isnull"),
    CHOICE: ("eq", "in", "isnull"),
    BOOLEAN: ("eq", "isnull"),
}
IN_MAX = 100


def group_parts(key: str) -> tuple[str, str]:
    """``created_at:month`` → (``created_at``, ``month``); ``grid__name`` → (``grid__name``, '')."""
    field, _, trunc = key.partition(":")
    return field, trunc


def aggregate_key(agg: dict) -> str:
    return agg["op"] if not agg.get("field") else f"{agg['op']}:{agg['field']}"


def aggregate_label(agg: dict, fields: dict) -> str:
    if agg["op"] == "count" and not agg.get("field"):
        return "数量"
    f = fields.get(agg.get("field"))
    return f"{f.label if f else agg.get('field')}（{AGGREGATES[agg['op']]}）"


def group_label(key: str, fields: dict) -> str:
    name, trunc = group_parts(key)
    f = fields.get(name)
    label = f.label if f else name
    return f"{label}（{TRUNCATIONS[trunc]}）" if trunc else label


def output_keys(definition: dict) -> list[str]:
    """The result's column keys: the groups and aggregates when grouped, else the columns."""
    if is_grouped(definition):
        return [*definition["group_by"], *(aggregate_key(a) for a in definition["aggregates"])]
    return list(definition["columns"])


def is_grouped(definition: dict) -> bool:
    return bool(definition.get("group_by") or definition.get("aggregates"))


# --- checking a definition -------------------------------------------------------------------
def _list(data: dict, name, errors) -> list:
    """A list part of the definition: absent is empty; present, it must be a list."""
    if name not in data:
        return []
    raw = data[name]
    if not isinstance(raw, list):
        errors[name] = ["应为列表"]
        return []
    return raw


def _date(value, with_time: bool):
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return (dt.datetime.fromisoformat(text) if with_time and "T" in text else dt.date.fromisoformat(text[:10])).isoformat()
    except ValueError:
        raise ValueError("日期格式应为 YYYY-MM-DD") from None


def _number(value):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("应为数字") from None
    if not number.is_finite():
        raise ValueError("应为数字")
    return str(number)


def _scalar(f, value):
    """One filter value of field ``f``, cleaned (ValueError with a Chinese message)."""
    if isinstance(value, (dict, list)):
        raise ValueError("取值格式不正确")
    if f.type == NUMBER:
        return _number(value)
    if f.type in (DATE, DATETIME):
        cleaned = _date(value, f.type == DATETIME)
        if cleaned is None:
            raise ValueError("请填写日期")
        return cleaned
    if f.type == BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "是", "yes"):
            return True
        if text in ("false", "0", "否", "no"):
            return False
        raise ValueError("应为 是/否（true/false）")
    text = str(value).strip()
    if f.type == CHOICE and text not in {c for c, _ in f.choices}:
        raise ValueError(f"没有这个选项：{text}")
    if not text:
        raise ValueError("请填写取值")
    if len(text) > 200:
        raise ValueError("取值不能超过200个字")
    return text


def _filter(f, spec) -> dict:
    """``{"op", "value"}`` cleaned for field ``f``; a bare value means 等于, a list 属于."""
    if not isinstance(spec, dict):
        spec = {"op": "in", "value": spec} if isinstance(spec, list) else {"op": "eq", "value": spec}
    op = spec.get("op") or "eq"
    value = spec.get("value")
    if f.personal:
        raise ValueError("个人信息字段不能作为筛选条件")
    allowed = OPS_BY_TYPE.get(f.type, ())
    if op not in allowed:
        names = "、".join(f"{o}（{OPS[o]}）" for o in allowed)
        raise ValueError(f"{f.label}只能用这些条件：{names}")
    if op == "isnull":
        return {"op": op, "value": value is not False and str(value).lower() not in ("false", "0")}
    if op == "in":
        if not isinstance(value, list) or not value:
            raise ValueError("“属于”需要一组取值")
        if len(value) > IN_MAX:
            raise ValueError(f"“属于”最多{IN_MAX}个取值")
        return {"op": op, "value": [_scalar(f, v) for v in value]}
    if op == "range":
        if not isinstance(value, list) or len(value) != 2:
            raise ValueError("“范围”需要两个取值：[起, 止]，可留空一端")
        low, high = ((None if v in (None, "") else _scalar(f, v)) for v in value)
        if low is None and high is None:
            raise ValueError("“范围”至少填写一端")
        if low is not None and high is not None and (Decimal(low) > Decimal(high) if f.type == NUMBER else low > high):
            raise ValueError("起始值不能大于结束值")
        return {"op": op, "value": [low, high]}
    return {"op": op, "value": _scalar(f, value)}


def validate(raw: dict, fields: dict) -> tuple[dict, dict[str, list[str]]]:
    """The definition cleaned, and the errors by part (empty when valid).
    ``fields``: key → ``core.reporting.ReportField`` of the source, for this user."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        return {}, {"definition": ["报表定义应为对象"]}

    columns = []
    for i, key in enumerate(_list(raw, "columns", errors)):
        if not isinstance(key, str) or key not in fields:
            errors[f"columns[{i}]"] = [f"没有这个字段：{key}"]
        elif key in columns:
            errors[f"columns[{i}]"] = [f"字段重复：{fields[key].label}"]
        else:
            columns.append(key)
    if len(columns) > MAX_COLUMNS:
        errors["columns"] = [f"最多选择{MAX_COLUMNS}列"]

    group_by = []
    raw_groups = _list(raw, "group_by", errors)
    if len(raw_groups) > MAX_GROUPS:
        errors["group_by"] = [f"最多按{MAX_GROUPS}个字段分组"]
    for i, key in enumerate(raw_groups[:MAX_GROUPS]):
        name, trunc = group_parts(key) if isinstance(key, str) else (None, "")
        f = fields.get(name)
        if f is None:
            errors[f"group_by[{i}]"] = [f"没有这个字段：{key}"]
        elif trunc and trunc not in TRUNCATIONS:
            errors[f"group_by[{i}]"] = ["日期只能按月（:month）或按年（:year）分组"]
        elif trunc and f.type not in (DATE, DATETIME):
            errors[f"group_by[{i}]"] = [f"{f.label}不是日期，不能按月或按年分组"]
        elif not f.groupable and not trunc:
            errors[f"group_by[{i}]"] = [f"{f.label}不能用于分组"]
        elif key in group_by:
            errors[f"group_by[{i}]"] = [f"分组重复：{f.label}"]
        else:
            group_by.append(key)

    aggregates = []
    raw_aggs = _list(raw, "aggregates", errors)
    if len(raw_aggs) > MAX_AGGREGATES:
        errors["aggregates"] = [f"最多{MAX_AGGREGATES}项统计"]
    for i, agg in enumerate(raw_aggs[:MAX_AGGREGATES]):
        if not isinstance(agg, dict):
            errors[f"aggregates[{i}]"] = ["应为 {\"op\", \"field\"}"]
            continue
        op, name = agg.get("op"), agg.get("field", "")
        if not isinstance(name, str):
            errors[f"aggregates[{i}].field"] = ["字段应为字段键（文字）"]
            continue
        if not isinstance(op, str) or op not in AGGREGATES:
            errors[f"aggregates[{i}].op"] = ["统计方式只能是 count（计数）、sum（合计）或 avg（平均）"]
            continue
        f = fields.get(name) if name else None
        if name and f is None:
            errors[f"aggregates[{i}].field"] = [f"没有这个字段：{name}"]
        elif op in ("sum", "avg") and (f is None or not f.summable):
            errors[f"aggregates[{i}].field"] = [f"{f.label if f else '该字段'}不是可合计的数字字段，不能{AGGREGATES[op]}"]
        else:
            cleaned = {"op": op, "field": name}
            if aggregate_key(cleaned) in {aggregate_key(a) for a in aggregates}:
                errors[f"aggregates[{i}]"] = ["统计项重复"]
            else:
                aggregates.append(cleaned)
    if group_by and not aggregates and not any(k.startswith("aggregates") for k in errors):
        aggregates = [{"op": "count", "field": ""}]

    filters = {}
    raw_filters = raw.get("filters", {})
    if not isinstance(raw_filters, dict):
        errors["filters"] = ["筛选条件应为对象：{字段: {op, value}}"]
        raw_filters = {}
    for key, spec in raw_filters.items():
        f = fields.get(key)
        if f is None:
            errors[f"filters.{key}"] = [f"没有这个字段：{key}"]
            continue
        try:
            filters[key] = _filter(f, spec)
        except ValueError as exc:
            errors[f"filters.{key}"] = [str(exc)]

    if not columns and not group_by and not aggregates and "columns" not in errors:
        errors["columns"] = ["请至少选择一列，或设置分组统计"]

    definition = {"columns": columns, "filters": filters, "group_by": group_by, "aggregates": aggregates}
    sort = []
    keys = output_keys(definition) if not errors else []
    for i, item in enumerate(_list(raw, "sort", errors)):
        if isinstance(item, str):
            item = {"key": item.lstrip("-"), "desc": item.startswith("-")}
        key = item.get("key") if isinstance(item, dict) else None
        if isinstance(item, dict) and not isinstance(item.get("desc", False), bool):
            errors[f"sort[{i}].desc"] = ["倒序应为 true 或 false"]
            continue
        if errors and not keys:
            continue
        if not isinstance(key, str) or key not in keys:
            errors[f"sort[{i}]"] = [f"只能按结果中的列排序：{key}"]
        else:
            sort.append({"key": key, "desc": bool(item.get("desc"))})
    definition["sort"] = sort
    chart = raw.get("chart", "bar")
    if not isinstance(chart, str) or chart not in CHARTS:
        errors["chart"] = ["图表只能是 bar（柱状图）、line（折线图）或 pie（饼图）"]
    definition["chart"] = chart
    return definition, errors


def clean_name(name) -> tuple[str, list[str]]:
    if name is not None and not isinstance(name, str):
        return "", ["报表名称应为文字"]
    name = " ".join((name or "").split())
    if not name:
        return name, ["请填写报表名称"]
    if len(name) > NAME_MAX:
        return name, [f"报表名称不能超过{NAME_MAX}个字"]
    return name, []


# --- a saved definition whose fields are gone --------------------------------------------------
def usable_part(definition: dict, fields: dict) -> tuple[dict, list[str]]:
    """The saved definition without the parts naming a field the source no
    longer offers (retired, removed), and a Chinese warning for each."""
    warnings = []

    def known(key, what):
        name = group_parts(key)[0]
        if name in fields:
            return True
        warnings.append(f"{what}“{name}”已不存在（字段已停用或删除），本次运行已略去")
        return False

    columns = [k for k in definition.get("columns", []) if known(k, "列")]
    group_by = [k for k in definition.get("group_by", []) if known(k, "分组字段")]
    aggregates = [a for a in definition.get("aggregates", []) if not a.get("field") or known(a["field"], "统计字段")]
    filters = {k: v for k, v in (definition.get("filters") or {}).items() if known(k, "筛选条件")}
    if definition.get("aggregates") and not aggregates and group_by:
        aggregates = [{"op": "count", "field": ""}]
    usable = {"columns": columns, "filters": filters, "group_by": group_by, "aggregates": aggregates,
              "chart": definition.get("chart") or "bar"}
    keys = set(output_keys(usable))
    usable["sort"] = [s for s in definition.get("sort", []) if s.get("key") in keys]
    if not columns and not group_by and not aggregates:
        warnings.append("报表中已没有可显示的列")
    return usable, warnings


def describe_filters(definition: dict, fields: dict) -> str:
    """The filters in words, for the export's particulars line: 状态 属于 已办结；登记时间 2026-01-01 至 …"""
    parts = []
    for key, spec in (definition.get("filters") or {}).items():
        f = fields.get(key)
        if f is None:
            continue
        labels = dict(f.choices)
        show = (lambda v: labels.get(str(v), str(v))) if labels else (
            lambda v: ("是" if v else "否") if isinstance(v, bool) else str(v))
        op, value = spec["op"], spec["value"]
        if op == "isnull":
            parts.append(f"{f.label}{'为空' if value else '不为空'}")
        elif op == "range":
            low, high = value
            parts.append(f"{f.label} {show(low) if low is not None else '不限'} 至 {show(high) if high is not None else '不限'}")
        elif op == "in":
            parts.append(f"{f.label} 属于 {'、'.join(show(v) for v in value)}")
        else:
            parts.append(f"{f.label} {OPS[op]} {show(value)}")
    return "；".join(parts) or "无（全部可见记录）"
