"""Kuaiban's sources of the saved reports (issue 17): cases (快办事件) and
petitions (信访). Rows come from the same selectors as the desk's lists
(``case_list_for``: a grid worker's report holds only their grids' cases;
``petition_list_for``), so a report never shows what the lists would not."""

from zhonglou_hrss.core.reporting import F, ReportSource
from zhonglou_hrss.kuaiban.models import Case, Petition
from zhonglou_hrss.kuaiban.rules import CASE_LIST_PERMS, VIEW_PETITIONS

cases = ReportSource(
    key="cases", label="快办事件", model=Case, custom_object="case", date_field="created_at",
    queryset="zhonglou_hrss.kuaiban.selectors.cases.case_list_for", permissions=CASE_LIST_PERMS,
    declared=[
        F("number"), F("status"), F("source"), F("channel__label", "来源渠道", group=True),
        F("grid__name", "所属网格", group=True), F("attributed_grid__name", "归属网格（统计用）", group=True),
        F("reason__label", "案由", group=True), F("respondent_name", group=True), F("respondent_uscc"),
        F("respondent__industry__label", "对方单位所属行业", group=True),
        F("reporter_name"), F("reporter_id_number"), F("reporter_phone"), F("demand"),
        F("handling_amount"), F("penalty_required"), F("created_at"), F("grid_accepted_at"), F("filed_at"),
        F("handled_at"), F("closed_at"),
    ],
)

petitions = ReportSource(
    key="petitions", label="信访", model=Petition, custom_object="petition", date_field="created_at",
    queryset="zhonglou_hrss.kuaiban.selectors.petitions.petition_list_for", permissions=(VIEW_PETITIONS,),
    declared=[
        F("number"), F("name"), F("id_number"), F("phone"), F("respondent_name", group=True), F("respondent_uscc"),
        F("reason__label", "案由", group=True), F("grid__name", "所属网格", group=True), F("demand"), F("result"),
        F("handled_at"), F("created_at"),
    ],
)
