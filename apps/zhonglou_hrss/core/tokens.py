"""API sign-in tokens (``Authorization: Token <key>``), kept by
django-rest-knox: stored only as a hash, one per sign-in (each device its
own), each with an expiry.

- Lifetime (site settings ``[security].token_hours_staff`` / ``token_hours_external``):
  12 hours for staff, 30 days for enterprise accounts (a phone stays signed
  in); fixed from the sign-in, not sliding, so a stolen token dies on time.
- Revoked: by the user (``POST /api/v1/auth/logout/`` this one,
  ``…/logout-all/`` every one; or in the desk), by an administrator (the desk's
  token list), and by themselves whenever the account's password changes
  (own change or an admin's reset), it is locked out, or deactivated
  (core.signals).
- Refused: a user who must change an initial password gets no token and no
  token access until they have changed it in the desk (403, saying so).
"""

from __future__ import annotations

import binascii
from datetime import timedelta
from hmac import compare_digest

from django.conf import settings
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import authentication, exceptions

from zhonglou_hrss.core import audit

MUST_CHANGE_PASSWORD = "请先登录工作台修改初始密码，之后才能使用接口。"
# An enterprise account never enters the desk: it changes the password in the portal.
MUST_CHANGE_PASSWORD_EXTERNAL = "密码已被重置：请先登录企业门户修改密码，之后才能使用接口。"


def must_change_password_message(user) -> str:
    return MUST_CHANGE_PASSWORD if is_staff_account(user) else MUST_CHANGE_PASSWORD_EXTERNAL
INVALID = "登录令牌无效或已失效（过期、已退出或密码已修改），请重新登录获取令牌。"
INACTIVE = "该账号已停用。"
HEADER = "Token"


class Revoked:
    """Why tokens were revoked (the audit row says it)."""

    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    PASSWORD = "password_changed"
    LOCKOUT = "locked_out"
    DEACTIVATED = "deactivated"
    BY_ADMIN = "revoked_by_admin"
    BY_SELF = "revoked_by_self"


def is_staff_account(user) -> bool:
    return user.is_superuser or user.has_perm("core.access_desk")


def lifetime(user) -> timedelta:
    hours = settings.TOKEN_HOURS_STAFF if is_staff_account(user) else settings.TOKEN_HOURS_EXTERNAL
    return timedelta(hours=hours)


def issue(user, request=None) -> tuple[AuthToken, str]:
    """A new token for a signed-in user: (the row, the key to hand out once)."""
    from zhonglou_hrss.core.models import AuditLog

    if getattr(user, "password_change_required", False):
        raise exceptions.PermissionDenied(must_change_password_message(user))
    row, key = AuthToken.objects.create(user=user, expiry=lifetime(user))
    audit.record(AuditLog.Action.TOKEN_ISSUE, actor=user, target=user, request=request,
                 detail={"token": row.token_key[:8], "expiry": row.expiry.isoformat()})
    return row, key


def revoke(tokens, *, user, reason: str, actor=None, request=None) -> int:
    """Delete the given tokens (a queryset) of ``user``; audited when there were any."""
    from zhonglou_hrss.core.models import AuditLog

    keys = list(tokens.values_list("token_key", flat=True))
    deleted, _ = tokens.delete()
    if deleted:
        audit.record(AuditLog.Action.TOKEN_REVOKE, actor=actor, target=user, request=request,
                     detail={"tokens": [k[:8] for k in keys], "reason": reason})
    return deleted


def revoke_all(user, *, reason: str, actor=None, request=None) -> int:
    return revoke(AuthToken.objects.filter(user=user), user=user, reason=reason, actor=actor, request=request)


def sees_all_tokens(user) -> bool:
    """The user administrator sees and revokes everyone's tokens; others their own."""
    return user.is_superuser or user.has_perm("core.change_user")


def tokens_visible_to(user, qs=None):
    """The token rows a user may list and revoke in the desk (``qs``: the
    desk's own manager of them, else all tokens)."""
    qs = (AuthToken.objects.all() if qs is None else qs).select_related("user")
    return qs if sees_all_tokens(user) else qs.filter(user=user)


def delete_expired() -> int:
    """Nightly: expired rows go (the check below refuses them anyway)."""
    deleted, _ = AuthToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted


class TokenAuthentication(authentication.BaseAuthentication):
    """knox's tokens, checked with one query: the row by its key prefix, the
    digest compared in constant time, the expiry, the account (active, no
    password change pending). Messages in Chinese."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != HEADER.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        return self.authenticate_credentials(parts[1])

    def authenticate_credentials(self, raw: bytes):
        try:
            key = raw.decode("ascii")
            digest = hash_token(key)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(INVALID) from None
        rows = AuthToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for row in rows:
            if compare_digest(digest, row.digest):
                # The wall clock, as knox sets the expiry (not core.clock, which
                # tests move through days of a case's life).
                if row.expiry is not None and row.expiry <= timezone.now():
                    row.delete()
                    break
                return self.validate_user(row)
        raise exceptions.AuthenticationFailed(INVALID)

    def validate_user(self, row):
        user = row.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        if user.password_change_required:
            raise exceptions.PermissionDenied(must_change_password_message(user))
        return user, row

    def authenticate_header(self, request):
        return HEADER
