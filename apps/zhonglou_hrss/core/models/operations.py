from django.db import models


class TaskRun(models.Model):
    """The last run of each periodic job and of the backup (one row per name,
    overwritten): what the 系统状态 page and the desk-home backup card read.

    ``core.view_system_health`` (系统状态, the backup card) lives here."""

    name = models.CharField("任务", max_length=200, unique=True)
    started_at = models.DateTimeField("最近开始", null=True, blank=True)
    finished_at = models.DateTimeField("最近结束", null=True, blank=True)
    ok = models.BooleanField("最近一次成功", default=False)
    detail = models.CharField("说明", max_length=500, blank=True)
    last_ok_at = models.DateTimeField("最近成功", null=True, blank=True)

    class Meta:
        verbose_name = "任务运行记录"
        verbose_name_plural = "任务运行记录"
        default_permissions = ()
        permissions = [("view_system_health", "查看系统状态（健康检查、备份、后台任务）")]

    def __str__(self):
        return self.name
