"""The definition editor in the desk (信用评价管理员, 就业后台): a questionnaire
page (settings, its versions with their buttons), a version page (sections
and questions as inline rows), a question page (options as inline rows).
A version with answers is read-only everywhere (``rules``: frozen); every
save goes through ``services.definitions`` (which refuses a frozen version)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import TabularInline

from zhonglou_hrss.core.admin.base import DeskModelAdmin, badge
from zhonglou_hrss.core.errors import DomainError
from zhonglou_hrss.questionnaires.desk.urls import questionnaire_patterns, version_patterns
from zhonglou_hrss.questionnaires.models import Option, Question, Questionnaire, Section, Version, VersionStatus
from zhonglou_hrss.questionnaires.rules import MANAGE, VIEW, valid_month_day
from zhonglou_hrss.questionnaires.selectors.definitions import version_frozen
from zhonglou_hrss.questionnaires.services.definitions import delete_row, save_questionnaire, save_row

RESERVED_KEYS = {"entry", "responses"}
STATUS_TONES = {VersionStatus.DRAFT: "blue", VersionStatus.PUBLISHED: "green", VersionStatus.RETIRED: "grey"}


def _may_view(request):
    return request.user.has_perm(VIEW) or request.user.has_perm(MANAGE)


def _may_manage(request):
    return request.user.has_perm(MANAGE)


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["key", "title", "audience", "aggregation", "trim_percent", "headcount_question",
                  "collection_close_month_day"]

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key in RESERVED_KEYS:
            raise forms.ValidationError("该标识为系统保留，请换一个")
        return key

    def clean_trim_percent(self):
        value = self.cleaned_data["trim_percent"]
        if value is None or not 0 <= value < 50:
            raise forms.ValidationError("截尾比例应在0到50之间（不含50）")
        return value

    def clean_collection_close_month_day(self):
        value = self.cleaned_data["collection_close_month_day"].strip()
        if not valid_month_day(value):
            raise forms.ValidationError("请按“月-日”填写，如 03-31")
        return value


class VersionInline(TabularInline):
    model = Version
    fields = ("number_link", "title", "status_col", "published_at", "responses_col", "actions_col")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "版本（有答卷的版本不能修改；修改请新建草稿版本）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    @admin.display(description="版本")
    def number_link(self, obj):
        return format_html('<a href="{}">第{}版</a>', reverse("admin:questionnaires_version_change", args=[obj.pk]),
                           obj.number)

    @admin.display(description="状态")
    def status_col(self, obj):
        return badge(obj.get_status_display(), STATUS_TONES.get(obj.status, "grey"))

    @admin.display(description="答卷数")
    def responses_col(self, obj):
        return obj.responses.count()

    @admin.display(description="操作")
    def actions_col(self, obj):
        links = [("预览", reverse("admin:questionnaires_version_preview", args=[obj.pk])),
                 ("导出Excel", reverse("admin:questionnaires_version_export", args=[obj.pk]))]
        return format_html_join(" · ", '<a href="{}">{}</a>', ((url, label) for label, url in links))


@admin.register(Questionnaire)
class QuestionnaireAdmin(DeskModelAdmin):
    form = QuestionnaireForm
    list_display = ("title", "key", "audience", "aggregation", "published_col", "draft_col")
    inlines = [VersionInline]
    change_form_template = "questionnaires/desk/questionnaire_change_form.html"

    def has_module_permission(self, request):
        return _may_view(request)

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request):
        return _may_manage(request)

    def has_change_permission(self, request, obj=None):
        return _may_manage(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("key", "audience") if obj and obj.responses.exists() else ()

    def get_urls(self):
        return questionnaire_patterns(self.admin_site) + super().get_urls()

    @admin.display(description="发布版本")
    def published_col(self, obj):
        found = obj.versions.filter(status=VersionStatus.PUBLISHED).first()
        return f"第{found.number}版" if found else "—"

    @admin.display(description="草稿")
    def draft_col(self, obj):
        found = obj.versions.filter(status=VersionStatus.DRAFT).first()
        return f"第{found.number}版" if found else "—"

    def save_model(self, request, obj, form, change):
        save_questionnaire(actor=request.user, questionnaire=obj)


class FrozenAware:
    """Inline rows of a version: read-only when the version has answers or the user may not edit."""

    def _editable(self, request, obj):
        return _may_manage(request) and obj is not None and not version_frozen(obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_view_permission(self, request, obj=None):
        return _may_view(request)


class SectionInline(FrozenAware, TabularInline):
    model = Section
    fields = ("order", "title")
    extra = 0
    verbose_name_plural = "部分（先保存新部分，再在下面的题目中选择它）"


class QuestionInline(FrozenAware, TabularInline):
    model = Question
    fk_name = "version"
    fields = ("section", "order", "code", "type", "title", "required", "scored", "weight", "show_if_question",
              "show_if_equals", "options_link")
    readonly_fields = ("options_link",)
    extra = 0
    verbose_name_plural = "题目（选项、量表范围和标签、“不适用”、数字范围在“选项”链接的题目页中编辑）"

    def get_formset(self, request, obj=None, **kwargs):
        self._version = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            version = getattr(self, "_version", None)
            kwargs["queryset"] = Section.objects.filter(version=version) if version else Section.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="选项")
    def options_link(self, obj):
        if not obj.pk:
            return "保存后编辑"
        count = obj.options.count()
        label = f"选项（{count}）" if obj.type in ("single", "multiple") else "量表与详情" if obj.type == "scale" else "详情"
        return format_html('<a href="{}">{}</a>', reverse("admin:questionnaires_question_change", args=[obj.pk]), label)


class ServiceSaves:
    """Saves and deletes of definition rows through ``services.definitions`` (frozen versions refused)."""

    def save_model(self, request, obj, form, change):
        save_row(actor=request.user, obj=obj)

    def delete_model(self, request, obj):
        delete_row(actor=request.user, obj=obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_row(actor=request.user, obj=obj)
        for obj in instances:
            save_row(actor=request.user, obj=obj)
        formset.save_m2m()


@admin.register(Version)
class VersionAdmin(ServiceSaves, DeskModelAdmin):
    fields = ("questionnaire", "number", "status", "title", "intro", "note")
    list_display = ("__str__", "title", "status", "published_at")
    inlines = [SectionInline, QuestionInline]
    change_form_template = "questionnaires/desk/version_change_form.html"

    def has_module_permission(self, request):
        return False  # reached from its questionnaire

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request):
        return False  # new drafts: the questionnaire's 新建草稿版本

    def has_change_permission(self, request, obj=None):
        return _may_manage(request) and (obj is None or not version_frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return (_may_manage(request) and obj is not None and not version_frozen(obj)
                and obj.status != VersionStatus.PUBLISHED)

    def get_readonly_fields(self, request, obj=None):
        return ("questionnaire", "number", "status")

    def get_urls(self):
        return version_patterns(self.admin_site) + super().get_urls()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message if not getattr(exc, "errors", None)
                           else "；".join(m for ms in exc.errors.values() for m in ms))
            return redirect(request.path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"version": obj, "frozen": obj is not None and version_frozen(obj), "may_manage": _may_manage(request)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def response_delete(self, request, obj_display, obj_id):
        return redirect("admin:questionnaires_questionnaire_changelist")


class OptionInline(TabularInline):
    model = Option
    fields = ("order", "code", "label", "score")
    extra = 0

    def _editable(self, request, obj):
        return _may_manage(request) and obj is not None and not version_frozen(obj.version)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_view_permission(self, request, obj=None):
        return _may_view(request)


@admin.register(Question)
class QuestionAdmin(ServiceSaves, DeskModelAdmin):
    fields = ("version", "section", "order", "code", "type", "title", "help_text", "required", "scored", "weight",
              "scale_min", "scale_max", "scale_labels", "scale_na", "number_min", "number_max", "show_if_question",
              "show_if_equals")
    inlines = [OptionInline]

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return _may_view(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return _may_manage(request) and (obj is None or not version_frozen(obj.version))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and obj is not None

    def get_readonly_fields(self, request, obj=None):
        return ("version",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            question = Question.objects.filter(pk=object_id).first() if str(object_id or "").isdigit() else None
            kwargs["queryset"] = Section.objects.filter(version_id=question.version_id) if question else Section.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        return redirect("admin:questionnaires_version_change", obj.version_id)

    def response_delete(self, request, obj_display, obj_id):
        return redirect("admin:questionnaires_questionnaire_changelist")
