"""Case export (R-KB-17): the fields a template may name, and the rows.

Rows are the user's list exactly as the desk list and the API show it:
``selectors.case_list_for(user)`` (R-KB-16) + ``selectors.filter_cases`` with
the API's filter names (``CaseFilterSerializer``) + ``with_overdue``. They are
fetched as plain values in chunks of 2,000 (joins for labels, one query per
chunk for companions and one for grid rounds), so the query count grows with
chunks, never with rows. ID numbers and phones are masked unless the user
holds core.view_pii. Writing, jobs and audit: ``core.exports``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from django.db.models import QuerySet

from zhonglou_hrss.core import exports, pii
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports import ExportField as F
from zhonglou_hrss.core.models import ExportKind
from zhonglou_hrss.kuaiban import selectors
from zhonglou_hrss.kuaiban.models import CaseCompanion, CaseSource, CaseStatus, GridOutcome, GridRound

FILTER_NAMES = ("status", "grid", "reason", "overdue", "created_after", "created_before", "q", "queue",
                "stat_grid", "year")
FILTER_LABELS = {"queue": "待我处理", "status": "状态", "grid": "网格", "reason": "案由", "overdue": "超时",
                 "created_after": "登记时间起", "created_before": "登记时间止", "q": "关键词",
                 "stat_grid": "统计网格", "year": "登记年份"}
STATUS_LABELS = dict(CaseStatus.choices)
SOURCE_LABELS = dict(CaseSource.choices)


def _col(name):
    return lambda row, ctx: row[name]


def _label(name, labels):
    return lambda row, ctx: labels.get(row[name], row[name])


def _person(name, kind):
    return lambda row, ctx: ctx.personal(kind, row[name])


def _companions(row, ctx):
    return "、".join(row["companions"] or ())


def _round(attr):
    return lambda row, ctx: (row["rounds"] or {}).get(attr)


def _inspector(row, ctx):
    return row["open_assignment__inspector__name"] or row["open_assignment__inspector__username"]


FIELDS = {f.key: f for f in [
    F("number", "事件编号", _col("number"), ("number",)),
    F("status", "状态", _label("status", STATUS_LABELS), ("status",)),
    F("source", "登记方式", _label("source", SOURCE_LABELS), ("source",)),
    F("channel", "来源渠道", _col("channel__label"), ("channel__label",)),
    F("reporter_name", "上报人姓名", _col("reporter_name"), ("reporter_name",)),
    F("reporter_id_number", "上报人身份证号", _person("reporter_id_number", pii.ID_CARD), ("reporter_id_number",),
      personal=True),
    F("reporter_phone", "上报人手机号", _person("reporter_phone", pii.MOBILE), ("reporter_phone",), personal=True),
    F("companions", "同行人员", _companions, loader="companions"),
    F("respondent_name", "对方单位", _col("respondent_name"), ("respondent_name",)),
    F("respondent_uscc", "对方单位统一社会信用代码", _col("respondent_uscc"), ("respondent_uscc",)),
    F("reason", "案由", _col("reason__label"), ("reason__label",)),
    F("grid", "所属网格", _col("grid__name"), ("grid__name",)),
    F("attributed_grid", "归属网格", _col("attributed_grid__name"), ("attributed_grid__name",)),
    F("demand", "具体诉求", _col("demand"), ("demand",)),
    F("registered_at", "登记时间", _col("created_at"), ("created_at",)),
    F("grid_accepted_at", "网格接收时间", _round("accepted_at"), loader="rounds"),
    F("overdue", "是否超时", lambda row, ctx: "是" if row["is_overdue"] else "否", ("is_overdue",)),
    F("resolution_way", "调解成功方式", _round("resolution_way"), loader="rounds"),
    F("resolution_amount", "调解金额（元）", _round("amount"), loader="rounds"),
    F("inspector", "监察员", _inspector,
      ("open_assignment__inspector__name", "open_assignment__inspector__username")),
    F("filed_at", "立案时间", _col("filed_at"), ("filed_at",)),
    F("investigated_at", "调查时间", _col("investigated_at"), ("investigated_at",)),
    F("handled_at", "处理时间", _col("handled_at"), ("handled_at",)),
    F("handling_amount", "处理金额（元）", _col("handling_amount"), ("handling_amount",)),
    F("handling_notes", "处理结果", _col("handling_notes"), ("handling_notes",)),
    F("penalty_decided_at", "处罚决定时间", _col("penalty_decided_at"), ("penalty_decided_at",)),
    F("executed_at", "执行时间", _col("executed_at"), ("executed_at",)),
    F("enforcement_applied_at", "申请强制执行时间", _col("enforcement_applied_at"), ("enforcement_applied_at",)),
    F("closed_at", "办结时间", _col("closed_at"), ("closed_at",)),
    F("ended_reason", "正常结束原因", _col("ended_reason"), ("ended_reason",)),
]}


def _load_companions(ids: list[int]) -> dict[int, list[str]]:
    found = defaultdict(list)
    for case_id, name in (CaseCompanion.objects.filter(case_id__in=ids).order_by("case_id", "order", "id")
                          .values_list("case_id", "name")):
        found[case_id].append(name)
    return found


def _load_rounds(ids: list[int]) -> dict[int, dict]:
    """Per case: the latest grid acceptance, and the way and amount of the
    successful round (a case has at most one: success ends the grid stage)."""
    found: dict[int, dict] = {}
    rows = (GridRound.objects.filter(case_id__in=ids).order_by("case_id", "sent_at", "id")
            .values_list("case_id", "accepted_at", "outcome", "resolution_way__label", "amount"))
    for case_id, accepted_at, outcome, way, amount in rows:
        info = found.setdefault(case_id, {"accepted_at": None, "resolution_way": None, "amount": None})
        if accepted_at is not None:
            info["accepted_at"] = accepted_at
        if outcome == GridOutcome.SUCCESS:
            info["resolution_way"], info["amount"] = way, amount
    return found


class CaseExporter(exports.Exporter):
    kind = ExportKind.KUAIBAN_CASE
    label = "快办事件"
    permission = "kuaiban.export_case"
    fields = FIELDS

    def clean_filters(self, raw: Mapping) -> dict:
        """The list filters as the API names them; kept as the strings the user
        sent (re-read when the job runs). Bad values → InvalidInput in Chinese."""
        cleaned = {}
        for name in FILTER_NAMES:
            if hasattr(raw, "getlist"):
                values = [v.strip() for v in raw.getlist(name) if v and v.strip()]
            else:
                value = raw.get(name)
                values = [str(v).strip() for v in (value if isinstance(value, (list, tuple)) else [value])
                          if v not in (None, "") and str(v).strip()]
            if values:
                cleaned[name] = ",".join(values) if name == "status" else values[-1]
        self.filter_kwargs(cleaned)  # validates
        return cleaned

    def filter_kwargs(self, filters: dict) -> dict:
        from zhonglou_hrss.kuaiban.serializers import CaseFilterSerializer

        params = CaseFilterSerializer(data={k: v for k, v in filters.items() if k != "queue"})
        errors = {} if params.is_valid() else {name: [str(e) for e in errs] for name, errs in params.errors.items()}
        if filters.get("queue") not in (None, "mine"):
            errors["queue"] = ["queue 只能为 mine（待我处理）"]
        if errors:
            raise InvalidInput(errors)
        return params.validated_data

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
                value = "是" if value.lower() in ("true", "1", "yes", "on") else "否"
            parts.append(f"{FILTER_LABELS[name]}：{value}")
        return "；".join(parts) or "全部（无筛选条件）"

    def queryset(self, user, filters: dict, *, now) -> QuerySet:
        qs = selectors.with_overdue(selectors.case_list_for(user), now=now)
        if filters.get("queue") == "mine":
            qs = qs.filter(selectors.queue_q(user))
        return selectors.filter_cases(qs, now=now, **self.filter_kwargs(filters))

    def loaders(self):
        return {"companions": _load_companions, "rounds": _load_rounds}


exporter = exports.register(CaseExporter())
