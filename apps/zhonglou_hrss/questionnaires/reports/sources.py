"""The questionnaires' source of the saved reports (issue 17): responses
(问卷答卷), read through ``response_list_for`` as the review list is. ID
numbers are only ever stored masked, so none is offered in full."""

from zhonglou_hrss.core.reporting import F, ReportSource
from zhonglou_hrss.questionnaires.models import Response
from zhonglou_hrss.questionnaires.rules import VIEW_RESPONSES

responses = ReportSource(
    key="responses", label="问卷答卷", model=Response, custom_object="", date_field="submitted_at",
    queryset="zhonglou_hrss.questionnaires.selectors.responses.response_list_for", permissions=(VIEW_RESPONSES,),
    declared=[
        F("questionnaire__title", "问卷", group=True), F("version__number", "版本", sum=False), F("year", group=True, sum=False),
        F("target__name", "被评价单位", group=True), F("target__uscc", "被评价单位统一社会信用代码"),
        F("enterprise__name", "用工单位", group=True), F("id_number_masked"), F("headcount"), F("score"),
        F("corrected_score"), F("valid"), F("reviewed"), F("flagged"), F("submitted_at"),
    ],
)
