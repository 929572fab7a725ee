"""Statistics API, mounted at ``/api/v1/kuaiban/stats/`` (R-KB-18, R-KB-19).

- ``GET map/?year=YYYY``       the one map: per grid received / completed /
  petitions / petitions completed, with the grid's center point, and the totals
- ``GET analysis/?year=YYYY``  per grid per year, the year by month, the
  ranking and the cases overdue now per grid

``year`` defaults to this year (Asia/Shanghai). The figures are SQL aggregates
over what the caller may see (``selectors.figures``): leaders and district clerks
all grids, a grid worker their own grids. Anyone else gets 403.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.kuaiban.selectors.filters import YearField
from zhonglou_hrss.kuaiban.rules import YEAR_MAX, YEAR_MIN, this_year
from zhonglou_hrss.kuaiban.selectors.figures import analysis, map_figures
from zhonglou_hrss.kuaiban.selectors.people import can_view_stats

TAGS = ["快办统计"]
NO_STATS = "您没有查看统计数据的权限（领导、区后勤人员、网格员和监察员可以查看）"


class CanViewStats(permissions.BasePermission):
    message = NO_STATS

    def has_permission(self, request, view):
        return can_view_stats(request.user)


class YearQuerySerializer(serializers.Serializer):
    year = YearField(required=False, help_text="统计年份（北京时间），默认为今年")


def _year(request) -> int:
    if "year" in request.query_params and not request.query_params["year"].strip():
        # An empty year is a mistake, not "this year": leave the parameter out for that.
        raise serializers.ValidationError({"year": ["年份不能为空：请填写年份（如 2026），或不传该参数查看今年"]})
    params = YearQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)  # → 400 {"errors": {"year": ["年份须为…"]}}
    return params.validated_data.get("year") or this_year()


# --- response shapes (documentation; the views return the stats dicts as they are) ----------
class MapFiguresSerializer(serializers.Serializer):
    cases_received = serializers.IntegerField(help_text="收到：当年登记、统计网格为该网格的事件数")
    cases_completed = serializers.IntegerField(help_text="完成：其中状态为网格调解成功或已办结的件数")
    cases_invalid = serializers.IntegerField(help_text="其中正常结束（无效）的件数，不计入完成")
    petitions = serializers.IntegerField(help_text="当年录入、所属网格为该网格的信访件数")
    petitions_completed = serializers.IntegerField(help_text="其中已填写处置结果和处置时间的件数")


class MapGridSerializer(MapFiguresSerializer):
    code = serializers.CharField(help_text="网格编码")
    name = serializers.CharField(help_text="网格名称")
    kind = serializers.CharField(help_text="类型：street 街道、town 镇、district 区本级、zone 开发区")
    active = serializers.BooleanField(help_text="是否有效（停用的网格仍列出其历史数据）")
    lat = serializers.FloatField(allow_null=True, help_text="中心点纬度（WGS84），未设置时为 null")
    lng = serializers.FloatField(allow_null=True, help_text="中心点经度（WGS84），未设置时为 null")


class MapResponseSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    grids = MapGridSerializer(many=True, help_text="调用者可查看的网格（网格员：本网格）")
    totals = MapFiguresSerializer(help_text="以上网格的合计")


class YearlyRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    received = serializers.IntegerField()
    completed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="完成率（%，一位小数）；没有收到事件时为 null")


class YearlySerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField(), help_text="有数据的年份")
    rows = YearlyRowSerializer(many=True, help_text="每个网格、每个年份一行")


class MonthlyGridSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    received = serializers.ListField(child=serializers.IntegerField(), help_text="1—12 月收到件数")
    completed = serializers.ListField(child=serializers.IntegerField(), help_text="1—12 月收到的事件中已完成的件数")


class MonthlySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    grids = MonthlyGridSerializer(many=True)


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="名次；样本不足、不参与排名时为 null；ranked 为 false 时均为 null")
    code = serializers.CharField()
    name = serializers.CharField()
    cases_received = serializers.IntegerField()
    cases_completed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    rankable = serializers.BooleanField(help_text="当年收到件数不少于 min_cases_to_rank 时参与排名")


class OverdueRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    overdue = serializers.IntegerField(help_text="此刻超时的事件数（按事件当前所在网格）")


class AnalysisResponseSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    yearly = YearlySerializer(help_text="各网格历年收到、完成、完成率（全部有数据的年份）")
    monthly = MonthlySerializer(help_text="所选年份各网格每月收到、完成")
    ranking = RankingRowSerializer(many=True, help_text="按完成率排名，完成率相同按完成件数；样本不足的列在后面")
    ranked = serializers.BooleanField(
        help_text="是否给出名次：领导、区后勤人员为 true（全区各网格排名）；网格员为 false，ranking 只列本网格的完成率，"
                  "rank 为 null（只有本网格，没有可比的名次）")
    overdue = OverdueRowSerializer(many=True, help_text="各网格当前超时事件数")
    min_cases_to_rank = serializers.IntegerField(help_text="参与排名所需的最少收到件数")


# The bounds in the schema too (minimum, maximum), not only in the description.
YEAR_PARAMETER = OpenApiParameter("year", {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
                                  description=f"统计年份（北京时间），默认为今年；须为 {YEAR_MIN}—{YEAR_MAX}")


def _description(text: str) -> str:
    return (text + "事件按登记时间（北京时间）归入年份；统计网格为归属网格（区本级处置的事件），否则为当前所属网格；"
            "完成指网格调解成功或已办结，正常结束不计入完成。只统计调用者有权查看的记录：领导、区后勤人员为全部网格，"
            "网格员为本网格；其他用户返回 403。")


class MapStatsView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewStats]

    @extend_schema(
        tags=TAGS, summary="一张图数据", parameters=[YEAR_PARAMETER],
        description=_description("一张图（R-KB-18）：每个网格的中心点和当年收到、完成的事件数，信访件数及信访完成数，"
                                 "以及合计。"),
        responses={200: MapResponseSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request):
        return Response(map_figures(request.user, _year(request)))


class AnalysisStatsView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewStats]

    @extend_schema(
        tags=TAGS, summary="数据分析", parameters=[YEAR_PARAMETER],
        description=_description("数据分析（R-KB-19）：各网格历年收到、完成与完成率；所选年份各网格每月收到、完成；"
                                 "按完成率的网格排名（收到少于 min_cases_to_rank 件的网格不参与排名）；各网格当前超时事件数。"),
        responses={200: AnalysisResponseSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request):
        return Response(analysis(request.user, _year(request)))


urlpatterns = [
    path("map/", MapStatsView.as_view(), name="api-kuaiban-stats-map"),
    path("analysis/", AnalysisStatsView.as_view(), name="api-kuaiban-stats-analysis"),
]
