"""The 帮助 links (issue 18): ``{% desk_help_url %}`` for the desk's header,
``{% help_url "enterprise" %}`` for pages whose audience is fixed (portal, QR pages).
Each opens the manual's section whose ``pages:`` names the current URL name."""

from django import template
from django.urls import reverse

from zhonglou_hrss.core import manuals

register = template.Library()


def _url(target) -> str:
    if target is None:
        return reverse("help:index")
    slug, section = target
    url = reverse("help:manual", args=[slug])
    return f"{url}#{section}" if section else url


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


@register.simple_tag(takes_context=True)
def desk_help_url(context) -> str:
    """The manual of the signed-in user's role, at this page's section."""
    request = context.get("request")
    if request is None:
        return reverse("help:index")
    user = request.user
    # A superuser without a fixture role (the site's first account) reads the administrator's manual.
    fallback = "admin" if getattr(user, "is_superuser", False) else None
    return _url(manuals.help_target(manuals.user_role_codes(user), _view_name(request), fallback=fallback))


@register.simple_tag(takes_context=True)
def help_url(context, slug: str) -> str:
    """One given manual (enterprise, hr_company, public), at this page's section."""
    request = context.get("request")
    return _url(manuals.page_target(slug, _view_name(request) if request else ""))
