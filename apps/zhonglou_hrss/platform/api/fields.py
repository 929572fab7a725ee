"""Custom field definitions (issue 17's fixed contract): ``fields/?object=case`` lists an
object's fields (every signed-in staff user: forms need them), ``fields/`` POST defines one,
``fields/{id}/`` PATCH changes one, ``fields/{id}/retire/`` POST retires one (系统管理员:
``core.manage_customfield``). The rules are core's (``core.custom_fields``)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.api_errors import error_responses
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import CustomField

TAGS = ["平台配置"]
ERRORS = error_responses(400, 401, 403, 404, 409)


class Manage(BasePermission):
    message = "您没有维护自定义字段的权限"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(custom_fields.MANAGE))


class Staff(BasePermission):
    """Bureau staff, who work at the desk (enterprises see custom fields only inside their objects)."""

    message = "仅限工作人员"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("core.access_desk"))


def _public_description(field) -> dict:
    """What a public or enterprise form needs of a field (no roles, nothing retired)."""
    d = custom_fields.describe(field)
    return {k: d[k] for k in ("object", "code", "label", "type", "type_label", "required", "help_text", "order",
                              "choices", "personal")}


class FieldListView(APIView):
    def get_permissions(self):
        # Reading: anyone — the public and enterprises get the fields of their own forms only.
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated(), Manage()]

    @extend_schema(tags=TAGS, summary="自定义字段定义列表", operation_id="platform_fields_list",
                   description="工作人员：对象的全部字段（含可查看、可填写的角色）。群众、企业（未登录或企业账号）："
                               "只有在群众/企业表单显示的字段，供码上办和门户生成表单。",
                   parameters=[OpenApiParameter("object", str, description="对象：case、petition、enterprise、demand、"
                                                                          "registration、concern、declaration"),
                               OpenApiParameter("retired", bool, description="含已停用的字段")],
                   responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request):
        key = request.query_params.get("object", "")
        errors = {}
        if key and key not in custom_fields.objects():
            errors["object"] = ["对象应为：" + "、".join(custom_fields.objects())]
        retired = request.query_params.get("retired", "false")
        if retired not in ("true", "false", "1", "0"):
            errors["retired"] = ["retired 只能是 true 或 false"]
        if errors:
            raise InvalidInput(errors)
        if not Staff().has_permission(request, self):
            public = CustomField.objects.filter(public=True, retired_at__isnull=True)
            public = public.filter(object=key) if key else public
            return Response({"results": [_public_description(f) for f in public.prefetch_related("view_roles",
                                                                                                 "edit_roles")],
                             "objects": [{"key": o.key, "label": o.label} for o in custom_fields.objects().values()]})
        fields = CustomField.objects.prefetch_related("view_roles", "edit_roles")
        if key:
            fields = fields.filter(object=key)
        if retired not in ("true", "1"):
            fields = fields.filter(retired_at__isnull=True)
        return Response({"results": [custom_fields.describe(f) for f in fields],
                         "objects": [{"key": o.key, "label": o.label} for o in custom_fields.objects().values()]})

    @extend_schema(tags=TAGS, summary="新增自定义字段（系统管理员）", request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT, **ERRORS})
    def post(self, request):
        field = custom_fields.define(actor=request.user, data=request.data, request=request)
        return Response(custom_fields.describe(field), status=201)


class FieldView(APIView):
    permission_classes = [IsAuthenticated, Manage]

    @extend_schema(tags=TAGS, summary="修改自定义字段（代码、对象不能改；有数据后类型只能放宽）",
                   request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def patch(self, request, pk):
        field = custom_fields.change(actor=request.user, field_id=pk, data=request.data, request=request)
        return Response(custom_fields.describe(field))


class RetireView(APIView):
    permission_classes = [IsAuthenticated, Manage]

    @extend_schema(tags=TAGS, summary="停用自定义字段（已填的值保留）", request=None,
                   responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def post(self, request, pk):
        return Response(custom_fields.describe(custom_fields.retire(actor=request.user, field_id=pk, request=request)))


urlpatterns = [
    path("fields/", FieldListView.as_view(), name="platform-fields"),
    path("fields/<int:pk>/", FieldView.as_view(), name="platform-field"),
    path("fields/<int:pk>/retire/", RetireView.as_view(), name="platform-field-retire"),
]
