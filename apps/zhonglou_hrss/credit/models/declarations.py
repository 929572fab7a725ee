"""An HR company's declaration for a rating year (R-CR-02) and its scoring by
staff (R-CR-03): self points and evidence per item, initial and final points,
deductions, veto marks, and a timeline row for every step. Its status moves
only through ``services.declarations`` / ``services.scoring`` (row lock, then
``workflow.declaration_error``)."""

from django.conf import settings
from django.db import models


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待初评）"
    RETURNED = "returned", "退回修改"
    INITIAL_DONE = "initial_done", "初评完成（待终评）"
    FINAL_DONE = "final_done", "终评完成"


class Declaration(models.Model):
    scheme = models.ForeignKey("credit.CriteriaYear", verbose_name="评价年度", on_delete=models.PROTECT,
                               related_name="declarations")
    account = models.ForeignKey("core.EnterpriseAccount", verbose_name="人力资源企业", on_delete=models.PROTECT,
                                related_name="credit_declarations")
    status = models.CharField("状态", max_length=20, choices=DeclarationStatus.choices,
                              default=DeclarationStatus.DRAFT)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    credit_score = models.DecimalField("信用得分", max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField("信用等级", max_length=10, blank=True)
    working = models.JSONField("计算过程", default=list, blank=True)
    confirmed_at = models.DateTimeField("终评确认时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "信用申报"
        verbose_name_plural = "信用申报"
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["scheme", "account"], name="one_declaration_per_year")]

    def __str__(self):
        return f"{self.scheme.year}年度 {self.account}"


class DeclarationItem(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("credit.CriteriaItem", on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField("自评分", max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    returned = models.BooleanField("退回修改", default=False)
    initial_points = models.DecimalField("初评分", max_digits=7, decimal_places=2, null=True, blank=True)
    initial_basis = models.CharField("初评依据", max_length=500, blank=True)
    final_points = models.DecimalField("终评分", max_digits=7, decimal_places=2, null=True, blank=True)
    final_basis = models.CharField("终评依据", max_length=500, blank=True)

    class Meta:
        verbose_name = "申报指标"
        verbose_name_plural = "申报指标"
        ordering = ["item__order", "id"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["declaration", "item"], name="one_line_per_item")]


class Evidence(models.Model):
    line = models.ForeignKey(DeclarationItem, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField("文件名", max_length=200)
    path = models.CharField("私有上传路径", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("字节")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
        ordering = ["uploaded_at", "id"]
        default_permissions = ()


class Deduction(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="deductions")
    item = models.ForeignKey("credit.CriteriaItem", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("扣分（负数）", max_digits=7, decimal_places=2)
    basis = models.TextField("扣分依据")
    source = models.CharField("来源", max_length=20, blank=True)  # "" / case / petition
    source_id = models.PositiveBigIntegerField("来源记录 id", null=True, blank=True)
    source_number = models.CharField("来源编号", max_length=30, blank=True)
    material = models.CharField("材料（私有上传路径）", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "扣分记录"
        verbose_name_plural = "扣分记录"
        ordering = ["created_at", "id"]
        default_permissions = ()


class VetoMark(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="vetoes")
    veto = models.ForeignKey("credit.VetoItem", on_delete=models.PROTECT, related_name="+")
    basis = models.TextField("认定依据")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "一票否决认定"
        verbose_name_plural = "一票否决认定"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["declaration", "veto"], name="one_mark_per_veto")]


class DeclarationEvent(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30)
    note = models.TextField("说明", blank=True)
    detail = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "申报记录"
        verbose_name_plural = "申报记录"
        ordering = ["at", "id"]
        default_permissions = ()


class CandidateDismissal(models.Model):
    """A deduction candidate (a kuaiban case or petition naming the company)
    that staff judged not to deduct, with the reason."""

    scheme = models.ForeignKey("credit.CriteriaYear", on_delete=models.CASCADE, related_name="+")
    uscc = models.CharField(max_length=18)
    source = models.CharField(max_length=20)
    source_id = models.PositiveBigIntegerField()
    reason = models.CharField("不扣分原因", max_length=500)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField()

    class Meta:
        verbose_name = "不扣分的线索"
        verbose_name_plural = "不扣分的线索"
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["scheme", "uscc", "source", "source_id"],
                                               name="one_dismissal_per_candidate")]
