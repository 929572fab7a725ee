from django.conf import settings
from django.db import models
from django.db.models import Q

PETITION_PREFIX = "XF"

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.core.models.lookups import LookupKind
from zhonglou_hrss.kuaiban.models.companions import Companion


class Petition(models.Model):
    """信访 record (R-KB-15), kept by district clerks. Completed when it has a
    handling result and a handling time (both are entered together)."""

    # XF2026-000024, like case numbers (core.services.numbers); records from
    # before numbering were given theirs by migration and stay findable by
    # their old "XF<id>" too (selectors.petitions).
    number = models.CharField("信访编号", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=50)
    id_number = PIIField("身份证号", kind=pii.ID_CARD)
    phone = PIIField("联系电话", kind=pii.MOBILE)
    respondent_name = models.CharField("对方单位", max_length=200)
    respondent_uscc = models.CharField("对方单位统一社会信用代码", max_length=18, blank=True)
    respondent = models.ForeignKey("core.Enterprise", verbose_name="对方单位（企业库）", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="petitions")
    reason = models.ForeignKey("core.LookupEntry", verbose_name="案由", on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"kind": LookupKind.CASE_REASON})
    grid = models.ForeignKey("core.Grid", verbose_name="所属网格", on_delete=models.PROTECT, related_name="petitions")
    demand = models.TextField("具体诉求")
    result = models.TextField("处置结果", blank=True)
    handled_at = models.DateTimeField("处置时间", null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    # Its own index: the list's page (newest first) walks it and stops at 20.
    created_at = models.DateTimeField("录入时间", db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "信访记录"
        verbose_name_plural = "信访"
        ordering = ["-created_at", "-id"]
        permissions = [("export_petition", "导出信访记录")]
        # The list (newest first) and the figures per year, per grid: the
        # figures count from these indexes alone (handled_at tells completed).
        indexes = [
            models.Index(fields=["created_at", "grid", "handled_at"], name="petition_created_grid_handled"),
            models.Index(fields=["grid", "created_at", "handled_at"], name="petition_grid_created_handled"),
            models.Index(fields=["handled_at"], name="petition_handled"),
        ]
        constraints = [
            # Result and time belong together: "completed" means both are there.
            models.CheckConstraint(
                condition=(Q(result="", handled_at__isnull=True) | (~Q(result="") & Q(handled_at__isnull=False))),
                name="petition_result_with_time",
            ),
        ]

    def __str__(self):
        return f"信访 {self.number}（{self.name}）"

    @property
    def is_completed(self) -> bool:
        return bool(self.result and self.handled_at)


class PetitionCompanion(Companion):
    petition = models.ForeignKey(Petition, verbose_name="信访记录", on_delete=models.CASCADE, related_name="companions")

    class Meta(Companion.Meta):
        pass


class PetitionEvent(models.Model):
    """History of a petition: who entered or changed what, when (never the
    personal data itself — only that it changed)."""

    petition = models.ForeignKey(Petition, verbose_name="信访记录", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    at = models.DateTimeField("时间")
    changes = models.JSONField("变更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "信访记录变更"
        verbose_name_plural = "信访记录变更"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["petition", "at"], name="petition_event_at")]
