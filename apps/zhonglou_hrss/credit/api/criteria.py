"""The yearly criteria (R-CR-04): ``criteria/{year}/`` GET (signed in) / PATCH (staff), its items,
categories and grade bands, ``criteria/{year}/copy/`` POST. A year whose results are published is frozen."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.credit.api.common import ERRORS, OBJECT, TAGS, YEAR_PATH
from zhonglou_hrss.credit.api.permissions import SignedIn, has_perm
from zhonglou_hrss.credit.rules import MANAGE_CRITERIA
from zhonglou_hrss.credit.selectors.criteria import criteria_document, scheme_of
from zhonglou_hrss.credit.services import criteria as criteria_services


# --- criteria (R-CR-04) -----------------------------------------------------------------------
class CriteriaView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="年度评价标准", parameters=[YEAR_PATH], responses={200: OBJECT, **ERRORS})
    def get(self, request, year):
        return Response(criteria_document(scheme_of(year)))

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="修改年度设置（已发布结果的年度不能改）",
                   request=OpenApiTypes.OBJECT, responses={200: OBJECT, **ERRORS})
    def patch(self, request, year):
        if not isinstance(request.data, dict):
            raise InvalidInput({"non_field_errors": ["请求内容应为对象"]})
        scheme = criteria_services.update_year(actor=request.user, year=year, changes=dict(request.data),
                                               request=request)
        return Response(criteria_document(scheme))


class CriteriaItemView(APIView):
    permission_classes = [has_perm(MANAGE_CRITERIA, message="您没有维护信用评价标准的权限")]

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="修改评价指标", request=OpenApiTypes.OBJECT,
                   responses={200: OBJECT, **ERRORS})
    def patch(self, request, year, code):
        if not isinstance(request.data, dict):
            raise InvalidInput({"non_field_errors": ["请求内容应为对象"]})
        criteria_services.update_item(actor=request.user, year=year, code=code, changes=dict(request.data),
                                      request=request)
        return Response(criteria_document(scheme_of(year)))


class CopyYearView(APIView):
    permission_classes = [has_perm(MANAGE_CRITERIA, message="您没有维护信用评价标准的权限")]

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="复制上一年度标准为新年度", request=None,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request, year):
        scheme = criteria_services.copy_year(actor=request.user, year=year, request=request)
        return Response(criteria_document(scheme), status=201)
