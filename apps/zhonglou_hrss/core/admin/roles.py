"""Roles in the desk (R-SYS-01, issue 11 item 9): the role editor offers the
permissions grouped by subsystem and task, in Chinese, with checkboxes
(``core.permission_groups``); the list says what each role holds per group,
and 角色权限一览 shows every role against every permission.

Internal permissions (in no registered group) are not offered, and a role
that holds some keeps them when saved: the form adds them back to what was
ticked, so ``permissions.set`` neither removes them nor logs a change of them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from unfold.widgets import CHECKBOX_CLASSES

from zhonglou_hrss.core import permission_groups
from zhonglou_hrss.core.admin.base import DeskModelAdmin
from zhonglou_hrss.core.models import Role
from zhonglou_hrss.core.validators import clean_name

HELP = "角色能做的事，按子系统和工作分组。修改后立即对该角色的所有用户生效，并记入审计日志。"


class PermissionGroupsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes under group and task headings; ``groups`` is set by the form."""

    template_name = "core/admin/widgets/permission_groups.html"
    groups: tuple[permission_groups.Group, ...] = ()

    class Media:
        css = {"all": ("desk/roles.css",)}

    def get_context(self, name, value, attrs):
        # The plain widget's context: the groups below replace the flat list of choices.
        context = forms.Widget.get_context(self, name, value, attrs)
        checked = set(context["widget"]["value"])
        context["widget"]["groups"] = [
            {"title": g.title, "description": g.description,
             "tasks": [{"title": t.title,
                        "entries": [{"pk": e.pk, "key": e.key, "label": e.label, "checked": str(e.pk) in checked}
                                    for e in t.entries]}
                       for t in g.tasks]}
            for g in self.groups
        ]
        context["widget"]["checkbox_classes"] = " ".join(CHECKBOX_CLASSES)
        return context

    def id_for_label(self, id_, index=None):
        return ""  # the field's label names the whole group of checkboxes, each has its own label


class RoleForm(forms.ModelForm):
    permissions = forms.ModelMultipleChoiceField(
        Permission.objects.none(), required=False, label="权限", widget=PermissionGroupsWidget, help_text=HELP)

    class Meta:
        model = Role
        fields = ("name", "permissions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = permission_groups.layout()
        shown = permission_groups.shown_pks(groups)
        field = self.fields["permissions"]
        field.queryset = Permission.objects.filter(pk__in=shown).select_related("content_type")
        field.widget.groups = tuple(groups)
        # Read from the database, never from the form: what the editor does not show stays as it is.
        self.kept = list(self.instance.permissions.exclude(pk__in=shown)) if self.instance.pk else []
        if self.instance.pk:
            self.initial["permissions"] = [p for p in self.instance.permissions.values_list("pk", flat=True)
                                           if p in shown]
        if self.kept:
            field.help_text = (f"{HELP}此角色另有 {len(self.kept)} 项系统内部权限，不在此列出，保存时保持不变。")

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""), label="角色名称")

    def clean_permissions(self):
        return [*self.cleaned_data["permissions"], *self.kept]


@admin.register(Role)
class RoleAdmin(DeskModelAdmin):
    form = RoleForm
    fields = ("name", "permissions")
    search_fields = ("name",)
    ordering = ("pk",)  # as in roles.toml: 系统管理员 first
    list_before_template = "core/admin/role_list_before.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("permissions")

    def get_list_display(self, request):
        groups = permission_groups.layout()  # once per page, not per row

        @admin.display(description="权限")
        def permission_summary(obj):
            held = {p.pk for p in obj.permissions.all()}
            counts, hidden = permission_groups.summary(groups, held)
            badges = [format_html('<span class="zl-badge zl-blue">{} {}/{}</span>', *c) for c in counts]
            if hidden:
                badges.append(format_html('<span class="zl-badge zl-grey">另有内部权限 {} 项</span>', hidden))
            return format_html_join(" ", "{}", ((b,) for b in badges)) if badges else "—"

        return ("name", "user_count", permission_summary)

    @admin.display(description="用户数")
    def user_count(self, obj):
        return obj.user_set.filter(is_active=True).count()

    def get_urls(self):
        return [path("overview/", self.admin_site.admin_view(self.overview_view), name="core_role_overview"),
                *super().get_urls()]

    def overview_view(self, request):
        """角色权限一览: every role against every permission the editor offers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        roles = list(Role.objects.order_by("pk").prefetch_related("permissions"))
        held = [{p.pk for p in role.permissions.all()} for role in roles]
        groups = permission_groups.layout()
        shown = permission_groups.shown_pks(groups)
        sections = []
        for group in groups:
            rows = []
            for task in group.tasks:
                for i, entry in enumerate(task.entries):
                    rows.append({"task": task.title if i == 0 else None, "span": len(task.entries),
                                 "label": entry.label, "key": entry.key, "cells": [entry.pk in h for h in held]})
            sections.append({"title": group.title, "rows": rows})
        can_change = self.has_change_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": "角色权限一览",
            "roles": [{"name": r.name, "url": reverse("admin:core_role_change", args=[r.pk]) if can_change else ""}
                      for r in roles],
            "sections": sections, "hidden": [len(h - shown) for h in held], "any_hidden": any(h - shown for h in held),
        }
        return TemplateResponse(request, "core/admin/role_overview.html", context)
