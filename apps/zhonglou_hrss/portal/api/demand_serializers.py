"""The bodies of the talent-demand API (contract of issue 13).

Input is read leniently (every field optional, numbers taken as sent) and
checked whole by ``services.demands.validate_demand``, so one 400 names every
bad field at once — ``positions[1].salary_max``, ``positions[0].majors[2].headcount``
— instead of DRF's type errors first and the rules on a second try."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.api_fields import ChoiceLabelField, CustomValuesField
from zhonglou_hrss.portal.rules import SALARY_BANDS


@extend_schema_field(OpenApiTypes.INT)
class RawNumber(serializers.Field):
    """A whole number as the client sent it; the service says what is wrong with it."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


def _code(help_text: str = ""):
    return serializers.CharField(required=False, allow_blank=True, default="", help_text=help_text)


class MajorInputSerializer(serializers.Serializer):
    category = _code("专业类别代码（/api/v1/lookups/major_categories/）")
    headcount = RawNumber(required=False, default=None)


class DemandPositionInputSerializer(serializers.Serializer):
    position = _code("岗位：/api/v1/lookups/positions/ 中的代码，或直接填写岗位名称")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    headcount = RawNumber(required=False, default=None, help_text="需求人数（≥1）")
    gender = _code("male（男）/ female（女）/ any（无要求）")
    employment_type = _code("用工性质代码（employment_types）；other 时须填 employment_type_other")
    employment_type_other = serializers.CharField(required=False, allow_blank=True, default="")
    salary_min = RawNumber(required=False, default=None, help_text="月薪下限（元）")
    salary_max = RawNumber(required=False, default=None, help_text="月薪上限（元，不低于下限）")
    age_band = _code("年龄段代码（age_bands）")
    education = _code("学历代码（education_levels）")
    skill_level = _code("技能要求代码（skill_requirements）")
    experience = _code("工作经历代码（experience_levels）")
    majors = MajorInputSerializer(many=True, required=False, default=list)


class DemandInputSerializer(serializers.Serializer):
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="11位手机号；原样发回脱敏值表示不修改")
    months = serializers.ListField(child=RawNumber(), required=False, default=list, help_text="招聘月份 1–12，可多选")
    workforce_size = RawNumber(required=False, default=None, help_text="企业用工规模（人）")
    services = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list,
                                     help_text="需要的服务代码（demand_services），可多选；other 时须填 services_other")
    services_other = serializers.CharField(required=False, allow_blank=True, default="")
    positions = DemandPositionInputSerializer(many=True, required=False, default=list)
    custom = serializers.DictField(required=False, help_text="局里设为在企业表单显示的自定义字段 {字段代码: 值}；"
                                                             "错误在 errors[\"custom.字段代码\"]")


class OutcomePositionSerializer(serializers.Serializer):
    id = serializers.IntegerField(error_messages={"invalid": "岗位编号应为整数", "required": "请给出岗位编号"})
    hired = RawNumber(required=False, default=None, help_text="实际招聘人数（≥0）")


class OutcomeInputSerializer(serializers.Serializer):
    positions = OutcomePositionSerializer(many=True, required=False, default=list)
    result = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="completed（已完成）或 partial（未完全达成）")


class DemandFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "approved", "rejected", "draft"], required=False,
                                     error_messages={"invalid_choice": "状态只能是 draft、pending、approved 或 rejected"})
    date_from = serializers.DateField(required=False, help_text="提交日期起（含），YYYY-MM-DD",
                                      error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    date_to = serializers.DateField(required=False, help_text="提交日期止（含），YYYY-MM-DD",
                                    error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    industry = serializers.CharField(required=False, allow_blank=True, max_length=20)
    industrial_chain = serializers.CharField(required=False, allow_blank=True, max_length=40)
    uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="企业名称或岗位关键词")

    def to_internal_value(self, data):
        # The contract's names are ``from`` and ``to`` (Python keywords); ``date_from``/``date_to`` work too.
        data = data.copy() if hasattr(data, "copy") else dict(data)
        for short, long in (("from", "date_from"), ("to", "date_to")):
            if short in data and long not in data:
                data[long] = data[short]
        return super().to_internal_value(data)


class DemandChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


def _ref(entry) -> dict | None:
    return {"code": entry.code, "label": entry.label} if entry is not None else None


class MajorSerializer(serializers.Serializer):
    category = serializers.SerializerMethodField()
    headcount = serializers.IntegerField()

    def get_category(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.category)


class DemandPositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.SerializerMethodField(help_text="岗位代码（从列表选择时）或空")
    position_text = serializers.CharField(help_text="岗位名称")
    description = serializers.CharField()
    headcount = serializers.IntegerField()
    gender = serializers.CharField()
    employment_type = serializers.SerializerMethodField()
    employment_type_other = serializers.CharField()
    salary_min = serializers.IntegerField()
    salary_max = serializers.IntegerField()
    age_band = serializers.SerializerMethodField()
    education = serializers.SerializerMethodField()
    skill_level = serializers.SerializerMethodField()
    experience = serializers.SerializerMethodField()
    majors = MajorSerializer(many=True)
    hired = serializers.IntegerField(allow_null=True, help_text="实际招聘人数（反馈后）")

    def get_position(self, obj) -> str:
        return obj.position_entry.code if obj.position_entry_id else ""

    def get_employment_type(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.employment_type)

    def get_age_band(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.age_band)

    def get_education(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.education)

    def get_skill_level(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.skill_level)

    def get_experience(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.experience)


class DemandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uscc = serializers.CharField(source="enterprise.uscc")
    company_name = serializers.CharField()
    industry = serializers.SerializerMethodField(help_text="取自企业资料")
    industrial_chain = serializers.SerializerMethodField(help_text="取自企业资料")
    contact_name = serializers.CharField()
    contact_phone = serializers.SerializerMethodField(help_text="本企业看到完整号码；工作人员看到脱敏号码")
    months = serializers.ListField(child=serializers.IntegerField())
    workforce_size = serializers.IntegerField()
    services = serializers.SerializerMethodField()
    services_other = serializers.CharField()
    positions = DemandPositionSerializer(many=True)
    custom = CustomValuesField()
    status = serializers.CharField(help_text="draft / pending / approved / rejected")
    status_label = ChoiceLabelField("status")
    reject_reason = serializers.CharField()
    outcome = serializers.CharField(help_text="''（未反馈）/ completed（已完成）/ partial（未完全达成）")
    outcome_label = ChoiceLabelField("outcome")
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    outcome_at = serializers.DateTimeField(allow_null=True, help_text="首次反馈时间（其后30天内可更正）")

    def get_industry(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.industry)

    def get_industrial_chain(self, obj) -> DemandChoiceSerializer:
        return _ref(obj.industrial_chain)

    def get_contact_phone(self, obj) -> str:
        return obj.contact_phone if self.context.get("full_pii") else pii.mask(pii.MOBILE, obj.contact_phone)

    def get_services(self, obj) -> DemandChoiceSerializer(many=True):
        return [_ref(s.service) for s in obj.services.all()]


class DemandRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="不通过的原因（必填）")


# --- statistics (R-PT-14) ------------------------------------------------------------------------
class StatsQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="提交日期起（含）；默认今年1月1日",
                                      error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    date_to = serializers.DateField(required=False, help_text="提交日期止（含）；默认今天",
                                    error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})

    def to_internal_value(self, data):
        data = data.copy() if hasattr(data, "copy") else dict(data)
        for short, long in (("from", "date_from"), ("to", "date_to")):
            if short in data and long not in data:
                data[long] = data[short]
        values = super().to_internal_value(data)
        if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
            raise serializers.ValidationError({"to": ["结束日期不能早于开始日期"]})
        return values


class ShareSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    headcount = serializers.IntegerField()
    share = serializers.FloatField(help_text="该项需求人数 ÷ 需求总人数（0–1）")


class ServiceShareSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    demands = serializers.IntegerField()
    share = serializers.FloatField()


class EnterpriseNumbersSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    requested = serializers.IntegerField()
    hired = serializers.IntegerField()


class DemandStatsSerializer(serializers.Serializer):
    demands = serializers.IntegerField(help_text="期间内提交审核的需求数")
    approved = serializers.IntegerField()
    completed = serializers.IntegerField()
    partial = serializers.IntegerField()
    no_feedback = serializers.IntegerField()
    satisfaction = serializers.FloatField(allow_null=True, help_text="已完成 ÷ 已通过；没有已通过的需求时为 null")
    requested = serializers.IntegerField()
    hired = serializers.IntegerField()
    by_age_band = ShareSerializer(many=True)
    by_education = ShareSerializer(many=True)
    by_experience = ShareSerializer(many=True)
    by_gender = ShareSerializer(many=True)
    by_employment_type = ShareSerializer(many=True)
    by_salary_band = ShareSerializer(many=True, help_text="、".join(label for _, label, _, _ in SALARY_BANDS))
    by_skill_level = ShareSerializer(many=True)
    by_major_category = ShareSerializer(many=True)
    by_industry = ShareSerializer(many=True)
    by_industrial_chain = ShareSerializer(many=True)
    by_service = ServiceShareSerializer(many=True)
    by_enterprise = EnterpriseNumbersSerializer(many=True)
    definitions = serializers.DictField(child=serializers.CharField(), help_text="各项口径的文字说明")


# The contract names the period ``from`` and ``to`` (Python keywords: not class attributes).
DemandStatsSerializer._declared_fields = {
    "from": serializers.DateField(help_text="统计期间起（含）"),
    "to": serializers.DateField(help_text="统计期间止（含）"),
    **DemandStatsSerializer._declared_fields,
}
