"""Case export (R-KB-17): the fields a template may name, and the rows.

Rows are the user's list exactly as the desk list and the API show it:
``selectors.cases.case_list_for(user)`` (R-KB-16) + ``filter_cases`` with the
API's filter names (``selectors.filters.CaseFilterSerializer``) + ``with_overdue``. They are
fetched as plain values of the case table in chunks of 2,000 (labels of grids
and lookups from small maps read once; one query per chunk each for
companions, grid rounds and inspectors — the last two by ``selectors.handling``,
as the desk and API lists), so the query count grows with chunks, never with
rows, and no chunk query joins. ID numbers and phones are masked unless a full
export was asked (core.export_pii and a reason). Writing, jobs and audit: ``core.exports``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.db.models import QuerySet

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.clock import local_day_start
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports.exporters import ExportField as F
from zhonglou_hrss.core.exports.exporters import Exporter
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.core.selectors import ids_in
from zhonglou_hrss.kuaiban.models import CaseCompanion, CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.rules import YEAR_MESSAGE, parse_year
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for, filter_cases, queue_q, with_overdue
from zhonglou_hrss.kuaiban.selectors.filters import (
    CASE_DESK_DATES, CaseFilterSerializer, from_desk, shown_value, values,
)
from zhonglou_hrss.kuaiban.selectors.handling import current_inspectors_of, grid_handling_of

# The API's filter names (CaseFilterSerializer), plus what the desk list adds.
API_FILTERS = ("status", "grid", "reason", "overdue", "created_after", "created_before", "q")
EXTRA_FILTERS = ("queue", "stat_grid", "year", "closed_after", "closed_before")
FILTER_NAMES = API_FILTERS + EXTRA_FILTERS
FILTER_LABELS = {"queue": "待我处理", "status": "状态", "grid": "网格", "reason": "案由", "overdue": "超时",
                 "created_after": "登记时间起", "created_before": "登记时间止", "q": "关键词",
                 "stat_grid": "统计网格", "year": "登记年份", "closed_after": "办结时间起", "closed_before": "办结时间止"}
TRUE_WORDS = ("true", "1", "yes", "on")
STATUS_LABELS = dict(CaseStatus.choices)
SOURCE_LABELS = dict(CaseSource.choices)


def _label(name, labels):
    return lambda row, ctx: labels.get(row[name], row[name])


def _person(name, kind):
    return lambda row, ctx: ctx.personal(kind, row[name])


def _companions(row, ctx):
    return "、".join(row["companions"] or ())


def _round(attr):
    return lambda row, ctx: (row["rounds"] or {}).get(attr)


def _map(name, table):
    return lambda row, ctx: ctx.maps[table].get(row[name])


FIELDS = {f.key: f for f in [
    F("number", "事件编号", None, ("number",)),
    F("status", "状态", _label("status", STATUS_LABELS), ("status",)),
    F("source", "登记方式", _label("source", SOURCE_LABELS), ("source",)),
    F("channel", "来源渠道", _map("channel_id", "lookup"), ("channel_id",)),
    F("reporter_name", "上报人姓名", None, ("reporter_name",)),
    F("reporter_id_number", "上报人身份证号", _person("reporter_id_number", pii.ID_CARD), ("reporter_id_number",),
      personal=True),
    F("reporter_phone", "上报人手机号", _person("reporter_phone", pii.MOBILE), ("reporter_phone",), personal=True),
    F("companions", "同行人员", _companions, loader="companions"),
    F("respondent_name", "对方单位", None, ("respondent_name",)),
    F("respondent_uscc", "对方单位统一社会信用代码", None, ("respondent_uscc",)),
    F("reason", "案由", _map("reason_id", "lookup"), ("reason_id",)),
    F("grid", "所属网格", _map("grid_id", "grid"), ("grid_id",)),
    F("attributed_grid", "归属网格", _map("attributed_grid_id", "grid"), ("attributed_grid_id",)),
    F("demand", "具体诉求", None, ("demand",)),
    F("registered_at", "登记时间", None, ("created_at",)),
    F("grid_accepted_at", "网格接收时间", _round("accepted_at"), loader="rounds"),
    F("overdue", "是否超时", lambda row, ctx: "是" if row["is_overdue"] else "否", ("is_overdue",)),
    F("resolution_way", "调解成功方式",
      lambda row, ctx: ctx.maps["lookup"].get((row["rounds"] or {}).get("resolution_way")), loader="rounds"),
    F("resolution_amount", "调解金额（元）", _round("amount"), loader="rounds"),
    F("inspector", "监察员", lambda row, ctx: row["inspector"], loader="inspector"),
    F("filed_at", "立案时间", None, ("filed_at",)),
    F("investigated_at", "调查时间", None, ("investigated_at",)),
    F("handled_at", "处理时间", None, ("handled_at",)),
    F("handling_amount", "处理金额（元）", None, ("handling_amount",)),
    F("handling_notes", "处理结果", None, ("handling_notes",)),
    F("penalty_decided_at", "处罚决定时间", None, ("penalty_decided_at",)),
    F("executed_at", "执行时间", None, ("executed_at",)),
    F("enforcement_applied_at", "申请强制执行时间", None, ("enforcement_applied_at",)),
    F("closed_at", "办结时间", None, ("closed_at",)),
    F("ended_reason", "正常结束原因", None, ("ended_reason",)),
]}


def _load_companions(ids: list[int]) -> dict[int, list[str]]:
    found = defaultdict(list)
    for case_id, name in (CaseCompanion.objects.filter(ids_in(CaseCompanion, "case", ids)).order_by("case_id", "order", "id")
                          .values_list("case_id", "name")):
        found[case_id].append(name)
    return found


def _load_rounds(ids: list[int]) -> dict[int, dict]:
    """Per case: the latest grid acceptance, and the way and amount of the
    successful round — as the desk and API lists show them (``selectors.handling``)."""
    return {case_id: {"accepted_at": h.accepted_at, "resolution_way": h.resolution_way_id, "amount": h.amount}
            for case_id, h in grid_handling_of(ids).items()}


KIND = "kuaiban_case"


class CaseExporter(Exporter):
    kind = KIND
    label = "快办事件"
    permission = "kuaiban.export_case"
    custom_object = "case"  # the bureau's own fields as {{custom_<code>}} placeholders
    fields = FIELDS

    def clean_filters(self, raw: Mapping) -> dict:
        """The list's filters, by the API's names or the desk list's, as strings
        in the API's names (re-read when the job runs). Bad values → InvalidInput."""
        cleaned, errors = from_desk(raw, dates=CASE_DESK_DATES)
        for name in FILTER_NAMES:
            found = values(raw, name)
            if not found:
                continue
            if name == "status":
                cleaned["status"] = ",".join(filter(None, [cleaned.get("status", ""), *found]))
            else:
                cleaned[name] = found[-1]
        if errors:
            raise InvalidInput(errors)
        self.filter_kwargs(cleaned)  # validates
        return cleaned

    def filter_kwargs(self, filters: dict) -> dict:
        """Keyword arguments of ``selectors.filter_cases`` (+ the extras), validated."""
        params = CaseFilterSerializer(data={k: v for k, v in filters.items() if k in API_FILTERS})
        errors = {} if params.is_valid() else {name: [str(e) for e in errs] for name, errs in params.errors.items()}
        extra = {}
        if filters.get("queue") not in (None, "mine"):
            errors["queue"] = ["queue 只能为 mine（待我处理）"]
        if filters.get("stat_grid"):
            if not Grid.objects.filter(code=filters["stat_grid"]).exists():
                errors["stat_grid"] = ["统计网格不存在"]
        if filters.get("year"):
            year = filters["year"]
            if parse_year(year) is None:
                errors["year"] = [YEAR_MESSAGE]
        for name in ("closed_after", "closed_before"):
            if filters.get(name):
                try:
                    extra[name] = local_day_start(dt.date.fromisoformat(filters[name])
                                                  + dt.timedelta(days=name == "closed_before"))
                except ValueError:
                    errors[name] = ["日期格式不正确，应为 2026-11-29"]
        if errors:
            raise InvalidInput(errors)
        return {**params.validated_data, **extra}

    def describe_filters(self, filters: dict) -> str:
        parts = []
        for name in FILTER_NAMES:
            value = filters.get(name)
            if not value:
                continue
            if name == "status":
                value = "、".join(STATUS_LABELS.get(s, s) for s in value.split(","))
            elif name == "queue":
                value = "是"
            elif name == "overdue":
                value = "是" if value.lower() in TRUE_WORDS else "否"
            else:
                value = shown_value(name, value)
            parts.append(f"{FILTER_LABELS[name]}：{value}")
        return "；".join(parts) or "全部（无筛选条件）"

    def queryset(self, user, filters: dict, *, now) -> QuerySet:
        kwargs = self.filter_kwargs(filters)
        closed_after, closed_before = kwargs.pop("closed_after", None), kwargs.pop("closed_before", None)
        qs = with_overdue(case_list_for(user), now=now)
        if filters.get("queue") == "mine":
            qs = qs.filter(queue_q(user))
        if closed_after:
            qs = qs.filter(closed_at__gte=closed_after)
        if closed_before:
            qs = qs.filter(closed_at__lt=closed_before)
        return filter_cases(qs, now=now, user=user, stat_grid=filters.get("stat_grid") or None,
                            year=filters.get("year") or None, **kwargs)

    def loaders(self):
        return {"companions": _load_companions, "rounds": _load_rounds, "inspector": current_inspectors_of}

    def maps(self):
        return {"grid": dict(Grid.objects.values_list("pk", "name")),
                "lookup": dict(LookupEntry.objects.filter(
                    kind__in=[LookupKind.CHANNEL, LookupKind.CASE_REASON, LookupKind.RESOLUTION_WAY])
                    .values_list("pk", "label"))}


exporter = CaseExporter()  # registered with core.exports.registry in KuaibanConfig.ready
