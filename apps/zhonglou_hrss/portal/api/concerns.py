"""Urgent concerns (急难愁盼, R-PT-11, 16), mounted at ``/api/v1/portal/concerns/``.

- ``POST concerns/``              anyone: name, phone, details + captcha → 201 ``{"number"}``
- ``GET  concerns/lookup/``       anyone: ``?number=&phone=`` → the status (404 when they do not match)
- ``GET  concerns/``              staff (portal.view_concern): filtered list, phones masked
- ``GET  concerns/{id}/``         staff: detail with the timeline (full phone with core.view_pii, audited)
- ``POST concerns/{id}/status/``  staff (portal.handle_concern): viewed / contacted / completed

The public side has the kuaiban public page's protection: a captcha, limits
per address and per mobile, failed look-ups limited per address, and a
duplicate within minutes answering the first number.
"""

from __future__ import annotations

from django.urls import path

from zhonglou_hrss.portal.api import paths  # noqa: F401  (the <id:…> converter)
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import captcha, pii
from zhonglou_hrss.core.api_errors import ErrorSerializer, error_responses
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.errors import InvalidInput, NotVisible
from zhonglou_hrss.portal.api.paging import ListPagination
from zhonglou_hrss.portal.api.permissions import has_perm
from zhonglou_hrss.portal.api.serializers import (
    ConcernDetailSerializer,
    ConcernFilterSerializer,
    ConcernInputSerializer,
    ConcernListItemSerializer,
    ConcernLookupQuerySerializer,
    ConcernNumberSerializer,
    ConcernStatusInputSerializer,
    ConcernStatusSerializer,
)
from zhonglou_hrss.portal.rules import (
    HANDLE_CONCERNS,
    VIEW_CONCERNS,
    concern_ip_limit,
    concern_phone_limit,
    lookup_ip_limit,
)
from zhonglou_hrss.portal.selectors.concerns import (
    concern_for,
    concern_list_for,
    filter_concerns,
    public_status_of,
    timeline_of,
)
from zhonglou_hrss.portal.services.concerns import ConcernInput, set_status, submit_concern, validate_concern

TAGS = ["码上办：急难愁盼"]
NOT_FOUND = "没有找到对应的咨询，请核对编号和提交时填写的手机号。"
_429 = OpenApiResponse(ErrorSerializer, description="提交或查询过于频繁，请稍后再试")


def _too_many(message: str) -> Response:
    return Response({"detail": message}, status=429)


class ConcernListCreateView(ListAPIView):
    serializer_class = ConcernListItemSerializer
    pagination_class = ListPagination

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [has_perm(VIEW_CONCERNS, message="您没有查看急难愁盼的权限")()]

    def get_queryset(self):
        params = ConcernFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return filter_concerns(concern_list_for(self.request.user), **params.validated_data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "full_pii": False}

    @extend_schema(tags=TAGS, summary="急难愁盼列表（工作人员）", parameters=[ConcernFilterSerializer],
                   description="就业后台查看群众咨询（R-PT-16），最新提交的在前。可按状态、提交日期、关键词筛选。手机号脱敏。",
                   responses={200: ConcernListItemSerializer(many=True), **error_responses(400, 401, 403), **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="提交急难愁盼（无需登录）", request=ConcernInputSerializer,
                   description="任何人提交姓名、手机号、咨询内容（R-PT-11），须先 GET /api/v1/captcha/ 取得验证码。"
                               "同一手机号几分钟内重复提交相同内容，返回第一次的编号。每个网络地址每小时、每个手机号每天"
                               "的提交次数有限。",
                   responses={201: ConcernNumberSerializer, **error_responses(400), 429: _429})
    def post(self, request, *args, **kwargs):
        body = ConcernInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        ip = client_ip(request)
        ip_limit, phone_limit = concern_ip_limit(), concern_phone_limit()
        if ip_limit.exceeded(ip):
            return _too_many(ip_limit.message)
        phone_key = pii.pii_hash(pii.MOBILE, data["phone"])
        if phone_limit.exceeded(phone_key):
            return _too_many(phone_limit.message)
        concern_input = ConcernInput(name=data["name"], phone=data["phone"], details=data["details"],
                                     custom=data.get("custom"))
        try:
            captcha.check(data["captcha_key"], data["captcha_value"])
        except captcha.CaptchaError as exc:
            errors = {"captcha_value": [str(exc)]}
            try:
                validate_concern(concern_input)
            except InvalidInput as invalid:
                errors = {**invalid.errors, **errors}
            raise InvalidInput(errors) from None
        result = submit_concern(data=concern_input)
        if not result.duplicate:
            ip_limit.hit(ip)
            phone_limit.hit(phone_key)
        return Response({"number": result.concern.number}, status=201)


class ConcernLookupView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, summary="查询急难愁盼处理状态（无需登录）", parameters=[ConcernLookupQuerySerializer],
                   description="按编号和提交时填写的手机号查询；两者不匹配时为 404（不透露编号是否存在）。"
                               "每个网络地址每小时查询失败的次数有限。",
                   responses={200: ConcernStatusSerializer, **error_responses(404), 429: _429})
    def get(self, request):
        params = ConcernLookupQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        ip, limit = client_ip(request), lookup_ip_limit()
        if limit.exceeded(ip):
            return _too_many(limit.message)
        found = public_status_of(params.validated_data["number"], params.validated_data["phone"])
        if found is None:
            limit.hit(ip)
            raise NotVisible(NOT_FOUND)
        return Response(ConcernStatusSerializer(found).data)


def concern_detail_data(request, pk) -> dict:
    concern = concern_for(request.user, pk)
    concern.events_list = timeline_of(concern)
    full = pii.disclose(request.user, concern, fields=["phone"], request=request)
    data = ConcernDetailSerializer(concern, context={"full_pii": full}).data
    return data


class ConcernDetailView(APIView):
    permission_classes = [has_perm(VIEW_CONCERNS, message="您没有查看急难愁盼的权限")]

    @extend_schema(tags=TAGS, summary="急难愁盼详情（工作人员）",
                   description="咨询内容和处理记录（谁、何时、从什么状态到什么状态）。有“查看完整个人信息”权限时手机号为"
                               "完整值，并记入审计日志。",
                   responses={200: ConcernDetailSerializer, **error_responses(401, 403, 404)})
    def get(self, request, pk):
        return Response(concern_detail_data(request, pk))


class ConcernStatusView(APIView):
    permission_classes = [has_perm(HANDLE_CONCERNS, VIEW_CONCERNS, message="您没有处理急难愁盼的权限")]

    @extend_schema(tags=TAGS, summary="标记急难愁盼状态（工作人员）", request=ConcernStatusInputSerializer,
                   description="新提交 → 已查看 → 已联系 → 已完成咨询：只能向前（可跳过中间状态），每次记录操作人和时间。"
                               "已是该状态或已在其后（可能他人刚处理）时为 409。需要“处理急难愁盼”权限。",
                   responses={200: ConcernDetailSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        body = ConcernStatusInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        set_status(actor=request.user, concern_id=pk, status=body.validated_data["status"],
                   note=body.validated_data["note"])
        return Response(concern_detail_data(request, pk))


urlpatterns = [
    path("", ConcernListCreateView.as_view(), name="portal-concerns"),
    path("lookup/", ConcernLookupView.as_view(), name="portal-concern-lookup"),
    path("<id:pk>/", ConcernDetailView.as_view(), name="portal-concern-detail"),
    path("<id:pk>/status/", ConcernStatusView.as_view(), name="portal-concern-status"),
]
