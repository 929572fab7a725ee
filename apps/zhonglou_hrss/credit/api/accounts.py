"""HR-company accounts (R-CR-01): ``accounts/register/`` (anyone), ``accounts/apply/`` (a signed-in
account of the portal), ``me/`` (the company: profile, licence, status), ``accounts/`` +
``accounts/{id}/approve|reject/`` (信用评价管理员)."""

from __future__ import annotations

from dataclasses import replace

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.pii import MOBILE, mask
from zhonglou_hrss.core.selectors import access_of, access_requests_for
from zhonglou_hrss.core.services.accounts import (
    PROFILE_FIELDS,
    RegistrationInput,
    account_of,
    decide_access,
    profile_input,
    update_profile,
)
from zhonglou_hrss.credit.api.common import ERRORS, OBJECT, TAGS
from zhonglou_hrss.credit.api.common import read_body
from zhonglou_hrss.credit.api.permissions import CreditAccount, SignedIn, has_perm
from zhonglou_hrss.credit.rules import APPROVE_ACCOUNTS, SUBSYSTEM, VIEW_ACCOUNTS
from zhonglou_hrss.credit.services import accounts as credit_accounts


# --- accounts (R-CR-01) ---------------------------------------------------------------------
class CreditRegisterSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    uscc = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_uscc = serializers.BooleanField(required=False, default=False)
    name = serializers.CharField(required=False, allow_blank=True, default="")
    industry = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    industrial_chain = serializers.CharField(required=False, allow_blank=True, default="")
    profile = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")
    licence_no = serializers.CharField(required=False, allow_blank=True, default="", help_text="劳务派遣经营许可证编号")
    licence_date = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="首次取得许可日期 YYYY-MM-DD")


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(tags=TAGS, summary="人力资源企业注册（无需登录）", request=CreditRegisterSerializer,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request):
        data = dict(read_body(CreditRegisterSerializer, request))
        licence_no, licence_date = data.pop("licence_no"), data.pop("licence_date")
        account = credit_accounts.register_hr_company(data=RegistrationInput(**data), licence_no=licence_no,
                                                      licence_date=licence_date, request=request)
        return Response({"id": account.pk, "status": "pending"}, status=201)


class CreditApplySerializer(serializers.Serializer):
    licence_no = serializers.CharField(required=False, allow_blank=True, default="")
    licence_date = serializers.CharField(required=False, allow_blank=True, default="")


class ApplyView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="已有企业账号申请使用信用评价", request=CreditApplySerializer, responses={201: OBJECT, **ERRORS})
    def post(self, request):
        data = read_body(CreditApplySerializer, request)
        access = credit_accounts.apply_for_credit(actor=request.user, request=request, **data)
        return Response({"id": access.account_id, "status": access.status}, status=201)


def _account_data(account, access, *, full_pii: bool) -> dict:
    licence = getattr(account, "credit_licence", None)
    return {
        "id": account.pk, "username": account.user.username, "uscc": account.enterprise.uscc,
        "name": account.company_name, "industry": account.industry.code, "address": account.address,
        "industrial_chain": account.industrial_chain.code, "profile": account.profile,
        "contact_name": account.contact_name,
        "contact_phone": account.contact_phone if full_pii else mask(MOBILE, account.contact_phone),
        "licence_no": licence.licence_no if licence else "",
        "licence_date": licence.licence_date.isoformat() if licence else None,
        "status": access.status, "reject_reason": access.reason if access.status == "rejected" else "",
        "requested_at": access.requested_at,
    }


class CreditMeSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, allow_blank=True)
    uscc = serializers.CharField(required=False, allow_blank=True)
    licence_no = serializers.CharField(required=False, allow_blank=True)
    licence_date = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    industry = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    industrial_chain = serializers.CharField(required=False, allow_blank=True)
    profile = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)


class MeView(APIView):
    permission_classes = [CreditAccount]

    def _data(self, request):
        request.user.__dict__.pop("_subsystem_access", None)
        return _account_data(account_of(request.user), access_of(request.user, SUBSYSTEM), full_pii=True)

    @extend_schema(tags=TAGS, summary="本企业资料与审核状态", responses={200: OBJECT, **ERRORS})
    def get(self, request):
        return Response(self._data(request))

    @extend_schema(tags=TAGS, summary="修改本企业资料（统一社会信用代码、许可证不能改）", request=CreditMeSerializer,
                   responses={200: OBJECT, **ERRORS})
    def patch(self, request):
        body = CreditMeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        sent = dict(body.validated_data)
        account = account_of(request.user)
        credit_accounts.check_licence_unchanged(account, sent.get("licence_no"), sent.get("licence_date"))
        data = replace(profile_input(account), **{k: v for k, v in sent.items() if k in PROFILE_FIELDS})
        update_profile(actor=request.user, data=data, username=sent.get("username"), uscc=sent.get("uscc"),
                       request=request)
        return Response(self._data(request))


class AccountListView(APIView):
    permission_classes = [has_perm(VIEW_ACCOUNTS, APPROVE_ACCOUNTS, message="您没有查看企业账号的权限")]

    @extend_schema(tags=TAGS, summary="申请信用评价的企业账号（工作人员）",
                   parameters=[OpenApiParameter("status", str, enum=["pending", "approved", "rejected"])],
                   responses={200: OBJECT, **ERRORS})
    def get(self, request):
        status = request.query_params.get("status", "")
        if status and status not in ("pending", "approved", "rejected"):
            raise InvalidInput({"status": ["状态只能是 pending、approved 或 rejected"]})
        requests = access_requests_for(request.user, SUBSYSTEM).select_related("account__credit_licence")
        if status:
            requests = requests.filter(status=status)
        return Response({"results": [_account_data(a.account, a, full_pii=False) for a in requests[:200]]})


class CreditRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DecideView(APIView):
    permission_classes = [has_perm(APPROVE_ACCOUNTS, message="您没有审核信用评价企业账号的权限")]
    approve = True

    @extend_schema(tags=TAGS, summary="审核信用评价企业账号", request=CreditRejectSerializer, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        reason = "" if self.approve else read_body(CreditRejectSerializer, request)["reason"]
        access = decide_access(actor=request.user, account_id=pk, subsystem=Subsystem.CREDIT, approve=self.approve,
                               reason=reason, request=request)
        return Response(_account_data(access.account, access, full_pii=False))
