"""The platform API's reports (issue 17): saved reports over the apps' sources.

- ``reports/`` GET (own + shared with my roles), POST (platform.build_report);
- ``reports/{id}/`` GET, PUT, DELETE (the owner, or a holder of platform.manage_reports);
- ``reports/{id}/share/`` POST ``{"shared_with": [role names]}``: only the sharing changes;
- ``reports/{id}/run/`` GET → ``{"columns": [{"key", "label"}], "rows": [[…]], "warnings": […]}``;
- ``reports/{id}/definition/`` GET and ``reports/import/`` POST: a definition as JSON between sites;
- ``reports/sources/`` GET: the sources and fields the caller may use;
- ``reports/preview/`` POST: an unsaved definition's result (the desk's builder).

Desk users only (core.access_desk): an enterprise account gets 403, no session 401.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.platform.rules import BUILD, validate
from zhonglou_hrss.platform.selectors import reports as selectors
from zhonglou_hrss.platform.services import reports as services

TAGS = ["自定义报表"]
OBJECT = OpenApiTypes.OBJECT
ERRORS = error_responses(400, 401, 403, 404)
DESK = "core.access_desk"


class DeskUser(BasePermission):
    message = "自定义报表只供工作台用户使用"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(DESK))


class ReportAggregate(serializers.Serializer):
    op = serializers.ChoiceField(choices=["count", "sum", "avg"])
    field = serializers.CharField(required=False, allow_blank=True, help_text="count 可留空（记录数）")


class ReportSort(serializers.Serializer):
    key = serializers.CharField()
    desc = serializers.BooleanField(required=False)


AGGREGATE, SORT = ReportAggregate, ReportSort
def _definition_fields() -> dict:
    return {
        "source": serializers.CharField(help_text="数据来源，见 reports/sources/：cases、petitions、enterprises …"),
        "columns": serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="列：字段键（关联字段用 __，自定义字段用 custom.<code>）"),
        "filters": serializers.DictField(required=False,
                                         help_text="{字段: {\"op\": eq|in|range|contains|isnull, \"value\": …}}"),
        "group_by": serializers.ListField(child=serializers.CharField(), required=False, max_length=2,
                                          help_text="最多两个；日期可加 :month 或 :year"),
        "aggregates": serializers.ListField(child=AGGREGATE(), required=False),
        "sort": serializers.ListField(child=SORT(), required=False),
        "chart": serializers.ChoiceField(choices=["bar", "line", "pie"], required=False),
    }


BODY = inline_serializer("ReportBody", fields={
    "name": serializers.CharField(help_text="报表名称"), **_definition_fields(),
    "shared_with": serializers.ListField(child=serializers.CharField(), required=False, help_text="角色名称"),
})
DEFINITION = inline_serializer("ReportDefinition", fields=_definition_fields())
SOURCES = inline_serializer("ReportSourceOut", many=True, fields={
    "key": serializers.CharField(), "label": serializers.CharField(), "date_field": serializers.CharField(),
    "custom_object": serializers.CharField(),
    "fields": serializers.ListField(child=serializers.DictField(), help_text="key、label、type、choices、personal、groupable、summable …"),
})
class SavedReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    source = serializers.CharField()
    source_label = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    filters = serializers.DictField()
    group_by = serializers.ListField(child=serializers.CharField())
    aggregates = serializers.ListField(child=AGGREGATE())
    sort = serializers.ListField(child=SORT())
    chart = serializers.CharField()
    shared_with = serializers.ListField(child=serializers.CharField())
    owner = serializers.CharField()
    mine = serializers.BooleanField()
    may_change = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


REPORT = SavedReportOut
RESULT = inline_serializer("ReportResult", fields={
    "columns": serializers.ListField(child=inline_serializer("ReportColumn", fields={
        "key": serializers.CharField(), "label": serializers.CharField()})),
    "rows": serializers.ListField(child=serializers.ListField(child=serializers.JSONField())),
    "warnings": serializers.ListField(child=serializers.CharField(), help_text="略去的部分（字段已停用等）、行数超限"),
    "truncated": serializers.BooleanField(), "chart": serializers.CharField(), "grouped": serializers.BooleanField(),
})
EXAMPLE = OpenApiExample("按网格和月份统计事件数", request_only=True, value={
    "name": "各网格每月事件数", "source": "cases", "columns": [], "filters": {
        "created_at": {"op": "range", "value": ["2026-01-01", "2026-12-31"]}},
    "group_by": ["grid__name", "created_at:month"], "aggregates": [{"op": "count", "field": ""}],
    "shared_with": ["领导"]})


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput({"definition": ["请求体应为 JSON 对象"]})
    return dict(request.data)


class ReportsView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="我的报表和共享给我所在角色的报表", responses={200: REPORT(many=True), **ERRORS})
    def get(self, request):
        reports = selectors.report_list_for(request.user).select_related("owner").prefetch_related("shared_with")
        return Response([selectors.report_document(r, request.user) for r in reports])

    @extend_schema(tags=TAGS, summary="保存报表（需构建自定义报表权限）", request=BODY, examples=[EXAMPLE],
                   responses={201: REPORT, **ERRORS})
    def post(self, request):
        report = services.save_report(actor=request.user, data=_body(request), request=request)
        return Response(selectors.report_document(report, request.user), status=201)


class ReportView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="一张报表的定义", responses={200: REPORT, **ERRORS})
    def get(self, request, report_id):
        return Response(selectors.report_document(selectors.report_for(request.user, report_id), request.user))

    @extend_schema(tags=TAGS, summary="修改报表（创建人或系统管理员）", request=BODY, responses={200: REPORT, **ERRORS})
    def put(self, request, report_id):
        report = services.update_report(actor=request.user, report_id=report_id, data=_body(request), request=request)
        return Response(selectors.report_document(report, request.user))

    @extend_schema(tags=TAGS, summary="删除报表（创建人或系统管理员）", responses={204: None, **ERRORS})
    def delete(self, request, report_id):
        services.delete_report(actor=request.user, report_id=report_id, request=request)
        return Response(status=204)


class RunView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="运行报表：按调用人可见的数据和个人信息权限",
                   responses={200: RESULT, **ERRORS})
    def get(self, request, report_id):
        report = selectors.report_for(request.user, report_id)
        return Response(selectors.run(report, request.user, request=request).as_dict())


class PreviewView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="预览未保存的报表定义（报表构建器）", request=DEFINITION,
                   responses={200: RESULT, **ERRORS})
    def post(self, request):
        if not request.user.has_perm(BUILD):
            raise ActionForbidden("您没有构建自定义报表的权限")
        data = _body(request)
        key = data.get("source")
        source = next((s for s in selectors.sources_for(request.user) if s.key == key), None) if isinstance(key, str) else None
        if source is None:
            raise InvalidInput({"source": ["请选择您可以使用的数据来源"]})
        definition, errors = validate({k: data[k] for k in services.DEFINITION_KEYS if k in data}, source.fields_for(request.user))
        if errors:
            raise InvalidInput(errors)
        return Response(selectors.run_definition(request.user, source.key, definition, request=request).as_dict())


class SourcesView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="可用的数据来源及其字段", responses={200: SOURCES, **ERRORS})
    def get(self, request):
        return Response(selectors.source_document(request.user))


class ShareView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="共享报表给角色（只改共享，定义不变；创建人或系统管理员）",
                   request=inline_serializer("ReportShare", fields={
                       "shared_with": serializers.ListField(child=serializers.CharField(), help_text="角色名称")}),
                   responses={200: REPORT, **ERRORS})
    def post(self, request, report_id):
        report = services.share_report(actor=request.user, report_id=report_id,
                                       roles=_body(request).get("shared_with"), request=request)
        return Response(selectors.report_document(report, request.user))


class DefinitionView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="导出报表定义（JSON，可导入其他站点）", responses={200: OBJECT, **ERRORS})
    def get(self, request, report_id):
        report = selectors.report_for(request.user, report_id)
        response = Response(selectors.definition_document(report))
        response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.json"'
        return response


class ImportView(APIView):
    permission_classes = [DeskUser]

    @extend_schema(tags=TAGS, summary="导入报表定义（保存为我的新报表）", request=BODY, responses={201: REPORT, **ERRORS})
    def post(self, request):
        report = services.import_report(actor=request.user, document=_body(request), request=request)
        return Response(selectors.report_document(report, request.user), status=201)


urlpatterns = [
    path("reports/", ReportsView.as_view(), name="platform-reports"),
    path("reports/sources/", SourcesView.as_view(), name="platform-report-sources"),
    path("reports/preview/", PreviewView.as_view(), name="platform-report-preview"),
    path("reports/import/", ImportView.as_view(), name="platform-report-import"),
    path("reports/<int:report_id>/", ReportView.as_view(), name="platform-report"),
    path("reports/<int:report_id>/run/", RunView.as_view(), name="platform-report-run"),
    path("reports/<int:report_id>/share/", ShareView.as_view(), name="platform-report-share"),
    path("reports/<int:report_id>/definition/", DefinitionView.as_view(), name="platform-report-definition"),
]
