"""Pure definitions of the questionnaire engine (issue 14): the permissions
its rules name, which answer a question takes, when a question shows, how a
response scores and how scores aggregate per HR company and year, the fraud
signals' thresholds, when a year's collection closes. No query runs here:
a version's definition reaches these functions as a plain dict
(``selectors.definitions.definition_of``)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhonglou_hrss.core.ratelimit import RateLimit
from zhonglou_hrss.core.validators import clean_text

# Permissions (roles map to them in fixtures/base/roles.toml; code never names a role).
VIEW = "questionnaires.view_questionnaire"
MANAGE = "questionnaires.manage_questionnaire"
VIEW_RESPONSES = "questionnaires.view_response"
REVIEW = "questionnaires.review_response"
EXPORT = "questionnaires.export_response"
POSTER = "questionnaires.print_questionnaire_poster"
VIEW_CLIENT_LISTS = "questionnaires.view_clienthrcompany"
SUBSYSTEMS = ("credit", "portal")  # an account approved for either may evaluate its HR companies (R-CR-05)

ENTERPRISE_HR, EMPLOYEE = "enterprise_hr", "employee"
SINGLE, MULTIPLE, SCALE, NUMBER, TEXT, LONG_TEXT, DATE = (
    "single", "multiple", "scale", "number", "text", "long_text", "date")
CHOICE_TYPES = (SINGLE, MULTIPLE)
SCORED_TYPES = (SINGLE, MULTIPLE, SCALE)
NA = "na"  # the answer 不适用 of a scale that offers it
CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
MAX_TEXT, MAX_LONG_TEXT = 200, 2000
MAX_HR_COMPANIES = 200  # an enterprise's list (R-CR-05)
MAX_REASON = 500

# --- fraud signals (flags for staff, never applied: R-PT-15 decides) ----------------------------
BURST_WINDOW = dt.timedelta(minutes=30)
BURST_COUNT = 5  # this many responses for one HR company from one address or one device within the window
IDENTICAL_COUNT = 3  # this many identical answer sets for one HR company within the window
MIN_SECONDS = 60  # a whole questionnaire answered faster than this
FLAG_TEXTS = {
    "burst_ip": "同一网络地址在{minutes}分钟内对该单位提交了{n}份答卷",
    "burst_device": "同一设备在{minutes}分钟内对该单位提交了{n}份答卷",
    "identical": "{minutes}分钟内有{n}份对该单位的答卷回答完全相同",
    "too_fast": "填写用时仅{seconds}秒（少于{minimum}秒）",
}


def flag(code: str, **params) -> dict:
    return {"code": code, "message": FLAG_TEXTS[code].format(**params)}


def employee_ip_limit() -> RateLimit:
    return RateLimit("q-employee-ip", int(getattr(settings, "QUESTIONNAIRE_RESPONSES_PER_IP_HOUR", 30)), 3600,
                     "您所在的网络在一小时内提交的问卷过多，请稍后再试。")


def entry_search_limit() -> RateLimit:
    return RateLimit("q-entry-ip", 300, 3600, "查询过于频繁，请稍后再试。")


# --- the year and its collection (R-CR-05: editable until the year's collection closes) ----------
def collection_closes(year: int, month_day: str) -> dt.datetime:
    """The moment the year's collection closes: the end of ``month_day`` of the next year, local time."""
    month, day = (int(p) for p in (month_day or "03-31").split("-"))
    closing_day = dt.date(year + 1, month, day) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(closing_day, dt.time.min), timezone.get_current_timezone())


def open_years(now: dt.datetime, month_day: str) -> list[int]:
    """The years a response may be given for now: this year, and last year while its collection is open."""
    this = timezone.localtime(now).year
    years = [this]
    if now < collection_closes(this - 1, month_day):
        years.append(this - 1)
    return years


def valid_month_day(value: str) -> bool:
    try:
        month, day = (int(p) for p in value.split("-"))
        dt.date(2001, month, day)  # not 02-29: every year has it
    except (ValueError, AttributeError):
        return False
    return True


# --- conditions and answers ---------------------------------------------------------------------
def questions_of(definition: dict) -> list[dict]:
    return [q for s in definition["sections"] for q in s["questions"]]


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_shown(question: dict, answers: dict) -> bool:
    """One simple condition: shown when the earlier question's answer equals the value
    (for a multiple choice: includes it)."""
    cond = question.get("show_if")
    if not cond:
        return True
    given = answers.get(cond["question"])
    if given is None:
        return False
    if isinstance(given, list):
        return cond["equals"] in [_as_text(v) for v in given]
    return _as_text(given) == cond["equals"]


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def clean_answer(q: dict, value):
    """The answer in its stored form, or ValidationError (Chinese, naming the question)."""
    name = f"第{q['code']}题"
    kind = q["type"]
    codes = [o["code"] for o in q["options"]]
    if kind == SINGLE:
        if _as_text(value) not in codes:
            raise ValidationError(f"{name}：请从选项中选择")
        return _as_text(value)
    if kind == MULTIPLE:
        values = value if isinstance(value, list) else [value]
        values = [_as_text(v) for v in values]
        if any(v not in codes for v in values):
            raise ValidationError(f"{name}：请从选项中选择")
        return [c for c in codes if c in values]
    if kind == SCALE:
        scale = q["scale"]
        if scale["na"] and _as_text(value) == NA:
            return NA
        try:
            number = int(_as_text(value))
        except ValueError:
            raise ValidationError(f"{name}：请选择{scale['min']}到{scale['max']}之间的分值") from None
        if isinstance(value, float) and value != number or not scale["min"] <= number <= scale["max"]:
            raise ValidationError(f"{name}：请选择{scale['min']}到{scale['max']}之间的分值")
        return number
    if kind == NUMBER:
        if isinstance(value, bool):
            raise ValidationError(f"{name}：请填写数字")
        try:
            number = Decimal(_as_text(value).strip())
        except ArithmeticError:
            raise ValidationError(f"{name}：请填写数字") from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError(f"{name}：请填写数字")
        bounds = q.get("number") or {}
        if bounds.get("min") is not None and number < Decimal(str(bounds["min"])):
            raise ValidationError(f"{name}：不能小于{bounds['min']}")
        if bounds.get("max") is not None and number > Decimal(str(bounds["max"])):
            raise ValidationError(f"{name}：不能大于{bounds['max']}")
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == DATE:
        try:
            return dt.date.fromisoformat(_as_text(value).strip()).isoformat()
        except ValueError:
            raise ValidationError(f"{name}：日期格式应为 2026-01-31") from None
    if kind in (TEXT, LONG_TEXT):
        if not isinstance(value, str):
            raise ValidationError(f"{name}：请填写文字")
        text = clean_text(value, label=name, multiline=kind == LONG_TEXT)
        limit = MAX_LONG_TEXT if kind == LONG_TEXT else MAX_TEXT
        if len(text) > limit:
            raise ValidationError(f"{name}：不能超过{limit}个字")
        return text
    raise ValidationError(f"{name}：不支持的题型")


def clean_answers(definition: dict, raw) -> tuple[dict, dict[str, list[str]]]:
    """(answers kept, errors by question code). Answers to hidden questions and
    to unknown codes are dropped; a shown required question needs an answer."""
    if not isinstance(raw, dict):
        return {}, {"answers": ["回答格式不正确"]}
    answers, errors = {}, {}
    for q in questions_of(definition):
        if not is_shown(q, answers):
            continue
        value = raw.get(q["code"])
        if isinstance(value, str) and q["type"] not in (TEXT, LONG_TEXT):
            value = value.strip()
        if _empty(value) or (isinstance(value, str) and not value.strip()):
            if q["required"]:
                errors[q["code"]] = [f"第{q['code']}题“{q['title']}”为必答题"]
            continue
        try:
            answers[q["code"]] = clean_answer(q, value)
        except ValidationError as exc:
            errors[q["code"]] = exc.messages
    return answers, errors


# --- scoring (a response) ------------------------------------------------------------------------
def mapped_answer(q: dict, value) -> float | None:
    """The answer on 0–1, or None when it does not count (不适用, an unscored option, unanswered)."""
    if not q.get("scored") or _empty(value):
        return None
    if q["type"] == SCALE:
        scale = q["scale"]
        if value == NA or scale["max"] == scale["min"]:
            return None
        return (int(value) - scale["min"]) / (scale["max"] - scale["min"])
    scores = {o["code"]: o.get("score") for o in q["options"]}
    if q["type"] == SINGLE:
        score = scores.get(value)
        return None if score is None else float(score) / 100
    if q["type"] == MULTIPLE:
        chosen = [float(scores[c]) for c in value if scores.get(c) is not None]
        return sum(chosen) / len(chosen) / 100 if chosen else None
    return None


def response_score(definition: dict, answers: dict) -> Decimal | None:
    """Σ(weight × mapped answer) / Σ(weight of the answers that count) × 100, two decimals;
    None when no scored answer counts."""
    total = weights = 0.0
    for q in questions_of(definition):
        mapped = mapped_answer(q, answers.get(q["code"]))
        if mapped is None or not q["weight"]:
            continue
        total += float(q["weight"]) * mapped
        weights += float(q["weight"])
    if not weights:
        return None
    return Decimal(str(total / weights * 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


SCORE_FORMULA = ("答卷得分 = Σ(权重 × 折算值) ÷ Σ(参与计分题目的权重) × 100。折算值：量表题 (回答 − 最小值) ÷ (最大值 − 最小值)；"
                 "选择题取所选选项的得分 ÷ 100（多选取所选计分选项的平均）。回答“不适用”、未计分选项和未显示的题目不参与计算。")


# --- aggregation (per HR company and year) -------------------------------------------------------
def trimmed_count(n: int, percent: float) -> int:
    """How many are dropped at each end: ⌊n × x%⌋, leaving at least one."""
    k = math.floor(n * float(percent) / 100 + 1e-9)
    return max(0, min(k, (n - 1) // 2))


def aggregate(rule: str, rows: list[tuple[Decimal, int | None]], *, trim_percent: float = 10) -> Decimal | None:
    """The composite of (score, headcount) pairs by the questionnaire's rule; None without data."""
    scores = [(float(s), h) for s, h in rows if s is not None]
    if not scores:
        return None
    if rule == "trimmed":
        ordered = sorted(s for s, _ in scores)
        k = trimmed_count(len(ordered), trim_percent)
        kept = ordered[k:len(ordered) - k]
        value = sum(kept) / len(kept)
    elif rule == "headcount":
        weighted = [(s, h) for s, h in scores if h]
        if not weighted:
            return None
        value = sum(s * h for s, h in weighted) / sum(h for _, h in weighted)
    else:
        value = sum(s for s, _ in scores) / len(scores)
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def aggregation_formula(rule: str, trim_percent, headcount_question: str = "") -> str:
    if rule == "trimmed":
        return (f"截尾平均：将该单位本年度有效答卷的得分从低到高排列，去掉最低和最高各 ⌊n × {trim_percent}%⌋ 份"
                f"（n 为答卷数，至少保留1份），其余取算术平均。")
    if rule == "headcount":
        return (f"按用工人数加权：综合得分 = Σ(答卷得分 × 用工人数) ÷ Σ(用工人数)，用工人数取自第"
                f"{headcount_question or '（未设置）'}题；未填或为0的答卷不参与计算。")
    return "算术平均：综合得分 = 该单位本年度有效答卷得分之和 ÷ 有效答卷数。"


def answers_fingerprint(answers: dict, definition: dict) -> str:
    """The scored answers as one string (identical answer sets within a burst are a signal)."""
    import hashlib
    import json

    scored = {q["code"]: answers.get(q["code"]) for q in questions_of(definition) if q.get("scored")}
    return hashlib.sha256(json.dumps(scored, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
