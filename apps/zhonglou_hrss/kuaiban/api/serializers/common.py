"""Pieces the kuaiban API shapes share (cases and petitions read and write
them the same way): personal-data values, grid / lookup / user references,
companions and the text fields of request bodies. The list filters' fields
(dates, years) are the filters' own: ``selectors.filters``."""

from __future__ import annotations

from rest_framework import serializers

from zhonglou_hrss.core import pii


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


class CompanionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="姓名")
    id_number = PIIValueField(pii.ID_CARD, help_text="身份证号（无查看完整个人信息权限时脱敏）")
    phone = PIIValueField(pii.MOBILE, help_text="手机号（可为空；无权限时脱敏）")


def text_field(help_text, required=True):
    return serializers.CharField(required=required, allow_blank=True, allow_null=True, help_text=help_text)


class CompanionInputSerializer(serializers.Serializer):
    name = text_field("姓名")
    id_number = text_field("身份证号")
    phone = text_field("手机号（可不填）", required=False)
