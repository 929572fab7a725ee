"""Declarations (R-CR-02, R-CR-03): list/create, detail/PUT, evidence, submit (the company);
return, score, deductions, vetoes, confirm (staff); the deduction candidates (list, dismiss)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.errors import InvalidInput, NotVisible
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.credit.api.common import ERRORS, OBJECT, TAGS, YEAR_MESSAGE, YEAR_SCHEMA
from zhonglou_hrss.credit.api.common import read_body
from zhonglou_hrss.credit.api.permissions import ApprovedCompany, SignedIn, has_perm
from zhonglou_hrss.credit.models import DeclarationStatus, Evidence
from zhonglou_hrss.credit.rules import REVIEW, SCORE, YEAR_MAX, YEAR_MIN
from zhonglou_hrss.credit.selectors.candidates import candidates_for
from zhonglou_hrss.credit.selectors.criteria import scheme_of
from zhonglou_hrss.credit.selectors.declarations import declaration_for, declaration_list_for, detail, is_staff
from zhonglou_hrss.credit.services import candidates as candidate_services
from zhonglou_hrss.credit.services import declarations as declaration_services
from zhonglou_hrss.credit.services import scoring


# --- declarations (R-CR-02, R-CR-03) ----------------------------------------------------------
class CreditLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    self_points = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


def _detail(request, pk) -> dict:
    """A declaration's detail with its custom fields: the company's own form fields in full,
    staff's by their roles (personal values masked)."""
    declaration = declaration_for(request.user, pk)
    own = not is_staff(request.user)
    shown = custom_fields.visible("declaration", None if own else request.user, public=own)
    return {**detail(declaration), "custom": custom_fields.read_values(declaration.custom, shown, full=own)}


class CreditDeclarationBodySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    items = CreditLineSerializer(many=True, required=False, default=list)
    custom = serializers.DictField(required=False, default=None, allow_null=True,
                                   help_text="局里设为在企业表单显示的自定义字段 {字段代码: 值}；错误在 errors[\"custom.字段代码\"]")


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
        data = read_body(CreditDeclarationBodySerializer, request)
        declaration = declaration_services.create_declaration(actor=request.user, year=data["year"])
        if data["items"] or data["custom"]:
            declaration_services.save_declaration(
                actor=request.user, declaration_id=declaration.pk,
                data=declaration_services.DeclarationInput([declaration_services.LineInput(**i)
                                                            for i in data["items"]], custom=data["custom"]))
        return Response(_detail(request, declaration.pk), status=201)


class DeclarationView(APIView):
    permission_classes = [SignedIn]

    @extend_schema(tags=TAGS, summary="申报详情（含计算过程与时间线）", responses={200: OBJECT, **ERRORS})
    def get(self, request, pk):
        return Response(_detail(request, pk))

    @extend_schema(tags=TAGS, summary="保存申报（草稿或退回修改）", request=CreditDeclarationBodySerializer,
                   responses={200: OBJECT, **ERRORS})
    def put(self, request, pk):
        ApprovedCompany().has_permission(request, self)
        data = read_body(CreditDeclarationBodySerializer, request)
        declaration = declaration_for(request.user, pk)
        if declaration.scheme.year != data["year"]:
            raise InvalidInput({"year": ["年度与申报不符"]})
        declaration_services.save_declaration(
            actor=request.user, declaration_id=pk,
            data=declaration_services.DeclarationInput([declaration_services.LineInput(**i) for i in data["items"]],
                                                       custom=data["custom"]))
        return Response(_detail(request, pk))


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
        return Response(_detail(request, pk))


class CreditReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ReturnView(APIView):
    permission_classes = [has_perm(REVIEW, message="您没有退回信用申报的权限")]

    @extend_schema(tags=TAGS, summary="退回申报或部分指标", request=CreditReturnSerializer, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = read_body(CreditReturnSerializer, request)
        declaration_services.return_declaration(actor=request.user, declaration_id=pk, **data)
        return Response(_detail(request, pk))


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
        data = read_body(CreditScoreSerializer, request)
        scoring.score_items(actor=request.user, declaration_id=pk, stage=data["stage"],
                            items=[scoring.ScoreInput(**i) for i in data["items"]])
        return Response(_detail(request, pk))


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
        data = read_body(CreditDeductionSerializer, request)
        material = request.FILES.get("material")
        if data["case_id"]:
            deduction = candidate_services.accept_candidate(
                actor=request.user, declaration_id=pk, source=data["source"], source_id=data["case_id"],
                item=data["item"], points=data["points"], basis=data["basis"], material=material)
        else:
            deduction = scoring.add_deduction(actor=request.user, declaration_id=pk, item=data["item"],
                                              points=data["points"], basis=data["basis"], material=material)
        return Response({"id": deduction.pk, **_detail(request, pk)}, status=201)


class CreditVetoSerializer(serializers.Serializer):
    item = serializers.CharField()
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class VetoView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有认定一票否决的权限")]

    @extend_schema(tags=TAGS, summary="认定一票否决项", request=CreditVetoSerializer, responses={201: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = read_body(CreditVetoSerializer, request)
        scoring.mark_veto(actor=request.user, declaration_id=pk, **data)
        return Response(_detail(request, pk), status=201)


class CreditConfirmSerializer(serializers.Serializer):
    stage = serializers.CharField()


class ConfirmView(APIView):
    permission_classes = [has_perm(SCORE, message="您没有确认信用评价的权限")]

    @extend_schema(tags=TAGS, summary="确认初评/终评（终评后锁定）", request=CreditConfirmSerializer, responses={200: OBJECT, **ERRORS})
    def post(self, request, pk):
        data = read_body(CreditConfirmSerializer, request)
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
        data = read_body(CreditDismissSerializer, request)
        candidate_services.dismiss_candidate(actor=request.user, scheme=scheme_of(data["year"]),
                                             uscc=data["uscc"].strip().upper(), source=data["source"],
                                             source_id=data["id"], reason=data["reason"])
        return Response({"dismissed": True}, status=201)
