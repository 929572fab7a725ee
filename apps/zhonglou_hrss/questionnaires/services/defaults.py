"""The two default questionnaires (``fixtures/base/questionnaires/*.yaml``,
the drafts of ``shared/data/credit``) as definitions, loaded by
``sync_fixtures`` (registered with ``core.registry.fixture_sync``) as a
draft version 1 — once: what staff edit afterwards, or delete, is never
overwritten. The YAML's own shapes map onto the engine's question types:

- ``year`` / ``auto`` / ``lookup`` (the rating year, the enterprise, the HR
  company) are the response's own fields, not questions;
- a ``group`` is its fields as questions; a ``date_range`` two dates;
- ``multi_choice`` with ``options_from`` (a lookup) becomes a short text;
  an option with ``requires_text`` gets a text question shown when it is ticked;
- a section's ``yes_no_unknown`` scale is a single choice scored 是 100 / 否 0
  (reversed where ``reverse_coded``), 不清楚 not scored; its weights split the
  employee score 30 % compliance / 70 % satisfaction as the draft's scoring says;
- ``likert5`` and ``scale_0_10`` are scales with their labels and 不适用 / 未涉及;
- ``mobile`` is left out: the employee page asks for the ID number instead
  (one response per ID number, stored only as a keyed hash)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from zhonglou_hrss.core.models import FixtureRecord
from zhonglou_hrss.questionnaires.models import Aggregation, Audience, Questionnaire
from zhonglou_hrss.questionnaires.services.definitions import create_questionnaire
from zhonglou_hrss.siteconf import REPO_DIR

DEFAULTS_DIR = REPO_DIR / "fixtures" / "base" / "questionnaires"
DEFAULTS = [
    # key, file, audience, aggregation, trim %, headcount question
    ("hr", "questionnaire_hr.yaml", Audience.ENTERPRISE_HR, Aggregation.HEADCOUNT, 10, "A4a"),
    ("employee", "questionnaire_employee.yaml", Audience.EMPLOYEE, Aggregation.TRIMMED, 10, ""),
]
SKIPPED_TYPES = {"year", "auto", "lookup", "mobile"}
RECORD_KIND = "questionnaire"
MOBILE_REPLACED = "身份证号仅用于防止同一人重复评价，只保存不可还原的摘要和脱敏号码，不对外展示。"


def _scale(scales: dict, name: str) -> dict:
    scale = scales[name]
    values = scale["values"]
    return {"type": "scale", "scale_min": min(values), "scale_max": max(values),
            "scale_labels": {str(k): v for k, v in (scale.get("labels") or {}).items()},
            "scale_na": scale.get("na_option") or ""}


def _options(raw) -> list[dict]:
    out = []
    for i, o in enumerate(raw or [], start=1):
        if isinstance(o, dict):
            out.append({"code": str(o["code"]), "label": o["label"], "score": None})
        else:
            out.append({"code": f"o{i}", "label": str(o), "score": None})
    return out


def _question(q: dict, section: dict, scales: dict, compliance_weight: Decimal) -> list[dict]:
    base = {"code": q["code"], "title": q["text"], "required": bool(q.get("required")), "help": "",
            "scored": False, "weight": 1}
    kind = q.get("type")
    if kind in SKIPPED_TYPES:
        return []
    if kind == "group":
        out = []
        for f in q["fields"]:
            out += _question({**f, "required": q.get("required")}, section, scales, compliance_weight)
        return out
    if kind == "date_range":
        return [{**base, "code": f"{q['code']}a", "type": "date", "title": f"{q['text']}：开始日期"},
                {**base, "code": f"{q['code']}b", "type": "date", "title": f"{q['text']}：结束日期（仍在合作可不填）",
                 "required": not q.get("end_optional")}]
    if kind == "integer":
        return [{**base, "type": "number", "number_min": q.get("min"), "number_max": q.get("max")}]
    if kind == "text":
        return [{**base, "type": "long_text"}]
    if kind in ("single_choice", "multi_choice"):
        if q.get("options_from"):
            return [{**base, "type": "text", "help": "多个岗位用顿号分隔"}]
        out = [{**base, "type": "single" if kind == "single_choice" else "multiple", "options": _options(q["options"])}]
        for o in q["options"]:
            if isinstance(o, dict) and o.get("requires_text"):
                out.append({**base, "code": f"{q['code']}_{o['code']}", "type": "text", "required": True,
                            "title": f"请说明“{o['label']}”的具体情况", "show_if_question": q["code"],
                            "show_if_equals": str(o["code"])})
        return out
    scale_name = q.get("scale") or section.get("scale")
    if scale_name == "yes_no_unknown":
        compliant = q.get("compliant_answer") or section.get("compliant_answer_default") or "是"
        return [{**base, "type": "single", "required": True, "scored": True, "weight": compliance_weight,
                 "options": [{"code": "yes", "label": "是", "score": 100 if compliant == "是" else 0},
                             {"code": "no", "label": "否", "score": 100 if compliant == "否" else 0},
                             {"code": "unknown", "label": "不清楚", "score": None}]}]
    if scale_name:
        return [{**base, **_scale(scales, scale_name), "required": True, "scored": bool(section.get("scored")),
                 "weight": q.get("weight", 1)}]
    return [{**base, "type": "text"}]


def spec_from_yaml(data: dict) -> dict:
    scales = data.get("scales") or {}
    sections = data["sections"]
    # The draft's employee score: 70 % satisfaction, 30 % compliance (scoring.weights).
    weights = (data.get("scoring") or {}).get("weights") or {}
    compliance_weight = Decimal("1")
    if weights.get("compliance") and weights.get("satisfaction"):
        satisfaction_total = sum(Decimal(str(q.get("weight", 1))) for s in sections
                                 if s.get("scale") == "likert5" and s.get("scored") for q in s["questions"])
        yes_no = [q for s in sections if s.get("scale") == "yes_no_unknown" for q in s["questions"]]
        if yes_no and satisfaction_total:
            share = Decimal(str(weights["compliance"])) / Decimal(str(weights["satisfaction"]))
            compliance_weight = (satisfaction_total * share / len(yes_no)).quantize(Decimal("0.01"))
    out = []
    for section in sections:
        questions = []
        for q in section["questions"]:
            questions += _question(q, section, scales, compliance_weight)
        if questions:
            out.append({"title": section["title"], "questions": questions})
    meta = data["questionnaire"]
    intro = " ".join((meta.get("privacy_statement") or "").split())
    # The draft's optional mobile is replaced by the ID number (see above): say what is kept of it.
    intro = intro.replace("手机号为选填，仅用于防止重复提交，不对外展示。", MOBILE_REPLACED)
    return {"title": meta["name"], "intro": intro, "sections": out}


def load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def sync_default_definitions(report) -> None:
    """Create each default questionnaire once (a draft version 1); never touch it again."""
    for key, filename, audience, aggregation, trim, headcount in DEFAULTS:
        if FixtureRecord.objects.filter(kind=RECORD_KIND, key=key).exists():
            continue
        path = DEFAULTS_DIR / filename
        if not Questionnaire.objects.filter(key=key).exists() and path.is_file():
            data = load_yaml(path)
            spec = spec_from_yaml(data)
            create_questionnaire(key=key, title=data["questionnaire"]["name"], audience=audience,
                                 aggregation=aggregation, trim_percent=trim, headcount_question=headcount, spec=spec)
            report.created.append(f"问卷 {data['questionnaire']['name']}")
        FixtureRecord.objects.create(kind=RECORD_KIND, key=key, data={"file": filename})
