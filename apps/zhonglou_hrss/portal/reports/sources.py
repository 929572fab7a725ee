"""The portal's sources of the saved reports (issue 17): talent demands and
their positions (人才需求/需求岗位), job-fair registrations (招聘会报名) and
urgent concerns (急难愁盼) — each read through the list selector the desk uses."""

from zhonglou_hrss.core.reporting import F, ReportSource
from zhonglou_hrss.portal.models import Concern, Demand, DemandPosition, Registration
from zhonglou_hrss.portal.rules import VIEW_CONCERNS, VIEW_DEMANDS, VIEW_JOBFAIRS

demands = ReportSource(
    key="demands", label="人才需求", model=Demand, custom_object="demand", date_field="submitted_at",
    queryset="zhonglou_hrss.portal.selectors.demands.demand_list_for", permissions=(VIEW_DEMANDS,),
    declared=[
        F("company_name", group=True), F("enterprise__uscc", "统一社会信用代码"),
        F("industry__label", "所属行业", group=True), F("industrial_chain__label", "所属产业链", group=True),
        F("contact_name"), F("contact_phone"), F("workforce_size"), F("status"), F("outcome"),
        F("submitted_at"), F("decided_at"), F("created_at"),
    ],
)

demand_positions = ReportSource(
    key="demand_positions", label="需求岗位", model=DemandPosition, custom_object="", date_field="demand__submitted_at",
    queryset="zhonglou_hrss.portal.selectors.demands.demand_position_list_for", permissions=(VIEW_DEMANDS,),
    declared=[
        F("demand__company_name", "企业名称", group=True), F("demand__industry__label", "所属行业", group=True),
        F("demand__status", "需求状态"), F("demand__submitted_at", "提交审核时间"),
        F("position_text", group=True), F("headcount"), F("hired"), F("gender"),
        F("employment_type__label", "用工性质", group=True), F("education__label", "学历", group=True),
        F("age_band__label", "年龄段", group=True), F("salary_min"), F("salary_max"),
    ],
)

registrations = ReportSource(
    key="registrations", label="招聘会报名", model=Registration, custom_object="registration",
    date_field="submitted_at", queryset="zhonglou_hrss.portal.selectors.jobfairs.registration_list_for",
    permissions=(VIEW_JOBFAIRS,),
    declared=[
        F("fair__name", "招聘会", group=True), F("fair__date", "举办日期"), F("company_name", group=True),
        F("enterprise__uscc", "统一社会信用代码"), F("contact_name"), F("contact_phone"), F("status"),
        F("submitted_at"), F("decided_at"),
    ],
)

concerns = ReportSource(
    key="concerns", label="急难愁盼", model=Concern, custom_object="concern", date_field="created_at",
    queryset="zhonglou_hrss.portal.selectors.concerns.concern_list_for", permissions=(VIEW_CONCERNS,),
    declared=[F("number"), F("name"), F("phone"), F("details"), F("status"), F("created_at"), F("updated_at")],
)
