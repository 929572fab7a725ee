"""The questionnaire API (fixed contract of issue 14), mounted at
``/api/v1/questionnaires/`` — and the enterprise's HR-company list at
``/api/v1/credit/my-hr-companies/``.

- ``GET  {key}/``                              anyone: the published version
- ``GET  entry/enterprises/?q=``               anyone: registered enterprises to pick (R-CR-08)
- ``GET  entry/enterprises/{uscc}/hr-companies/``  anyone: that enterprise's HR companies
- ``POST {key}/responses/``                    HR questionnaire: an approved enterprise; employee: anyone,
                                               with a captcha and the ID number → 201 ``{"id","score"}``;
                                               400 naming the questions; 409 a second response
- ``GET  {key}/responses/``                    an enterprise: its own; staff: all, filtered
- ``POST responses/{id}/review/``              staff: 有效 / 无效 with a reason (R-PT-15)
- ``POST responses/{id}/correct/``             staff: a corrected score with a reason (R-CR-06)
- ``GET  {key}/composites/?year=``             staff: per HR company (R-CR-07, R-CR-09)
- ``GET/POST/DELETE credit/my-hr-companies/``  an approved enterprise's list (R-CR-05)
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import captcha
from zhonglou_hrss.core.api_errors import ErrorSerializer, error_responses
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND, PageNumberPagination
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.errors import InvalidInput, NotVisible
from zhonglou_hrss.questionnaires.api import paths  # noqa: F401  (the <qid:…> converter)
from zhonglou_hrss.questionnaires.api.serializers import (
    CompanySerializer,
    CompositeQuerySerializer,
    CompositeSerializer,
    CorrectInputSerializer,
    DefinitionSerializer,
    EntrySearchSerializer,
    HrCompanyDeleteSerializer,
    HrCompanyInputSerializer,
    ResponseCreatedSerializer,
    ResponseFilterSerializer,
    ResponseInputSerializer,
    ResponseItemSerializer,
    ReviewInputSerializer,
)
from zhonglou_hrss.questionnaires.rules import (
    EMPLOYEE,
    VIEW_RESPONSES,
    employee_ip_limit,
    entry_search_limit,
)
from zhonglou_hrss.questionnaires.selectors.definitions import (
    definition_of,
    public_definition,
    published_by_key,
    questionnaire_by_key,
)
from zhonglou_hrss.questionnaires.selectors.hr_companies import (
    enterprise_of,
    enterprise_refusal,
    entry_hr_companies,
    hr_companies_of,
    search_enterprises,
)
from zhonglou_hrss.questionnaires.selectors.responses import composites, filter_responses, response_list_for
from zhonglou_hrss.questionnaires.services.hr_companies import add_hr_company, remove_hr_company
from zhonglou_hrss.questionnaires.services.responses import ResponseInput, correct, review, submit_response, validate_response

TAGS = ["问卷"]
DEVICE_COOKIE = "zlq_device"
_429 = OpenApiResponse(ErrorSerializer, description="提交或查询过于频繁，请稍后再试")


def _too_many(message: str) -> Response:
    return Response({"detail": message}, status=429)


def _score(value):
    return None if value is None else float(value)


class StaffOnly(BasePermission):
    message = "您没有查看问卷答卷的权限"

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if not request.user.has_perm(VIEW_RESPONSES):
            raise PermissionDenied(self.message)
        return True


class ApprovedEnterprise(BasePermission):
    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        refusal = enterprise_refusal(request.user)
        if refusal:
            raise PermissionDenied(refusal)
        return True


# --- the definition ----------------------------------------------------------------------------
class DefinitionView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, summary="问卷（当前发布版本）",
                   description="问卷的当前发布版本：各部分、题目、选项、量表（含“不适用”）、显示条件。"
                               "回答：单选为选项编号，多选为选项编号数组，量表为整数或 \"na\"（不适用），"
                               "数字题为数字，日期为 YYYY-MM-DD，文字题为文字。",
                   responses={200: DefinitionSerializer, **error_responses(404)})
    def get(self, request, key):
        return Response(public_definition(definition_of(published_by_key(key))))


# --- the employee's entry (public) --------------------------------------------------------------
class EntryEnterprisesView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, summary="选择用工单位（员工问卷，无需登录）", parameters=[EntrySearchSerializer],
                   description="已注册并通过审核、且已填写合作人力资源企业名单的用工单位，按名称关键词或完整统一社会信用代码查找，"
                               "最多20家（R-CR-08）。",
                   responses={200: CompanySerializer(many=True), **error_responses(400), 429: _429})
    def get(self, request):
        params = EntrySearchSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        limit, ip = entry_search_limit(), client_ip(request)
        if limit.exceeded(ip):
            return _too_many(limit.message)
        limit.hit(ip)
        return Response(search_enterprises(params.validated_data.get("q", "")))


class EntryHrCompaniesView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, summary="该用工单位的劳务派遣（人力资源）单位（员工问卷，无需登录）",
                   responses={200: CompanySerializer(many=True), **error_responses(404)})
    def get(self, request, uscc):
        found = entry_hr_companies(uscc)
        if found is None:
            raise NotVisible("没有找到该用工单位")
        return Response(found)


# --- responses ---------------------------------------------------------------------------------
class ResponsesView(ListAPIView):
    serializer_class = ResponseItemSerializer
    pagination_class = PageNumberPagination

    def get_permissions(self):
        return [AllowAny()]

    def get_queryset(self):
        params = ResponseFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        questionnaire_by_key(self.kwargs["key"])
        user = self.request.user
        if not user.is_authenticated:
            raise NotAuthenticated()
        qs = response_list_for(user)
        if not user.has_perm(VIEW_RESPONSES):
            refusal = enterprise_refusal(user)
            if refusal:
                raise PermissionDenied(refusal)
            data = {"year": data.get("year")}  # an enterprise filters its own by year only
        return filter_responses(qs, questionnaire=self.kwargs["key"], **data)

    @extend_schema(tags=TAGS, summary="答卷列表", parameters=[ResponseFilterSerializer],
                   description="企业：本企业提交的评价（仅限用工单位HR问卷），可按年度筛选；工作人员：全部答卷，"
                               "可按年度、被评价单位、有效/无效、风险提示筛选。最新提交的在前。",
                   responses={200: ResponseItemSerializer(many=True), **error_responses(400, 401, 403, 404),
                              **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="提交答卷", request=ResponseInputSerializer,
                   description="用工单位HR问卷：已审核通过的企业账号，被评价单位须在本企业的合作名单中，每个单位每年一份"
                               "（R-CR-05）。员工问卷：无需登录，须先 GET /api/v1/captcha/ 取得验证码，并填写身份证号；同一身份证号"
                               "每年对同一单位只能提交一份（R-CR-08）。回答有误时为 400，errors 中按 answers.<题目编号> 列出；"
                               "重复提交为 409。",
                   responses={201: ResponseCreatedSerializer, **error_responses(400, 401, 403, 404, 409), 429: _429})
    def post(self, request, key):
        body = ResponseInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        version = published_by_key(key)
        employee = version.questionnaire.audience == EMPLOYEE
        respondent = data.get("respondent") or {}
        ip = client_ip(request)
        response_input = ResponseInput(year=data["year"], target_uscc=data["target_uscc"], answers=data["answers"],
                                       id_number=respondent.get("id_number", ""),
                                       enterprise_uscc=respondent.get("enterprise_uscc", ""), ip=ip,
                                       device=(request.COOKIES.get(DEVICE_COOKIE) or "")[:64])
        user = request.user if request.user.is_authenticated else None
        if not employee:
            if user is None:
                raise NotAuthenticated()
            created = submit_response(key=key, data=response_input, user=user)
            return Response({"id": created.pk, "score": _score(created.score)}, status=201)
        limit = employee_ip_limit()
        if limit.exceeded(ip):
            return _too_many(limit.message)
        try:
            captcha.check(data.get("captcha_key", ""), data.get("captcha_value", ""))
        except captcha.CaptchaError as exc:
            errors = {"captcha_value": [str(exc)]}
            try:
                validate_response(key=key, data=response_input, user=None)
            except InvalidInput as invalid:
                errors = {**invalid.errors, **errors}
            raise InvalidInput(errors) from None
        created = submit_response(key=key, data=response_input, user=None)
        limit.hit(ip)
        return Response({"id": created.pk, "score": _score(created.score)}, status=201)


def _item(request, pk):
    return ResponseItemSerializer(response_list_for(request.user).get(pk=pk)).data


class ReviewView(APIView):
    permission_classes = [StaffOnly]

    @extend_schema(tags=TAGS, summary="标记答卷有效 / 无效（工作人员）", request=ReviewInputSerializer,
                   description="R-PT-15：无效须填写理由；无效答卷不计入任何得分和份数。每次标记记入答卷的处理记录。",
                   responses={200: ResponseItemSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        body = ReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review(actor=request.user, response_id=pk, valid=body.validated_data["valid"],
               reason=body.validated_data.get("reason", ""))
        return Response(_item(request, pk))


class CorrectView(APIView):
    permission_classes = [StaffOnly]

    @extend_schema(tags=TAGS, summary="更正答卷得分（工作人员）", request=CorrectInputSerializer,
                   description="R-CR-06：问卷自身得分为默认评价得分；工作人员可更正，须填写理由，原得分保留可见。",
                   responses={200: ResponseItemSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        body = CorrectInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correct(actor=request.user, response_id=pk, score=body.validated_data["score"],
                reason=body.validated_data["reason"])
        return Response(_item(request, pk))


class CompositesView(APIView):
    permission_classes = [StaffOnly]

    @extend_schema(tags=TAGS, summary="各单位综合得分（工作人员）", parameters=[CompositeQuerySerializer],
                   description="某年度每个被评价单位的有效答卷数和综合得分，汇总方式为问卷设置的算术平均、截尾平均或按用工人数加权"
                               "（R-CR-07、R-CR-09）；有更正的答卷取更正后的得分。",
                   responses={200: CompositeSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, key):
        params = CompositeQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        questionnaire = questionnaire_by_key(key)
        rows = composites(questionnaire, params.validated_data["year"])
        return Response([{"uscc": c.uscc, "name": c.name, "responses": c.responses, "score": _score(c.score)}
                         for c in rows])


# --- the enterprise's HR-company list (R-CR-05) ------------------------------------------------
def _my_list(request) -> list[dict]:
    return [{"uscc": c.hr_company.uscc, "name": c.name} for c in hr_companies_of(enterprise_of(request.user))]


class MyHrCompaniesView(APIView):
    permission_classes = [ApprovedEnterprise]

    @extend_schema(tags=TAGS, summary="本企业的合作人力资源企业名单", description="R-CR-05：已审核通过的企业账号。",
                   responses={200: CompanySerializer(many=True), **error_responses(401, 403)})
    def get(self, request):
        return Response(_my_list(request))

    @extend_schema(tags=TAGS, summary="加入合作人力资源企业", request=HrCompanyInputSerializer,
                   description="统一社会信用代码（校验）+ 单位全称；已在企业库中的单位自动关联。已在名单中为 409。",
                   responses={201: CompanySerializer(many=True), **error_responses(400, 401, 403, 409)})
    def post(self, request):
        body = HrCompanyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        add_hr_company(actor=request.user, **body.validated_data)
        return Response(_my_list(request), status=201)

    @extend_schema(tags=TAGS, summary="移出合作人力资源企业", request=HrCompanyDeleteSerializer,
                   parameters=[OpenApiParameter("uscc", str, required=False, description="也可在查询参数中给出")],
                   description="按统一社会信用代码移出（已提交的评价保留）。名单中没有该单位为 404。",
                   responses={200: CompanySerializer(many=True), **error_responses(400, 401, 403, 404)})
    def delete(self, request):
        data = request.data if isinstance(request.data, dict) and request.data else request.query_params
        body = HrCompanyDeleteSerializer(data=data)
        body.is_valid(raise_exception=True)
        remove_hr_company(actor=request.user, uscc=body.validated_data["uscc"])
        return Response(_my_list(request))


urlpatterns = [
    path("entry/enterprises/", EntryEnterprisesView.as_view(), name="questionnaires-entry-enterprises"),
    path("entry/enterprises/<str:uscc>/hr-companies/", EntryHrCompaniesView.as_view(),
         name="questionnaires-entry-hr-companies"),
    path("responses/<qid:pk>/review/", ReviewView.as_view(), name="questionnaires-response-review"),
    path("responses/<qid:pk>/correct/", CorrectView.as_view(), name="questionnaires-response-correct"),
    path("<slug:key>/", DefinitionView.as_view(), name="questionnaires-definition"),
    path("<slug:key>/responses/", ResponsesView.as_view(), name="questionnaires-responses"),
    path("<slug:key>/composites/", CompositesView.as_view(), name="questionnaires-composites"),
]

credit_urlpatterns = [
    path("my-hr-companies/", MyHrCompaniesView.as_view(), name="credit-my-hr-companies"),
]
