"""Talent demands (企业用工人才需求, R-PT-04, 05, 06, 07, 13, 14): an approved
enterprise says whom it needs — positions with their requirements, majors,
the services it wants — staff approve or reject with a reason, and after
approval the enterprise reports how many it actually hired.

Every choice is a lookup entry (R-SYS-05) kept by foreign key (PROTECT): the
statistics group by those keys in SQL. The industry and industrial chain are
copied from the enterprise's profile when the demand is written, so a later
profile change does not move old demands between the figures' groups."""

from django.conf import settings
from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.portal.models.review import ReviewStatus


DemandStatus = ReviewStatus  # draft → pending → approved / rejected (models.review)


class DemandOutcome(models.TextChoices):
    NONE = "", "未反馈"
    COMPLETED = "completed", "已完成"
    PARTIAL = "partial", "未完全达成"


class GenderRequirement(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"
    ANY = "any", "无要求"


def _lookup(label: str, *, null: bool = False):
    return models.ForeignKey("core.LookupEntry", verbose_name=label, on_delete=models.PROTECT, related_name="+",
                             null=null, blank=null)


class Demand(models.Model):
    account = models.ForeignKey("core.EnterpriseAccount", verbose_name="企业账号", on_delete=models.PROTECT,
                                related_name="talent_demands")
    enterprise = models.ForeignKey("core.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="talent_demands")
    company_name = models.CharField("企业名称", max_length=200)
    industry = _lookup("所属行业", null=True)
    industrial_chain = _lookup("所属产业链", null=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = PIIField("联系人手机号", kind=pii.MOBILE)
    months = models.JSONField("招聘月份", default=list, help_text="1–12，可多选")
    workforce_size = models.PositiveIntegerField("企业用工规模（人）")
    services_other = models.CharField("其他服务需求", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=DemandStatus.choices, default=DemandStatus.DRAFT)
    reject_reason = models.CharField("未通过原因", max_length=500, blank=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    outcome = models.CharField("招聘结果", max_length=20, choices=DemandOutcome.choices, blank=True, default="")
    outcome_at = models.DateTimeField("首次反馈时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "人才需求"
        verbose_name_plural = "人才需求"
        ordering = ["-submitted_at", "-id"]
        default_permissions = ()
        permissions = [
            ("view_demand", "查看人才需求及统计"),
            ("review_demand", "审核人才需求"),
        ]
        indexes = [
            # The statistics' period (submission dates) among one status; the staff list.
            models.Index(fields=["status", "submitted_at"], name="demand_status_submitted_idx"),
            models.Index(fields=["enterprise", "-id"], name="demand_enterprise_idx"),
        ]

    def __str__(self):
        return f"{self.company_name} 人才需求"


class DemandService(models.Model):
    """A service the enterprise wants (组织招聘会, 校企合作 …): one row each, so the
    statistics count demands per service in SQL."""

    demand = models.ForeignKey(Demand, verbose_name="人才需求", on_delete=models.CASCADE, related_name="services")
    service = _lookup("服务")

    class Meta:
        verbose_name = "需要的服务"
        verbose_name_plural = "需要的服务"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["demand", "service"], name="demand_service_once")]


class DemandPosition(models.Model):
    demand = models.ForeignKey(Demand, verbose_name="人才需求", on_delete=models.CASCADE, related_name="positions")
    order = models.PositiveSmallIntegerField("序号", default=0)
    # Picked from the positions lookup, or typed when the list has no such post.
    position_entry = _lookup("岗位（选择）", null=True)
    position_text = models.CharField("岗位", max_length=100)
    description = models.TextField("岗位描述", blank=True)
    headcount = models.PositiveIntegerField("需求人数")
    gender = models.CharField("性别要求", max_length=10, choices=GenderRequirement.choices)
    employment_type = _lookup("用工性质")
    employment_type_other = models.CharField("其他用工性质", max_length=100, blank=True)
    salary_min = models.PositiveIntegerField("月薪下限（元）")
    salary_max = models.PositiveIntegerField("月薪上限（元）")
    age_band = _lookup("年龄段")
    education = _lookup("学历")
    skill_level = _lookup("技能要求")
    experience = _lookup("工作经历")
    hired = models.PositiveIntegerField("实际招聘人数", null=True, blank=True)

    class Meta:
        verbose_name = "需求岗位"
        verbose_name_plural = "需求岗位"
        ordering = ["demand", "order", "id"]
        default_permissions = ()

    def __str__(self):
        return self.position_text


class DemandMajor(models.Model):
    position = models.ForeignKey(DemandPosition, verbose_name="需求岗位", on_delete=models.CASCADE,
                                 related_name="majors")
    category = _lookup("专业类别")
    headcount = models.PositiveIntegerField("人数")

    class Meta:
        verbose_name = "专业需求"
        verbose_name_plural = "专业需求"
        ordering = ["position", "id"]
        default_permissions = ()


class DemandEvent(models.Model):
    """One step of a demand: created, changed, submitted, approved, rejected, outcome (who, when, why)."""

    demand = models.ForeignKey(Demand, verbose_name="人才需求", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "人才需求记录"
        verbose_name_plural = "人才需求记录"
        ordering = ["-at", "-id"]
        default_permissions = ()


class DemandTally(models.Model):
    """The statistics' figures, kept as each demand is approved or reports its outcome
    (``services.demand_tallies``), so a year's statistics read a few thousand
    small rows instead of every position of the year (R-PT-14, issue 13's benchmark).

    One row per local submission day, dimension and code: ``headcount`` and
    ``hired`` of the approved demands' positions in that group, ``demands`` for
    the dimensions counted in demands (services wanted, outcome). ``code`` is the
    lookup entry's id for lookup dimensions, the fixed code otherwise (gender,
    salary band, outcome), the enterprise's id for ``enterprise``."""

    day = models.DateField("提交日期")
    dimension = models.CharField("维度", max_length=20)
    code = models.CharField("分组", max_length=40)
    demands = models.IntegerField("需求数", default=0)
    headcount = models.BigIntegerField("需求人数", default=0)
    hired = models.BigIntegerField("实际招聘人数", default=0)

    class Meta:
        verbose_name = "人才需求统计汇总"
        verbose_name_plural = "人才需求统计汇总"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "dimension", "code"], name="demand_tally_cell")]
        # A period's figures are read from this index alone (a range of days, every column
        # the sums need): no lookup of each of a year's ~75,000 cells in the table.
        indexes = [models.Index(fields=["day", "dimension", "code", "demands", "headcount", "hired"],
                                name="demand_tally_covering")]
