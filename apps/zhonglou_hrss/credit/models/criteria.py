"""A rating year's scheme as data (R-CR-04): initial score, floor, categories
with their kind and caps, items with their scoring rule (JSON parameters),
veto items, grade bands with their conditions, stages, the declaration
window, composite weights and aggregation settings. Nothing of it is code:
``rules.compute_score`` reads it. A year whose results are published is
frozen (``published_at``): the services refuse edits."""

from django.conf import settings
from django.db import models


class CriteriaYear(models.Model):
    year = models.PositiveSmallIntegerField("评价年度", unique=True)
    name = models.CharField("评价标准名称", max_length=200)
    version = models.CharField("标准版本", max_length=50, blank=True)
    initial_score = models.DecimalField("初始分", max_digits=7, decimal_places=2)
    floor = models.DecimalField("最低分", max_digits=7, decimal_places=2, default=0)
    deductions_cap = models.DecimalField("扣分总上限（负数，空为不限）", max_digits=7, decimal_places=2,
                                         null=True, blank=True)
    stages = models.JSONField("评价阶段", default=list)
    window_start = models.DateField("申报开始日期")
    window_end = models.DateField("申报截止日期")
    weights = models.JSONField("综合权重", default=dict, help_text='{"credit","questionnaire","hr","employee"}')
    aggregation = models.JSONField("问卷汇总规则", default=dict, blank=True)
    eligibility = models.JSONField("参评条件", default=dict, blank=True)
    extra = models.JSONField("其他设置", default=dict, blank=True)
    source = models.CharField("来源", max_length=20, default="manual")  # fixture / copy / manual
    edited_at = models.DateTimeField("最后修改时间", null=True, blank=True)
    published_at = models.DateTimeField("结果发布时间（冻结）", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "年度评价标准"
        verbose_name_plural = "年度评价标准"
        ordering = ["-year"]
        default_permissions = ()
        permissions = [
            ("manage_criteria", "维护信用评价标准"),
            ("review_declaration", "查看和退回信用申报"),
            ("score_declaration", "信用评价初评、终评和扣分"),
        ]

    def __str__(self):
        return f"{self.year}年度 {self.name}"

    @property
    def frozen(self) -> bool:
        return self.published_at is not None


class CategoryKind(models.TextChoices):
    BASE = "base", "初始分"
    BONUS = "bonus", "加分"
    DEDUCTION = "deduction", "扣分"
    VETO = "veto", "一票否决"


class CriteriaCategory(models.Model):
    scheme = models.ForeignKey(CriteriaYear, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField("类别代码", max_length=20)
    label = models.CharField("类别名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=CategoryKind.choices)
    cap = models.DecimalField("类别上限（扣分类为负数）", max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "评价类别"
        verbose_name_plural = "评价类别"
        ordering = ["order", "id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="credit_category_code_per_year")]

    def __str__(self):
        return f"{self.code} {self.label}"


class CriteriaItem(models.Model):
    scheme = models.ForeignKey(CriteriaYear, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(CriteriaCategory, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("指标代码", max_length=20)
    title = models.CharField("指标", max_length=100)
    description = models.TextField("评分说明", blank=True)
    scoring = models.JSONField("计分方式", default=dict,
                               help_text="type: fixed / per_unit / tiered / components / rate / per_occurrence / "
                                         "staff_judgement …，及其参数")
    cap = models.DecimalField("指标上限（扣分项为负数）", max_digits=7, decimal_places=2, null=True, blank=True)
    evidence = models.JSONField("证明材料", default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        ordering = ["order", "id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="credit_item_code_per_year")]

    def __str__(self):
        return f"{self.code} {self.title}"


class VetoItem(models.Model):
    scheme = models.ForeignKey(CriteriaYear, on_delete=models.CASCADE, related_name="vetoes")
    code = models.CharField("否决项代码", max_length=20)
    description = models.CharField("否决情形", max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "一票否决项"
        verbose_name_plural = "一票否决项"
        ordering = ["order", "id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="credit_veto_code_per_year")]


class GradeBand(models.Model):
    scheme = models.ForeignKey(CriteriaYear, on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField("等级", max_length=10)
    label = models.CharField("等级名称", max_length=20, blank=True)
    min_score = models.DecimalField("最低分", max_digits=7, decimal_places=2)
    require_no_veto = models.BooleanField("要求无否决项", default=True)
    require_no_deductions_in = models.JSONField("要求以下类别无扣分", default=list, blank=True)
    order = models.PositiveSmallIntegerField("顺序（从高到低）", default=0)

    class Meta:
        verbose_name = "等级划分"
        verbose_name_plural = "等级划分"
        ordering = ["order", "id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["scheme", "grade"], name="credit_grade_per_year")]
