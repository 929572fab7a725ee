"""Generated results of a rating year (R-CR-10, R-CR-11): each generation is
a new version (who, when, the inputs' counts, the weights and formula used) —
never overwritten; publishing a version freezes the year."""

from django.conf import settings
from django.db import models


class ResultVersion(models.Model):
    scheme = models.ForeignKey("credit.CriteriaYear", verbose_name="评价年度", on_delete=models.PROTECT,
                               related_name="result_versions")
    number = models.PositiveIntegerField("版本号")
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT,
                                     related_name="+")
    generated_at = models.DateTimeField("生成时间")
    inputs = models.JSONField("输入数量", default=dict)
    weights = models.JSONField("权重", default=dict)
    formula = models.TextField("计算公式", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "评价结果版本"
        verbose_name_plural = "评价结果版本"
        ordering = ["-number"]
        default_permissions = ()
        permissions = [("manage_results", "生成和发布信用评价结果")]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="one_result_number_per_year")]


class ResultRow(models.Model):
    version = models.ForeignKey(ResultVersion, on_delete=models.CASCADE, related_name="rows")
    declaration = models.ForeignKey("credit.Declaration", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=18)
    name = models.CharField(max_length=200)
    credit_score = models.DecimalField(max_digits=7, decimal_places=2)
    grade = models.CharField(max_length=10)
    vetoed = models.BooleanField(default=False)
    credit_norm = models.DecimalField(max_digits=7, decimal_places=2)
    hr_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    hr_n = models.PositiveIntegerField(default=0)
    employee_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    employee_n = models.PositiveIntegerField(default=0)
    questionnaire_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    rank_total = models.PositiveIntegerField(null=True)
    rank_credit = models.PositiveIntegerField(null=True)
    rank_hr = models.PositiveIntegerField(null=True)
    rank_employee = models.PositiveIntegerField(null=True)
    flags = models.JSONField(default=list)

    class Meta:
        verbose_name = "评价结果"
        verbose_name_plural = "评价结果"
        ordering = ["rank_total", "id"]
        default_permissions = ()
