"""Audit hooks: logins, failures, lockouts, user, role and permission changes."""

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from zhonglou_hrss.core import audit, memo, tokens
from zhonglou_hrss.core.auth import address_limit, bump_version
from zhonglou_hrss.core.custom_fields import DEFINITIONS_VERSION, MEMO_PREFIX
from zhonglou_hrss.core.models import AuditLog, CustomField, Role, User

A = AuditLog.Action


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(A.LOGIN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(A.LOGOUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    audit.record(A.LOGIN_FAILED, username=username, request=request, target_repr=username)
    address_limit().hit(audit.client_ip(request))


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit.record(A.LOCKOUT, username=username or "", request=request, target_repr=username or "", ip=ip_address)
    # A locked account's tokens stop working too (issue 10: lockout applies to the API).
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        tokens.revoke_all(user, reason=tokens.Revoked.LOCKOUT)


# Fields whose change is worth a line in the audit log (never the values of
# personal data, only that they changed).
_TRACKED = ("username", "name", "email", "is_active", "is_superuser", "mobile_hash")


@receiver(pre_save, sender=User)
def _remember_user(sender, instance, **kwargs):
    instance._audit_before = None
    if instance.pk:
        instance._audit_before = (
            User.objects.filter(pk=instance.pk).values(*_TRACKED).first()
        )


@receiver(post_save, sender=User)
def _user_saved(sender, instance, created, **kwargs):
    if created:
        audit.record(A.USER_CREATE, target=instance)
    else:
        before = getattr(instance, "_audit_before", None) or {}
        changed = [f for f in _TRACKED if f in before and before[f] != getattr(instance, f)]
        changed = ["mobile" if f == "mobile_hash" else f for f in changed]
        if changed:
            audit.record(A.USER_CHANGE, target=instance, detail={"fields": changed})
    if getattr(instance, "_password_was_set", False):
        instance._password_was_set = False
        if not created:
            audit.record(
                A.PASSWORD_CHANGE, target=instance,
                detail={"reset_by_admin": instance.password_change_required},
            )
            # Whoever held a token signed in with the old password signs in again.
            tokens.revoke_all(instance, reason=tokens.Revoked.PASSWORD)
    if not created and not instance.is_active and (getattr(instance, "_audit_before", None) or {}).get("is_active"):
        tokens.revoke_all(instance, reason=tokens.Revoked.DEACTIVATED)


def _names(model, pk_set):
    if not pk_set:
        return []
    field = "codename" if model._meta.model_name == "permission" else ("code" if model._meta.model_name == "grid" else "name")
    if field == "codename":
        return sorted(f"{a}.{c}" for a, c in model.objects.filter(pk__in=pk_set).values_list("content_type__app_label", "codename"))
    return sorted(model.objects.filter(pk__in=pk_set).values_list(field, flat=True))


def _m2m_audit(action, instance, model, pk_set, kind, reverse):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    detail = {"op": {"post_add": "add", "post_remove": "remove", "post_clear": "clear"}[action],
              "items": _names(model, pk_set)}
    audit.record(kind, target=instance, detail=detail)


@receiver(m2m_changed, sender=User.groups.through)
def _roles_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    _m2m_audit(action, instance, model, pk_set, A.ROLE_CHANGE, reverse)


@receiver(m2m_changed, sender=User.grids.through)
def _grids_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    _m2m_audit(action, instance, model, pk_set, A.GRID_BINDING, reverse)


@receiver(m2m_changed, sender=Group.permissions.through)
def _permissions_changed(sender, instance, action, model, pk_set, reverse, **kwargs):
    _m2m_audit(action, instance, model, pk_set, A.PERMISSION_CHANGE, reverse)


# --- cached permissions (core.auth): any change to who holds what makes them stale --------
def _permissions_stale(sender, action="", **kwargs):
    if not action or action.startswith("post_"):
        bump_version()


for _through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(_permissions_stale, sender=_through, dispatch_uid=f"perms-stale-{_through.__name__}")
# A role deleted in the desk is deleted as core.Role (a proxy): Django signals the delete for that
# class only, and its members' and permissions' rows go without a signal of their own.
post_delete.connect(_permissions_stale, sender=Group, dispatch_uid="perms-stale-group-deleted")
post_delete.connect(_permissions_stale, sender=Role, dispatch_uid="perms-stale-role-deleted")


@receiver(post_save, sender=User, dispatch_uid="perms-stale-user-created")
def _new_user_permissions(sender, instance, created, **kwargs):
    if created:  # a new account may reuse the id of one removed (or rolled back)
        bump_version()


# --- custom-field definitions kept across requests (core.memo.kept): a change renews them ----
memo.renew_on(DEFINITIONS_VERSION, MEMO_PREFIX, models=(CustomField,),
              relations=(CustomField.view_roles.through, CustomField.edit_roles.through))
