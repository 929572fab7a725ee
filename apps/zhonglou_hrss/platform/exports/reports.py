"""A saved report to Excel in the government's layout (``government_spec``:
the report's name as title, its source and the filters applied, 填报单位 and
the export time), through core's export jobs (``core.exports.jobs``): the job
is the user's, runs in the queue, writes every row (the page stops at
``ROW_CAP``) and is one audit row. Personal columns are masked unless a full
export is asked for by a holder of core.export_pii with a reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import count as count_up

from django.conf import settings
from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports.exporters import CHUNK_SIZE, Exporter, ExportField, keyset_chunks
from zhonglou_hrss.core.exports.templates import TemplateSpec, government_spec
from zhonglou_hrss.platform.models import SavedReport
from zhonglou_hrss.platform.rules import describe_filters, is_grouped
from zhonglou_hrss.platform.selectors.reports import (
    columns_of,
    filtered,
    formatters_of,
    personal_columns,
    prepare,
    report_for,
    value_expr,
    values_query,
)

KIND = "platform_report"
ORDER = ("-id",)


class ReportExporter(Exporter):
    kind = KIND
    label = "自定义报表"
    # Any desk user may export a report they may open (``report_for`` checks it in ``rows``);
    # what it holds is the source's visible rows for them, masked unless a full export.
    permission = "core.access_desk"
    order = ORDER

    @property
    def fields(self):
        return {"serial": ExportField("serial", "序号", None)}

    def clean_filters(self, raw: Mapping) -> dict:
        value = raw.get("report")
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else None
        if not str(value or "").isdigit() or not SavedReport.objects.filter(pk=int(value)).exists():
            raise InvalidInput({"report": ["报表不存在"]})
        return {"report": int(value)}

    def describe_filters(self, filters: dict) -> str:
        report = SavedReport.objects.filter(pk=filters.get("report")).first()
        return f"报表：{report.name}" if report else "报表已删除"

    def _prepared(self, user, filters):
        report = report_for(user, filters["report"])
        source, fields, usable, warnings = prepare(report.source, report.definition, user)
        return report, source, fields, usable, warnings

    def personal_fields(self) -> list[str]:
        # Which columns are personal depends on the report; asking for a full export needs
        # core.export_pii either way (``jobs.clean_full_export``), so name the kind's possibility.
        return ["report_personal_columns"]

    def default_spec(self, filters: dict) -> TemplateSpec:
        report = SavedReport.objects.select_related("owner").get(pk=filters["report"])
        source, fields, usable, warnings = prepare(report.source, report.definition, report.owner)
        columns = [("serial", "序号", None)]
        if source is not None:
            columns += [(f"c{i}", c["label"], None) for i, c in enumerate(columns_of(usable, fields))]
        if len(columns) < 2:
            columns.append(("note", "说明", None))
        info = f"数据来源：{source.label if source else report.source}    筛选条件：{describe_filters(usable, fields)}"
        if warnings:
            info += "    说明：" + "；".join(warnings)
        return government_spec(title=report.name, info=info, issuer=settings.PORTAL_EXPORT_ISSUER,
                               exported_at=f"{timezone.localtime(clock.now()):%Y-%m-%d %H:%M}", columns=columns,
                               sheet_title="报表"[:31], widths={1: 6, **{i: 18 for i in range(2, len(columns) + 1)}})

    def count(self, user, filters: dict, *, now) -> int:
        report, source, fields, usable, warnings = self._prepared(user, filters)
        if source is None:
            return 0
        qs, _ = values_query(source, user, usable, fields)
        return len(qs) if isinstance(qs, list) else qs.count()

    def rows(self, user, filters: dict, *, keys: list[str], masked: bool, now) -> Iterator[dict]:
        report, source, fields, usable, warnings = self._prepared(user, filters)
        if source is None:
            return
        formats = formatters_of(usable, fields, masked=masked)
        if not personal_columns(usable, fields):
            masked = True  # nothing personal: the audit row says masked
        serial = 0
        if is_grouped(usable):
            qs, names = values_query(source, user, usable, fields)
            for row in qs:
                serial += 1
                yield {"serial": serial, **{f"c{i}": fmt(row[n]) for i, (fmt, n) in enumerate(zip(formats, names))}}
            return
        if usable.get("sort"):
            # The report's own sort (as its page shows it; the record's id breaks ties, so the order
            # is total): chunks by position — a keyset cannot follow several columns in mixed
            # directions with empty values — each of at most CHUNK_SIZE rows (flat memory).
            qs, names = values_query(source, user, usable, fields)
            for start in count_up(0, CHUNK_SIZE):
                chunk = list(qs[start:start + CHUNK_SIZE])
                for row in chunk:
                    serial += 1
                    yield {"serial": serial, **{n: fmt(row[n]) for fmt, n in zip(formats, names)}}
                if len(chunk) < CHUNK_SIZE:
                    return
        # Every row, in keyset chunks (flat memory), newest record first.
        exprs = {f"c{i}": value_expr(fields[k]) for i, k in enumerate(usable["columns"])}
        qs = filtered(source, user, usable, fields).annotate(**exprs).values("id", *exprs)
        for chunk in keyset_chunks(qs, ORDER):
            for row in chunk:
                serial += 1
                yield {"serial": serial, **{n: fmt(row[n]) for fmt, n in zip(formats, exprs)}}


exporter = ReportExporter()
