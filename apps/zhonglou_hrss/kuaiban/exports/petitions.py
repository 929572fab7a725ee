"""Petition export (信访, R-KB-15 / R-KB-17): the fields a template may name,
and the rows.

Rows are the user's petition list exactly as the API and the desk list show
it: ``selectors.petitions.petition_list_for(user)`` + ``filter_petitions``
with the API's filter names (``PetitionFilterSerializer``). The desk list's
own query names (``grid__id__exact``, ``created_at_from`` …) are translated
to those, so its "导出当前列表" button exports what the list shows. Rows are
fetched as plain values in chunks (one query per chunk for the companions), so
the query count grows with chunks, never with rows. ID numbers and phones are
masked unless a full export was asked (core.export_pii and a reason). Writing,
jobs and the audit row: ``core.exports``.

Registered when the app is ready (``KuaibanConfig.ready``), so the desk, the
template pages and the job worker all know the kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from django.db.models import QuerySet

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports.exporters import ExportField as F
from zhonglou_hrss.core.exports.exporters import Exporter
from zhonglou_hrss.kuaiban.models import PetitionCompanion
from zhonglou_hrss.kuaiban.selectors.filters import (
    PETITION_DESK_DATES,
    PetitionFilterSerializer,
    from_desk,
    last_value,
    shown_value,
)
from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_list_for

FILTER_NAMES = ("grid", "reason", "completed", "created_after", "created_before", "handled_after", "handled_before",
                "respondent", "q")
FILTER_LABELS = {"grid": "网格", "reason": "案由", "completed": "办结情况", "created_after": "录入时间起",
                 "created_before": "录入时间止", "handled_after": "处置时间起", "handled_before": "处置时间止",
                 "respondent": "对方单位", "q": "关键词"}
TRUE_WORDS = ("true", "1", "yes", "on")


def _col(name):
    return lambda row, ctx: row[name]


def _person(name, kind):
    return lambda row, ctx: ctx.personal(kind, row[name])


def _companions(row, ctx):
    return "、".join(row["companions"] or ())


def _completed(row, ctx):
    return "是" if row["result"] and row["handled_at"] else "否"


def _registered_by(row, ctx):
    return row["registered_by__name"] or row["registered_by__username"] or ""


FIELDS = {f.key: f for f in [
    F("number", "信访编号", lambda row, ctx: row["number"], ("number",)),
    F("name", "姓名", _col("name"), ("name",)),
    F("id_number", "身份证号", _person("id_number", pii.ID_CARD), ("id_number",), personal=True),
    F("phone", "联系电话", _person("phone", pii.MOBILE), ("phone",), personal=True),
    F("companions", "同行人员", _companions, loader="companions"),
    F("respondent_name", "对方单位", _col("respondent_name"), ("respondent_name",)),
    F("respondent_uscc", "对方单位统一社会信用代码", _col("respondent_uscc"), ("respondent_uscc",)),
    F("reason", "案由", _col("reason__label"), ("reason__label",)),
    F("grid", "所属网格", _col("grid__name"), ("grid__name",)),
    F("demand", "具体诉求", _col("demand"), ("demand",)),
    F("result", "处置结果", _col("result"), ("result",)),
    F("handled_at", "处置时间", _col("handled_at"), ("handled_at",)),
    F("completed", "是否办结", _completed, ("result", "handled_at")),
    F("created_at", "录入时间", _col("created_at"), ("created_at",)),
    F("registered_by", "录入人", _registered_by, ("registered_by__name", "registered_by__username")),
]}


def _load_companions(ids: list[int]) -> dict[int, list[str]]:
    found = defaultdict(list)
    for petition_id, name in (PetitionCompanion.objects.filter(petition_id__in=ids)
                              .order_by("petition_id", "order", "id").values_list("petition_id", "name")):
        found[petition_id].append(name)
    return found


KIND = "kuaiban_petition"


class PetitionExporter(Exporter):
    kind = KIND
    label = "信访记录"
    permission = "kuaiban.export_petition"
    custom_object = "petition"  # the bureau's own fields as {{custom_<code>}} placeholders
    fields = FIELDS

    def clean_filters(self, raw: Mapping) -> dict:
        """The list filters in the API's names (the desk list's names are
        translated), kept as strings and re-read when the job runs. Bad values
        → InvalidInput in Chinese."""
        cleaned, errors = from_desk(raw, dates=PETITION_DESK_DATES)
        for name in FILTER_NAMES:
            value = last_value(raw, name)
            if value:
                cleaned[name] = value
        if errors:
            raise InvalidInput(errors)
        self.filter_kwargs(cleaned)  # validates
        return cleaned

    def filter_kwargs(self, filters: dict) -> dict:
        params = PetitionFilterSerializer(data=filters)
        if not params.is_valid():
            raise InvalidInput({name: [str(e) for e in errs] for name, errs in params.errors.items()})
        return params.validated_data

    def describe_filters(self, filters: dict) -> str:
        parts = []
        for name in FILTER_NAMES:
            value = filters.get(name)
            if not value:
                continue
            if name == "completed":
                value = "已办结" if value.lower() in TRUE_WORDS else "未办结"
            else:
                value = shown_value(name, value)
            parts.append(f"{FILTER_LABELS[name]}：{value}")
        return "；".join(parts) or "全部（无筛选条件）"

    def queryset(self, user, filters: dict, *, now) -> QuerySet:
        return filter_petitions(petition_list_for(user), **self.filter_kwargs(filters))

    def loaders(self):
        return {"companions": _load_companions}


exporter = PetitionExporter()  # registered with core.exports.registry in KuaibanConfig.ready
