from django.db import models
from simple_history.models import HistoricalRecords

from zhonglou_hrss.core.models.lookups import LookupKind


class Enterprise(models.Model):
    """The one registry of companies, keyed by USCC: the kuaiban respondent,
    the portal's enterprise account and the credit HR company all point here."""

    # NULL when unknown (a respondent may be registered before its code is known);
    # unique NULLs are allowed on SQLite and MariaDB alike.
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    uscc_checksum_ok = models.BooleanField(
        "代码校验通过", default=True, help_text="否：校验位不符，经人工确认后录入。"
    )
    name = models.CharField("企业名称", max_length=200, db_index=True)
    industry = models.ForeignKey(
        "core.LookupEntry",
        verbose_name="所属行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": LookupKind.INDUSTRY, "active": True},
        related_name="+",
    )
    address = models.CharField("单位地址", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="企业变更记录")

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业库"
        ordering = ["name"]
        permissions = [("import_enterprise", "批量导入企业")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = self.uscc or None  # '' would collide with other unknown codes
        super().save(*args, **kwargs)
