"""Excel exports (R-KB-17): templates the admin manages, and export jobs.

A template is an .xlsx whose first sheet has header rows and then one row of
placeholders (``{{number}}``); an export fills that row once per record. The
file lives in the site's private uploads (``core.private_files``), never in
the public media folder. Writing and validation: ``core.exports``.

``kind`` names an export kind an app registered (``core.exports.registry``):
a checked string, not a choice list, so a new app's kind needs no migration here.
"""

from django.conf import settings
from django.db import models

from zhonglou_hrss.core.exports.registry import kind_label, validate_kind


class ExportTemplate(models.Model):
    name = models.CharField("模板名称", max_length=100)
    kind = models.CharField("导出内容", max_length=30, validators=[validate_kind], db_index=True)
    file = models.CharField("模板文件", max_length=200, editable=False, help_text="私有上传目录中的相对路径；builtin:<文件名> 为系统自带模板")
    original_filename = models.CharField("原文件名", max_length=200, blank=True, editable=False)
    # Cached from the validated file: the placeholder names, in column order.
    placeholders = models.JSONField("占位字段", default=list, blank=True, editable=False)
    active = models.BooleanField("启用", default=True)
    is_default = models.BooleanField("默认模板", default=False,
                                     help_text="导出时默认使用的模板；每种导出内容只有一个默认模板。")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "导出模板"
        verbose_name_plural = "导出模板"
        ordering = ["kind", "-is_default", "name", "id"]

    def __str__(self):
        return self.name

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


class ExportJob(models.Model):
    """One export a user asked for: runs in the background job queue, then
    its file waits in ``EXPORTS_DIR/<user id>/`` for that user only."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "正在导出"
        DONE = "done", "已完成"
        FAILED = "failed", "导出失败"
        EXPIRED = "expired", "已过期（文件已清理）"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE,
                             related_name="export_jobs")
    kind = models.CharField("导出内容", max_length=30, validators=[validate_kind])
    template = models.ForeignKey(ExportTemplate, verbose_name="模板", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="jobs")
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", null=True, blank=True)
    rows = models.PositiveIntegerField("已导出行数", default=0)
    masked = models.BooleanField("个人信息已脱敏", default=True)
    reason = models.CharField("完整导出的理由", max_length=200, blank=True,
                              help_text="完整导出身份证号、手机号时必填，记入审计日志")
    file_path = models.CharField("文件", max_length=300, blank=True, help_text="导出目录中的相对路径")
    error = models.TextField("错误信息", blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    # Written when the job starts and with every chunk's progress: a running job
    # whose heartbeat stops was killed with its worker (core.exports.jobs.recover_export_jobs).
    heartbeat_at = models.DateTimeField("最近进度时间", null=True, blank=True, editable=False)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"{kind_label(self.kind)} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, int(self.rows * 100 / self.total))
