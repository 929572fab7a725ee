"""A saved report (issue 17): a name, a source registered by an app
(``core.registry.report_source``), its definition as data (``platform.rules``),
its owner and the roles it is shared with."""

from django.conf import settings
from django.db import models


class SavedReport(models.Model):
    name = models.CharField("报表名称", max_length=100)
    source = models.CharField("数据来源", max_length=40)
    definition = models.JSONField("报表定义", default=dict)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                              related_name="saved_reports")
    shared_with = models.ManyToManyField("auth.Group", verbose_name="共享给角色", blank=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "自定义报表"
        verbose_name_plural = "自定义报表"
        ordering = ["-updated_at", "-id"]
        default_permissions = ()
        permissions = [("build_report", "构建和保存自定义报表"), ("manage_reports", "修改和删除他人的自定义报表")]

    def __str__(self):
        return self.name
