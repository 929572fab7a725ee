"""Job fairs (R-PT-08, 17, 19), mounted at ``/api/v1/portal/jobfairs/``.

- ``GET  jobfairs/``                      anyone: the fairs open for registration with their documents;
  staff (portal.view_jobfair) with ``?all=1``: every fair with its counts
- ``POST jobfairs/``                      staff (portal.manage_jobfair): ``{"name","date","venue","notes"?}``
- ``PUT  jobfairs/{id}/``                 staff: change it
- ``POST jobfairs/{id}/open/``, ``close/``  staff: open or close its registration
- ``POST jobfairs/{id}/attachments/``     staff: multipart ``file`` (+ ``is_form_template``)
- ``DELETE jobfairs/{id}/attachments/{aid}/``
- ``GET  jobfairs/{id}/export/``          staff: the registered enterprises and their positions (xlsx)

Every rule is in ``services.jobfairs`` and ``selectors.jobfairs``; a document's
URL is the portal page ``portal:jobfair_attachment``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.api_paging import PAGE_NOT_FOUND
from zhonglou_hrss.portal.api import paths  # noqa: F401  (the <id:…> converter)
from zhonglou_hrss.portal.api.paging import ListPagination
from zhonglou_hrss.portal.api.permissions import has_perm
from zhonglou_hrss.portal.api.serializers import (
    AttachmentUploadSerializer,
    ExportQuerySerializer,
    FairInputSerializer,
    FairListQuerySerializer,
    FairSerializer,
    StaffFairAttachmentSerializer,
)
from zhonglou_hrss.portal.exports.jobfairs import fair_export_response
from zhonglou_hrss.portal.models import JobFairAttachment
from zhonglou_hrss.portal.rules import MANAGE_JOBFAIRS, VIEW_JOBFAIRS
from zhonglou_hrss.portal.selectors.jobfairs import fair_list_for, is_jobfair_staff, open_fairs
from zhonglou_hrss.portal.services.jobfairs import (
    FairInput,
    add_fair_attachment,
    remove_fair_attachment,
    save_fair,
    set_registration_open,
)

TAGS = ["码上办：招聘会"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_manager = has_perm(MANAGE_JOBFAIRS, message="您没有管理招聘会的权限")
_attachments = Prefetch("attachments", queryset=JobFairAttachment.objects.order_by("-is_form_template", "id"))


def staff_fair_data(request, fair_id) -> dict:
    """A fair as staff see it (open or not, its counts and documents)."""
    fair = fair_list_for(request.user).prefetch_related(_attachments).get(pk=fair_id)
    return FairSerializer(fair, context={"request": request, "staff": True}).data


class FairListView(ListAPIView):
    serializer_class = FairSerializer
    pagination_class = ListPagination

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [_manager()]

    def _staff(self) -> bool:
        params = FairListQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data["all"] and is_jobfair_staff(self.request.user)

    def get_queryset(self):
        if self._staff():
            return fair_list_for(self.request.user).prefetch_related(_attachments)
        return open_fairs(timezone.localdate(clock.now()))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "staff": self._staff()}

    @extend_schema(tags=TAGS, summary="招聘会列表", parameters=[FairListQuerySerializer],
                   description="开放报名的招聘会（已开放报名且举办日期未过），日期最近的在前，附各自的附件（含空白报名表"
                               "模板）。无需登录。就业后台加 all=1 列出全部招聘会（最新的在前），另有 registration_open、"
                               "notes、registration_count（已提交，不含草稿）、pending_count（待审核）。",
                   responses={200: FairSerializer(many=True), **error_responses(400), **PAGE_NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="新建招聘会（工作人员）", request=FairInputSerializer,
                   description="名称、举办日期、举办地点（R-PT-17），说明可空。新建的招聘会未开放报名，开放后企业才能报名。",
                   responses={201: OpenApiResponse(FairSerializer, description="已新建，返回招聘会（工作人员视图）"),
                              **error_responses(400, 401, 403)})
    def post(self, request, *args, **kwargs):
        body = FairInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fair = save_fair(actor=request.user, data=FairInput(**body.validated_data))
        return Response(staff_fair_data(request, fair.pk), status=201)


class FairDetailView(APIView):
    permission_classes = [_manager]

    @extend_schema(tags=TAGS, summary="修改招聘会（工作人员）", request=FairInputSerializer,
                   description="以请求内容替换名称、举办日期、举办地点和说明；是否开放报名不变。",
                   responses={200: FairSerializer, **error_responses(400, 401, 403, 404)})
    def put(self, request, pk):
        body = FairInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        save_fair(actor=request.user, data=FairInput(**body.validated_data), fair_id=pk)
        return Response(staff_fair_data(request, pk))


def _open_view(is_open: bool):
    verb = "开放" if is_open else "关闭"

    class View(APIView):
        permission_classes = [_manager]

        @extend_schema(tags=TAGS, summary=f"{verb}招聘会报名（工作人员）", request=None,
                       description=("开放后，审核通过的企业可以报名；举办日期已过的招聘会不能开放（409）。" if is_open else
                                    "关闭后企业不能再报名、修改或提交，已有的报名照常审核。") + "已是该状态时不变。",
                       responses={200: FairSerializer, **error_responses(401, 403, 404, *([409] if is_open else []))})
        def post(self, request, pk):
            set_registration_open(actor=request.user, fair_id=pk, is_open=is_open)
            return Response(staff_fair_data(request, pk))

    View.__name__ = f"Fair{'Open' if is_open else 'Close'}View"
    return View


class FairAttachmentsView(APIView):
    permission_classes = [_manager]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(tags=TAGS, summary="上传招聘会附件（工作人员）",
                   request={"multipart/form-data": AttachmentUploadSerializer},
                   description="PDF、Word、Excel 或 JPG/PNG（按内容检查，图片去除 EXIF 后重新编码），每个不超过20 MB，"
                               "每场最多10个。is_form_template=true 标记为空白报名表模板（替换原来的标记）。",
                   responses={201: StaffFairAttachmentSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = add_fair_attachment(actor=request.user, fair_id=pk, upload=request.FILES.get("file"),
                                         is_form_template=body.validated_data["is_form_template"])
        return Response(StaffFairAttachmentSerializer(attachment, context={"request": request}).data, status=201)


class FairAttachmentView(APIView):
    permission_classes = [_manager]

    @extend_schema(tags=TAGS, summary="删除招聘会附件（工作人员）", request=None,
                   responses={204: OpenApiResponse(description="已删除"), **error_responses(401, 403, 404)})
    def delete(self, request, pk, attachment_id):
        remove_fair_attachment(actor=request.user, fair_id=pk, attachment_id=attachment_id)
        return Response(status=204)


class FairExportView(APIView):
    permission_classes = [has_perm(VIEW_JOBFAIRS, message="您没有导出招聘会报名的权限")]

    @extend_schema(tags=TAGS, summary="导出招聘会报名（Excel）", parameters=[ExportQuerySerializer],
                   description="所选招聘会的参会企业及其岗位（R-PT-19），政府格式：标题行为招聘会名称，日期和地点，"
                               "填报单位和导出时间，合并表头；每个岗位一行，附其企业。默认为审核通过的企业（scope=submitted："
                               "已提交的）。逐行写出，每次导出记入审计日志。联系电话默认脱敏；full=1 须有“导出完整个人信息”"
                               "权限（否则 403）并填写 export_reason（否则 400）。",
                   responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 文件"),
                              **error_responses(400, 401, 403, 404)})
    def get(self, request, pk):
        params = ExportQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return fair_export_response(user=request.user, fair_id=pk, full=data["full"], reason=data["export_reason"],
                                    scope=data["scope"], request=request)


urlpatterns = [
    path("", FairListView.as_view(), name="portal-jobfairs"),
    path("<id:pk>/", FairDetailView.as_view(), name="portal-jobfair-detail"),
    path("<id:pk>/open/", _open_view(True).as_view(), name="portal-jobfair-open"),
    path("<id:pk>/close/", _open_view(False).as_view(), name="portal-jobfair-close"),
    path("<id:pk>/attachments/", FairAttachmentsView.as_view(), name="portal-jobfair-attachments"),
    path("<id:pk>/attachments/<id:attachment_id>/", FairAttachmentView.as_view(),
         name="portal-jobfair-attachment"),
    path("<id:pk>/export/", FairExportView.as_view(), name="portal-jobfair-export"),
]
