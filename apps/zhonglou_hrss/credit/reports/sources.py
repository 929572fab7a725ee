"""Credit's source of the saved reports (issue 17): the rating results
(信用评价结果) — the rows of each year's latest version, as the results page
shows them by default (``selectors.results.result_row_list_for``)."""

from zhonglou_hrss.core.reporting import F, ReportSource
from zhonglou_hrss.credit.models import ResultRow
from zhonglou_hrss.credit.rules import MANAGE_RESULTS, REVIEW, SCORE

results = ReportSource(
    key="credit_results", label="信用评价结果", model=ResultRow, custom_object="", date_field="",
    queryset="zhonglou_hrss.credit.selectors.results.result_row_list_for",
    permissions=(MANAGE_RESULTS, REVIEW, SCORE),
    declared=[
        F("version__scheme__year", "评价年度", group=True), F("version__number", "结果版本"),
        F("version__published_at", "发布时间", group=False), F("uscc", "统一社会信用代码"), F("name", "单位名称"),
        F("grade", "等级", group=True), F("vetoed", "一票否决"), F("credit_score", "信用得分"),
        F("questionnaire_score", "问卷得分"), F("total", "综合得分"), F("rank_total", "综合排名", sum=False),
    ],
)
