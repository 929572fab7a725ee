"""R-CR-03/04: the formula and the grade bands on constructed numbers, over
the year's data (rules.compute_score is pure: no database)."""

from decimal import Decimal as D

import pytest

from zhonglou_hrss.credit.rules import (
    BandData,
    CategoryData,
    ItemData,
    SchemeData,
    bonus_points_error,
    compute_score,
    deduction_points_error,
    licensed_long_enough,
)

SCHEME = SchemeData(
    initial_score=D(80), floor=D(0),
    categories=(CategoryData("INIT", "初始分", "base"), CategoryData("BI", "基本指标", "bonus", D(20)),
                CategoryData("GC", "良好信用信息", "bonus", D(20)), CategoryData("SX", "失信行为", "deduction"),
                CategoryData("WF", "违法行为", "deduction"), CategoryData("LZ", "劳资纠纷", "deduction"),
                CategoryData("VETO", "一票否决", "veto")),
    items={"B1": ItemData("B1", "BI", D(15)), "B2": ItemData("B2", "BI", D(15)), "G1": ItemData("G1", "GC", D(5)),
           "S1": ItemData("S1", "SX"), "W1": ItemData("W1", "WF"), "L3": ItemData("L3", "LZ", D(-10))},
    bands=(BandData("AAA", D(110), True, ("WF", "LZ")), BandData("AA", D(100)), BandData("A", D(90)),
           BandData("B", D(60)), BandData("C", D(0), False)),
)


def test_R_CR_03_initial_score_alone_is_80_grade_B():
    working = compute_score(SCHEME, {}, [])
    assert (working.score, working.grade) == (D(80), "B")
    assert working.lines[0] == {"label": "初始分", "value": "80", "note": ""}


def test_R_CR_03_item_cap_then_category_cap():
    # B1 18 -> 15 (item cap), B2 10: 25 -> 20 (category cap); G1 7 -> 5
    working = compute_score(SCHEME, {"B1": D(18), "B2": D(10), "G1": D(7)}, [])
    assert working.score == D(105)
    bi = next(line for line in working.lines if line["label"] == "基本指标")
    assert bi == {"label": "基本指标", "value": "+20", "note": "合计25，上限20"}


def test_R_CR_03_deductions_and_item_deduction_cap():
    # L3 -2 six times = -12, capped at -10; S1 -10
    working = compute_score(SCHEME, {}, [("L3", D(-2))] * 6 + [("S1", D(-10))])
    assert working.score == D(60)
    assert working.grade == "B"


def test_R_CR_03_floor():
    working = compute_score(SCHEME, {}, [("S1", D(-10))] * 10)
    assert working.score == D(0)
    assert working.lines[-2]["note"] == "计算值-20，不低于0"


@pytest.mark.parametrize("bonus, deductions, grade", [
    ({"B1": D(15), "B2": D(5), "G1": D(5)}, [], "AA"),         # 80 + 20 + 5 = 105
    ({"B1": D(15), "B2": D(5), "G1": D(5)}, [("S1", D(-10))], "A"),  # 95
    ({"B1": D(10)}, [], "A"),                                   # 90
    ({"B1": D(9.5)}, [], "B"),                                  # 89.5
    ({}, [("S1", D(-20))], "B"),                                # 60
    ({}, [("S1", D(-20.5))], "C"),                              # 59.5
])
def test_R_CR_04_grade_bands(bonus, deductions, grade):
    assert compute_score(SCHEME, bonus, deductions).grade == grade


def test_R_CR_04_AAA_needs_110_and_no_WF_LZ_deduction():
    scheme = SchemeData(SCHEME.initial_score, SCHEME.floor, SCHEME.categories,
                        {**SCHEME.items, "G2": ItemData("G2", "GC", D(20))}, SCHEME.bands)
    top = {"B1": D(15), "B2": D(5), "G1": D(5), "G2": D(15)}  # 80 + 20 + 20 = 120
    assert compute_score(scheme, top, []).grade == "AAA"
    assert compute_score(scheme, top, [("W1", D(-3))]).grade == "AA"   # 117 but a WF deduction
    assert compute_score(scheme, top, [("S1", D(-10))]).grade == "AAA"  # 110, SX does not bar AAA
    assert compute_score(scheme, top, [("S1", D(-10.5))]).grade == "AA"  # 109.5


def test_R_CR_04_veto_forces_C_whatever_the_score():
    working = compute_score(SCHEME, {"B1": D(15), "B2": D(5), "G1": D(5)}, [], ["VETO-06"])
    assert working.score == D(105)
    assert working.grade == "C"
    assert working.lines[-1]["note"] == "一票否决：VETO-06"


def test_R_CR_04_points_by_the_items_rule():
    assert bonus_points_error({"type": "fixed", "points": 2}, D(2), D(2)) is None
    assert bonus_points_error({"type": "fixed", "points": 2}, D(2), D(3)) == "该指标最多2分"
    assert bonus_points_error({"type": "tiered", "tiers": [{"points": 1}, {"points": 2}]}, D(2), -1)
    assert bonus_points_error({"type": "components", "components": [{"points": 1}] * 3}, D(3), D(3)) is None
    assert bonus_points_error({"type": "rate", "full_points": 2}, D(2), D("1.8")) is None
    assert deduction_points_error({"type": "per_occurrence", "points": -10}, D(-10)) is None
    assert deduction_points_error({"type": "per_occurrence", "points": -10}, D(-5)) == "该项每次扣10分"
    assert deduction_points_error({"type": "per_occurrence_banded", "bands": [{"points": -10}, {"points": -5}]},
                                  D(-8)) == "该项扣分只能是：-10、-5"
    assert deduction_points_error({"type": "staff_judgement", "min_points": -5, "max_points": -1}, D(-3)) is None
    assert deduction_points_error({"type": "staff_judgement", "min_points": -5, "max_points": -1}, D(-6))
    assert deduction_points_error({"type": "per_occurrence", "points": -2}, D(2)) == "扣分应为负数"


def test_R_CR_01_licensed_less_than_a_year_before_the_years_end_is_not_rated():
    from datetime import date

    assert licensed_long_enough(date(2025, 12, 31), 2026)
    assert not licensed_long_enough(date(2026, 1, 1), 2026)
    assert not licensed_long_enough(None, 2026)
    assert licensed_long_enough(date(2024, 12, 31), 2026, min_years=2)
