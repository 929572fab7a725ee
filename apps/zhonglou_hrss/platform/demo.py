"""Platform demo data for a demo site, through the services: two fields the
bureau added (快办事件 涉及人数, a number the desk fills; 人才需求 是否急招, a yes/no
on the enterprise form) defined by the 系统管理员, and a report a 领导 saved and shared
with the other leaders and the clerks (本年各网格事件数, by grid and month)."""

from __future__ import annotations

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.models import CustomField, User
from zhonglou_hrss.platform.models import SavedReport
from zhonglou_hrss.platform.services.reports import save_report

FIELDS = [
    {"object": "case", "code": "workers", "label": "涉及人数", "type": "number", "order": 10,
     "help_text": "本次投诉涉及的劳动者人数"},
    {"object": "demand", "code": "urgent", "label": "是否急招", "type": "boolean", "public": True, "order": 10,
     "help_text": "一个月内必须到岗的请选“是”"},
]


def load_demo() -> None:
    admin = User.objects.filter(groups__name="系统管理员", is_active=True).order_by("id").first()
    if admin is None:
        return
    for data in FIELDS:
        if not CustomField.objects.filter(object=data["object"], code=data["code"]).exists():
            custom_fields.define(actor=admin, data=data)
    leader = User.objects.filter(groups__name="领导", is_active=True).order_by("id").first()
    if leader is not None and not SavedReport.objects.filter(name="本年各网格事件数").exists():
        save_report(actor=leader, data={"name": "本年各网格事件数", "source": "cases",
                                       "group_by": ["grid__name", "created_at:month"],
                                       "aggregates": [{"op": "count"}], "chart": "bar", "shared_with": ["领导", "区后勤人员"]})
