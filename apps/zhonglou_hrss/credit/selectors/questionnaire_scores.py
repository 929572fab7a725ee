"""The one place credit reads questionnaire composites (R-CR-07, R-CR-09):
HR and employee scores per HR company USCC and year, from the
``zhonglou_hrss.questionnaires`` app's selectors (its reading door).

Each audience (用工单位HR, 被派遣劳动者) may have more than one questionnaire;
an HR company's score for an audience is the mean of its composites over
that audience's questionnaires weighted by the responses behind each (with
one questionnaire per audience, as the defaults have, it is that composite)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from zhonglou_hrss.questionnaires.selectors.definitions import questionnaires_of
from zhonglou_hrss.questionnaires.selectors.responses import composites

# The questionnaires app's audiences (its models are not a door: the values, not the class).
AUDIENCES = {"hr": "enterprise_hr", "employee": "employee"}


def composite_scores(year: int) -> dict[str, dict]:
    """``{uscc: {"hr": Decimal | None, "hr_n": int, "employee": Decimal | None, "employee_n": int}}``
    for every HR company with valid responses in ``year``."""
    sums: dict[str, dict] = {}
    for dimension, audience in AUDIENCES.items():
        for questionnaire in questionnaires_of(audience):
            for c in composites(questionnaire, year):
                if not c.uscc:
                    continue
                entry = sums.setdefault(c.uscc, {"hr": [], "employee": []})
                if c.score is not None and c.responses:
                    entry[dimension].append((c.score, c.responses))
    out = {}
    for uscc, entry in sums.items():
        row = {}
        for dimension in AUDIENCES:
            parts = entry[dimension]
            n = sum(count for _, count in parts)
            row[dimension] = (sum(score * count for score, count in parts) / n).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP) if n else None
            row[f"{dimension}_n"] = n
        out[uscc] = row
    return out
