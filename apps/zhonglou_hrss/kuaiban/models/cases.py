from django.conf import settings
from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.core.models.lookups import LookupKind
from zhonglou_hrss.kuaiban.models.companions import Companion


class CaseStatus(models.TextChoices):
    GRID_PENDING = "grid_pending", "待网格接收"
    GRID_HANDLING = "grid_handling", "网格处置中"
    GRID_RESOLVED = "grid_resolved", "网格调解成功"
    DISTRICT_TRIAGE = "district_triage", "区平台研判"
    AWAITING_ASSIGNMENT = "awaiting_assignment", "待领导指派"
    AWAITING_CLAIM = "awaiting_claim", "待监察员认领"
    INSPECTING = "inspecting", "监察处置中"
    CLOSED = "closed", "已办结"
    ENDED_INVALID = "ended_invalid", "正常结束"


class CaseSource(models.TextChoices):
    PUBLIC = "public", "群众登记"
    INTERNAL = "internal", "内部登记"


class Case(models.Model):
    """One complaint (事件) moving through the kuaiban workflow.

    Status changes only through ``kuaiban.services.transitions.perform``.
    Grid handling lives in ``GridRound`` rows, inspector assignment in
    ``InspectorAssignment`` rows; inspector milestones and results are here.
    """

    number = models.CharField("事件编号", max_length=20, unique=True)
    status = models.CharField("状态", max_length=30, choices=CaseStatus.choices, db_index=True)
    source = models.CharField("登记方式", max_length=10, choices=CaseSource.choices)
    channel = models.ForeignKey(
        "core.LookupEntry", verbose_name="来源渠道", on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": LookupKind.CHANNEL},
    )

    reporter_name = models.CharField("上报人姓名", max_length=50)
    reporter_id_number = PIIField("上报人身份证号", kind=pii.ID_CARD)
    reporter_phone = PIIField("上报人手机号", kind=pii.MOBILE)
    reporter_photo = models.CharField("上报人照片", max_length=200, blank=True,
                                      help_text="私有上传目录中的相对路径")

    respondent_name = models.CharField("对方单位", max_length=200)
    respondent_uscc = models.CharField("对方单位统一社会信用代码", max_length=18, blank=True)
    respondent = models.ForeignKey(
        "core.Enterprise", verbose_name="对方单位（企业库）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="kuaiban_cases",
    )
    reason = models.ForeignKey(
        "core.LookupEntry", verbose_name="案由", on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": LookupKind.CASE_REASON},
    )
    demand = models.TextField("具体诉求")

    grid = models.ForeignKey("core.Grid", verbose_name="所属网格", on_delete=models.PROTECT, related_name="cases")
    attributed_grid = models.ForeignKey(
        "core.Grid", verbose_name="归属网格（统计用）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="attributed_cases",
    )
    # Acceptance time of the current open grid round (None when no round is being
    # handled). Overdue is computed from it in SQL (selectors.with_overdue).
    grid_accepted_at = models.DateTimeField("网格接收时间", null=True, blank=True)

    # Inspector milestones and results (R-KB-11…14).
    filed_at = models.DateTimeField("立案时间", null=True, blank=True)
    investigated_at = models.DateTimeField("调查时间", null=True, blank=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handling_amount = models.DecimalField("处理金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    handling_notes = models.TextField("处理结果备注", blank=True)
    penalty_required = models.BooleanField("需要处罚", default=False)
    penalty_decided_at = models.DateTimeField("处罚决定时间", null=True, blank=True)
    executed_at = models.DateTimeField("执行时间", null=True, blank=True)
    enforcement_applied_at = models.DateTimeField("申请强制执行时间", null=True, blank=True)
    # When the case was completed (grid success or inspector close) or ended invalid.
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    ended_reason = models.TextField("正常结束原因", blank=True)

    # Public registration: a fingerprint to hand back the first case when the
    # same person submits the same complaint twice within minutes.
    submission_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField("登记时间", db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "快办事件"
        verbose_name_plural = "快办事件"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_cases", "查看全部快办事件"),
            ("register_case", "内部登记快办事件"),
            ("triage_case", "研判网格退回的事件"),
            ("assign_case", "指派事件给监察员"),
            ("handle_assigned_case", "认领并处置指派给本人的事件"),
            ("export_case", "导出快办事件"),
            ("print_qr_poster", "打印群众登记二维码"),
            ("view_district_figures", "查看全区统计（一张图、数据分析，仅数字）"),
        ]
        indexes = [
            models.Index(fields=["grid", "status", "-created_at"], name="case_grid_status_created"),
            # Overdue (status + acceptance time) with created_at: the page of an
            # overdue list is read from this index alone (benchmarks/RESULTS.md).
            models.Index(fields=["status", "grid_accepted_at", "created_at"], name="case_status_accepted_created"),
            models.Index(fields=["status", "-created_at"], name="case_status_created"),
            models.Index(fields=["attributed_grid", "created_at"], name="case_attr_grid_created"),
            # The dashboard's "completed this month" (stats.dashboard_figures);
            # with the grid, a grid worker's month is picked out in the index; with the
            # statistics grid and the registration time, "this year's cases completed since a
            # month ago" (stats.year_figures) too, without reading the rows (a leader's desk
            # home read 17,000 pages for it at a million cases, a grid worker's 38,000; issue 19).
            models.Index(fields=["closed_at", "status", "grid", "attributed_grid", "created_at"],
                         name="case_closed_status_grids"),
            # The case list behind a figure (statistics grid + year): counted and
            # paged from this index alone (stats.stat_grid_q).
            models.Index(fields=["created_at", "attributed_grid", "grid"], name="case_created_stat_grids"),
        ]

    def __str__(self):
        return self.number


class CaseCompanion(Companion):
    case = models.ForeignKey(Case, verbose_name="事件", on_delete=models.CASCADE, related_name="companions")

    class Meta(Companion.Meta):
        pass


class CaseNumberSequence(models.Model):
    """Per-year counter behind case numbers (KB2026-000123), incremented under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "事件编号序列"
        verbose_name_plural = "事件编号序列"
