"""Results (R-CR-10, R-CR-11): whether a company is rated, ``results/{year}/`` GET, ``generate/``,
``publish/``, ``export/`` (credit staff)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.services.accounts import account_of
from zhonglou_hrss.credit.api.common import ERRORS, OBJECT, TAGS, YEAR_PATH
from zhonglou_hrss.credit.api.permissions import ApprovedCompany, SignedIn, has_perm
from zhonglou_hrss.credit.exports.results import results_export_response
from zhonglou_hrss.credit.rules import MANAGE_RESULTS, licensed_long_enough
from zhonglou_hrss.credit.selectors.criteria import scheme_of
from zhonglou_hrss.credit.selectors.results import result_document
from zhonglou_hrss.credit.services import results as result_services


class RatedView(APIView):
    """Whether the signed-in company is rated for a year (the licence rule)."""

    permission_classes = [ApprovedCompany]

    @extend_schema(tags=TAGS, summary="本企业是否参加某年度评价（许可满一年）", parameters=[YEAR_PATH],
                   responses={200: OBJECT, **ERRORS})
    def get(self, request, year):
        licence = getattr(account_of(request.user), "credit_licence", None)
        min_years = int(scheme_of(year).eligibility.get("min_licence_years", 1))
        rated = licensed_long_enough(licence.licence_date if licence else None, year, min_years)
        return Response({"year": year, "rated": rated,
                         "reason": "" if rated else f"取得劳务派遣经营许可不满{min_years}年，本年度不参加评价"})


# --- results (R-CR-10, R-CR-11) ------------------------------------------------------------------
class GenerateResultsView(APIView):
    permission_classes = [has_perm(MANAGE_RESULTS, message="您没有生成信用评价结果的权限")]

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="生成年度结果（每次生成新版本）", request=None,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request, year):
        version = result_services.generate_results(actor=request.user, year=year)
        return Response({"version": version.number, "inputs": version.inputs}, status=201)


class PublishResultsView(APIView):
    permission_classes = [has_perm(MANAGE_RESULTS, message="您没有发布信用评价结果的权限")]

    @extend_schema(tags=TAGS, summary="发布结果（冻结该年度）", request=None,
                   parameters=[YEAR_PATH, OpenApiParameter("version", int, description="版本号，默认最新")],
                   responses={200: OBJECT, **ERRORS})
    def post(self, request, year):
        number = request.query_params.get("version") or ""
        if number and not number.isdigit():
            raise InvalidInput({"version": ["版本号应为正整数"]})
        version = result_services.publish_results(actor=request.user, year=year,
                                                  number=int(number) if number else None)
        return Response({"version": version.number, "published": True})


class ResultsView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="年度结果与排名（并列同名次，下一名次跳过）",
                   parameters=[YEAR_PATH, OpenApiParameter("version", str, description="版本号，默认最新"),
                               OpenApiParameter("grade", str, description="按等级筛选")],
                   responses={200: OBJECT, **ERRORS})
    def get(self, request, year):
        number = request.query_params.get("version") or ""
        if number and not number.isdigit():
            raise InvalidInput({"version": ["版本号应为正整数"]})
        return Response(result_document(request.user, year, number=int(number) if number else None,
                                        grade=request.query_params.get("grade") or ""))


class ResultsExportView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="导出年度结果（Excel，政府报表格式）",
                   parameters=[YEAR_PATH, OpenApiParameter("version", str, description="版本号，默认最新"),
                               OpenApiParameter("grade", str, description="按等级筛选")],
                   responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes,
                              **ERRORS})
    def get(self, request, year):
        number = request.query_params.get("version") or ""
        if number and not number.isdigit():
            raise InvalidInput({"version": ["版本号应为正整数"]})
        return results_export_response(user=request.user, year=year, number=int(number) if number else None,
                                       grade=request.query_params.get("grade") or "", request=request)
