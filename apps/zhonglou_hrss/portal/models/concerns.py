"""Urgent concerns (急难愁盼, R-PT-11, 16): anyone sends name, mobile and
details; 就业后台 marks them 已查看 → 已联系 → 已完成咨询, each step a timeline row."""

from django.conf import settings
from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField


class ConcernStatus(models.TextChoices):
    NEW = "new", "新提交"
    VIEWED = "viewed", "已查看"
    CONTACTED = "contacted", "已联系"
    COMPLETED = "completed", "已完成咨询"


class Concern(models.Model):
    number = models.CharField("编号", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=50)
    phone = PIIField("手机号", kind=pii.MOBILE)
    details = models.TextField("咨询内容")
    status = models.CharField("状态", max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.NEW)
    # Same phone and same words within minutes → the first number (a double tap, a retry).
    submission_key = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField("提交时间", db_index=True)
    updated_at = models.DateTimeField("状态更新时间")

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "急难愁盼"
        verbose_name_plural = "急难愁盼"
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        permissions = [
            ("view_concern", "查看急难愁盼"),
            ("handle_concern", "处理急难愁盼（标记已查看、已联系、已完成咨询）"),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="concern_status_idx")]

    def __str__(self):
        return self.number


class ConcernEvent(models.Model):
    """One step of a concern's timeline: who, when, from which status to which."""

    concern = models.ForeignKey(Concern, verbose_name="急难愁盼", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间")
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "急难愁盼处理记录"
        verbose_name_plural = "急难愁盼处理记录"
        ordering = ["-at", "-id"]
        default_permissions = ()
