"""Scoring, conditions and aggregation on known numbers (issue 14; R-CR-06,
R-CR-07, R-CR-09): pure rules, no database."""

from __future__ import annotations

from decimal import Decimal

from zhonglou_hrss.questionnaires.rules import (
    aggregate,
    aggregation_formula,
    clean_answers,
    is_shown,
    response_score,
    trimmed_count,
)


def q(code, kind="scale", *, weight=1, scored=True, required=False, options=(), lo=1, hi=5, na=None, show_if=None):
    return {"code": code, "type": kind, "title": f"题{code}", "required": required, "scored": scored, "weight": weight,
            "options": [{"code": c, "label": c, "score": s} for c, s in options],
            "scale": {"min": lo, "max": hi, "labels": {}, "na": na} if kind == "scale" else None,
            "number": {"min": 0, "max": None} if kind == "number" else None, "show_if": show_if}


DEFINITION = {"sections": [{"title": "一", "questions": [
    q("S1", weight=2, na="不适用"),  # 1–5
    q("S2", weight=1, lo=0, hi=10),  # 0–10
    q("C1", "single", weight=1, options=[("yes", 100), ("no", 0), ("unknown", None)]),
    q("M1", "multiple", weight=1, options=[("a", 100), ("b", 50), ("c", None)]),
    q("N1", "number", scored=False, required=True),
    q("T1", "text", scored=False, show_if={"question": "C1", "equals": "no"}, required=True),
]}]}


def test_score_is_the_weighted_mean_of_mapped_answers_on_0_100():
    """R-CR-06 (the questionnaire's own score): S1=4 → 0.75 (w2), S2=5 → 0.5, C1=yes → 1, M1={a,b} → 0.75:
    (2·0.75 + 0.5 + 1 + 0.75) / 5 × 100 = 75.00."""
    answers = {"S1": 4, "S2": 5, "C1": "yes", "M1": ["a", "b"], "N1": 3}
    assert response_score(DEFINITION, answers) == Decimal("75.00")


def test_not_applicable_and_unscored_options_are_left_out_of_the_mean():
    """不适用 and 不清楚 leave both the numerator and the weights: S2=10 alone → 100."""
    answers = {"S1": "na", "S2": 10, "C1": "unknown", "M1": ["c"], "N1": 1}
    assert response_score(DEFINITION, answers) == Decimal("100.00")
    assert response_score(DEFINITION, {"N1": 1}) is None


def test_condition_shows_a_question_only_for_the_earlier_answer():
    """One simple condition: T1 only when C1 = no; hidden answers are dropped, shown required ones asked."""
    question = DEFINITION["sections"][0]["questions"][5]
    assert not is_shown(question, {"C1": "yes"})
    assert is_shown(question, {"C1": "no"})
    kept, errors = clean_answers(DEFINITION, {"C1": "yes", "T1": "不该保留", "N1": "2"})
    assert "T1" not in kept and not errors
    kept, errors = clean_answers(DEFINITION, {"C1": "no", "N1": "2"})
    assert errors == {"T1": ["第T1题“题T1”为必答题"]}


def test_answers_are_checked_per_question_in_chinese():
    kept, errors = clean_answers(DEFINITION, {"S1": 7, "S2": "x", "C1": "maybe", "M1": ["z"], "N1": "-1"})
    assert errors["S1"] == ["第S1题：请选择1到5之间的分值"]
    assert errors["S2"] == ["第S2题：请选择0到10之间的分值"]
    assert errors["C1"] == ["第C1题：请从选项中选择"]
    assert errors["M1"] == ["第M1题：请从选项中选择"]
    assert errors["N1"] == ["第N1题：不能小于0"]
    assert kept == {}


def test_mean_aggregation():
    """R-CR-09: (60 + 70 + 95) / 3 = 75.00."""
    assert aggregate("mean", [(Decimal(60), None), (Decimal(70), None), (Decimal(95), None)]) == Decimal("75.00")


def test_trimmed_mean_drops_the_top_and_bottom_share():
    """R-CR-09: 10 scores, 10 % → one dropped at each end: mean of 20…90 = 55.00; 20 % → two each end."""
    scores = [(Decimal(v), None) for v in (0, 20, 30, 40, 50, 60, 70, 80, 90, 100)]
    assert trimmed_count(10, 10) == 1 and trimmed_count(10, 20) == 2 and trimmed_count(3, 10) == 0
    assert aggregate("trimmed", scores, trim_percent=10) == Decimal("55.00")
    assert aggregate("trimmed", scores, trim_percent=20) == Decimal("55.00")
    assert aggregate("trimmed", [(Decimal(0), None), (Decimal(30), None), (Decimal(100), None)],
                     trim_percent=40) == Decimal("30.00")
    assert trimmed_count(2, 49) == 0  # at least one score is kept


def test_headcount_weighted_aggregation():
    """R-CR-07: (80·30 + 60·10) / 40 = 75.00; a response without headcount does not count."""
    rows = [(Decimal(80), 30), (Decimal(60), 10), (Decimal(0), None), (Decimal(10), 0)]
    assert aggregate("headcount", rows) == Decimal("75.00")
    assert aggregate("headcount", [(Decimal(50), None)]) is None
    assert aggregate("mean", []) is None


def test_formula_is_shown_in_words():
    assert "⌊n × 10%⌋" in aggregation_formula("trimmed", 10)
    assert "第A4a题" in aggregation_formula("headcount", 10, "A4a")
    assert "算术平均" in aggregation_formula("mean", 10)
