"""Custom fields in the desk's lists (issue 17): a column per field (its value
as people read it; a personal one masked, as lists always are) and sidebar
filters through ``core.custom_fields``' index — a choice per choice, several-
choice or yes/no field, a min–max range per integer, decimal or date field.

Every list of an object with custom fields uses ``CustomFieldListMixin``
(``custom_object = "<key>"``): the filters the user may use, and as columns
the fields marked 在列表中显示. A list with its own column chooser (the case
list) offers every visible field in the chooser instead, through ``columns``
and ``column``."""

from __future__ import annotations

from django.contrib import admin, messages
from unfold.contrib.filters.admin import RangeNumericListFilter
from unfold.contrib.filters.forms import RangeDateForm
from unfold.utils import parse_date_str

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import CustomFieldType as T

PREFIX = "custom."
RANGE_TYPES = (T.NUMBER, T.DECIMAL, T.DATE)


def columns(object_key: str, user) -> dict[str, str]:
    """``{"custom.<code>": label}`` of the fields this user may see: a column chooser's extra entries."""
    return {PREFIX + f.code: f.label for f in custom_fields.visible(object_key, user)}


def _column_of(object_key: str, field):
    @admin.display(description=field.label)
    def show(obj):
        values = custom_fields.read_values(getattr(obj, "custom", None), [field], full=False)
        # None when empty: the list's own mark for an empty cell ("-"), as its other columns show it.
        return custom_fields.labels(object_key, values, [field]).get(field.code) or None

    show.__name__ = f"custom_{field.code}"
    return show


def column(object_key: str, code: str, user):
    """The list column of one field, or None when the user may not see it (or it was retired)."""
    field = next((f for f in custom_fields.visible(object_key, user) if f.code == code), None)
    return None if field is None else _column_of(object_key, field)


def list_columns(object_key: str, user) -> list:
    """The columns of the fields marked 在列表中显示 that this user may see, in the fields' order."""
    return [_column_of(object_key, f) for f in custom_fields.visible(object_key, user) if f.list_column]


def _narrowed(request, queryset, object_key: str, params: dict):
    """``queryset`` through the engine's filter; a bad value says why in Chinese and matches nothing."""
    try:
        return custom_fields.filter_queryset(queryset, object_key, params, user=request.user)
    except InvalidInput as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, f"筛选条件有误：{problem}")
        return queryset.none()


def _choice_filter(object_key: str, field) -> type[admin.SimpleListFilter]:
    options = ([("true", "是"), ("false", "否")] if field.type == T.BOOLEAN
               else list(custom_fields.choices_of(field).items()))

    class Filter(admin.SimpleListFilter):
        title = field.label
        parameter_name = PREFIX + field.code

        def lookups(self, request, model_admin):
            return options

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            return _narrowed(request, queryset, object_key, {self.parameter_name: self.value()})

    return Filter


class _CustomRange:
    """``<param>_from`` / ``<param>_to`` of the sidebar's range inputs (unfold's names) read as the
    engine's inclusive ``custom.<code>__min`` / ``__max``."""

    object_key = ""

    def bound(self, value: str) -> str:
        return value

    def queryset(self, request, queryset):
        params = {}
        for side, bound in (("_from", "__min"), ("_to", "__max")):
            value = self.used_parameters.get(self.parameter_name + side)
            if value not in (None, ""):
                params[self.parameter_name + bound] = self.bound(str(value).strip())
        return _narrowed(request, queryset, self.object_key, params) if params else queryset


def _number_range_filter(object_key: str, field) -> type[admin.SimpleListFilter]:
    class Filter(_CustomRange, RangeNumericListFilter):
        title = field.label
        parameter_name = PREFIX + field.code

    Filter.object_key = object_key
    return Filter


class _DateRangeListFilter(_CustomRange, admin.SimpleListFilter):
    """Unfold's date range (its inputs and calendar) for a value that is not a model field:
    unfold's RangeDateFilter needs one."""

    template = "unfold/filters/filters_date_range.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.request = request
        for name in self.expected_parameters():
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value

    def bound(self, value: str) -> str:
        # The calendar writes the site's input format; the engine reads ISO dates.
        day = parse_date_str(value)
        return day.isoformat() if day else value

    def lookups(self, request, model_admin):
        return (("range", "range"),)  # shown whatever the data: the inputs are the filter

    def expected_parameters(self):
        return [f"{self.parameter_name}_from", f"{self.parameter_name}_to"]

    def choices(self, changelist):
        yield {"request": self.request, "parameter_name": self.parameter_name,
               "form": RangeDateForm(name=self.parameter_name,
                                     data={n: self.used_parameters.get(n) for n in self.expected_parameters()})}


def _date_range_filter(object_key: str, field) -> type[admin.SimpleListFilter]:
    class Filter(_DateRangeListFilter):
        title = field.label
        parameter_name = PREFIX + field.code

    Filter.object_key = object_key
    return Filter


def list_filters(object_key: str, user) -> list[type[admin.SimpleListFilter]]:
    """The sidebar filters of the fields this user may see: a choice per choice, several-choice or
    yes/no field, a range per integer, decimal or date field. Personal values are not indexed
    (they are stored encrypted): no filter on them."""
    out = []
    for field in custom_fields.visible(object_key, user):
        if field.personal:
            continue
        if field.type in (T.CHOICE, T.MULTI_CHOICE, T.BOOLEAN):
            out.append(_choice_filter(object_key, field))
        elif field.type in (T.NUMBER, T.DECIMAL):
            out.append(_number_range_filter(object_key, field))
        elif field.type == T.DATE:
            out.append(_date_range_filter(object_key, field))
    return out


class CustomFieldListMixin:
    """A desk list of an object with custom fields: put before the ModelAdmin base and set
    ``custom_object``. Adds the sidebar filters the user may use and, after the list's own
    columns, the fields marked 在列表中显示 (a list with its own column chooser overrides
    ``custom_list_columns``)."""

    custom_object: str = ""

    def custom_list_columns(self, request) -> list:
        return list_columns(self.custom_object, request.user)

    def get_list_display(self, request):
        return (*super().get_list_display(request), *self.custom_list_columns(request))

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), *list_filters(self.custom_object, request.user))
