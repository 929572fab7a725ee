"""Questionnaire definitions, written (issue 14): a version's content from a
plain spec (the YAML drafts, an Excel workbook, a copy of the last version),
new drafts, publishing, and the rule that a version with answers is frozen —
editing a questionnaire that has answers makes a new draft version.
Each function is one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput, StateConflict
from zhonglou_hrss.questionnaires.models import (
    Aggregation,
    Option,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    Version,
    VersionStatus,
)
from zhonglou_hrss.questionnaires.rules import CHOICE_TYPES, CODE_RE, SCALE
from zhonglou_hrss.questionnaires.selectors.definitions import forget_definition, version_frozen

FROZEN = "该版本已有答卷，不能修改或删除；请新建草稿版本后修改"
TYPES = {t.value for t in QuestionType}


def check_editable(version: Version) -> None:
    """A version in use (with answers) can be neither edited nor deleted."""
    if version_frozen(version):
        raise StateConflict(FROZEN)


# --- the spec: one plain format for every way a definition comes in ---------------------------
def spec_of(version: Version) -> dict:
    """The version's content as a spec (for a copy or an Excel export)."""
    sections = []
    for section in version.sections.order_by("order", "id"):
        questions = []
        for q in section.questions.prefetch_related("options").order_by("order", "id"):
            questions.append({
                "code": q.code, "type": q.type, "title": q.title, "help": q.help_text, "required": q.required,
                "scored": q.scored, "weight": q.weight, "scale_min": q.scale_min, "scale_max": q.scale_max,
                "scale_labels": dict(q.scale_labels or {}), "scale_na": q.scale_na,
                "number_min": q.number_min, "number_max": q.number_max,
                "show_if_question": q.show_if_question, "show_if_equals": q.show_if_equals,
                "options": [{"code": o.code, "label": o.label, "score": o.score} for o in q.options.all()],
            })
        sections.append({"title": section.title, "questions": questions})
    return {"title": version.title, "intro": version.intro, "sections": sections}


def _decimal(value, label: str, errors: ErrorCollector, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add(field, f"{label}应为数字")
        return None
    if not number.is_finite():
        errors.add(field, f"{label}应为数字")
        return None
    return number


def validate_spec(spec: dict) -> None:
    """Every problem of a spec at once, each naming the question (Chinese)."""
    errors = ErrorCollector()
    if not (spec.get("title") or "").strip():
        errors.add("title", "请填写问卷标题")
    seen: list[str] = []
    choice_options: dict[str, list[str]] = {}
    if not spec.get("sections"):
        errors.add("sections", "问卷至少要有一个部分")
    for s_index, section in enumerate(spec.get("sections") or [], start=1):
        if not (section.get("title") or "").strip():
            errors.add(f"sections[{s_index}]", f"第{s_index}部分：请填写标题")
        for q in section.get("questions") or []:
            code = str(q.get("code") or "").strip()
            where = f"题目{code or '（无编号）'}"
            field = code or f"sections[{s_index}]"
            if not CODE_RE.match(code):
                errors.add(field, f"{where}：编号应以字母开头，只含字母、数字、下划线，最多40个字符")
            elif code in seen:
                errors.add(field, f"{where}：编号重复")
            if q.get("type") not in TYPES:
                errors.add(field, f"{where}：题型不正确（可选：{'、'.join(t.label for t in QuestionType)}）")
            if not (q.get("title") or "").strip():
                errors.add(field, f"{where}：请填写题目")
            weight = _decimal(q.get("weight", 1), f"{where}：权重", errors, field)
            if weight is not None and weight < 0:
                errors.add(field, f"{where}：权重不能为负数")
            if q.get("type") in CHOICE_TYPES:
                codes = [str(o.get("code") or "").strip() for o in q.get("options") or []]
                if not codes:
                    errors.add(field, f"{where}：选择题至少要有一个选项")
                if len(set(codes)) != len(codes) or any(not c for c in codes):
                    errors.add(field, f"{where}：选项编号不能为空或重复")
                for o in q.get("options") or []:
                    if not (o.get("label") or "").strip():
                        errors.add(field, f"{where}：选项{o.get('code')}没有文字")
                    score = _decimal(o.get("score"), f"{where}：选项{o.get('code')}的得分", errors, field)
                    if score is not None and not 0 <= score <= 100:
                        errors.add(field, f"{where}：选项{o.get('code')}的得分应在0到100之间")
                choice_options[code] = codes
            if q.get("type") == SCALE:
                low, high = q.get("scale_min"), q.get("scale_max")
                try:
                    low, high = int(low), int(high)
                    if not low < high or high - low > 20:
                        raise ValueError
                except (TypeError, ValueError):
                    errors.add(field, f"{where}：量表的最小值、最大值应为整数，且最小值小于最大值（最多相差20）")
            cond = (q.get("show_if_question") or "").strip()
            if cond:
                if cond not in seen:
                    errors.add(field, f"{where}：显示条件只能引用前面的题目（{cond} 不在本题之前）")
                elif not (q.get("show_if_equals") or "").strip():
                    errors.add(field, f"{where}：请填写显示条件的回答值")
                elif cond in choice_options and q.get("show_if_equals").strip() not in choice_options[cond]:
                    errors.add(field, f"{where}：显示条件的回答值应为第{cond}题的选项编号之一")
            if code:
                seen.append(code)
    errors.raise_if_any()


def _write_content(version: Version, spec: dict) -> None:
    version.sections.all().delete()  # questions and options go with them
    version.title = spec["title"].strip()[:200]
    version.intro = (spec.get("intro") or "").strip()
    version.save(update_fields=["title", "intro"])
    for s_order, section_spec in enumerate(spec["sections"], start=1):
        section = Section.objects.create(version=version, order=s_order * 10, title=section_spec["title"].strip()[:200])
        for q_order, q in enumerate(section_spec.get("questions") or [], start=1):
            is_scale = q["type"] == SCALE
            question = Question.objects.create(
                version=version, section=section, order=q_order * 10, code=str(q["code"]).strip(), type=q["type"],
                title=q["title"].strip()[:500], help_text=(q.get("help") or "").strip()[:500],
                required=bool(q.get("required")), scored=bool(q.get("scored")),
                weight=Decimal(str(q.get("weight") if q.get("weight") not in (None, "") else 1)),
                scale_min=int(q["scale_min"]) if is_scale else None, scale_max=int(q["scale_max"]) if is_scale else None,
                scale_labels={str(k): str(v) for k, v in (q.get("scale_labels") or {}).items()} if is_scale else {},
                scale_na=(q.get("scale_na") or "").strip()[:20] if is_scale else "",
                number_min=q.get("number_min") if q.get("number_min") not in ("",) else None,
                number_max=q.get("number_max") if q.get("number_max") not in ("",) else None,
                show_if_question=(q.get("show_if_question") or "").strip(),
                show_if_equals=str(q.get("show_if_equals") or "").strip()[:100])
            if q["type"] in CHOICE_TYPES:
                Option.objects.bulk_create([
                    Option(question=question, order=i * 10, code=str(o["code"]).strip(), label=o["label"].strip()[:200],
                           score=None if o.get("score") in (None, "") else Decimal(str(o["score"])))
                    for i, o in enumerate(q.get("options") or [], start=1)])
    forget_definition(version.pk)


def _next_number(questionnaire: Questionnaire) -> int:
    last = questionnaire.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def create_questionnaire(*, key: str, title: str, audience: str, aggregation: str = Aggregation.MEAN,
                         trim_percent=10, headcount_question: str = "", spec: dict | None = None) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(key=key, title=title, audience=audience, aggregation=aggregation,
                                                 trim_percent=trim_percent, headcount_question=headcount_question)
    if spec is not None:
        validate_spec(spec)
        version = Version.objects.create(questionnaire=questionnaire, number=1, title=spec["title"])
        _write_content(version, spec)
    return questionnaire


@transaction.atomic
def save_questionnaire(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    """A questionnaire's settings from the desk (its form checked them): key and audience are fixed
    once it has answers (the desk shows them read-only then)."""
    if questionnaire.pk:
        before = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if (before.key, before.audience) != (questionnaire.key, questionnaire.audience) and before.responses.exists():
            raise StateConflict("已有答卷的问卷不能修改标识和填写对象")
    questionnaire.save()
    for version in questionnaire.versions.all():
        forget_definition(version.pk)
    return questionnaire


@transaction.atomic
def new_draft(*, actor, questionnaire_id: int) -> Version:
    """The questionnaire's draft: the existing one, or a copy of its newest version."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire_id)
    draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if draft is not None:
        return draft
    last = questionnaire.versions.order_by("-number").first()
    version = Version.objects.create(questionnaire=questionnaire, number=_next_number(questionnaire),
                                     title=last.title if last else questionnaire.title,
                                     intro=last.intro if last else "",
                                     note=f"由第{last.number}版复制" if last else "")
    if last is not None:
        _write_content(version, spec_of(last))
    return version


@transaction.atomic
def replace_content(*, actor, version_id: int, spec: dict) -> Version:
    """A draft's (or an unanswered version's) whole content from a spec (an Excel import)."""
    version = Version.objects.select_for_update().get(pk=version_id)
    check_editable(version)
    validate_spec(spec)
    _write_content(version, spec)
    return version


def validate_for_publishing(version: Version) -> None:
    validate_spec(spec_of(version))
    questionnaire = version.questionnaire
    if questionnaire.aggregation == Aggregation.HEADCOUNT:
        code = questionnaire.headcount_question
        if not version.questions.filter(code=code, type=QuestionType.NUMBER).exists():
            raise InvalidInput({"headcount_question": [
                f"汇总方式为按用工人数加权，但本版本没有编号为“{code or '（未设置）'}”的数字题"]})
    if not version.questions.filter(scored=True).exists():
        raise InvalidInput({"questions": ["本版本没有计分题，无法计算得分"]})


@transaction.atomic
def publish(*, actor, version_id: int) -> Version:
    """Publish a version: it starts a period; the version published before is retired
    (its answers keep it, and display and score as they were given)."""
    version = Version.objects.select_for_update().select_related("questionnaire").get(pk=version_id)
    if version.status == VersionStatus.PUBLISHED:
        raise StateConflict("该版本已是发布状态")
    if version.status == VersionStatus.RETIRED:
        raise StateConflict("已停用的版本不能再次发布；请新建草稿版本")
    validate_for_publishing(version)
    now = clock.now()
    (Version.objects.filter(questionnaire=version.questionnaire, status=VersionStatus.PUBLISHED)
     .update(status=VersionStatus.RETIRED, retired_at=now))
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    version.save(update_fields=["status", "published_at"])
    forget_definition(version.pk)
    return version


@transaction.atomic
def delete_version(*, actor, version_id: int) -> None:
    version = Version.objects.select_for_update().get(pk=version_id)
    check_editable(version)
    if version.status == VersionStatus.PUBLISHED:
        raise StateConflict("正在使用的发布版本不能删除；请先发布新版本")
    version.delete()
    forget_definition(version_id)


@transaction.atomic
def save_row(*, actor, obj) -> None:
    """A desk edit of a version, section, question or option: refused when the version is in use."""
    version = obj if isinstance(obj, Version) else getattr(obj, "version", None) or obj.question.version
    if version.pk:
        check_editable(Version.objects.select_for_update().get(pk=version.pk))
    if isinstance(obj, Question) and obj.section_id and obj.section.version_id != obj.version_id:
        raise InvalidInput({"section": ["所属部分不在本版本中"]})
    obj.full_clean() if not isinstance(obj, Version) else None
    obj.save()
    forget_definition(version.pk)


@transaction.atomic
def delete_row(*, actor, obj) -> None:
    version = obj if isinstance(obj, Version) else getattr(obj, "version", None) or obj.question.version
    check_editable(version)
    obj.delete()
    forget_definition(version.pk)
