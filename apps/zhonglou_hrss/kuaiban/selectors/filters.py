"""The list filters of cases and petitions — one definition for the desk
list, the API (``?status=…&grid=…``, documented in OpenAPI from these
serializers) and the exports (which store the filters by these names and
re-read them when the job runs).

The desk list (unfold changelist) names some filters its own way
(``grid__id__exact``, ``created_at_from`` …); ``from_desk`` translates them, so
its "导出当前列表" button exports exactly the list on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhonglou_hrss.core.display import when
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.kuaiban.models import CaseStatus
from zhonglou_hrss.kuaiban.rules import YEAR_MAX, YEAR_MESSAGE, YEAR_MIN


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
    message = YEAR_MESSAGE
    return serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, error_messages={
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


class PetitionFilterSerializer(serializers.Serializer):
    grid = serializers.CharField(required=False, allow_blank=True, help_text="网格编码（区本级为 320404）")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="案由编码")
    completed = serializers.BooleanField(required=False, allow_null=True, default=None,
                                         help_text="true 只看已办结，false 只看未办结")
    created_after = DateOrDateTimeField(required=False, help_text="录入时间不早于（日期或 ISO 时间）")
    created_before = DateOrDateTimeField(required=False, end_of_day=True,
                                         help_text="录入时间早于（ISO 时间）；只给日期时含当天")
    handled_after = DateOrDateTimeField(required=False, help_text="处置时间不早于（日期或 ISO 时间）")
    handled_before = DateOrDateTimeField(required=False, end_of_day=True,
                                         help_text="处置时间早于（ISO 时间）；只给日期时含当天")
    respondent = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                       help_text="对方单位名称（包含即可）")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100,
                              help_text="关键词：姓名、同行人员姓名、对方单位、诉求、处置结果；完整身份证号、电话或"
                                        "统一社会信用代码精确匹配")



# --- raw parameters ---------------------------------------------------------------------------
def values(raw: Mapping, name: str) -> list[str]:
    """The non-blank values of a query or body field, stripped (a QueryDict's
    repeated ``?status=a&status=b`` and a JSON list alike)."""
    if hasattr(raw, "getlist"):
        found = raw.getlist(name)
    else:
        value = raw.get(name)
        found = value if isinstance(value, (list, tuple)) else [value]
    return [str(v).strip() for v in found if v not in (None, "") and str(v).strip()]


def last_value(raw: Mapping, name: str) -> str:
    found = values(raw, name)
    return found[-1] if found else ""


# --- the desk list's names -----------------------------------------------------------------
# The desk's date ranges are whole local days (core.admin.filters.LocalDateRangeFilter).
CASE_DESK_DATES = {"created_at_from": "created_after", "created_at_to": "created_before",
                   "closed_at_from": "closed_after", "closed_at_to": "closed_before"}
PETITION_DESK_DATES = {"created_at_from": "created_after", "created_at_to": "created_before",
                       "handled_at_from": "handled_after", "handled_at_to": "handled_before"}


def from_desk(raw: Mapping, *, dates: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The desk list's query names → the API's filter names: grid and reason
    by id → by code, the date pickers' dates → ISO dates (a bare "before" date
    includes that day, as on the desk), ``status__exact`` → ``status``.
    Returns (filters, errors by filter name)."""
    from unfold.utils import parse_date_str

    out: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for param, name, rows, message in (
        ("grid__id__exact", "grid", Grid.objects.all(), "网格不存在"),
        ("reason__id__exact", "reason", LookupEntry.objects.of(LookupKind.CASE_REASON), "案由不存在"),
    ):
        value = last_value(raw, param)
        if value:
            code = rows.filter(pk=value).values_list("code", flat=True).first() if value.isdigit() else None
            if code is None:
                errors[name] = [message]
            else:
                out[name] = code
    for param, name in dates.items():
        value = last_value(raw, param)
        if value:
            day = parse_date_str(value)
            if day is None:
                errors[name] = [f"日期格式不正确，应为 2026-11-29（收到：{value}）"]
            else:
                out[name] = day.isoformat()
    statuses = values(raw, "status__exact")
    if statuses:
        out["status"] = ",".join(statuses)
    return out, errors


def shown_value(name: str, value: str) -> str:
    """A stored filter value as people read it (the exports' 筛选条件): a grid
    by its name and a reason by its label, never their codes (issue 11 item 10);
    a datetime as 2026-03-01 08:00. Anything else as it is."""
    if name in ("grid", "stat_grid"):
        return Grid.objects.filter(code=value).values_list("name", flat=True).first() or value
    if name == "reason":
        return (LookupEntry.objects.of(LookupKind.CASE_REASON).filter(code=value)
                .values_list("label", flat=True).first() or value)
    if name.endswith(("_after", "_before")) and "T" in value:
        try:
            return when(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value
