"""Excel exports (through ``core.exports``): the responses of a questionnaire
— one column per question of the version(s) they were given in — and the
composites per HR company for a year (R-CR-07, R-CR-09). The responses'
columns depend on the versions, so with no template chosen the layout is
built here (``default_spec``). ID numbers are only ever stored masked."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.db.models import QuerySet

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.exports.exporters import ExportField as F
from zhonglou_hrss.core.exports.exporters import Exporter, keyset_chunks
from zhonglou_hrss.core.exports.templates import HeaderCell, TemplateSpec
from zhonglou_hrss.questionnaires.models import Questionnaire, Version
from zhonglou_hrss.questionnaires.rules import EXPORT, NA, questions_of
from zhonglou_hrss.questionnaires.selectors.definitions import definition_of
from zhonglou_hrss.questionnaires.selectors.responses import composites, filter_responses, response_list_for

TRUE_WORDS = ("true", "1", "yes", "on")


def _bool(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    return str(value).lower() in TRUE_WORDS


def clean_common(raw: Mapping, *, year_required: bool) -> dict:
    def one(name):
        value = raw.get(name)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else None
        return (str(value).strip() if value is not None else "") or ""

    cleaned, errors = {}, {}
    key = one("questionnaire")
    if not key or not Questionnaire.objects.filter(key=key).exists():
        errors["questionnaire"] = ["请选择问卷"]
    cleaned["questionnaire"] = key
    year = one("year")
    if year:
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            errors["year"] = ["评价年度不正确"]
        cleaned["year"] = year
    elif year_required:
        errors["year"] = ["请选择评价年度"]
    for name in ("target_uscc", "valid", "flagged"):
        if one(name):
            cleaned[name] = one(name)
    if errors:
        raise InvalidInput(errors)
    return cleaned


def answer_text(q: dict, value) -> str:
    if value is None or value == "":
        return ""
    labels = {o["code"]: o["label"] for o in q["options"]}
    if isinstance(value, list):
        return "、".join(labels.get(v, str(v)) for v in value)
    if q["type"] == "single":
        return labels.get(value, str(value))
    if q["type"] == "scale" and value == NA:
        return (q["scale"] or {}).get("na") or "不适用"
    return str(value)


BASE_FIELDS = [
    F("id", "答卷编号", None, ("id",)),
    F("questionnaire", "问卷", None, ("questionnaire__title",)),
    F("version", "版本", None, ("version__number",)),
    F("year", "评价年度", None, ("year",)),
    F("target_name", "被评价单位", None, ("target__name",)),
    F("target_uscc", "被评价单位统一社会信用代码", None, ("target__uscc",)),
    F("enterprise_name", "用工单位", None, ("enterprise__name",)),
    F("id_number", "身份证号（脱敏）", None, ("id_number_masked",)),
    F("headcount", "用工人数", None, ("headcount",)),
    F("score", "问卷得分", None, ("score",)),
    F("corrected_score", "更正后得分", None, ("corrected_score",)),
    F("correction_reason", "更正理由", None, ("correction_reason",)),
    F("valid", "是否有效", lambda row, ctx: "有效" if row["valid"] else "无效", ("valid",)),
    F("review_reason", "审核理由", None, ("review_reason",)),
    F("flags", "风险提示", lambda row, ctx: "；".join(f["message"] for f in row["flags"] or []), ("flags",)),
    F("submitted_at", "提交时间", None, ("submitted_at",)),
]


class ResponseExporter(Exporter):
    kind = "questionnaires_response"
    label = "问卷答卷"
    permission = EXPORT
    order = ("-submitted_at", "-id")

    @property
    def fields(self):
        return {f.key: f for f in BASE_FIELDS}

    def clean_filters(self, raw: Mapping) -> dict:
        return clean_common(raw, year_required=False)

    def describe_filters(self, filters: dict) -> str:
        names = {"questionnaire": "问卷", "year": "年度", "target_uscc": "被评价单位", "valid": "有效",
                 "flagged": "有风险提示"}
        return "；".join(f"{names[k]}：{v}" for k, v in filters.items() if k in names) or "全部"

    def queryset(self, user, filters: dict, *, now) -> QuerySet:
        return filter_responses(response_list_for(user), questionnaire=filters.get("questionnaire"),
                                year=int(filters["year"]) if filters.get("year") else None,
                                target_uscc=filters.get("target_uscc"), valid=_bool(filters.get("valid")),
                                flagged=_bool(filters.get("flagged")))

    def _definitions(self, filters: dict) -> list[dict]:
        versions = Version.objects.filter(questionnaire__key=filters.get("questionnaire"),
                                          responses__isnull=False).distinct().order_by("-number")
        return [definition_of(v) for v in versions]

    def _questions(self, filters: dict) -> list[dict]:
        seen, out = set(), []
        for definition in self._definitions(filters):
            for q in questions_of(definition):
                if q["code"] not in seen:
                    seen.add(q["code"])
                    out.append(q)
        return out

    def default_spec(self, filters: dict) -> TemplateSpec:
        labels = [f.label for f in BASE_FIELDS] + [f"{q['code']} {q['title']}"[:120] for q in self._questions(filters)]
        keys = [f.key for f in BASE_FIELDS] + [f"q_{q['code']}" for q in self._questions(filters)]
        return TemplateSpec(sheet_title="答卷", header_rows=[[HeaderCell(label) for label in labels]],
                            columns=list(enumerate(keys, start=1)),
                            widths={i: 14.0 for i in range(1, len(keys) + 1)})

    def rows(self, user, filters: dict, *, keys: list[str], masked: bool, now) -> Iterator[dict]:
        by_version = {d["version_id"]: {q["code"]: q for q in questions_of(d)} for d in self._definitions(filters)}
        columns = ["id", "version_id", "answers", *{c for f in BASE_FIELDS for c in f.columns}, "submitted_at"]
        qs = self.queryset(user, filters, now=now).values(*dict.fromkeys(columns))
        base = {f.key: f for f in BASE_FIELDS}
        for chunk in keyset_chunks(qs, self.order):
            for row in chunk:
                questions = by_version.get(row["version_id"], {})
                out = {}
                for key in keys:
                    if key.startswith("q_"):
                        q = questions.get(key[2:])
                        out[key] = answer_text(q, row["answers"].get(key[2:])) if q else ""
                    elif key in base:
                        f = base[key]
                        out[key] = f.value(row, None) if f.value else row[f.columns[0]]
                yield out


class CompositeExporter(Exporter):
    kind = "questionnaires_composite"
    label = "问卷综合得分"
    permission = EXPORT
    fields = {f.key: f for f in [
        F("uscc", "统一社会信用代码", None, ("uscc",)),
        F("name", "单位名称", None, ("name",)),
        F("responses", "有效答卷数", None, ("responses",)),
        F("score", "综合得分", None, ("score",)),
        F("scores", "各答卷得分", None, ("scores",)),
    ]}

    def clean_filters(self, raw: Mapping) -> dict:
        return clean_common(raw, year_required=True)

    def describe_filters(self, filters: dict) -> str:
        return f"问卷：{filters.get('questionnaire')}；年度：{filters.get('year')}"

    def _composites(self, user, filters):
        if not user.has_perm(EXPORT):
            return []
        questionnaire = Questionnaire.objects.get(key=filters["questionnaire"])
        return composites(questionnaire, int(filters["year"]), with_rows=True, target_uscc=filters.get("target_uscc"))

    def count(self, user, filters: dict, *, now) -> int:
        return len(self._composites(user, filters))

    def default_spec(self, filters: dict) -> TemplateSpec:
        labels = [f.label for f in self.fields.values()]
        return TemplateSpec(sheet_title="综合得分", header_rows=[[HeaderCell(label) for label in labels]],
                            columns=list(enumerate(self.fields, start=1)), widths={1: 24.0, 2: 36.0, 5: 60.0})

    def rows(self, user, filters: dict, *, keys: list[str], masked: bool, now) -> Iterator[dict]:
        for c in self._composites(user, filters):
            values = {"uscc": c.uscc, "name": c.name, "responses": c.responses, "score": c.score,
                      "scores": "、".join(f"{s}" for _, s, _ in c.rows)}
            yield {k: values.get(k) for k in keys}
