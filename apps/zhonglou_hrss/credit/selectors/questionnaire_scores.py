"""The one place credit reads questionnaire composites (R-CR-07, R-CR-09):
HR and employee scores per HR company USCC and year, from the
``zhonglou_hrss.questionnaires`` app's selectors.

That app is not on main yet, so nothing here can read real scores, and
results generation (R-CR-10/11) is not built: no score is ever made up.
When the app lands, this function calls its selector and nothing else in
credit changes."""

from __future__ import annotations

from zhonglou_hrss.core.errors import StateConflict

NOT_AVAILABLE = "问卷评价模块尚未上线，暂不能生成综合结果"


def composite_scores(year: int, usccs: list[str]) -> dict[str, dict]:
    """``{uscc: {"hr": Decimal | None, "employee": Decimal | None, "hr_n": int, "employee_n": int}}``."""
    raise StateConflict(NOT_AVAILABLE)
