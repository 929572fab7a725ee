"""Custom fields in the desk's lists (issue 17): a column per field (its value
as people read it; a personal one masked, as lists always are) and a filter
per choice or yes/no field, through ``core.custom_fields``' index. Any app's
list admin adds them in ``get_list_display`` / ``get_list_filter``."""

from __future__ import annotations

from django.contrib import admin

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.models import CustomFieldType as T

PREFIX = "custom."


def columns(object_key: str, user) -> dict[str, str]:
    """``{"custom.<code>": label}`` of the fields this user may see: a column chooser's extra entries."""
    return {PREFIX + f.code: f.label for f in custom_fields.visible(object_key, user)}


def column(object_key: str, code: str, user):
    """The list column of one field, or None when the user may not see it (or it was retired)."""
    field = next((f for f in custom_fields.visible(object_key, user) if f.code == code), None)
    if field is None:
        return None

    @admin.display(description=field.label)
    def show(obj):
        values = custom_fields.read_values(getattr(obj, "custom", None), [field], full=False)
        return custom_fields.labels(object_key, values, [field]).get(code, "")

    show.__name__ = f"custom_{code}"
    return show


def list_filters(object_key: str, user) -> list[type[admin.SimpleListFilter]]:
    """One sidebar filter per choice, several-choice or yes/no field the user may see."""
    out = []
    for field in custom_fields.visible(object_key, user):
        if field.personal or field.type not in (T.CHOICE, T.MULTI_CHOICE, T.BOOLEAN):
            continue
        options = ([("true", "是"), ("false", "否")] if field.type == T.BOOLEAN
                   else list(custom_fields.choices_of(field).items()))

        class Filter(admin.SimpleListFilter):
            title = field.label
            parameter_name = PREFIX + field.code
            _options, _object = options, object_key

            def lookups(self, request, model_admin):
                return self._options

            def queryset(self, request, queryset):
                if not self.value():
                    return queryset
                return custom_fields.filter_queryset(queryset, self._object, {self.parameter_name: self.value()},
                                                     user=request.user)

        out.append(Filter)
    return out
