"""Questionnaire definitions, read: a version as the plain dict the rules,
the pages and the API use (``definition_of``), the published version of a
questionnaire, whether a version is frozen (it has answers)."""

from __future__ import annotations

from django.core.cache import cache

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.questionnaires.models import Questionnaire, QuestionType, Response, Version, VersionStatus

NOT_PUBLISHED = "该问卷不存在或尚未发布"
CACHE_SECONDS = 600


def _cache_key(version_id: int) -> str:
    return f"questionnaires:definition:{version_id}"


def forget_definition(version_id: int) -> None:
    cache.delete(_cache_key(version_id))


def _question(q) -> dict:
    scale = None
    if q.type == QuestionType.SCALE:
        labels = {str(k): str(v) for k, v in (q.scale_labels or {}).items()}
        scale = {"min": q.scale_min if q.scale_min is not None else 1,
                 "max": q.scale_max if q.scale_max is not None else 5,
                 "labels": labels, "na": q.scale_na or None}
    number = None
    if q.type == QuestionType.NUMBER:
        number = {"min": None if q.number_min is None else float(q.number_min),
                  "max": None if q.number_max is None else float(q.number_max)}
    return {
        "code": q.code, "type": q.type, "title": q.title, "help": q.help_text, "required": q.required,
        "scored": q.scored, "weight": float(q.weight or 0),
        "options": [{"code": o.code, "label": o.label, "score": None if o.score is None else float(o.score)}
                    for o in q.options.all()],
        "scale": scale, "number": number,
        "show_if": ({"question": q.show_if_question, "equals": q.show_if_equals}
                    if q.show_if_question else None),
    }


def build_definition(version: Version) -> dict:
    """The version as a dict, read from the database (no cache)."""
    questionnaire = version.questionnaire
    sections = list(version.sections.order_by("order", "id"))
    questions = (version.questions.select_related("section").prefetch_related("options")
                 .order_by("section__order", "section_id", "order", "id"))
    by_section: dict[int, list] = {s.pk: [] for s in sections}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(_question(q))
    return {
        "key": questionnaire.key, "version": version.number, "version_id": version.pk,
        "title": version.title or questionnaire.title, "intro": version.intro, "audience": questionnaire.audience,
        "status": version.status,
        "sections": [{"title": s.title, "questions": by_section[s.pk]} for s in sections],
    }


def definition_of(version: Version) -> dict:
    """The version as a dict; a frozen (answered) version is cached, a draft is read afresh."""
    key = _cache_key(version.pk)
    found = cache.get(key)
    if found is not None:
        return found
    definition = build_definition(version)
    if version_frozen(version):
        cache.set(key, definition, CACHE_SECONDS)
    return definition


def public_definition(definition: dict) -> dict:
    """The API's contract: no scores, weights or internal ids."""
    return {
        "key": definition["key"], "version": definition["version"], "title": definition["title"],
        "audience": definition["audience"],
        "sections": [{"title": s["title"], "questions": [
            {"code": q["code"], "type": q["type"], "title": q["title"], "required": q["required"],
             "options": [{"code": o["code"], "label": o["label"]} for o in q["options"]],
             "scale": q["scale"], "show_if": q["show_if"]} for q in s["questions"]]}
            for s in definition["sections"]],
    }


def questionnaire_by_key(key: str) -> Questionnaire:
    found = Questionnaire.objects.filter(key=key).first()
    if found is None:
        raise NotVisible(NOT_PUBLISHED)
    return found


def published_version(questionnaire: Questionnaire) -> Version | None:
    return (questionnaire.versions.filter(status=VersionStatus.PUBLISHED)
            .select_related("questionnaire").order_by("-number").first())


def published_by_key(key: str) -> Version:
    version = published_version(questionnaire_by_key(key))
    if version is None:
        raise NotVisible(NOT_PUBLISHED)
    return version


def version_frozen(version: Version) -> bool:
    """A version with answers can be neither edited nor deleted."""
    return version.pk is not None and Response.objects.filter(version_id=version.pk).exists()


def questionnaires_of(audience: str):
    return Questionnaire.objects.filter(audience=audience).order_by("key")


def draft_version(questionnaire: Questionnaire) -> Version | None:
    return questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
