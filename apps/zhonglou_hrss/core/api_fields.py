"""API fields every app's serializers share: the custom fields' values (issue 17) and
a choice's label."""

from __future__ import annotations

from functools import cache

from django.utils.encoding import force_str
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


class ChoiceLabelField(serializers.CharField):
    """The label of a model field's choice (``status_label`` …): what Django's
    ``get_<field>_display`` gives, read from the field's choices once per model. Through
    ``source="get_status_display"`` DRF inspected that method's signature on every row it
    wrote (issue 19: about 0.1 ms a row, 2 ms of a case list's page)."""

    def __init__(self, field: str, **kwargs):
        self.choice_field = field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.choice_field)
        return force_str(_labels(type(instance), self.choice_field).get(value, value), strings_only=True)


@cache
def _labels(model, field: str) -> dict:
    return dict(model._meta.get_field(field).flatchoices)
