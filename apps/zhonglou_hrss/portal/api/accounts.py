"""Enterprise accounts in the portal (R-PT-03), mounted at ``/api/v1/portal/``.

- ``POST accounts/register/``          anyone: a company registers → 201 ``{"id", "status": "pending"}``;
  then ``POST /api/v1/auth/token/`` signs it in (it sees its status until approved)
- ``GET/PATCH me/``                    the signed-in company, whatever its status: profile +
  ``status`` and ``reject_reason``; ``username``/``uscc`` read-only (400 when sent changed);
  a PATCH of a rejected account sends it back to review
- ``GET accounts/?status=``            staff (core.view_enterpriseaccount): the portal's requests
- ``POST accounts/{id}/approve/``      staff (core.approve_portal_access)
- ``POST accounts/{id}/reject/``       staff, with ``{"reason"}``

Writes go through ``core.services.accounts`` (one account per USCC, held by
the database; the same accounts serve the credit subsystem later).
"""

from __future__ import annotations

from dataclasses import replace

from django.urls import path

from zhonglou_hrss.portal.api import paths  # noqa: F401  (the <id:…> converter)
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.api_errors import ErrorSerializer, error_responses
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.selectors import access_of, access_requests_for
from zhonglou_hrss.core.services.accounts import (
    PROFILE_FIELDS,
    RegistrationInput,
    account_of,
    decide_access,
    profile_input,
    register_account,
    update_profile,
)
from zhonglou_hrss.portal.api.paging import ListPagination
from zhonglou_hrss.portal.api.permissions import EnterpriseAccount as IsEnterpriseAccount
from zhonglou_hrss.portal.api.permissions import has_perm
from zhonglou_hrss.portal.api.serializers import (
    AccountFilterSerializer,
    AccountReviewSerializer,
    AccountSerializer,
    ProfilePatchSerializer,
    RegisteredSerializer,
    RegistrationInputSerializer,
    RejectSerializer,
)
from zhonglou_hrss.portal.rules import APPROVE_ACCOUNTS, SUBSYSTEM, VIEW_ACCOUNTS, registration_ip_limit

TAGS = ["码上办：企业账号"]
_403_PENDING = OpenApiResponse(ErrorSerializer, description="非企业账号")


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(tags=TAGS, summary="企业注册（无需登录）", request=RegistrationInputSerializer,
                   description="企业自行注册（R-PT-03）：登录账号、密码（与工作人员相同的密码规则）、18位统一社会信用代码"
                               "（GB 32100 校验；校验位不符时须 confirm_uscc=true，并提示工作人员核对）、企业名称、所属行业、"
                               "单位地址、所属产业链、公司简介、联系人及手机号。一个统一社会信用代码只能注册一个账号（由数据库"
                               "保证，同时注册时只有一个成功，另一个得到 400）。注册后为待审核：可登录查看状态，审核通过后才能"
                               "使用各项服务。每个网络地址每小时的注册尝试次数有限。",
                   responses={201: RegisteredSerializer, **error_responses(400),
                              429: OpenApiResponse(ErrorSerializer, description="注册尝试过于频繁")})
    def post(self, request):
        ip, limit = client_ip(request), registration_ip_limit()
        if limit.exceeded(ip):
            return Response({"detail": limit.message}, status=429)
        limit.hit(ip)
        body = RegistrationInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        account = register_account(data=RegistrationInput(**body.validated_data), subsystem=SUBSYSTEM,
                                   request=request)
        return Response({"id": account.pk, "status": "pending"}, status=201)


def _own_access(request):
    return lambda account: access_of(request.user, SUBSYSTEM)


class MeView(APIView):
    permission_classes = [IsEnterpriseAccount]

    def _data(self, request):
        account = account_of(request.user)
        return AccountSerializer(account, context={"access": _own_access(request), "full_pii": True}).data

    @extend_schema(tags=TAGS, summary="本企业账号", description="本企业的资料、审核状态（pending 待审核 / approved "
                   "已通过 / rejected 未通过）和未通过的原因。待审核和未通过的账号也可调用。",
                   responses={200: AccountSerializer, **error_responses(401), 403: _403_PENDING})
    def get(self, request):
        return Response(self._data(request))

    @extend_schema(tags=TAGS, summary="修改本企业资料", request=ProfilePatchSerializer,
                   description="修改所给的字段，其余不变。登录账号（username）和统一社会信用代码（uscc）不能修改：与注册时"
                               "不同即 400。未通过审核的账号修改后重新进入待审核。",
                   responses={200: AccountSerializer, **error_responses(400, 401), 403: _403_PENDING})
    def patch(self, request):
        body = ProfilePatchSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        sent = dict(body.validated_data)
        account = account_of(request.user)
        data = replace(profile_input(account), **{k: v for k, v in sent.items() if k in PROFILE_FIELDS})
        update_profile(actor=request.user, data=data, username=sent.get("username"), uscc=sent.get("uscc"),
                       request=request)
        request.user.__dict__.pop("_subsystem_access", None)  # the status may have changed
        return Response(self._data(request))


class AccountListView(ListAPIView):
    serializer_class = AccountReviewSerializer
    pagination_class = ListPagination
    permission_classes = [has_perm(VIEW_ACCOUNTS, message="您没有查看企业账号的权限")]

    def get_queryset(self):
        params = AccountFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        requests = access_requests_for(self.request.user, SUBSYSTEM)
        if params.validated_data.get("status"):
            requests = requests.filter(status=params.validated_data["status"])
        return requests

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._accesses = {access.account_id: access for access in page}
        return [access.account for access in page]

    def get_serializer_context(self):
        accesses = getattr(self, "_accesses", {})
        return {**super().get_serializer_context(), "full_pii": False, "access": lambda a: accesses[a.pk]}

    @extend_schema(tags=TAGS, summary="企业账号列表（工作人员）", parameters=[AccountFilterSerializer],
                   description="申请使用码上办的企业账号，最新提交审核的在前；status 筛选待审核、已通过、未通过。"
                               "uscc_checksum_confirmed=true 的账号代码校验位不符，请核对营业执照。联系人手机号脱敏。",
                   responses={200: AccountReviewSerializer(many=True), **error_responses(400, 401, 403), **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _review_data(request, account_id) -> dict:
    access = access_requests_for(request.user, SUBSYSTEM).get(account_id=account_id)
    return AccountReviewSerializer(access.account, context={"full_pii": False, "access": lambda a: access}).data


class ApproveView(APIView):
    permission_classes = [has_perm(APPROVE_ACCOUNTS, message="您没有审核企业账号的权限")]

    @extend_schema(tags=TAGS, summary="审核通过企业账号", request=None,
                   description="待审核的账号审核通过后即可使用码上办的各项服务；企业库中该企业的名称、地址、行业随之更新。"
                               "已审核的（可能他人刚处理）为 409。",
                   responses={200: AccountReviewSerializer, **error_responses(401, 403, 404, 409)})
    def post(self, request, pk):
        decide_access(actor=request.user, account_id=pk, subsystem=SUBSYSTEM, approve=True, request=request)
        return Response(_review_data(request, pk))


class RejectView(APIView):
    permission_classes = [has_perm(APPROVE_ACCOUNTS, message="您没有审核企业账号的权限")]

    @extend_schema(tags=TAGS, summary="审核不通过企业账号", request=RejectSerializer,
                   description="须填写原因；企业登录后看到“未通过”和原因，修改资料后重新提交审核。",
                   responses={200: AccountReviewSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, pk):
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decide_access(actor=request.user, account_id=pk, subsystem=SUBSYSTEM, approve=False,
                      reason=body.validated_data["reason"], request=request)
        return Response(_review_data(request, pk))


urlpatterns = [
    path("accounts/register/", RegisterView.as_view(), name="portal-register"),
    path("accounts/", AccountListView.as_view(), name="portal-accounts"),
    path("accounts/<id:pk>/approve/", ApproveView.as_view(), name="portal-account-approve"),
    path("accounts/<id:pk>/reject/", RejectView.as_view(), name="portal-account-reject"),
    path("me/", MeView.as_view(), name="portal-me"),
]
