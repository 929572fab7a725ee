"""Core's source of the saved reports (issue 17): the enterprise library (企业),
as the desk's enterprise list shows it (``selectors.enterprise_list_for``)."""

from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.core.reporting import F, ReportSource

enterprises = ReportSource(
    key="enterprises", label="企业", model=Enterprise, custom_object="enterprise", date_field="created_at",
    queryset="zhonglou_hrss.core.selectors.enterprise_list_for", permissions=("core.view_enterprise",),
    declared=[
        F("name", group=True), F("uscc"), F("industry__label", "所属行业", group=True), F("address"),
        F("uscc_checksum_ok"), F("created_at"), F("updated_at"),
    ],
)
