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
from zhonglou_hrss.credit.services import criteria_parts

MANAGE = [has_perm(MANAGE_CRITERIA, message="您没有维护信用评价标准的权限")]
PATCH_BODY = {"request": OpenApiTypes.OBJECT, "responses": {200: OBJECT, **ERRORS}}


def _changes(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput({"non_field_errors": ["请求内容应为对象"]})
    return dict(request.data)


def _document(year):
    return Response(criteria_document(scheme_of(year)))


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

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="删除尚无人申报或扣分的评价指标", request=None,
                   responses={200: OBJECT, **ERRORS})
    def delete(self, request, year, code):
        criteria_parts.remove_item(actor=request.user, year=year, code=code, request=request)
        return _document(year)


class CopyYearView(APIView):
    permission_classes = [has_perm(MANAGE_CRITERIA, message="您没有维护信用评价标准的权限")]

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="复制上一年度标准为新年度", request=None,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request, year):
        scheme = criteria_services.copy_year(actor=request.user, year=year, request=request)
        return Response(criteria_document(scheme), status=201)


class ItemsView(APIView):
    permission_classes = MANAGE

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="新增评价指标（加在类别末尾）",
                   request=OpenApiTypes.OBJECT, responses={201: OBJECT, **ERRORS})
    def post(self, request, year):
        criteria_parts.add_item(actor=request.user, year=year, data=_changes(request), request=request)
        return Response(criteria_document(scheme_of(year)), status=201)


class CategoryView(APIView):
    permission_classes = MANAGE

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="修改评价类别的名称和上限", **PATCH_BODY)
    def patch(self, request, year, code):
        criteria_parts.update_category(actor=request.user, year=year, code=code, changes=_changes(request),
                                       request=request)
        return _document(year)


class GradeView(APIView):
    permission_classes = MANAGE

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="修改等级的最低分和条件", **PATCH_BODY)
    def patch(self, request, year, grade):
        criteria_parts.update_grade(actor=request.user, year=year, grade=grade, changes=_changes(request),
                                    request=request)
        return _document(year)


class QuotaView(APIView):
    permission_classes = MANAGE

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="等级比例限制（启用、最高等级和A级及以上的比例）",
                   **PATCH_BODY)
    def patch(self, request, year):
        criteria_parts.update_quota(actor=request.user, year=year, changes=_changes(request), request=request)
        return _document(year)


class VetoItemsView(APIView):
    permission_classes = MANAGE

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="新增一票否决项", request=OpenApiTypes.OBJECT,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request, year):
        criteria_parts.add_veto(actor=request.user, year=year, data=_changes(request), request=request)
        return Response(criteria_document(scheme_of(year)), status=201)


class VetoItemView(APIView):
    permission_classes = MANAGE

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="修改一票否决项的说明", **PATCH_BODY)
    def patch(self, request, year, code):
        criteria_parts.update_veto(actor=request.user, year=year, code=code, changes=_changes(request),
                                   request=request)
        return _document(year)

    @extend_schema(tags=TAGS, parameters=[YEAR_PATH], summary="删除未被认定过的一票否决项", request=None,
                   responses={200: OBJECT, **ERRORS})
    def delete(self, request, year, code):
        criteria_parts.remove_veto(actor=request.user, year=year, code=code, request=request)
        return _document(year)
