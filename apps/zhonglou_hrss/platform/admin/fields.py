"""系统设置 → 自定义字段: 系统管理员 define, change and retire the fields
administrators add to an object. The form is only the page: every rule and
the write are ``core.custom_fields`` (define / change / retire), whose
errors are shown next to the fields they name; nothing is saved on error."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.utils.html import format_html

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.admin.base import DeskModelAdmin
from zhonglou_hrss.core.errors import DomainError, InvalidInput
from zhonglou_hrss.core.models import CustomField, LookupKind


def _choices_text(choices) -> str:
    return "\n".join(f"{c['code']} {c['label']}" for c in choices or [])


def _choices_from(text: str) -> list[dict]:
    """One option per line: code, a space, the label ("a 选项一")."""
    out = []
    for line in (text or "").splitlines():
        code, _, label = line.strip().partition(" ")
        if code:
            out.append({"code": code, "label": label.strip()})
    return out


class CustomFieldForm(forms.ModelForm):
    object = forms.ChoiceField(label="对象")
    lookup = forms.ChoiceField(label="选项来自字典", required=False)
    choices_text = forms.CharField(
        label="自定义选项", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="单选、多选：每行一个选项，写“选项代码 空格 选项名称”，如“small 小型企业”；或改选上面的字典")
    view_roles = forms.ModelMultipleChoiceField(Group.objects.order_by("name"), label="可查看的角色", required=False,
                                                widget=forms.CheckboxSelectMultiple,
                                                help_text="不选：能看到该对象的人都能看到")
    edit_roles = forms.ModelMultipleChoiceField(Group.objects.order_by("name"), label="可填写的角色", required=False,
                                                widget=forms.CheckboxSelectMultiple,
                                                help_text="不选：能修改该对象的人都能填写")

    class Meta:
        model = CustomField
        fields = ("object", "code", "label", "type", "required", "help_text", "order", "lookup", "view_roles",
                  "edit_roles", "public", "personal", "list_column")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["object"].choices = [(k, o.label) for k, o in custom_fields.objects().items()]
        self.fields["lookup"].choices = [("", "（不用字典）"), *LookupKind.choices]
        for name in ("code", "label", "type"):  # the service names what is missing, with the rest
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["choices_text"].initial = _choices_text(self.instance.choices)
            for name in ("object", "code"):
                self.fields[name].disabled = True

    def _post_clean(self):
        """The service checks and saves (inside the admin's transaction): its errors go next
        to the fields they name; the model's own validation is the service's."""
        if self.errors:
            return
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("choices_text",)}
        data["choices"] = _choices_from(self.cleaned_data.get("choices_text", ""))
        for key in ("view_roles", "edit_roles"):
            data[key] = [g.name for g in data.get(key) or []]
        try:
            if self.instance.pk:
                data = {k: v for k, v in data.items() if k not in ("object", "code")}
                self.instance = custom_fields.change(actor=self.actor, field_id=self.instance.pk, data=data)
            else:
                self.instance = custom_fields.define(actor=self.actor, data=data)
        except InvalidInput as exc:
            for key, messages_ in exc.errors.items():
                name = "choices_text" if key.startswith("choices") else key
                for message in messages_:
                    self.add_error(name if name in self.fields else None, message)
        except DomainError as exc:
            self.add_error(None, str(exc))


@admin.register(CustomField)
class CustomFieldAdmin(DeskModelAdmin):
    form = CustomFieldForm
    list_display = ("label", "code", "object_col", "type", "required", "public", "personal", "state_col")
    list_filter = ("object", "type", "public", "personal")
    search_fields = ("label", "code")
    actions = ["retire_selected"]
    fieldsets = (
        ("字段", {"fields": ("object", "code", "label", "type", "required", "help_text", "order")}),
        ("选项（单选、多选）", {"fields": ("lookup", "choices_text")}),
        ("谁能看、谁能填", {"fields": ("view_roles", "edit_roles", "public", "personal")}),
        ("列表", {"fields": ("list_column",)}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class WithActor(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=actor, **kw)

        return WithActor

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(custom_fields.MANAGE)

    has_add_permission = has_change_permission = has_module_permission = \
        lambda self, request, obj=None: request.user.has_perm(custom_fields.MANAGE)

    def has_delete_permission(self, request, obj=None):
        return False  # retired, never deleted: the objects keep the values

    def save_model(self, request, obj, form, change):
        pass  # saved by the service in the form's validation

    def save_related(self, request, form, formsets, change):
        pass  # the roles too

    @admin.display(description="对象")
    def object_col(self, obj):
        found = custom_fields.objects().get(obj.object)
        return found.label if found else obj.object

    @admin.display(description="状态")
    def state_col(self, obj):
        if obj.retired:
            return format_html('<span class="text-red-600">已停用（{}）</span>', obj.retired_at.date())
        return "使用中"

    @admin.action(description="停用所选字段（已填的值保留）")
    def retire_selected(self, request, queryset):
        done = []
        for field in queryset.filter(retired_at__isnull=True):
            try:
                custom_fields.retire(actor=request.user, field_id=field.pk, request=request)
                done.append(field.label)
            except DomainError as exc:
                messages.error(request, str(exc))
        if done:
            messages.success(request, f"已停用：{'、'.join(done)}")
