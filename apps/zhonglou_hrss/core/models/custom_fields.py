"""Fields administrators add to an object without a release (issue 17):
a definition per object and code, and an index of the values for filters.

The values themselves live on each object, in its JSON column ``custom``
({code: value}); a personal field's value is stored encrypted there, like
ID numbers (core.pii). ``CustomValue`` mirrors the non-personal values in
typed, indexed columns — one row per value, one per chosen code of a
multi-choice — so a list filtered by a custom field over a million rows
reads an index instead of every row's JSON (MariaDB and SQLite alike).
Both are written only by ``core.custom_fields``."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


class CustomFieldType(models.TextChoices):
    TEXT = "text", "文本"
    LONG_TEXT = "long_text", "长文本"
    NUMBER = "number", "整数"
    DECIMAL = "decimal", "小数"
    DATE = "date", "日期"
    BOOLEAN = "boolean", "是/否"
    CHOICE = "choice", "单选"
    MULTI_CHOICE = "multi_choice", "多选"


class CustomField(models.Model):
    object = models.CharField("对象", max_length=30, db_index=True,
                              help_text="快办事件、信访、企业、人才需求、招聘会报名、急难愁盼、信用申报")
    code = models.CharField("字段代码", max_length=40, help_text="小写字母开头，小写字母、数字和下划线；建好后不能改")
    label = models.CharField("名称", max_length=50)
    type = models.CharField("类型", max_length=20, choices=CustomFieldType.choices)
    required = models.BooleanField("必填", default=False)
    help_text = models.CharField("填写说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=100)
    lookup = models.CharField("选项来自字典", max_length=30, blank=True, help_text="单选、多选：字典与自定义选项二选一")
    choices = models.JSONField("自定义选项", default=list, blank=True, help_text='[{"code": "a", "label": "选项一"}]')
    view_roles = models.ManyToManyField(Group, verbose_name="可查看的角色", blank=True, related_name="+",
                                        help_text="不选：能看到该对象的人都能看到")
    edit_roles = models.ManyToManyField(Group, verbose_name="可填写的角色", blank=True, related_name="+",
                                        help_text="不选：能修改该对象的人都能填写")
    public = models.BooleanField("群众/企业表单显示", default=False)
    personal = models.BooleanField("个人信息（加密、脱敏、留痕）", default=False)
    # Like Frappe's "In List View": lists without a column chooser show only these (a list of
    # every field would not fit the screen); the case list offers every field in 显示列.
    list_column = models.BooleanField("在列表中显示", default=False,
                                      help_text="信访、企业、人才需求、招聘会报名、急难愁盼、信用申报的列表显示为一列；"
                                                "快办事件列表在“显示列”中自选")
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "自定义字段"
        verbose_name_plural = "自定义字段"
        ordering = ["object", "order", "id"]
        default_permissions = ()
        permissions = [("manage_customfield", "维护自定义字段")]
        constraints = [models.UniqueConstraint(fields=["object", "code"], name="custom_field_code_per_object")]

    def __str__(self):
        return f"{self.label}（{self.code}）"

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class CustomValue(models.Model):
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    text = models.CharField(max_length=200, blank=True)  # text (its first 200 characters), a choice code, "1"/"0"
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    date = models.DateField(null=True)

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["field", "text", "object_id"], name="custom_value_text"),
            models.Index(fields=["field", "number", "object_id"], name="custom_value_number"),
            models.Index(fields=["field", "date", "object_id"], name="custom_value_date"),
            models.Index(fields=["field", "object_id"], name="custom_value_object"),
        ]
