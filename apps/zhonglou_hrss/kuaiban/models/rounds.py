from django.conf import settings
from django.db import models

from zhonglou_hrss.core.models.lookups import LookupKind


class GridOutcome(models.TextChoices):
    SUCCESS = "success", "调解成功"
    FAILED = "failed", "调解失败"
    RETURNED = "returned", "其他原因退回"


class GridRound(models.Model):
    """One sending of a case to a grid: sent, accepted, then an outcome.

    ``open_case`` equals ``case_id`` while the round has no outcome and is NULL
    afterwards; its unique index makes "one open round per case" a database
    rule on SQLite and MariaDB alike (MariaDB has no partial indexes).
    """

    case = models.ForeignKey("kuaiban.Case", verbose_name="事件", on_delete=models.CASCADE, related_name="rounds")
    grid = models.ForeignKey("core.Grid", verbose_name="网格", on_delete=models.PROTECT, related_name="rounds")
    open_case = models.OneToOneField(
        "kuaiban.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="open_round", editable=False,
    )
    sent_at = models.DateTimeField("派发时间")
    accepted_at = models.DateTimeField("接收时间", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("结果", max_length=10, choices=GridOutcome.choices, blank=True, db_index=True)
    outcome_at = models.DateTimeField("结果时间", null=True, blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    resolution_way = models.ForeignKey(
        "core.LookupEntry", verbose_name="成功方式", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"kind": LookupKind.RESOLUTION_WAY},
    )
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    notes = models.TextField("备注", blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "网格处置轮次"
        verbose_name_plural = "网格处置轮次"
        ordering = ["sent_at", "id"]
        indexes = [
            models.Index(fields=["grid", "outcome", "case"], name="round_grid_outcome_case"),
            # A grid worker's visibility test for one case (selectors._grid_visible_q),
            # answered from the index alone.
            models.Index(fields=["case", "grid", "outcome"], name="round_case_grid_outcome"),
            # The dashboard's "overdue a day ago": rounds given an outcome since then,
            models.Index(fields=["outcome_at"], name="round_outcome_at"),
            # ... and rounds still open that were accepted 15+ days before then, counted from
            # the index alone (the outcome index alone read every open round's row: 34,000 pages
            # at a million cases, issue 19).
            models.Index(fields=["outcome", "accepted_at", "grid"], name="round_outcome_accepted_grid"),
        ]

    def __str__(self):
        return f"{self.case_id}@{self.grid_id}"


class InspectorAssignment(models.Model):
    """A leader's assignment of a case to an inspector: claimed, returned or
    replaced by a reassignment before it was claimed. ``open_case`` as above:
    set while the assignment is current (before and after the claim), cleared
    when it is returned or replaced — at most one current assignment per case."""

    case = models.ForeignKey("kuaiban.Case", verbose_name="事件", on_delete=models.CASCADE, related_name="assignments")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="监察员", on_delete=models.PROTECT,
                                  related_name="kuaiban_assignments")
    open_case = models.OneToOneField(
        "kuaiban.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="open_assignment",
        editable=False,
    )
    assigned_at = models.DateTimeField("指派时间")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="指派人", on_delete=models.PROTECT,
                                    related_name="+")
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    superseded_at = models.DateTimeField("改派时间", null=True, blank=True)

    class Meta:
        verbose_name = "监察员指派"
        verbose_name_plural = "监察员指派"
        ordering = ["assigned_at", "id"]
        indexes = [
            models.Index(fields=["inspector", "case"], name="assign_inspector_case"),
            # An inspector's list: their open assignments, read from this index alone.
            models.Index(fields=["inspector", "open_case"], name="assign_inspector_open"),
        ]

    def __str__(self):
        return f"{self.case_id}→{self.inspector_id}"
