from django.db import models


class LookupKind(models.TextChoices):
    """Every drop-down list the requirements name (R-SYS-05)."""

    CASE_REASON = "case_reason", "案由"
    RESOLUTION_WAY = "resolution_way", "成功方式/处理方式"
    CHANNEL = "channel", "来源渠道"
    INDUSTRY = "industry", "所属行业"
    INDUSTRIAL_CHAIN = "industrial_chain", "十大产业链"
    POSITION = "position", "岗位"
    MAJOR_CATEGORY = "major_category", "专业类别"
    EDUCATION = "education", "学历"
    AGE_BAND = "age_band", "年龄段"
    EXPERIENCE = "experience", "工作经历"
    EMPLOYMENT_TYPE = "employment_type", "用工性质"
    SKILL_LEVEL = "skill_level", "职业技能等级"
    SKILL_REQUIREMENT = "skill_requirement", "技能要求"
    DEMAND_SERVICE = "demand_service", "需要的服务"


class LookupQuerySet(models.QuerySet):
    def of(self, kind: str):
        return self.filter(kind=kind)

    def selectable(self):
        return self.filter(active=True)


class LookupEntry(models.Model):
    """One entry of a lookup list. Records point at entries with PROTECT, so a
    used entry can be deactivated but never deleted."""

    kind = models.CharField("字典", max_length=30, choices=LookupKind.choices, db_index=True)
    code = models.CharField("编码", max_length=30)
    label = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField("有效", default=True)
    order = models.PositiveIntegerField("排序", default=0)

    objects = LookupQuerySet.as_manager()

    class Meta:
        verbose_name = "字典项"
        verbose_name_plural = "字典"
        ordering = ["kind", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="lookup_kind_code_unique")]

    def __str__(self):
        return self.label if self.active else f"{self.label}（已停用）"
