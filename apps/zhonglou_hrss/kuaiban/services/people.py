"""Who can be chosen for kuaiban work."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q


def users_with_perm(perm: str):
    app_label, codename = perm.split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    User = get_user_model()
    if permission is None:
        return User.objects.none()
    return (User.objects.filter(is_active=True)
            .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
            .distinct().order_by("username"))


def inspectors():
    """Active users who may claim and handle assigned cases."""
    return users_with_perm("kuaiban.handle_assigned_case")
