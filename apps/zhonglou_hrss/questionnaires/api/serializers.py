"""The questionnaire API's bodies (fixed contract of issue 14)."""

from __future__ import annotations

from rest_framework import serializers

YEAR_MESSAGES = {"invalid": "评价年度须为整数，如 2026", "required": "请填写评价年度", "null": "请填写评价年度",
                 "min_value": "评价年度不正确", "max_value": "评价年度不正确", "max_string_length": "评价年度不正确"}


def _text(label: str, *, required: bool = True, max_length: int | None = None, **kwargs):
    messages = {"required": f"请填写{label}", "blank": f"请填写{label}", "null": f"请填写{label}",
                "invalid": f"{label}须为文字"}
    if max_length:
        messages["max_length"] = f"{label}不能超过{max_length}个字"
    kwargs.setdefault("allow_blank", not required)
    return serializers.CharField(label=label, required=required, max_length=max_length, error_messages=messages,
                                 **kwargs)


# --- the definition --------------------------------------------------------------------------
class OptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ScaleSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    labels = serializers.DictField(child=serializers.CharField(), help_text="分值 → 文字，如 {\"1\": \"很不满意\"}")
    na = serializers.CharField(allow_null=True, help_text="“不适用”选项的文字；null：不提供。回答 \"na\" 即选择它")


class ShowIfSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="前面一道题的编号")
    equals = serializers.CharField(help_text="该题回答为此值（多选：包含此值）时才显示本题")


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    type = serializers.ChoiceField(choices=["single", "multiple", "scale", "number", "text", "long_text", "date"])
    title = serializers.CharField()
    required = serializers.BooleanField()
    options = OptionSerializer(many=True)
    scale = ScaleSerializer(allow_null=True)
    show_if = ShowIfSerializer(allow_null=True)


class SectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    questions = QuestionSerializer(many=True)


class DefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    audience = serializers.ChoiceField(choices=["enterprise_hr", "employee"])
    sections = SectionSerializer(many=True)


# --- companies -------------------------------------------------------------------------------
class CompanySerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()


class EntrySearchSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50,
                              help_text="企业名称的一部分，或完整的统一社会信用代码",
                              error_messages={"max_length": "关键词不能超过50个字"})


class HrCompanyInputSerializer(serializers.Serializer):
    # Blank values reach the service, which names every problem at once.
    uscc = _text("统一社会信用代码", max_length=30, allow_blank=True)
    name = _text("单位全称", max_length=200, allow_blank=True)
    confirm_uscc = serializers.BooleanField(required=False, default=False,
                                            help_text="统一社会信用代码校验位不符但确认无误时为 true")


class HrCompanyDeleteSerializer(serializers.Serializer):
    uscc = _text("统一社会信用代码", max_length=30)
    name = serializers.CharField(required=False, allow_blank=True, help_text="可不填")


# --- responses -------------------------------------------------------------------------------
class RespondentSerializer(serializers.Serializer):
    id_number = _text("身份证号", required=False, max_length=30)
    enterprise_uscc = _text("所在用工单位", required=False, max_length=30,
                            help_text="员工所在用工单位的统一社会信用代码（可不填；填写时被评价单位须在其名单中）")


class ResponseInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, error_messages=YEAR_MESSAGES)
    target_uscc = _text("被评价单位", max_length=30)
    answers = serializers.DictField(child=serializers.JSONField(), help_text="题目编号 → 回答",
                                    error_messages={"not_a_dict": "回答须为对象：{题目编号: 回答}"})
    respondent = RespondentSerializer(required=False, help_text="员工问卷必填 id_number")
    captcha_key = _text("验证码编号", required=False, max_length=100)
    captcha_value = _text("验证码", required=False, max_length=20)


class ResponseCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.FloatField(allow_null=True, help_text="问卷得分（0–100）；没有计分回答时为 null")


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ResponseItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    questionnaire = serializers.CharField(source="questionnaire.key")
    version = serializers.IntegerField(source="version.number")
    year = serializers.IntegerField()
    target_uscc = serializers.CharField(source="target.uscc", allow_null=True)
    target_name = serializers.CharField(source="target.name")
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", allow_null=True, default=None)
    enterprise_name = serializers.CharField(source="enterprise.name", allow_null=True, default=None)
    id_number = serializers.CharField(source="id_number_masked", help_text="员工问卷：身份证号（脱敏）")
    answers = serializers.DictField(child=serializers.JSONField())
    headcount = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="问卷自身得分（原始）")
    corrected_score = serializers.FloatField(allow_null=True, help_text="工作人员更正后的得分；未更正为 null")
    correction_reason = serializers.CharField()
    final_score = serializers.FloatField(allow_null=True, help_text="计入综合得分的得分：有更正取更正值")
    valid = serializers.BooleanField()
    reviewed = serializers.BooleanField()
    review_reason = serializers.CharField()
    flagged = serializers.BooleanField()
    flags = FlagSerializer(many=True)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ResponseFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, error_messages=YEAR_MESSAGES)
    target_uscc = serializers.CharField(required=False, allow_blank=True, max_length=30,
                                        help_text="被评价单位的统一社会信用代码（工作人员）")
    valid = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="有效 / 无效（工作人员）")
    flagged = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="有风险提示（工作人员）")


class ReviewInputSerializer(serializers.Serializer):
    valid = serializers.BooleanField(error_messages={"required": "请选择有效或无效", "invalid": "valid 须为 true 或 false",
                                                     "null": "请选择有效或无效"})
    reason = _text("理由", required=False, max_length=500)


class CorrectInputSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, coerce_to_string=False,
                                     error_messages={"required": "请填写更正后的得分", "invalid": "得分应为0到100之间的数字",
                                                     "min_value": "得分应为0到100之间的数字",
                                                     "max_value": "得分应为0到100之间的数字",
                                                     "max_digits": "得分应为0到100之间的数字",
                                                     "max_decimal_places": "得分最多两位小数",
                                                     "max_whole_digits": "得分应为0到100之间的数字",
                                                     "null": "请填写更正后的得分"})
    reason = _text("理由", max_length=500)


class CompositeQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, error_messages=YEAR_MESSAGES)


class CompositeSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    responses = serializers.IntegerField(help_text="有效答卷数")
    score = serializers.FloatField(allow_null=True, help_text="按问卷设置的汇总方式计算的综合得分")
