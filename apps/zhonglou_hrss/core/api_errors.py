"""API errors: one JSON shape, Chinese messages, the statuses the contract names.

Every error body has ``detail`` (one Chinese sentence); a 400 also has
``errors``, each bad field named with its Chinese messages::

    {"detail": "填写内容有误，请按提示修改",
     "errors": {"reporter_id_number": ["身份证号校验位不正确"],
                "companions[0].phone": ["第1位同行人员：手机号格式不正确"]}}

Domain errors (``core.errors``) map to NotVisible→404, ActionForbidden→403,
StateConflict→409, InvalidInput→400; DRF's own errors keep their status
(their messages come from DRF's zh_Hans catalogue, active because
LANGUAGE_CODE is zh-hans). Set as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]``;
every app's API (kuaiban, portal, credit) gets the same behaviour. Like DRF's
default handler, it marks the request's transaction for rollback.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible

INVALID_DETAIL = InvalidInput.default_message  # 填写内容有误，请按提示修改
NOT_AUTHENTICATED = "请先登录：在请求头中提供 Authorization: Token <令牌>，或使用已登录的会话"
NOT_FOUND = NotVisible.default_message  # 记录不存在或您无权查看
NON_FIELD = "non_field_errors"


def _suspicious_detail(exc: SuspiciousOperation) -> str:
    from django.conf import settings

    if isinstance(exc, RequestDataTooBig):
        return f"请求内容过大（不能超过 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024} MB）"
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return "请求中的字段或文件过多"
    return "请求无效"


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure → ``{"field": [...], "companions[0].name": [...]}``."""
    out: dict[str, list[str]] = {}

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                if key == NON_FIELD and path:  # a nested object's own error: name the object
                    walk(value, path)
                else:
                    walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, (list, tuple)):
            if node and all(not isinstance(item, (dict, list, tuple)) for item in node):
                out.setdefault(path or NON_FIELD, []).extend(str(item) for item in node)
                return
            for i, item in enumerate(node):
                if isinstance(item, (dict, list, tuple)):
                    if item:  # an empty dict: that list item had no error
                        walk(item, f"{path}[{i}]")
                else:
                    out.setdefault(path or NON_FIELD, []).append(str(item))
        else:
            out.setdefault(path or NON_FIELD, []).append(str(node))

    walk(detail, prefix)
    return out


def _summary(errors: dict[str, list[str]], default: str) -> str:
    """The one message when there is only one, else the general sentence."""
    messages = [m for ms in errors.values() for m in ms]
    return messages[0] if len(messages) == 1 else default


def invalid_response(errors: dict[str, list[str]], detail: str = "") -> Response:
    return Response({"detail": detail or _summary(errors, INVALID_DETAIL), "errors": errors}, status=400)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        set_rollback()
        if isinstance(exc, InvalidInput):
            detail = exc.message if exc.message != INVALID_DETAIL else _summary(exc.errors, INVALID_DETAIL)
            return Response({"detail": detail, "errors": exc.errors}, status=exc.status)
        return Response({"detail": exc.message}, status=exc.status)

    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):  # a body too big, too many fields: Django's 400, in JSON
        exc = exceptions.ParseError(_suspicious_detail(exc))
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django answer 500 and log it

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = "%d" % exc.wait
    set_rollback()

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        return Response({"detail": _summary(errors, INVALID_DETAIL), "errors": errors}, status=exc.status_code,
                        headers=headers)
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = NOT_AUTHENTICATED
    elif isinstance(exc, exceptions.NotFound) and exc.detail == exceptions.NotFound.default_detail:
        detail = NOT_FOUND
    elif isinstance(exc.detail, (list, dict)):
        flat = flatten_errors(exc.detail)
        detail = _summary(flat, str(exc.default_detail))
    else:
        detail = str(exc.detail)
    data = {"detail": detail}
    if exc.status_code == 400:  # a body that could not be read (ParseError) is the whole request's error
        data["errors"] = {NON_FIELD: [detail]} if isinstance(exc, exceptions.ParseError) else {}
    return Response(data, status=exc.status_code, headers=headers)


# --- OpenAPI: the error bodies, for extend_schema(responses=...) ---------------------
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")


class ValidationErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="每个有误的字段及其中文说明；列表中的字段写作 companions[0].id_number，整体错误为 non_field_errors",
    )


ERROR_DESCRIPTIONS = {
    400: "填写内容有误：errors 中列出每个有误的字段及中文说明，数据未作任何修改",
    401: "未登录或令牌无效",
    403: "可以查看该记录，但无权执行此操作",
    404: "记录不存在或无权查看",
    409: "记录的当前状态不允许此操作（可能已被他人处理），数据未作任何修改",
}


def error_responses(*codes: int) -> dict:
    """``{400: OpenApiResponse(...), 403: ...}`` for the given statuses."""
    return {
        code: OpenApiResponse(ValidationErrorSerializer if code == 400 else ErrorSerializer,
                              description=ERROR_DESCRIPTIONS[code])
        for code in codes
    }
