"""Kuaiban API shapes: case list items, case detail with timeline, the
registration body, the list filters and one request body per workflow action.

Serializers only shape and describe (OpenAPI); every rule lives in the
services: registration is checked by ``services.registration``, action inputs
by ``action_forms`` inside ``services.transitions.perform``. The test suite
checks that each action's request serializer lists exactly its form's fields.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhonglou_hrss.core import pii
from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.workflow import ACTION_LABELS


# --- small pieces ------------------------------------------------------------------------
class PIIValueField(serializers.CharField):
    """A personal-data value: in full only when the serializer's context says
    ``full_pii`` (the caller holds core.view_pii and the view audit-logs it),
    masked otherwise (``320404********123X`` / ``138****5678``)."""

    def __init__(self, kind: str, **kwargs):
        self.pii_kind = kind
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = value or ""
        return value if self.context.get("full_pii") else pii.mask(self.pii_kind, value)


class GridRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="网格编码")
    name = serializers.CharField(help_text="网格名称")


class LookupRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="用户名")
    name = serializers.CharField(source="display_name", help_text="姓名")


class AllowedActionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="操作名，即 POST /api/v1/kuaiban/cases/{id}/{name}/")
    label = serializers.CharField(help_text="按钮文字")
    confirm = serializers.CharField(help_text="提交前应向用户确认的提示语（可为空）")


class CaseEventSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="操作名（register 为登记）")
    action_label = serializers.SerializerMethodField(help_text="操作中文名")
    from_status = serializers.CharField(help_text="原状态（登记时为空）")
    from_status_label = serializers.SerializerMethodField()
    to_status = serializers.CharField(help_text="新状态")
    to_status_label = serializers.SerializerMethodField()
    actor_name = serializers.CharField(help_text="操作人姓名（群众登记为“群众”）")
    at = serializers.DateTimeField(help_text="时间")
    payload = serializers.DictField(help_text="录入的内容（不含明文个人信息）")

    def get_action_label(self, event) -> str:
        return ACTION_LABELS.get(event.action, event.action)

    @staticmethod
    def _status_label(value) -> str:
        return CaseStatus(value).label if value in CaseStatus.values else (value or "")

    def get_from_status_label(self, event) -> str:
        return self._status_label(event.from_status)

    def get_to_status_label(self, event) -> str:
        return self._status_label(event.to_status)


class CompanionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="姓名")
    id_number = PIIValueField(pii.ID_CARD, help_text="身份证号（无查看完整个人信息权限时脱敏）")
    phone = PIIValueField(pii.MOBILE, help_text="手机号（可为空；无权限时脱敏）")


# --- list and detail ----------------------------------------------------------------------
class CaseListItemSerializer(serializers.Serializer):
    """One row of the case list. Personal data is always masked here."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="事件编号，如 KB2026-000123")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    grid = GridRefSerializer(help_text="当前所属网格")
    reason = LookupRefSerializer(help_text="案由")
    respondent_name = serializers.CharField(help_text="对方单位")
    reporter_name = serializers.CharField(help_text="上报人姓名")
    reporter_id_number = PIIValueField(pii.ID_CARD, help_text="上报人身份证号（列表中一律脱敏）")
    reporter_phone = PIIValueField(pii.MOBILE, help_text="上报人手机号（列表中一律脱敏）")
    is_overdue = serializers.BooleanField(help_text="超时：网格接收后超过规定天数仍未办结")
    created_at = serializers.DateTimeField(help_text="登记时间")
    grid_accepted_at = serializers.DateTimeField(allow_null=True, help_text="当前网格的接收时间")


class CaseDetailSerializer(CaseListItemSerializer):
    """The whole case, its timeline (newest first) and what the caller may do now."""

    source = serializers.ChoiceField(choices=CaseSource.choices, help_text="登记方式")
    source_label = serializers.CharField(source="get_source_display")
    channel = LookupRefSerializer(help_text="来源渠道")
    reporter_id_number = PIIValueField(pii.ID_CARD, help_text="上报人身份证号（有查看完整个人信息权限时为完整值，并记入审计日志）")
    reporter_phone = PIIValueField(pii.MOBILE, help_text="上报人手机号（同上）")
    has_photo = serializers.SerializerMethodField(help_text="是否有上报人照片")
    companions = CompanionSerializer(many=True, source="companions.all", help_text="同行人员")
    respondent_uscc = serializers.CharField(help_text="对方单位统一社会信用代码（可为空）")
    demand = serializers.CharField(help_text="具体诉求")
    attributed_grid = GridRefSerializer(allow_null=True, help_text="归属网格（统计用，处理时填写）")
    inspector = serializers.SerializerMethodField(help_text="当前指派的监察员（无则为 null）")
    claimed_at = serializers.SerializerMethodField(help_text="当前指派的认领时间")
    filed_at = serializers.DateTimeField(allow_null=True, help_text="立案时间")
    investigated_at = serializers.DateTimeField(allow_null=True, help_text="调查时间")
    handled_at = serializers.DateTimeField(allow_null=True, help_text="处理时间")
    handling_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                               help_text="处理金额（元）")
    handling_notes = serializers.CharField(help_text="处理结果")
    penalty_required = serializers.BooleanField(help_text="需要处罚")
    penalty_decided_at = serializers.DateTimeField(allow_null=True, help_text="处罚决定时间")
    executed_at = serializers.DateTimeField(allow_null=True, help_text="执行时间（企业自行履行）")
    enforcement_applied_at = serializers.DateTimeField(allow_null=True, help_text="申请强制执行时间")
    closed_at = serializers.DateTimeField(allow_null=True, help_text="办结 / 正常结束时间")
    ended_reason = serializers.CharField(help_text="正常结束（无效事件）的原因")
    registered_by = serializers.SerializerMethodField(help_text="登记人姓名（群众登记为空）")
    updated_at = serializers.DateTimeField()
    timeline = CaseEventSerializer(many=True, source="timeline_events", help_text="事件记录，最新的在前")
    allowed_actions = AllowedActionSerializer(many=True, source="caller_actions",
                                              help_text="调用者此刻可以执行的操作")

    def get_has_photo(self, case) -> bool:
        return bool(case.reporter_photo)

    def _assignment(self, case):
        try:
            return case.open_assignment
        except type(case).open_assignment.RelatedObjectDoesNotExist:
            return None

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_inspector(self, case):
        assignment = self._assignment(case)
        return UserRefSerializer(assignment.inspector).data if assignment else None

    def get_claimed_at(self, case) -> dt.datetime | None:
        assignment = self._assignment(case)
        return assignment.claimed_at if assignment else None

    def get_registered_by(self, case) -> str:
        user = case.registered_by
        return (getattr(user, "display_name", "") or user.get_username()) if user else ""


class CaseHiddenSerializer(serializers.Serializer):
    """Answer to an action after which the caller no longer sees the case
    (a grid's return, an inspector's return to the leader)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    visible = serializers.BooleanField(default=False, help_text="始终为 false：此后您不能再查看该事件")
    detail = serializers.CharField(default="操作成功。该事件已移交，您此后不能再查看")


# --- list filters -----------------------------------------------------------------------
@extend_schema_field(OpenApiTypes.STR)
class DateOrDateTimeField(serializers.Field):
    """``2026-03-01`` or an ISO datetime (with or without offset; local time if none)."""

    default_error_messages = {"invalid": "日期格式不正确，例如 2026-03-01 或 2026-03-01T08:00:00+08:00"}

    def __init__(self, *, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        text = str(value).strip()
        try:
            day = parse_date(text)  # first: parse_datetime also reads a bare date (as midnight)
            parsed = None if day else parse_datetime(text)
        except ValueError:
            day = parsed = None
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        if day is None:
            self.fail("invalid")
        if self.end_of_day:  # "created before 3 March" includes 3 March
            day += dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def to_representation(self, value):
        return value.isoformat()


def YearField(**kwargs):  # noqa: N802 — a field factory, used like a field class
    """A four-digit year with Chinese messages (filters and the statistics API)."""
    message = "年份须为 2000 至 2100 之间的四位数字，如 2026"
    return serializers.IntegerField(min_value=2000, max_value=2100, error_messages={
        "invalid": message, "min_value": message, "max_value": message, "max_string_length": message,
        "null": message, "required": "请填写年份"}, **kwargs)


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.CharField(required=False, allow_blank=True,
                                   help_text="状态，多个用逗号分隔，如 grid_pending,grid_handling")
    grid = serializers.CharField(required=False, allow_blank=True, help_text="网格编码")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="true 只看超时，false 只看未超时")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="案由编码")
    created_after = DateOrDateTimeField(required=False, help_text="登记时间不早于（日期或 ISO 时间）")
    created_before = DateOrDateTimeField(required=False, end_of_day=True,
                                         help_text="登记时间早于（ISO 时间）；只给日期时含当天")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text="关键词：编号、姓名、对方单位；完整身份证号、手机号或统一社会信用代码精确匹配")
    stat_grid = serializers.CharField(required=False, allow_blank=True,
                                      help_text="统计网格编码：有归属网格时按归属网格，否则按所属网格；网格员只含该网格经手"
                                                "（派到该网格且未以非本网格为由退回）的事件（与一张图、数据分析的口径相同）")
    year = YearField(required=False, help_text="登记年份（北京时间），如 2026")

    def validate_status(self, value):
        statuses = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in CaseStatus.values]
        if unknown:
            raise serializers.ValidationError(f"状态不存在：{'、'.join(unknown)}")
        return statuses


# --- registration -----------------------------------------------------------------------
def _text(help_text, required=True):
    return serializers.CharField(required=required, allow_blank=True, allow_null=True, help_text=help_text)


class CompanionInputSerializer(serializers.Serializer):
    name = _text("姓名")
    id_number = _text("身份证号")
    phone = _text("手机号（可不填）", required=False)


class CaseRegistrationSerializer(serializers.Serializer):
    """Internal registration (R-KB-02). Read with ``partial=True``: this layer
    only checks types; what is missing or wrong is named by the service."""

    reporter_name = _text("上报人姓名")
    reporter_id_number = _text("上报人身份证号（18位）")
    reporter_phone = _text("上报人手机号")
    companions = CompanionInputSerializer(many=True, required=False, help_text="同行人员，可为空列表")
    respondent_name = _text("对方单位名称")
    respondent_uscc = _text("对方单位统一社会信用代码（可不填）", required=False)
    respondent_uscc_confirmed = serializers.BooleanField(
        required=False, default=False, help_text="代码校验位不符但确认无误时为 true")
    reason = _text("案由编码（GET /api/v1/lookups/case_reasons/）")
    grid = _text("网格编码（GET /api/v1/lookups/grids/）；可为区本级，直接转领导指派")
    demand = _text("具体诉求")
    channel = _text("来源渠道编码（GET /api/v1/lookups/channels/）")


# --- action bodies (times: optional ISO datetimes, default now) --------------------------
def _time(help_text="时间（ISO 8601，可不填，默认为当前时间；不能晚于现在）"):
    return serializers.DateTimeField(required=False, allow_null=True, help_text=help_text)


def _amount(help_text):
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, help_text=help_text)


class EmptyActionSerializer(serializers.Serializer):
    """No input."""


class GridResolveSerializer(serializers.Serializer):
    resolution_way = serializers.CharField(help_text="成功方式编码（GET /api/v1/lookups/resolution_ways/）")
    amount = _amount("金额（元）")
    notes = serializers.CharField(required=False, allow_blank=True, help_text="备注")


class GridFailSerializer(serializers.Serializer):
    notes = serializers.CharField(help_text="调解失败情况")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="理由")


class RegridSerializer(serializers.Serializer):
    grid = serializers.CharField(help_text="新网格编码（街道/镇网格）")


class AssignSerializer(serializers.Serializer):
    inspector = serializers.CharField(help_text="监察员的用户名；认领前领导可改派")


class AtSerializer(serializers.Serializer):
    at = _time()


class HandlingSerializer(serializers.Serializer):
    at = _time("处理时间（可不填，默认为当前时间）")
    amount = _amount("处理金额（元）")
    notes = serializers.CharField(help_text="处理结果")
    respondent_uscc = serializers.CharField(required=False, allow_blank=True,
                                            help_text="对方单位统一社会信用代码；事件尚未登记代码时必填")
    respondent_uscc_confirmed = serializers.BooleanField(required=False, help_text="代码校验位不符但确认无误时为 true")
    attributed_grid = serializers.CharField(help_text="归属网格编码（统计用）")
    penalty_required = serializers.BooleanField(required=False,
                                                help_text="需要处罚：须先记录处罚决定时间才能办结")


class ExecutionSerializer(serializers.Serializer):
    executed_at = _time("执行时间（企业自行履行）；与 enforcement_applied_at 二选一")
    enforcement_applied_at = _time("申请强制执行时间；与 executed_at 二选一")


ACTION_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "grid_accept": EmptyActionSerializer,
    "grid_resolve": GridResolveSerializer,
    "grid_fail": GridFailSerializer,
    "grid_return": ReasonSerializer,
    "triage_invalid": ReasonSerializer,
    "triage_regrid": RegridSerializer,
    "triage_escalate": EmptyActionSerializer,
    "assign": AssignSerializer,
    "claim": EmptyActionSerializer,
    "return_to_leader": ReasonSerializer,
    "record_filing": AtSerializer,
    "record_investigation": AtSerializer,
    "record_handling": HandlingSerializer,
    "record_penalty_decision": AtSerializer,
    "close": EmptyActionSerializer,
    "record_execution": ExecutionSerializer,
}
