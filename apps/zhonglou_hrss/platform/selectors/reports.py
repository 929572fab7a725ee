"""Saved reports, read: which reports a user sees (their own, those shared with
their roles; every one for a holder of platform.manage_reports) and a report's
result as the user may see it.

``run`` builds one query on the source's own selector (``queryset_for(user)``,
the lists' visibility rule): filters, then either the columns (capped at
``ROW_CAP`` rows; the export has them all) or the groups with their counts,
sums and averages computed by the database (``values().annotate()``, months and
years by ``TruncMonth``/``TruncYear`` in the site's time zone). Python only
formats the rows returned. Personal fields are masked unless the user may see
them (``core.pii``), and a full view is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Substr, TruncMonth, TruncYear
from django.utils import timezone

from zhonglou_hrss.core import clock, pii, registry
from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.models import CustomValue
from zhonglou_hrss.core.reporting import BOOLEAN, CHOICE, DATE, DATETIME, NUMBER
from zhonglou_hrss.platform.models import SavedReport
from zhonglou_hrss.platform.rules import (
    MANAGE_ALL,
    ROW_CAP,
    aggregate_key,
    aggregate_label,
    group_label,
    group_parts,
    is_grouped,
    output_keys,
    usable_part,
)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def report_list_for(user) -> QuerySet[SavedReport]:
    if not _signed_in(user):
        return SavedReport.objects.none()
    if user.has_perm(MANAGE_ALL):
        return SavedReport.objects.all()
    return SavedReport.objects.filter(Q(owner=user) | Q(shared_with__in=user.groups.all())).distinct()


def shared_with_me(user) -> QuerySet[SavedReport]:
    """Reports others shared with one of the user's roles (the sidebar's entries)."""
    if not _signed_in(user):
        return SavedReport.objects.none()
    return (SavedReport.objects.filter(shared_with__in=user.groups.all()).exclude(owner=user)
            .distinct().order_by("name", "id"))


def report_for(user, report_id) -> SavedReport:
    try:
        return report_list_for(user).get(pk=report_id)
    except (SavedReport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotVisible("报表不存在或您无权查看") from None


def may_change(user, report: SavedReport) -> bool:
    return _signed_in(user) and (report.owner_id == user.pk or user.has_perm(MANAGE_ALL))


def sources_for(user) -> list:
    """The sources this user may build reports on, in registration order."""
    out = []
    for entry in registry.report_sources():
        source = registry.report_source_for(entry.key)
        if source is not None and source.usable_by(user):
            out.append(source)
    return out


def source_document(user) -> list[dict]:
    return [{"key": s.key, "label": s.label, "date_field": s.date_field, "custom_object": s.custom_object,
             "fields": [f.as_dict() for f in s.fields_for(user).values()]} for s in sources_for(user)]


# --- running ---------------------------------------------------------------------------------
@dataclass
class Result:
    columns: list[dict]
    rows: list[list]
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False
    chart: str = "bar"
    grouped: bool = False

    def as_dict(self) -> dict:
        return {"columns": self.columns, "rows": self.rows, "warnings": self.warnings,
                "truncated": self.truncated, "chart": self.chart, "grouped": self.grouped}


def _number_expr(f):
    """A summed field: a custom number or decimal is text in the JSON column ("12.50"): cast it."""
    if f.custom:
        return Cast(KT(f.path), DecimalField(max_digits=20, decimal_places=4))
    return F(f.path)


def value_expr(f):
    """The database expression of a field's value (a custom field: its key in the JSON column, as text)."""
    return KT(f.path) if f.custom else F(f.path)


def _custom_filter_q(f, spec) -> Q:
    """A custom field's condition, read from core's typed index of the values (``CustomValue``:
    one row per value, one per chosen code of several) rather than every row's JSON."""
    op, value = spec["op"], spec["value"]
    rows = CustomValue.objects.filter(field=f.definition)
    if op == "isnull":
        has = Q(pk__in=rows.values("object_id"))
        return ~has if value else has
    column = {NUMBER: "number", DATE: "date"}.get(f.type, "text")
    if f.type == BOOLEAN:
        value = "1" if value else "0"
    if op == "eq":
        rows = rows.filter(**{column: value})
    elif op == "in":
        rows = rows.filter(**{f"{column}__in": value})
    elif op == "contains":
        rows = rows.filter(text__icontains=value)
    else:
        low, high = value
        if low is not None:
            rows = rows.filter(**{f"{column}__gte": low})
        if high is not None:
            rows = rows.filter(**{f"{column}__lte": high})
    return Q(pk__in=rows.values("object_id"))


def _filter_q(f, spec) -> Q:
    if f.custom:
        return _custom_filter_q(f, spec)
    path = f.path
    op, value = spec["op"], spec["value"]
    if op == "isnull":
        q = Q(**{f"{path}__isnull": True})
        if f.type not in (DATE, DATETIME) and f.type != "number" and not f.custom:
            q |= Q(**{path: ""})
        return q if value else ~q
    if f.type == DATETIME and op in ("eq", "range"):
        # Dates of a date-time field are days of the site's time zone, compared as a range of
        # moments (the column's index serves it; no time-zone function in SQL).
        low, high = (value[:10], value[:10]) if op == "eq" else value
        q = Q()
        if low:
            q &= Q(**{f"{path}__gte": _day_start(dt.date.fromisoformat(low[:10]))})
        if high:
            q &= Q(**{f"{path}__lt": _day_start(dt.date.fromisoformat(high[:10]) + dt.timedelta(days=1))})
        return q
    if op == "eq":
        return Q(**{path: value})
    if op == "in":
        return Q(**{f"{path}__in": value})
    if op == "contains":
        return Q(**{f"{path}__icontains": value})
    low, high = value
    q = Q()
    if low is not None:
        q &= Q(**{f"{path}__gte": low})
    if high is not None:
        q &= Q(**{f"{path}__lte": high})
    return q


def filtered(source, user, definition: dict, fields: dict) -> QuerySet:
    qs = source.queryset_for(user)
    for key, spec in definition.get("filters", {}).items():
        qs = qs.filter(_filter_q(fields[key], spec))
    return qs


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _group_expr(f, trunc: str):
    if f.custom and trunc:  # a custom date is stored as "YYYY-MM-DD": its month and year are its first characters
        return Substr(KT(f.path), 1, 7 if trunc == "month" else 4)
    if trunc and f.type == DATETIME:
        # The month (year) in the site's time as a number, 202603 (2026): grouping by numbers is
        # about a fifth faster than by truncated dates over a million cases on MariaDB (its
        # DATE_FORMAT builds a string per row). The formatter writes it as 2026-03.
        year = clock.local_part(ExtractYear, f.path)
        return year * 100 + clock.local_part(ExtractMonth, f.path) if trunc == "month" else year
    if trunc == "month":
        return TruncMonth(f.path)
    if trunc == "year":
        return TruncYear(f.path)
    return value_expr(f)


AGG_FUNCS = {"count": Count, "sum": Sum, "avg": Avg}


def grouped_values(qs: QuerySet, definition: dict, fields: dict) -> tuple[QuerySet | list, list[str]]:
    """One GROUP BY query: ``g0``, ``g1`` the groups, ``a0``… the aggregates; ordered."""
    groups = {f"g{i}": _group_expr(fields[group_parts(k)[0]], group_parts(k)[1])
              for i, k in enumerate(definition["group_by"])}
    aggs = {}
    for i, agg in enumerate(definition["aggregates"]):
        target = "pk" if not agg["field"] else _number_expr(fields[agg["field"]])
        aggs[f"a{i}"] = AGG_FUNCS[agg["op"]](target)
    names = [*groups, *aggs]
    keys = output_keys(definition)
    order = [("-" if s["desc"] else "") + names[keys.index(s["key"])] for s in definition.get("sort", [])]
    order += [g for g in groups if g not in {o.lstrip("-") for o in order}]
    if not groups:  # totals only: one row
        return [qs.aggregate(**aggs)], names
    return qs.annotate(**groups).values(*groups).annotate(**aggs).order_by(*order), names


def plain_values(qs: QuerySet, definition: dict, fields: dict, date_field: str) -> tuple[QuerySet, list[str]]:
    exprs = {f"c{i}": value_expr(fields[k]) for i, k in enumerate(definition["columns"])}
    keys = definition["columns"]
    order = [("-" if s["desc"] else "") + f"c{keys.index(s['key'])}" for s in definition.get("sort", [])]
    if not order and date_field:
        order = [f"-{date_field}"]
    return qs.annotate(**exprs).values(*exprs).order_by(*order, "-pk"), list(exprs)


class Formatter:
    """Turns a value read from the database into what a cell shows (labels of
    choices, 是/否, local times, masked personal data)."""

    def __init__(self, f, trunc: str = "", *, masked: bool = True):
        self.f, self.trunc, self.masked = f, trunc, masked
        self.labels = dict(f.choices) if f is not None and f.type == CHOICE else {}

    def __call__(self, value):
        f = self.f
        if value is None or value == "":
            return ""
        if f is None:  # an aggregate
            if isinstance(value, Decimal):
                return float(round(value, 2))
            if isinstance(value, float):
                return round(value, 2)
            return value
        if self.trunc and f.type == DATETIME and isinstance(value, int):  # _group_expr's 202603 / 2026
            return f"{value // 100}-{value % 100:02d}" if self.trunc == "month" else str(value)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            if self.trunc == "month":
                return f"{value:%Y-%m}"
            if self.trunc == "year":
                return f"{value:%Y}"
            return f"{value:%Y-%m-%d %H:%M}"
        if isinstance(value, dt.date):
            if self.trunc == "month":
                return f"{value:%Y-%m}"
            if self.trunc == "year":
                return f"{value:%Y}"
            return value.isoformat()
        if f.custom and f.personal:
            # Stored encrypted; core.custom_fields decrypts and masks it as its own pages do.
            from zhonglou_hrss.core import custom_fields

            return custom_fields.read_values({f.definition.code: value}, [f.definition], full=not self.masked)[
                f.definition.code]
        if f.personal:
            return pii.mask(f.personal, str(value)) if self.masked else str(value)
        if f.multi:
            codes = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
            codes = codes if isinstance(codes, list) else [codes]
            return "、".join(self.labels.get(str(c), str(c)) for c in codes)
        if f.type == BOOLEAN or isinstance(value, bool):
            return "是" if value in (True, "true", "True", 1) else "否"
        if self.labels:
            return self.labels.get(str(value), str(value))
        if isinstance(value, Decimal):
            return float(value)
        return value


def prepare(report_source: str, definition: dict, user) -> tuple:
    """(source, fields, the usable definition, warnings) — or a source that is gone."""
    source = registry.report_source_for(report_source)
    if source is None:
        return None, {}, definition, [f"数据来源“{report_source}”已不存在，报表无法运行"]
    fields = source.fields_for(user)
    usable, warnings = usable_part(definition, fields)
    return source, fields, usable, warnings


def columns_of(definition: dict, fields: dict) -> list[dict]:
    if is_grouped(definition):
        return ([{"key": k, "label": group_label(k, fields)} for k in definition["group_by"]]
                + [{"key": aggregate_key(a), "label": aggregate_label(a, fields)} for a in definition["aggregates"]])
    return [{"key": k, "label": fields[k].label} for k in definition["columns"]]


def formatters_of(definition: dict, fields: dict, *, masked: bool) -> list[Formatter]:
    if is_grouped(definition):
        return ([Formatter(fields[group_parts(k)[0]], group_parts(k)[1], masked=masked) for k in definition["group_by"]]
                + [Formatter(None) for _ in definition["aggregates"]])
    return [Formatter(fields[k], masked=masked) for k in definition["columns"]]


def personal_columns(definition: dict, fields: dict) -> list[str]:
    if is_grouped(definition):
        return []
    return [k for k in definition["columns"] if fields[k].personal]


def values_query(source, user, definition: dict, fields: dict) -> tuple[QuerySet, list[str]]:
    qs = filtered(source, user, definition, fields)
    if is_grouped(definition):
        return grouped_values(qs, definition, fields)
    return plain_values(qs, definition, fields, source.date_field)


def run_definition(user, source_key: str, definition: dict, *, target=None, cap: int = ROW_CAP,
                   request=None) -> Result:
    """A definition's result as ``user`` may see it (``target``: the saved report, for the audit row)."""
    source, fields, usable, warnings = prepare(source_key, definition, user)
    chart = usable.get("chart", "bar") if source else "bar"
    if source is None or not output_keys(usable):
        return Result(columns=[], rows=[], warnings=warnings, chart=chart)
    personal = personal_columns(usable, fields)
    masked = not pii.may_see(user)
    qs, names = values_query(source, user, usable, fields)
    found = list(qs[:cap + 1])
    truncated = len(found) > cap
    found = found[:cap]
    if personal and found and not masked:
        # Shown whole to a user who may see personal data: one audit row for the run.
        pii.disclose(user, target, fields=personal, request=request,
                     detail={"report": getattr(target, "name", ""), "source": source_key, "rows": len(found)})
    formats = formatters_of(usable, fields, masked=masked)
    rows = [[fmt(row[name]) for fmt, name in zip(formats, names)] for row in found]
    if truncated:
        warnings.append(f"结果超过{cap}行，页面只显示前{cap}行；完整结果请导出 Excel")
    return Result(columns=columns_of(usable, fields), rows=rows, warnings=warnings, truncated=truncated,
                  chart=chart, grouped=is_grouped(usable))


def run(report: SavedReport, user, *, request=None, cap: int = ROW_CAP) -> Result:
    return run_definition(user, report.source, report.definition, target=report, cap=cap, request=request)


def definition_document(report: SavedReport) -> dict:
    """A report as data, for another site (``services.reports.import_report`` reads it back)."""
    return {"format": "zhonglou-report", "version": 1, "name": report.name, "source": report.source,
            **{k: report.definition.get(k, v) for k, v in
               (("columns", []), ("filters", {}), ("group_by", []), ("aggregates", []), ("sort", []),
                ("chart", "bar"))},
            "shared_with": sorted(report.shared_with.values_list("name", flat=True))}


def report_document(report: SavedReport, user) -> dict:
    return {"id": report.pk, "name": report.name, "source": report.source,
            "source_label": next((e.label for e in registry.report_sources() if e.key == report.source), report.source),
            **{k: report.definition.get(k, v) for k, v in
               (("columns", []), ("filters", {}), ("group_by", []), ("aggregates", []), ("sort", []),
                ("chart", "bar"))},
            "shared_with": sorted(report.shared_with.values_list("name", flat=True)),
            "owner": getattr(report.owner, "display_name", "") or report.owner.username,
            "mine": report.owner_id == user.pk, "may_change": may_change(user, report),
            "created_at": report.created_at, "updated_at": report.updated_at}
