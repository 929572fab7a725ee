"""The staff desk: django-unfold's admin site, entered by permission.

Access is the ``core.access_desk`` permission (given by roles), not Django's
``is_staff`` flag, so who may use the desk is configured like everything else.
"""

from unfold.forms import AuthenticationForm as UnfoldAuthenticationForm
from django.core.exceptions import ValidationError
from unfold.sites import UnfoldAdminSite


def can_use_desk(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("core.access_desk")))


class DeskLoginForm(UnfoldAuthenticationForm):
    error_messages = {
        **UnfoldAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。注意：连续输错5次账号将被锁定。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not can_use_desk(user):
            raise ValidationError("该账号没有进入工作台的权限。", code="no_desk")


class DeskSite(UnfoldAdminSite):
    site_title = "钟楼区人社局业务管理系统"
    site_header = "钟楼区人社局业务管理系统"
    index_title = "工作台"
    login_form = DeskLoginForm

    def has_permission(self, request):
        return can_use_desk(request.user)

    def login(self, request, extra_context=None):
        # Credential stuffing: one address failing across many usernames
        # waits, like a locked account (core.auth.address_limit).
        if request.method == "POST":
            from django.shortcuts import render

            from zhonglou_hrss.core.audit import client_ip
            from zhonglou_hrss.core.auth import address_limit

            limit = address_limit()
            if limit.exceeded(client_ip(request)):
                return render(request, "core/lockout.html", {"address_limited": limit.message}, status=429)
        return super().login(request, extra_context)

    def get_urls(self):
        # No "view on site" shortcut (/desk/r/<content type>/<id>/): no record
        # has a public page, and for models without a table it answered 500.
        return [u for u in super().get_urls() if getattr(u, "name", None) != "view_on_site"]


def desk_required(view):
    """For desk pages outside the admin site: sign-in with desk access."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_desk(request.user):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped
