"""Who may call what in the portal API.

- ``ApprovedEnterprise``: an enterprise account whose portal access is
  approved. A pending account gets 403 ``{"detail": "账号待审核"}``, a
  rejected one ``{"detail": "账号未通过审核：<原因>"}``, staff and other users
  ``{"detail": "仅企业账号可以使用"}`` (R-PT-03: only approved accounts use
  the services; ``me`` answers every account).
- ``EnterpriseAccount``: any enterprise account, whatever its status (``me``).
- ``has_perm(...)``: staff holding a permission (就业后台).
"""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from zhonglou_hrss.core.selectors import NOT_AN_ENTERPRISE, access_of, access_refusal
from zhonglou_hrss.portal.rules import SUBSYSTEM


class ApprovedEnterprise(BasePermission):
    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False  # 401
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            raise PermissionDenied(refusal)
        return True


class EnterpriseAccount(BasePermission):
    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if access_of(request.user, SUBSYSTEM) is None:
            raise PermissionDenied(NOT_AN_ENTERPRISE)
        return True


def has_perm(*perms: str, message: str = "您没有执行此操作的权限"):
    """A permission class: signed in and holding any of ``perms``."""

    class HasPerm(BasePermission):
        def has_permission(self, request, view):
            if not request.user.is_authenticated:
                return False
            if not any(request.user.has_perm(p) for p in perms):
                raise PermissionDenied(message)
            return True

    HasPerm.__name__ = f"HasPerm_{'_'.join(p.replace('.', '_') for p in perms)}"
    return HasPerm
