import logging
import time

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from zhonglou_hrss.core import audit, memo


class AuditContextMiddleware:
    """Makes the request's user and address known to audit hooks that run
    without a request (m2m signals on role and permission changes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_request_context(request)
        try:
            return self.get_response(request)
        finally:
            audit.reset_request_context(token)


class RequestMemoMiddleware:
    """Starts and ends the request's memo (``core.memo``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = memo.start()
        try:
            return self.get_response(request)
        finally:
            memo.end(token)


class PasswordChangeRequiredMiddleware:
    """A user whose password was set by an admin (reset or import) must choose
    their own before using the desk. An external account (an enterprise,
    which never enters the desk) chooses it on the page named by
    ``settings.EXTERNAL_PASSWORD_CHANGE`` (the portal's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "password_change_required", False):
            from django.conf import settings

            from zhonglou_hrss.core.desk import can_use_desk

            external = getattr(settings, "EXTERNAL_PASSWORD_CHANGE", "")
            desk = can_use_desk(user) or not external
            allowed = {reverse("admin:password_change"), reverse("admin:password_change_done"), reverse("admin:logout")}
            if not desk:
                allowed |= {reverse(name) for name in (external, *getattr(settings, "EXTERNAL_PASSWORD_CHANGE_ALSO", ()))}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    where = "工作台" if desk else "企业门户"
                    return JsonResponse({"detail": f"请先在{where}修改初始密码。"}, status=403)
                return redirect("admin:password_change" if desk else external)
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (Django's never-cache headers) on every
    response that may carry personal data (issue 10 item 9): every API answer
    (session or token) and every answer to a signed-in user — the desk's
    lists, record pages and reveals, forms showing back what was typed, export
    downloads. One middleware rather than a decorator on each view: a page or
    endpoint added later is covered without anyone remembering it. Anonymous
    public pages that show typed data mark themselves (``never_cache``);
    static files never reach here (whitenoise answers first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


request_log = logging.getLogger("zhonglou_hrss.requests")


class RequestLogMiddleware:
    """One line per request (issue 9): method, path without its query string,
    status, milliseconds and the user's id (``-`` when anonymous) — never a
    name, an ID number or a phone (a number in the path is masked by
    ``core.logging`` like everything else). Static files never reach here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        request_log.info("%s %s %s %dms user=%s", request.method, request.path, response.status_code,
                         (time.monotonic() - started) * 1000, user_id)
        return response
