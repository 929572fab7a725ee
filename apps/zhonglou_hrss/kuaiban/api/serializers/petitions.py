"""Petition (信访, R-KB-15) API shapes: list items, the detail with history,
the list filters and the request body.

Serializers only shape and describe (OpenAPI); every rule lives in
``services.petitions.save_petition``. The small pieces (personal-data values,
grid and lookup references, companions, dates) are the case API's, so both
APIs read and write them the same way.
"""

from __future__ import annotations

from rest_framework import serializers

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.api_fields import CustomValuesField
from zhonglou_hrss.kuaiban.api.serializers.common import (
    CompanionInputSerializer,
    CompanionSerializer,
    GridRefSerializer,
    LookupRefSerializer,
    PIIValueField,
)
from zhonglou_hrss.kuaiban.api.serializers.common import text_field as _text

ACTION_LABELS = {"create": "录入", "update": "修改"}


class PetitionEventSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="操作名：create 录入，update 修改")
    action_label = serializers.SerializerMethodField(help_text="操作中文名")
    actor_name = serializers.CharField(help_text="操作人姓名")
    at = serializers.DateTimeField(help_text="时间")
    changes = serializers.DictField(
        help_text="录入时 {\"fields\": [填写的字段]}；修改时 {字段中文名: {\"from\", \"to\"}}。"
                  "身份证号、电话只记“已修改”，不含明文")

    def get_action_label(self, event) -> str:
        return ACTION_LABELS.get(event.action, event.action)


class PetitionListItemSerializer(serializers.Serializer):
    """One row of the petition list. Personal data is always masked here."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="信访编号，如 XF2026-000024（按年编号，与事件编号 KB2026-000123 同一格式）")
    name = serializers.CharField(help_text="信访人姓名")
    id_number = PIIValueField(pii.ID_CARD, help_text="身份证号（列表中一律脱敏）")
    phone = PIIValueField(pii.MOBILE, help_text="联系电话（列表中一律脱敏）")
    respondent_name = serializers.CharField(help_text="对方单位")
    reason = LookupRefSerializer(help_text="案由")
    grid = GridRefSerializer(help_text="所属网格（可为区本级）")
    is_completed = serializers.BooleanField(help_text="已办结：已填写处置结果和处置时间")
    custom = CustomValuesField()
    created_at = serializers.DateTimeField(help_text="录入时间")
    handled_at = serializers.DateTimeField(allow_null=True, help_text="处置时间")


class PetitionDetailSerializer(PetitionListItemSerializer):
    """The whole petition, its companions and its history (newest first)."""

    id_number = PIIValueField(pii.ID_CARD, help_text="身份证号（有查看完整个人信息权限时为完整值，并记入审计日志）")
    phone = PIIValueField(pii.MOBILE, help_text="联系电话（同上）")
    companions = CompanionSerializer(many=True, source="companions.all", help_text="同行人员")
    respondent_uscc = serializers.CharField(help_text="对方单位统一社会信用代码（可为空）")
    demand = serializers.CharField(help_text="具体诉求")
    result = serializers.CharField(help_text="处置结果（未办结时为空）")
    registered_by = serializers.SerializerMethodField(help_text="录入人姓名")
    updated_at = serializers.DateTimeField(help_text="最后修改时间")
    history = PetitionEventSerializer(many=True, source="history_events", help_text="变更记录，最新的在前")

    def get_registered_by(self, petition) -> str:
        user = petition.registered_by
        return (getattr(user, "display_name", "") or user.get_username()) if user else ""


class PetitionInputSerializer(serializers.Serializer):
    """Create (POST) and change (PUT: the whole record; PATCH: only the fields
    sent, the rest kept). Read with ``partial=True``: this layer only checks
    types; what is missing or wrong is named by the service."""

    name = _text("信访人姓名")
    id_number = _text("身份证号（18位）")
    phone = _text("联系电话（手机号）")
    companions = CompanionInputSerializer(many=True, required=False, help_text="同行人员，可为空列表")
    respondent_name = _text("对方单位名称")
    respondent_uscc = _text("对方单位统一社会信用代码（可不填）", required=False)
    respondent_uscc_confirmed = serializers.BooleanField(
        required=False, default=False, help_text="代码校验位不符但确认无误时为 true")
    custom = serializers.DictField(required=False, help_text="自定义字段 {字段代码: 值}；错误在 errors[\"custom.字段代码\"]；"
                                                              "PATCH 时只改所给的代码")
    reason = _text("案由编码（GET /api/v1/lookups/case_reasons/）")
    grid = _text("网格编码（GET /api/v1/lookups/grids/）；可为区本级 320404")
    demand = _text("具体诉求")
    result = _text("处置结果（与处置时间同时填写后即为已办结；未处置时为空）", required=False)
    handled_at = serializers.DateTimeField(required=False, allow_null=True,
                                           help_text="处置时间（ISO 8601，不能晚于现在；未处置时为 null）")
