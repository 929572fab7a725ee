"""Who may call what in the credit API: an HR company whose credit access is
approved (pending / rejected accounts get 403 saying why), any account that
asked for credit (``me``), staff holding a permission."""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from zhonglou_hrss.core.selectors import NOT_AN_ENTERPRISE, access_of, access_refusal
from zhonglou_hrss.credit.rules import SUBSYSTEM


class ApprovedCompany(BasePermission):
    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            raise PermissionDenied(refusal)
        return True


class CreditAccount(BasePermission):
    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        if access_of(request.user, SUBSYSTEM) is None:
            raise PermissionDenied(NOT_AN_ENTERPRISE)
        return True


class SignedIn(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated


def has_perm(*perms: str, message: str = "您没有执行此操作的权限"):
    class HasPerm(BasePermission):
        def has_permission(self, request, view):
            if not request.user.is_authenticated:
                return False
            if not any(request.user.has_perm(p) for p in perms):
                raise PermissionDenied(message)
            return True

    HasPerm.__name__ = f"HasPerm_{'_'.join(p.replace('.', '_') for p in perms)}"
    return HasPerm
