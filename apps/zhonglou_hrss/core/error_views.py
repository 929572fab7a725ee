"""The site's error answers (``handler400/403/404/500`` in the root URLconf).

Under ``/api/`` every error is JSON in the API's shape (``core.api_errors``:
``{"detail": "…中文…"}``), also when no route matches — ``cases/abc/`` (an id
that is not a number) or a mistyped address — and when the code fails (500).
Elsewhere Django's handlers answer with the site's Chinese pages
(``core/templates/404.html`` …, issue 11 item 2). Issue 10 item 10a.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults

from zhonglou_hrss.core.api_errors import NOT_FOUND

API_PREFIX = "/api/"
DETAILS = {
    400: "请求无效",
    403: "您没有执行该操作的权限。",
    404: NOT_FOUND,
    500: "服务器内部错误，请稍后再试；如仍有问题请联系系统管理员",
}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int) -> JsonResponse:
    return JsonResponse({"detail": DETAILS[status]}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if is_api(request):
        return api_error(400)
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if is_api(request):
        return api_error(403)
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if is_api(request):
        return api_error(404)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_api(request):
        return api_error(500)
    return defaults.server_error(request, template_name)
