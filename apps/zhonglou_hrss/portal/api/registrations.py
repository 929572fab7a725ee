"""Job-fair registrations (R-PT-08, 09, 10, 18), mounted at ``/api/v1/portal/registrations/``.

An approved enterprise (pending / rejected accounts get 403 账号待审核 /
账号未通过审核：<原因>):

- ``GET  registrations/``                 its own registrations (every fair)
- ``POST registrations/``                 a draft for a fair open for registration (one per fair)
- ``GET/PUT registrations/{id}/``         read it; replace it while not approved (rows replaced whole)
- ``DELETE registrations/{id}/``          withdraw it while not approved
- ``POST registrations/{id}/stamped_form/``  the stamped form (multipart ``file``)
- ``POST registrations/{id}/submit/``     send it to review

Staff (就业后台: portal.view_jobfair, portal.review_registration):

- ``GET  registrations/?jobfair=&status=&q=``  the latest fair's by default (R-PT-18); drafts never
- ``GET  registrations/{id}/?pii=1``      personal data in full with core.view_pii (audited)
- ``POST registrations/{id}/approve/``, ``reject/`` ``{"reason"}``

Both: ``GET registrations/{id}/stamped_form/`` shows the stamped form (inline).

The owning enterprise sees its attendees' mobiles and ID numbers in full;
staff see them masked unless disclosed (``core.pii.disclose``). Every rule is
in ``services.jobfairs``; an error of a row is named ``attendees[0].id_number``
(as everywhere in the site's API), the fair ``jobfair``.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import custom_fields, pii
from zhonglou_hrss.core.api_errors import ErrorSerializer, error_responses, flatten_errors
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.core.errors import InvalidInput, NotVisible
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.core.selectors import access_of, access_refusal
from zhonglou_hrss.portal.api import paths  # noqa: F401  (the <id:…> converter)
from zhonglou_hrss.portal.api.paging import ListPagination
from zhonglou_hrss.portal.api.permissions import ApprovedEnterprise, has_perm
from zhonglou_hrss.portal.api.serializers import (
    RegistrationDetailQuerySerializer,
    RegistrationFilterSerializer,
    RegistrationInputBodySerializer,
    RegistrationSerializer,
    RejectSerializer,
    StampedFormUploadSerializer,
)
from zhonglou_hrss.portal.rules import REVIEW_REGISTRATIONS, SUBSYSTEM
from zhonglou_hrss.portal.selectors.jobfairs import (
    filter_registrations,
    is_jobfair_staff,
    latest_fair,
    registration_for,
    registration_list_for,
    with_rows,
)
from zhonglou_hrss.portal.services.jobfairs import (
    AttendeeInput,
    PositionInput,
    RegistrationInput,
    decide_registration,
    save_registration,
    set_stamped_form,
    submit_registration,
    withdraw_registration,
)

TAGS = ["码上办：招聘会报名"]
NOT_FOUND = "报名不存在或您无权查看"
NOT_ALLOWED = "您没有查看招聘会报名的权限"
PII_FIELDS = ["contact_phone", "attendees.phone", "attendees.id_number"]
_403 = OpenApiResponse(ErrorSerializer, description="非审核通过的企业账号（账号待审核 / 账号未通过审核：<原因>）或无权限")
_409 = {409: OpenApiResponse(ErrorSerializer, description="报名已审核通过（不能再修改或撤回）、已提交，或招聘会已停止报名；"
                                                          "数据未作任何修改")}


class StaffOrApprovedEnterprise(BasePermission):
    """就业后台 (portal.view_jobfair), or an approved enterprise account; a pending or
    rejected account hears why (账号待审核 / 账号未通过审核：<原因>)."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False  # 401
        if is_jobfair_staff(request.user):
            return True
        if access_of(request.user, SUBSYSTEM) is None:
            raise PermissionDenied(NOT_ALLOWED)
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            raise PermissionDenied(refusal)
        return True


# --- errors: the contract's names -------------------------------------------------------------
def _renamed(errors: dict) -> dict:
    """The service's ``fair_id`` is the contract's ``jobfair``; a row's field keeps the
    site's form (``attendees[0].id_number``, ``positions[1].salary_max``)."""
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        out.setdefault("jobfair" + key[len("fair_id"):] if key.startswith("fair_id") else key, []).extend(messages)
    return out


@contextmanager
def contract_names():
    """The service's InvalidInput with the fields named as the API names them."""
    try:
        yield
    except InvalidInput as exc:
        raise InvalidInput(_renamed(exc.errors), exc.message) from None


def _read_body(data) -> RegistrationInput:
    body = RegistrationInputBodySerializer(data=data)
    if not body.is_valid():
        # DRF keys a list's rows by index (``positions.0.count``): named as the service names them.
        raise InvalidInput({re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", key): messages
                            for key, messages in flatten_errors(body.errors).items()})
    v = body.validated_data
    return RegistrationInput(
        fair_id=v["jobfair"], contact_name=v["contact_name"], contact_phone=v["contact_phone"],
        introduction=v["introduction"], attendees=[AttendeeInput(**row) for row in v["attendees"]],
        positions=[PositionInput(**row) for row in v["positions"]], custom=v.get("custom"))


# --- reads -------------------------------------------------------------------------------------
def _own(user, registration) -> bool:
    access = access_of(user, SUBSYSTEM)
    return access is not None and access.account.enterprise_id == registration.enterprise_id


def _with_rows(user, registration_id):
    registration = with_rows(registration_list_for(user)).filter(pk=registration_id).first()
    if registration is None:
        raise NotVisible(NOT_FOUND)
    return registration


def registration_data(request, registration_id, *, asked: bool = False) -> dict:
    """One registration: the enterprise's own in full; staff's masked unless they
    asked (``?pii=1``) and hold core.view_pii — then one audit row."""
    registration = _with_rows(request.user, registration_id)
    own = _own(request.user, registration)
    shown = custom_fields.visible("registration", None if own else request.user, public=own)
    if own:
        full = True
    else:
        full = pii.disclose(request.user, registration, asked=asked, request=request, fields=[
            *PII_FIELDS, *custom_fields.personal_shown("registration", registration, request.user, shown)])
    return RegistrationSerializer(registration, context={"request": request, "full_pii": full,
                                                         "custom_fields": shown}).data


class RegistrationListView(ListAPIView):
    serializer_class = RegistrationSerializer
    pagination_class = ListPagination

    def get_permissions(self):
        if self.request.method == "POST":
            return [ApprovedEnterprise()]
        return [StaffOrApprovedEnterprise()]

    def get_queryset(self):
        params = RegistrationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        fair_id = filters.pop("jobfair", None)
        qs = registration_list_for(self.request.user)
        if fair_id is None and is_jobfair_staff(self.request.user):
            latest = latest_fair()  # R-PT-18: staff review the latest fair unless they choose another
            if latest is None:
                return qs.none()
            fair_id = latest.pk
        qs = custom_fields.filter_queryset(qs, "registration", custom_fields.filter_params(self.request.query_params),
                                           user=self.request.user)
        return with_rows(filter_registrations(qs, fair_id=fair_id, **filters))

    def get_serializer_context(self):
        # The enterprise's own list in full; staff's lists always masked.
        own = not is_jobfair_staff(self.request.user)
        return {**super().get_serializer_context(), "full_pii": own,
                "custom_fields": custom_fields.visible("registration", None if own else self.request.user,
                                                       public=own)}

    @extend_schema(tags=TAGS, summary="招聘会报名列表", parameters=[RegistrationFilterSerializer],
                   description="企业：本企业的全部报名（各场招聘会，含草稿），参会人员的手机号和身份证号为完整值。"
                               "就业后台：已提交的报名（不含草稿），不指定 jobfair 时为最近一场招聘会的（R-PT-18）；"
                               "可按状态和企业名称筛选；个人信息一律脱敏。最新提交的在前。",
                   responses={200: RegistrationSerializer(many=True), **error_responses(400, 401), 403: _403,
                              **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="报名招聘会（企业）", request=RegistrationInputBodySerializer,
                   description="审核通过的企业报名开放报名的招聘会（R-PT-08、10），先保存为草稿（draft）：联系人、联系人"
                               "手机号、招聘简介、参会人员（1—10名：姓名、性别 male/female、职务、手机号、身份证号）、招聘"
                               "岗位（1—30个：岗位名称、人数、学历编码、专业、描述、月薪下限和上限，下限不高于上限）。所有"
                               "字段一次检查，列表中的字段写作 attendees[0].id_number、positions[1].salary_max。每家企业每场"
                               "招聘会只能报名一次（jobfair 字段 400）。上传盖章报名表后提交审核。",
                   responses={201: OpenApiResponse(RegistrationSerializer, description="已保存为草稿"),
                              **error_responses(400, 401), 403: _403, **_409})
    def post(self, request, *args, **kwargs):
        data = _read_body(request.data)
        with contract_names():
            registration = save_registration(actor=request.user, data=data)
        return Response(registration_data(request, registration.pk), status=201)


class RegistrationDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [StaffOrApprovedEnterprise()]
        return [ApprovedEnterprise()]

    @extend_schema(tags=TAGS, summary="招聘会报名详情", parameters=[RegistrationDetailQuerySerializer],
                   description="企业看到本企业的报名（个人信息完整）；就业后台看到已提交的报名，个人信息脱敏，加 pii=1 且有"
                               "“查看完整个人信息”权限时为完整值并记入审计日志。其他企业的报名为 404。",
                   responses={200: RegistrationSerializer, **error_responses(400, 401), 403: _403,
                              **error_responses(404)})
    def get(self, request, pk):
        params = RegistrationDetailQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(registration_data(request, pk, asked=params.validated_data["pii"]))

    @extend_schema(tags=TAGS, summary="修改招聘会报名（企业）", request=RegistrationInputBodySerializer,
                   description="以请求内容替换报名（参会人员和岗位整体替换），审核通过前均可修改；待审核的修改后仍待审核，"
                               "按修改后的内容审核。手机号、身份证号原样送回脱敏值表示不变。jobfair 可省略，不能更换。"
                               "已审核通过的为 409（与审核同时发生时，要么修改在先并按修改后的内容通过，要么修改得到 409）。",
                   responses={200: RegistrationSerializer, **error_responses(400, 401), 403: _403,
                              **error_responses(404), **_409})
    def put(self, request, pk):
        registration_for(request.user, pk)  # 404 before reading the body
        data = _read_body(request.data)
        with contract_names():
            save_registration(actor=request.user, data=data, registration_id=pk)
        return Response(registration_data(request, pk))

    @extend_schema(tags=TAGS, summary="撤回招聘会报名（企业）", request=None,
                   description="撤回（删除）审核通过前的报名，连同参会人员、岗位和盖章报名表；审计日志保留撤回记录。"
                               "已审核通过的不能撤回（409）。撤回后可重新报名该招聘会。",
                   responses={204: OpenApiResponse(description="已撤回"), **error_responses(401), 403: _403,
                              **error_responses(404), **_409})
    def delete(self, request, pk):
        withdraw_registration(actor=request.user, registration_id=pk)
        return Response(status=204)


class StampedFormView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self):
        if self.request.method == "GET":
            return [StaffOrApprovedEnterprise()]
        return [ApprovedEnterprise()]

    @extend_schema(tags=TAGS, summary="查看盖章报名表", request=None,
                   description="报名的盖章报名表（JPG 或 PDF），在浏览器中直接显示（Content-Disposition: inline，"
                               "X-Content-Type-Options: nosniff）。本企业和就业后台可看；尚未上传为 404。",
                   responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="图片"),
                              (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
                              **error_responses(401), 403: _403, **error_responses(404)})
    def get(self, request, pk):
        registration = registration_for(request.user, pk)
        if not registration.stamped_form_path:
            raise NotVisible("尚未上传盖章报名表")
        response = serve_private(registration.stamped_form_path, filename=registration.stamped_form_name,
                                 content_type=registration.stamped_form_type)
        response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
        return response

    @extend_schema(tags=TAGS, summary="上传盖章报名表（企业）",
                   request={"multipart/form-data": StampedFormUploadSerializer},
                   description="加盖公章的报名表扫描件或照片（R-PT-10）：JPG、PNG 或 PDF，不超过10 MB，按内容检查（图片去除"
                               "EXIF 后重新编码，含脚本的 PDF 拒收）；替换之前上传的。审核通过后不能再换（409）。",
                   responses={200: RegistrationSerializer, **error_responses(400, 401), 403: _403,
                              **error_responses(404), **_409})
    def post(self, request, pk):
        registration_for(request.user, pk)
        StampedFormUploadSerializer(data=request.data).is_valid(raise_exception=True)
        set_stamped_form(actor=request.user, registration_id=pk, upload=request.FILES.get("file"))
        return Response(registration_data(request, pk))


class SubmitView(APIView):
    permission_classes = [ApprovedEnterprise]

    @extend_schema(tags=TAGS, summary="提交报名审核（企业）", request=None,
                   description="草稿或未通过（修改后）的报名提交审核，状态变为待审核（pending）。须已上传盖章报名表"
                               "（否则 400，字段 stamped_form）。已提交、已通过或招聘会已停止报名为 409。",
                   responses={200: RegistrationSerializer, **error_responses(400, 401), 403: _403,
                              **error_responses(404), **_409})
    def post(self, request, pk):
        submit_registration(actor=request.user, registration_id=pk)
        return Response(registration_data(request, pk))


def _decide_view(approve: bool):
    class View(APIView):
        permission_classes = [has_perm(REVIEW_REGISTRATIONS, message="您没有审核招聘会报名的权限")]

        @extend_schema(tags=TAGS, summary="审核通过招聘会报名（工作人员）" if approve else "审核不通过招聘会报名（工作人员）",
                       request=None if approve else RejectSerializer,
                       description=("待审核的报名审核通过；通过后企业不能再修改或撤回。" if approve else
                                    "须填写原因（reason）；企业看到“未通过”和原因，修改后重新提交。")
                       + "不是待审核（可能他人刚处理、企业刚撤回）为 409 / 404。",
                       responses={200: RegistrationSerializer,
                                  **error_responses(*([] if approve else [400]), 401, 403, 404, 409)})
        def post(self, request, pk):
            reason = ""
            if not approve:
                body = RejectSerializer(data=request.data)
                body.is_valid(raise_exception=True)
                reason = body.validated_data["reason"]
            decide_registration(actor=request.user, registration_id=pk, approve=approve, reason=reason)
            return Response(registration_data(request, pk))

    View.__name__ = "RegistrationApproveView" if approve else "RegistrationRejectView"
    return View


urlpatterns = [
    path("", RegistrationListView.as_view(), name="portal-registrations"),
    path("<id:pk>/", RegistrationDetailView.as_view(), name="portal-registration-detail"),
    path("<id:pk>/stamped_form/", StampedFormView.as_view(), name="portal-registration-stamped-form"),
    path("<id:pk>/submit/", SubmitView.as_view(), name="portal-registration-submit"),
    path("<id:pk>/approve/", _decide_view(True).as_view(), name="portal-registration-approve"),
    path("<id:pk>/reject/", _decide_view(False).as_view(), name="portal-registration-reject"),
]
