"""The credit API (issue 15's fixed contract), mounted at ``/api/v1/credit/``.

Accounts (R-CR-01): ``accounts/register/`` (anyone), ``accounts/apply/`` (a
signed-in account of the portal), ``me/`` (the company: profile, licence,
status), ``accounts/`` + ``accounts/{id}/approve|reject/`` (信用评价管理员).
Criteria (R-CR-04): ``criteria/{year}/`` GET (signed in) / PATCH (staff),
``criteria/{year}/items/{code}/`` PATCH, ``criteria/{year}/copy/`` POST.
Declarations (R-CR-02, 03): list/create, detail/PUT, evidence, submit,
return, score, deductions, vetoes, confirm; candidates (list, accept, dismiss).
Results (R-CR-10, 11): ``results/{year}/`` GET, ``generate/``, ``publish/`` (credit staff).
"""

from __future__ import annotations

from dataclasses import replace

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.errors import InvalidInput, NotVisible
from zhonglou_hrss.core.private_files import serve_private
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
from zhonglou_hrss.credit.api import paths  # noqa: F401  (the path converters)
from zhonglou_hrss.credit.api.permissions import ApprovedCompany, CreditAccount, SignedIn, has_perm
from zhonglou_hrss.credit.models import DeclarationStatus, Evidence
from zhonglou_hrss.credit.rules import (
    APPROVE_ACCOUNTS,
    MANAGE_CRITERIA,
    MANAGE_RESULTS,
    REVIEW,
    SCORE,
    SUBSYSTEM,
    VIEW_ACCOUNTS,
    YEAR_MAX,
    YEAR_MIN,
    licensed_long_enough,
)
from zhonglou_hrss.credit.selectors.candidates import candidates_for
from zhonglou_hrss.credit.selectors.criteria import criteria_document, scheme_of
from zhonglou_hrss.credit.exports.results import results_export_response
from zhonglou_hrss.credit.selectors.results import result_document
from zhonglou_hrss.credit.selectors.declarations import declaration_for, declaration_list_for, detail, is_staff
from zhonglou_hrss.credit.services import accounts as credit_accounts
from zhonglou_hrss.credit.services import candidates as candidate_services
from zhonglou_hrss.credit.services import criteria as criteria_services
from zhonglou_hrss.credit.services import declarations as declaration_services
from zhonglou_hrss.credit.services import results as result_services
from zhonglou_hrss.credit.services import scoring

TAGS = ["信用评价"]
OBJECT = OpenApiTypes.OBJECT
ERRORS = error_responses(400, 401, 403, 404, 409)
YEAR_SCHEMA = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
YEAR_MESSAGE = f"年度须为 {YEAR_MIN} 至 {YEAR_MAX} 之间的四位数字"
YEAR_PATH = OpenApiParameter("year", YEAR_SCHEMA, OpenApiParameter.PATH, description="评价年度")


def _body(serializer_class, request):
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


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
        data = dict(_body(CreditRegisterSerializer, request))
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
        data = _body(CreditApplySerializer, request)
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
        reason = "" if self.approve else _body(CreditRejectSerializer, request)["reason"]
        access = decide_access(actor=request.user, account_id=pk, subsystem=Subsystem.CREDIT, approve=self.approve,
                               reason=reason, request=request)
        return Response(_account_data(access.account, access, full_pii=False))


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


# --- declarations (R-CR-02, R-CR-03) ----------------------------------------------------------
class CreditLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    self_points = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class CreditDeclarationBodySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    items = CreditLineSerializer(many=True, required=False, default=list)


def _summary(d) -> dict:
    return {"id": d.pk, "year": d.scheme.year, "uscc": d.account.enterprise.uscc, "name": d.account.company_name,
            "status": d.status, "status_label": d.get_status_display(),
            "credit_score": None if d.credit_score is None else float(d.credit_score), "grade": d.grade,
            "submitted_at": d.submitted_at}


class DeclarationListView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="信用申报列表（企业：本企业；工作人员：全部）", operation_id="credit_declarations_list",
                   parameters=[OpenApiParameter("year", YEAR_SCHEMA, description="评价年度"),
                               OpenApiParameter("status", str, enum=["draft", "submitted", "returned", "initial_done", "final_done"],
                                                description="状态")],
                   responses={200: OBJECT, **ERRORS})
    def get(self, request):
        if not is_staff(request.user):
            ApprovedCompany().has_permission(request, self)
        qs = declaration_list_for(request.user)
        year, status = request.query_params.get("year"), request.query_params.get("status")
        errors = {}
        if year and not (year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX):
            errors["year"] = [YEAR_MESSAGE]
        if status and status not in DeclarationStatus.values:
            errors["status"] = ["状态只能是：" + "、".join(DeclarationStatus.values)]
        if errors:
            raise InvalidInput(errors)
        if year:
            qs = qs.filter(scheme__year=int(year))
        if status:
            qs = qs.filter(status=status)
        return Response({"results": [_summary(d) for d in qs[:500]]})

    @extend_schema(tags=TAGS, summary="创建本年度申报（企业）", request=CreditDeclarationBodySerializer,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request):
        ApprovedCompany().has_permission(request, self)
        data = _body(CreditDeclarationBodySerializer, request)
        declaration = declaration_services.create_declaration(actor=request.user, year=data["year"])
        if data["items"]:
            declaration_services.save_declaration(
                actor=request.user, declaration_id=declaration.pk,
                data=declaration_services.DeclarationInput([declaration_services.LineInput(**i)
                                                            for i in data["items"]]))
        return Response(detail(declaration_for(request.user, declaration.pk)), status=201)


class DeclarationView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="申报详情（含计算过程与时间线）", responses={200: OBJECT, **ERRORS})
    def get(self, request, pk):
        return Response(detail(declaration_for(request.user, pk)))

    @extend_schema(tags=TAGS, summary="保存申报（草稿或退回修改）", request=CreditDeclarationBodySerializer,
                   responses={200: OBJECT, **ERRORS})
    def put(self, request, pk):
        ApprovedCompany().has_permission(request, self)
        data = _body(CreditDeclarationBodySerializer, request)
        declaration = declaration_for(request.user, pk)
        if declaration.scheme.year != data["year"]:
            raise InvalidInput({"year": ["年度与申报不符"]})
        declaration_services.save_declaration(
            actor=request.user, declaration_id=pk,
            data=declaration_services.DeclarationInput([declaration_services.LineInput(**i) for i in data["items"]]))
        return Response(detail(declaration_for(request.user, pk)))


class EvidenceView(APIView):
    permission_classes = [ApprovedCompany]

    @extend_schema(tags=TAGS, summary="上传证明材料（multipart：item、file）", request=None, responses={201: OBJECT, **ERRORS})
    def post(self, request, pk):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput({"file": ["请选择要上传的文件"]})
        evidence = declaration_services.add_evidence(actor=request.user, declaration_id=pk,
                                                     item=str(request.data.get("item", "")), upload=upload)
        return Response({"id": evidence.pk, "name": evidence.name, "size": evidence.size}, status=201)


class EvidenceFileView(APIView):
    """A piece of evidence, to the company that uploaded it and to credit staff (private upload)."""

    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="下载证明材料", responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                                                              **ERRORS})
    def get(self, request, pk, evidence_id):
        declaration = declaration_for(request.user, pk)
        evidence = Evidence.objects.filter(pk=evidence_id, line__declaration=declaration).first()
        if evidence is None:
            raise NotVisible("材料不存在或您无权查看")
        return serve_private(evidence.path, filename=evidence.name, content_type=evidence.content_type)


class SubmitView(APIView):
    permission_classes = [ApprovedCompany]

    @extend_schema(tags=TAGS, summary="提交申报", request=None, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        declaration_services.submit_declaration(actor=request.user, declaration_id=pk)
        return Response(detail(declaration_for(request.user, pk)))


class CreditReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ReturnView(APIView):
    permission_classes = [has_perm(REVIEW, message="您没有退回信用申报的权限")]

    @extend_schema(tags=TAGS, summary="退回申报或部分指标", request=CreditReturnSerializer, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = _body(CreditReturnSerializer, request)
        declaration_services.return_declaration(actor=request.user, declaration_id=pk, **data)
        return Response(detail(declaration_for(request.user, pk)))


class CreditScoreLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    points = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class CreditScoreSerializer(serializers.Serializer):
    stage = serializers.CharField()
    items = CreditScoreLineSerializer(many=True)


class ScoreView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有信用评价打分的权限")]

    @extend_schema(tags=TAGS, summary="初评/终评打分", request=CreditScoreSerializer, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = _body(CreditScoreSerializer, request)
        scoring.score_items(actor=request.user, declaration_id=pk, stage=data["stage"],
                            items=[scoring.ScoreInput(**i) for i in data["items"]])
        return Response(detail(declaration_for(request.user, pk)))


class CreditDeductionSerializer(serializers.Serializer):
    item = serializers.CharField()
    points = serializers.CharField(required=False, allow_blank=True, default="")
    basis = serializers.CharField(required=False, allow_blank=True, default="")
    case_id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    source = serializers.CharField(required=False, default="case", help_text="case（快办事件）或 petition（信访记录）")


class DeductionView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有信用评价扣分的权限")]

    @extend_schema(tags=TAGS, summary="记录扣分（可选以快办事件为依据）", request=CreditDeductionSerializer,
                   responses={201: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = _body(CreditDeductionSerializer, request)
        material = request.FILES.get("material")
        if data["case_id"]:
            deduction = candidate_services.accept_candidate(
                actor=request.user, declaration_id=pk, source=data["source"], source_id=data["case_id"],
                item=data["item"], points=data["points"], basis=data["basis"], material=material)
        else:
            deduction = scoring.add_deduction(actor=request.user, declaration_id=pk, item=data["item"],
                                              points=data["points"], basis=data["basis"], material=material)
        return Response({"id": deduction.pk, **detail(declaration_for(request.user, pk))}, status=201)


class CreditVetoSerializer(serializers.Serializer):
    item = serializers.CharField()
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class VetoView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有认定一票否决的权限")]

    @extend_schema(tags=TAGS, summary="认定一票否决项", request=CreditVetoSerializer, responses={201: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = _body(CreditVetoSerializer, request)
        scoring.mark_veto(actor=request.user, declaration_id=pk, **data)
        return Response(detail(declaration_for(request.user, pk)), status=201)


class CreditConfirmSerializer(serializers.Serializer):
    stage = serializers.CharField()


class ConfirmView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有确认信用评价的权限")]

    @extend_schema(tags=TAGS, summary="确认初评/终评（终评后锁定）", request=CreditConfirmSerializer, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = _body(CreditConfirmSerializer, request)
        d = scoring.confirm_stage(actor=request.user, declaration_id=pk, stage=data["stage"])
        return Response({"credit_score": float(d.credit_score), "grade": d.grade, "working": d.working})


# --- deduction candidates -----------------------------------------------------------------------
class CandidatesView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有查看扣分线索的权限")]

    @extend_schema(tags=TAGS, summary="扣分线索：点名该企业的快办事件和信访（本人可见的）",
                   parameters=[OpenApiParameter("uscc", str, required=True, description="18位统一社会信用代码"),
                               OpenApiParameter("year", YEAR_SCHEMA, required=True, description="评价年度")],
                   responses={200: OBJECT, **ERRORS})
    def get(self, request):
        uscc = (request.query_params.get("uscc") or "").strip().upper()
        year = request.query_params.get("year") or ""
        errors = {}
        if len(uscc) != 18:
            errors["uscc"] = ["请填写18位统一社会信用代码"]
        if not (year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX):
            errors["year"] = [YEAR_MESSAGE]
        if errors:
            raise InvalidInput(errors)
        scheme = scheme_of(int(year))
        rows = candidates_for(request.user, uscc=uscc, scheme=scheme)
        return Response({"uscc": uscc, "year": scheme.year, "results": rows})


class CreditDismissSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    source = serializers.CharField(help_text="case（快办事件）或 petition（信访记录）")
    id = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DismissView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有处理扣分线索的权限")]

    @extend_schema(tags=TAGS, summary="扣分线索不扣分（须说明原因）", request=CreditDismissSerializer, responses={201: OBJECT, **ERRORS})
    def post(self, request):
        data = _body(CreditDismissSerializer, request)
        candidate_services.dismiss_candidate(actor=request.user, scheme=scheme_of(data["year"]),
                                             uscc=data["uscc"].strip().upper(), source=data["source"],
                                             source_id=data["id"], reason=data["reason"])
        return Response({"dismissed": True}, status=201)


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


urlpatterns = [
    path("accounts/register/", RegisterView.as_view(), name="credit-register"),
    path("accounts/apply/", ApplyView.as_view(), name="credit-apply"),
    path("accounts/", AccountListView.as_view(), name="credit-accounts"),
    path("accounts/<credit_id:pk>/approve/", DecideView.as_view(approve=True), name="credit-account-approve"),
    path("accounts/<credit_id:pk>/reject/", DecideView.as_view(approve=False), name="credit-account-reject"),
    path("me/", MeView.as_view(), name="credit-me"),
    path("rated/<credit_year:year>/", RatedView.as_view(), name="credit-rated"),
    path("criteria/<credit_year:year>/", CriteriaView.as_view(), name="credit-criteria"),
    path("criteria/<credit_year:year>/copy/", CopyYearView.as_view(), name="credit-criteria-copy"),
    path("criteria/<credit_year:year>/items/<str:code>/", CriteriaItemView.as_view(), name="credit-criteria-item"),
    path("declarations/", DeclarationListView.as_view(), name="credit-declarations"),
    path("declarations/<credit_id:pk>/", DeclarationView.as_view(), name="credit-declaration"),
    path("declarations/<credit_id:pk>/evidence/", EvidenceView.as_view(), name="credit-evidence"),
    path("declarations/<credit_id:pk>/evidence/<credit_id:evidence_id>/", EvidenceFileView.as_view(),
         name="credit-evidence-file"),
    path("declarations/<credit_id:pk>/submit/", SubmitView.as_view(), name="credit-submit"),
    path("declarations/<credit_id:pk>/return/", ReturnView.as_view(), name="credit-return"),
    path("declarations/<credit_id:pk>/score/", ScoreView.as_view(), name="credit-score"),
    path("declarations/<credit_id:pk>/deductions/", DeductionView.as_view(), name="credit-deductions"),
    path("declarations/<credit_id:pk>/vetoes/", VetoView.as_view(), name="credit-vetoes"),
    path("declarations/<credit_id:pk>/confirm/", ConfirmView.as_view(), name="credit-confirm"),
    path("results/<credit_year:year>/", ResultsView.as_view(), name="credit-results"),
    path("results/<credit_year:year>/generate/", GenerateResultsView.as_view(), name="credit-results-generate"),
    path("results/<credit_year:year>/publish/", PublishResultsView.as_view(), name="credit-results-publish"),
    path("results/<credit_year:year>/export/", ResultsExportView.as_view(), name="credit-results-export"),
    path("candidates/", CandidatesView.as_view(), name="credit-candidates"),
    path("candidates/dismiss/", DismissView.as_view(), name="credit-candidate-dismiss"),
]
