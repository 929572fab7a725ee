"""Kuaiban API shapes: case list items, case detail with timeline, the
registration body, the list filters and one request body per workflow action.

Serializers only shape and describe (OpenAPI); every rule lives in the
services: registration is checked by ``services.registration``, action inputs
by ``services.action_inputs`` inside ``services.transitions.perform``. The test suite
checks that each action's request serializer lists exactly its form's fields.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.api_fields import ChoiceLabelField, CustomValuesField
from zhonglou_hrss.kuaiban.api.serializers.common import (
    CompanionInputSerializer,
    CompanionSerializer,
    GridRefSerializer,
    LookupRefSerializer,
    PIIValueField,
    UserRefSerializer,
)
from zhonglou_hrss.kuaiban.api.serializers.common import text_field as _text
from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.workflow import ACTION_LABELS


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


# --- list and detail ----------------------------------------------------------------------
class CaseListItemSerializer(serializers.Serializer):
    """One row of the case list. Personal data is always masked here."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="事件编号，如 KB2026-000123")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = ChoiceLabelField("status")
    grid = GridRefSerializer(help_text="当前所属网格")
    reason = LookupRefSerializer(help_text="案由")
    respondent_name = serializers.CharField(help_text="对方单位")
    reporter_name = serializers.CharField(help_text="上报人姓名")
    reporter_id_number = PIIValueField(pii.ID_CARD, help_text="上报人身份证号（列表中一律脱敏）")
    reporter_phone = PIIValueField(pii.MOBILE, help_text="上报人手机号（列表中一律脱敏）")
    is_overdue = serializers.BooleanField(help_text="超时：网格接收后超过规定天数仍未办结")
    custom = CustomValuesField()
    created_at = serializers.DateTimeField(help_text="登记时间")
    grid_accepted_at = serializers.DateTimeField(
        allow_null=True, help_text="当前网格的接收时间：只在网格处置中（计算超时用）有值，网格调解成功、失败或退回后为 null；"
                                   "要显示网格何时接收过，请用 last_grid_accepted_at")
    last_grid_accepted_at = serializers.DateTimeField(
        allow_null=True, default=None,
        help_text="网格最近一次接收的时间，网格处置结束后仍保留（与工作台列表的“网格接收”和导出的“网格接收时间”一致）；"
                  "从未被网格接收时为 null")


class CaseDetailSerializer(CaseListItemSerializer):
    """The whole case, its timeline (newest first) and what the caller may do now."""

    source = serializers.ChoiceField(choices=CaseSource.choices, help_text="登记方式")
    source_label = ChoiceLabelField("source")
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
    status_label = ChoiceLabelField("status")
    visible = serializers.BooleanField(default=False, help_text="始终为 false：此后您不能再查看该事件")
    detail = serializers.CharField(default="操作成功。该事件已移交，您此后不能再查看")


# --- registration -----------------------------------------------------------------------
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
    custom = serializers.DictField(required=False, help_text="自定义字段 {字段代码: 值}；错误在 errors[\"custom.字段代码\"]")
    reason = _text("案由编码（GET /api/v1/lookups/case_reasons/）")
    grid = _text("网格编码（GET /api/v1/lookups/grids/）；可为区本级，直接转领导指派")
    demand = _text("具体诉求")
    channel = _text("来源渠道编码（GET /api/v1/lookups/channels/）；不能为 qr_public（群众扫码登记，只用于群众自行登记）")


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


class ReassignSerializer(AssignSerializer):
    inspector = serializers.CharField(help_text="新监察员的用户名（已认领的事件改派）")
    reason = serializers.CharField(help_text="改派理由（如病假、回避）")


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
    "reassign": ReassignSerializer,
    "claim": EmptyActionSerializer,
    "return_to_leader": ReasonSerializer,
    "record_filing": AtSerializer,
    "record_investigation": AtSerializer,
    "record_handling": HandlingSerializer,
    "record_penalty_decision": AtSerializer,
    "close": EmptyActionSerializer,
    "record_execution": ExecutionSerializer,
}
