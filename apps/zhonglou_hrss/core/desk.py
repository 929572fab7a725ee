"""The staff desk: django-unfold's admin site, entered by permission.

Access is the ``core.access_desk`` permission (given by roles), not Django's
``is_staff`` flag, so who may use the desk is configured like everything else.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from unfold.forms import AuthenticationForm as UnfoldAuthenticationForm
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

    def get_sidebar_list(self, request):
        """The sidebar in the shape unfold's templates read (``has_permission``, ``active``,
        ``badge_callback`` per entry), built plainly from ``core.registry.sidebar``, which makes
        fresh dicts on every call. Unfold's own build deep-copies the whole navigation and creates
        a class per entry (``lazy()``) on every page — about a fifth of a desk page's time
        (issue 19). Its rules are kept: an entry is active when its path is part of the
        request's path (the desk home only on itself); a badge is counted once, and only when
        the template draws it (a visible entry)."""
        from zhonglou_hrss.core import registry

        index_path = reverse(f"{self.name}:index")
        path = request.path
        groups = registry.sidebar(request)
        for group in groups:
            group.setdefault("badge_callback", "")
            for item in group["items"]:
                # Present even when empty: unfold's templates ask for both on every entry, and
                # a missing key fails slowly through Django's template lookup (issue 19).
                item.setdefault("link_callback", "")
                item.setdefault("badge_callback", "")
                link = item["link"]
                if callable(link):
                    # A link built per request (the case lists' queues): as in unfold, it is
                    # never the highlighted entry — its path is shared by several entries.
                    item["link_callback"] = link(request)
                    item["active"] = False
                else:
                    link_path = urlsplit(str(link)).path  # lazy links come resolved (registry.sidebar)
                    item["active"] = (link_path == path == index_path) or bool(
                        link_path and link_path != index_path and link_path in path)
                permission = item.get("permission")
                item["has_permission"] = permission is None or permission(request) is True
                if item.get("badge"):
                    item["badge_callback"] = _badge(item["badge"], request)
        return groups

    def get_app_list(self, request, app_label=None):
        """Django's list of every model the user may open, built when a page reads it. Django
        builds it for every desk page (``available_apps``: two permission checks and two URLs
        per model, about a millisecond and a half), but the desk's sidebar is the registry's
        (``get_sidebar_list``); only the admin's index and app pages read the list."""
        return SimpleLazyObject(lambda: super(DeskSite, self).get_app_list(request, app_label))

    def get_urls(self):
        # No "view on site" shortcut (/desk/r/<content type>/<id>/): no record
        # has a public page, and for models without a table it answered 500.
        return [u for u in super().get_urls() if getattr(u, "name", None) != "view_on_site"]


def _badge(dotted: str, request) -> SimpleLazyObject:
    callback = import_string(dotted)
    return SimpleLazyObject(lambda: callback(request))


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
