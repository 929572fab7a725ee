"""A version's questions as a form to show (the answer pages, the desk's
preview — the same template either way): each question with its choices,
its current value and its messages; and a posted form read back into answers."""

from __future__ import annotations

from zhonglou_hrss.questionnaires.rules import MULTIPLE, NA, SCALE, SINGLE, is_shown

FIELD_PREFIX = "a_"


def _choices(q: dict) -> list[dict]:
    if q["type"] in (SINGLE, MULTIPLE):
        return [{"value": o["code"], "label": o["label"]} for o in q["options"]]
    if q["type"] == SCALE:
        scale = q["scale"]
        labels = scale["labels"]
        out = [{"value": str(v), "label": labels.get(str(v), ""), "number": v}
               for v in range(scale["min"], scale["max"] + 1)]
        if scale["na"]:
            out.append({"value": NA, "label": scale["na"], "number": None})
        return out
    return []


def form_sections(definition: dict, answers: dict | None = None, errors: dict | None = None) -> list[dict]:
    answers, errors = answers or {}, errors or {}
    sections = []
    number = 0
    for s in definition["sections"]:
        questions = []
        for q in s["questions"]:
            number += 1
            value = answers.get(q["code"])
            values = [str(v) for v in value] if isinstance(value, list) else ([] if value is None else [str(value)])
            questions.append({
                **q, "number": number, "name": FIELD_PREFIX + q["code"], "value": "" if value is None else str(value),
                "values": values, "choices": _choices(q), "errors": errors.get(f"answers.{q['code']}", []),
                "shown": is_shown(q, answers) if q.get("show_if") else True,
                "wide_scale": q["type"] == SCALE and (q["scale"]["max"] - q["scale"]["min"]) > 5,
            })
        sections.append({"title": s["title"], "questions": questions})
    return sections


def answers_from_post(definition: dict, post) -> dict:
    """The posted fields as answers (raw text; the service checks them)."""
    answers = {}
    for s in definition["sections"]:
        for q in s["questions"]:
            name = FIELD_PREFIX + q["code"]
            if q["type"] == MULTIPLE:
                values = [v for v in post.getlist(name) if v]
                if values:
                    answers[q["code"]] = values
            else:
                value = post.get(name, "")
                if value.strip():
                    answers[q["code"]] = value
    return answers
