"""A definition as an Excel workbook in the XLSForm spirit (issue 14), so staff
can edit questionnaires in Excel: sheet ``survey`` (one row per question, the
section in its own column), sheet ``choices`` (one row per option), sheet
``settings`` (title, intro); Chinese headers and words (单选, 是/否).
``workbook_of`` writes one; ``spec_from_workbook`` reads one back — every
problem named by sheet, row and column — and ``import_workbook`` makes it the
questionnaire's draft (a new draft when the last version is in use)."""

from __future__ import annotations

from io import BytesIO

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.questionnaires.models import Questionnaire, QuestionType, Version, VersionStatus
from zhonglou_hrss.questionnaires.selectors.definitions import version_frozen
from zhonglou_hrss.questionnaires.services.definitions import new_draft, replace_content, spec_of, validate_spec

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
SURVEY_COLUMNS = [
    ("section", "部分"), ("code", "题目编号"), ("type", "题型"), ("title", "题目"), ("help", "提示"),
    ("required", "必答"), ("scored", "计分"), ("weight", "权重"), ("scale_min", "量表最小值"),
    ("scale_max", "量表最大值"), ("scale_labels", "量表标签"), ("scale_na", "不适用选项"),
    ("number_min", "数字最小值"), ("number_max", "数字最大值"), ("show_if_question", "显示条件题目"),
    ("show_if_equals", "显示条件值"),
]
CHOICE_COLUMNS = [("question", "题目编号"), ("code", "选项编号"), ("label", "选项文字"), ("score", "得分")]
TYPE_LABELS = {t.value: t.label for t in QuestionType}
TYPE_VALUES = {**{t.label: t.value for t in QuestionType}, **{t.value: t.value for t in QuestionType}}
YES, NO = "是", "否"
MAX_BYTES = 2 * 1024 * 1024


def _number_text(value):
    if value is None or value == "":
        return None
    text = format(value, "f") if not isinstance(value, (int, float)) else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _labels_text(labels: dict) -> str:
    return "；".join(f"{k}={v}" for k, v in labels.items())


def workbook_of(version: Version) -> bytes:
    spec = spec_of(version)
    wb = Workbook()
    ws = wb.active
    ws.title = SURVEY
    ws.append([label for _, label in SURVEY_COLUMNS])
    choices = wb.create_sheet(CHOICES)
    choices.append([label for _, label in CHOICE_COLUMNS])
    for section in spec["sections"]:
        for q in section["questions"]:
            ws.append([section["title"], q["code"], TYPE_LABELS[q["type"]], q["title"], q["help"],
                       YES if q["required"] else NO, YES if q["scored"] else NO, _number_text(q["weight"]),
                       q["scale_min"], q["scale_max"], _labels_text(q["scale_labels"]) or None, q["scale_na"] or None,
                       _number_text(q["number_min"]), _number_text(q["number_max"]),
                       q["show_if_question"] or None, q["show_if_equals"] or None])
            for o in q["options"]:
                choices.append([q["code"], o["code"], o["label"], _number_text(o["score"])])
    settings = wb.create_sheet(SETTINGS)
    settings.append(["项目", "内容"])
    settings.append(["问卷标题", spec["title"]])
    settings.append(["填写说明", spec["intro"]])
    for sheet in (ws, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (18, 10, 10, 60)):
        ws.column_dimensions[letter].width = width
    choices.column_dimensions["C"].width = 40
    settings.column_dimensions["B"].width = 80
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(ws, columns, errors: list[str]) -> list[tuple[int, dict]]:
    header = [_cell(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1))] if ws.max_row else []
    index = {}
    for key, label in columns:
        if label in header:
            index[key] = header.index(label)
        elif key in ("section", "code", "type", "title", "question", "label"):
            errors.append(f"工作表“{ws.title}”缺少“{label}”列")
    rows = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        values = {key: _cell(row[i]) if i < len(row) else "" for key, i in index.items()}
        if any(values.values()):
            rows.append((len(rows) + 2, values))
    return rows


def _yes(value: str, where: str, errors: list[str]) -> bool:
    if value in ("", NO, "N", "n", "0", "false", "FALSE"):
        return False
    if value in (YES, "Y", "y", "1", "true", "TRUE"):
        return True
    errors.append(f"{where}应填写“是”或“否”")
    return False


def _labels(value: str, where: str, errors: list[str]) -> dict:
    out = {}
    for part in [p for p in value.replace(";", "；").split("；") if p.strip()]:
        if "=" not in part:
            errors.append(f"{where}应写成“1=很不满意；5=很满意”")
            return {}
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def spec_from_workbook(data: bytes) -> dict:
    if len(data) > MAX_BYTES:
        raise InvalidInput({"file": ["文件过大（不能超过 2 MB）"]})
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — not a workbook, a damaged file
        raise InvalidInput({"file": ["无法读取该文件：请上传 .xlsx 格式的 Excel 文件"]}) from None
    errors: list[str] = []
    for name in (SURVEY, CHOICES):
        if name not in wb.sheetnames:
            errors.append(f"缺少工作表“{name}”")
    if errors:
        raise InvalidInput({"file": errors})
    survey = _rows(wb[SURVEY], SURVEY_COLUMNS, errors)
    choices = _rows(wb[CHOICES], CHOICE_COLUMNS, errors)
    title, intro = "", ""
    if SETTINGS in wb.sheetnames:
        for row in wb[SETTINGS].iter_rows(min_row=2, values_only=True):
            if row and _cell(row[0]) == "问卷标题":
                title = _cell(row[1] if len(row) > 1 else "")
            elif row and _cell(row[0]) == "填写说明":
                intro = _cell(row[1] if len(row) > 1 else "")
    if errors:
        raise InvalidInput({"file": errors})
    options: dict[str, list] = {}
    for n, row in choices:
        if not row.get("question"):
            errors.append(f"choices 第{n}行：请填写题目编号")
            continue
        options.setdefault(row["question"], []).append(
            {"code": row.get("code", ""), "label": row.get("label", ""), "score": row.get("score") or None})
    sections: list[dict] = []
    for n, row in survey:
        where = f"survey 第{n}行"
        kind = TYPE_VALUES.get(row.get("type", ""))
        if kind is None:
            errors.append(f"{where}：题型“{row.get('type', '')}”不正确（可选：{'、'.join(TYPE_LABELS.values())}）")
            continue
        if not row.get("section"):
            errors.append(f"{where}：请填写所属部分")
            continue
        if not sections or sections[-1]["title"] != row["section"]:
            sections.append({"title": row["section"], "questions": []})
        sections[-1]["questions"].append({
            "code": row.get("code", ""), "type": kind, "title": row.get("title", ""), "help": row.get("help", ""),
            "required": _yes(row.get("required", ""), f"{where}“必答”", errors),
            "scored": _yes(row.get("scored", ""), f"{where}“计分”", errors),
            "weight": row.get("weight") or 1,
            "scale_min": row.get("scale_min") or None, "scale_max": row.get("scale_max") or None,
            "scale_labels": _labels(row.get("scale_labels", ""), f"{where}“量表标签”", errors),
            "scale_na": row.get("scale_na", ""),
            "number_min": row.get("number_min") or None, "number_max": row.get("number_max") or None,
            "show_if_question": row.get("show_if_question", ""), "show_if_equals": row.get("show_if_equals", ""),
            "options": options.pop(row.get("code", ""), []) if kind in ("single", "multiple") else [],
        })
    for code in options:
        errors.append(f"choices：题目编号“{code}”在 survey 中不是选择题")
    if errors:
        raise InvalidInput({"file": errors})
    spec = {"title": title, "intro": intro, "sections": sections}
    try:
        validate_spec(spec)
    except InvalidInput as exc:
        raise InvalidInput({"file": [m for ms in exc.errors.values() for m in ms]}) from None
    return spec


@transaction.atomic
def import_workbook(*, actor, questionnaire_id: int, data: bytes) -> Version:
    """The workbook as the questionnaire's draft: the current draft's content is replaced;
    without an editable draft a new draft version is made first."""
    spec = spec_from_workbook(data)
    questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
    draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if draft is None or version_frozen(draft):
        draft = new_draft(actor=actor, questionnaire_id=questionnaire.pk)
    return replace_content(actor=actor, version_id=draft.pk, spec=spec)
