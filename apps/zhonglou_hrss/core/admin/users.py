from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from import_export.admin import ImportMixin
from unfold.contrib.import_export.forms import ImportForm
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.admin.base import AllOrNothingImportMixin, DeskModelAdmin, PIIAdminMixin, badge, masked_display
from zhonglou_hrss.core.imports import UserResource
from zhonglou_hrss.core.models import Grid, Role, User
from zhonglou_hrss.core.validators import clean_name, validate_mobile

admin.site.unregister(Group)


def _clean_mobile(form):
    value = form.cleaned_data.get("mobile", "")
    return validate_mobile(value) if value else ""


def _clean_person_name(form):
    return clean_name(form.cleaned_data.get("name", ""), label="姓名")


class DeskUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "name", "mobile")

    def clean_mobile(self):
        return _clean_mobile(self)

    def clean_name(self):
        return _clean_person_name(self)

    def save(self, commit=True):
        user = super().save(commit=False)
        # The admin chose this password: the person picks their own at first login.
        user.password_change_required = True
        if commit:
            user.save()
            self.save_m2m()
        return user


class DeskUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def clean_mobile(self):
        return _clean_mobile(self)

    def clean_name(self):
        return _clean_person_name(self)

    def clean_grids(self):
        grids = self.cleaned_data.get("grids")
        if self.instance.pk and grids is not None:
            # An inactive grid already bound may stay; a new binding must be active.
            before = set(self.instance.grids.values_list("pk", flat=True))
            added = [g for g in grids if g.pk not in before and not g.active]
            if added:
                raise forms.ValidationError("不能绑定已停用的网格：" + "、".join(g.name for g in added))
        return grids


class DeskAdminPasswordChangeForm(AdminPasswordChangeForm):
    """Password reset by an admin: the person must change it at next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.password_change_required = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(PIIAdminMixin, AllOrNothingImportMixin, ImportMixin, BaseUserAdmin, DeskModelAdmin):
    form = DeskUserChangeForm
    add_form = DeskUserCreationForm
    change_password_form = DeskAdminPasswordChangeForm
    import_form_class = ImportForm
    resource_classes = [UserResource]
    import_template_name = "core/admin/import_with_template.html"

    list_display = ("username", "name", "mobile_masked", "role_list", "grid_list", "active_badge", "last_login")
    list_filter = ("is_active", "groups", "grids")
    search_fields = ("username", "name")
    ordering = ("username",)
    filter_horizontal = ("groups", "grids")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("基本信息", {"fields": ("name", "mobile", "email")}),
        ("角色与网格", {"fields": ("groups", "grids"),
                        "description": "用户能做什么由角色决定；网格员须绑定所负责的网格。"}),
        ("账号状态", {"fields": ("is_active", "password_change_required", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "mobile", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    mobile_masked = masked_display("mobile", pii.MOBILE, "手机号")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "grids")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = fieldsets + (("超级用户", {"fields": ("is_superuser",)}),)
        return fieldsets

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["label"] = "角色"
        if db_field.name == "grids":
            kwargs["queryset"] = Grid.objects.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="角色")
    def role_list(self, obj):
        return "、".join(g.name for g in obj.groups.all()) or "—"

    @admin.display(description="网格")
    def grid_list(self, obj):
        return "、".join(g.name for g in obj.grids.all()) or "—"

    @admin.display(description="状态", ordering="is_active")
    def active_badge(self, obj):
        return badge("启用", "green") if obj.is_active else badge("停用", "grey")

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: cases and the audit log point at them.
        return False

    def has_import_permission(self, request):
        return request.user.has_perm("core.import_user")


@admin.register(Role)
class RoleAdmin(BaseGroupAdmin, DeskModelAdmin):
    list_display = ("name", "user_count", "permission_count")
    fields = ("name", "permissions")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label = "权限"
            field.help_text = "角色能做的事。修改后立即对该角色的所有用户生效，并记入审计日志。"
        return field

    @admin.display(description="用户数")
    def user_count(self, obj):
        return obj.user_set.filter(is_active=True).count()

    @admin.display(description="权限数")
    def permission_count(self, obj):
        return obj.permissions.count()
