"""API fields every app's serializers share: the custom fields' values (issue 17)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhonglou_hrss.core import custom_fields


@extend_schema_field({"type": "object", "additionalProperties": True})
class CustomValuesField(serializers.Field):
    """``{code: value}`` of the object's custom fields the caller may see (core.custom_fields):
    the definitions come from the context (read once per request); personal values in full
    only where the context says they were disclosed (``full_pii``), else masked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "自定义字段 {字段代码: 值}（GET /api/v1/platform/fields/?object=… 给出定义）")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        shown = self.context.get("custom_fields") or []
        return custom_fields.read_values(getattr(obj, "custom", None), shown,
                                         full=bool(self.context.get("full_pii")))
