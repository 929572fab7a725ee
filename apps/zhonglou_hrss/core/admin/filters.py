"""Desk list filters shared by the apps."""

from __future__ import annotations

import datetime as dt

from django.core.validators import EMPTY_VALUES
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.utils import parse_date_str

from zhonglou_hrss.core.clock import local_day_start


class LocalDateRangeFilter(RangeDateFilter):
    """A date range on a datetime field, by whole local (Asia/Shanghai) days:
    "from 11-01 to 11-29" includes all of the 29th."""

    def queryset(self, request, queryset):
        filters = {}
        value_from = self.used_parameters.get(f"{self.parameter_name}_from")
        value_to = self.used_parameters.get(f"{self.parameter_name}_to")
        try:
            if value_from not in EMPTY_VALUES and isinstance(value_from, str):
                filters[f"{self.parameter_name}__gte"] = local_day_start(parse_date_str(value_from))
            if value_to not in EMPTY_VALUES and isinstance(value_to, str):
                filters[f"{self.parameter_name}__lt"] = local_day_start(parse_date_str(value_to) + dt.timedelta(days=1))
        except (TypeError, ValueError):
            return None
        return queryset.filter(**filters)
