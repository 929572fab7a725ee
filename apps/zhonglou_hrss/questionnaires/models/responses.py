"""Answers (R-CR-05, R-CR-08) and their review (R-PT-15, R-CR-06, R-CR-09).

One response per respondent, HR company and year, enforced by the database
(``respondent_key``: the answering enterprise for the HR questionnaire, the
keyed hash of the employee's ID number for the employee one). The ID number
itself is never stored: only that hash and its masked form."""

from django.conf import settings
from django.db import models

from zhonglou_hrss.questionnaires.models.definitions import Questionnaire, Version


class ClientHrCompany(models.Model):
    """An approved enterprise's list of the HR companies it works with (R-CR-05)."""

    enterprise = models.ForeignKey("core.Enterprise", verbose_name="用工单位", on_delete=models.CASCADE,
                                   related_name="+")
    hr_company = models.ForeignKey("core.Enterprise", verbose_name="劳务派遣（人力资源）单位", on_delete=models.PROTECT,
                                   related_name="+")
    name = models.CharField("单位全称（企业填写）", max_length=200)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "合作人力资源企业"
        verbose_name_plural = "合作人力资源企业"
        ordering = ["enterprise", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "hr_company"], name="q_client_hr_uniq")]

    def __str__(self):
        return self.name


class Response(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, verbose_name="问卷", on_delete=models.PROTECT,
                                      related_name="responses")
    version = models.ForeignKey(Version, verbose_name="版本", on_delete=models.PROTECT, related_name="responses")
    year = models.PositiveSmallIntegerField("评价年度")
    target = models.ForeignKey("core.Enterprise", verbose_name="被评价单位", on_delete=models.PROTECT,
                               related_name="+")
    enterprise = models.ForeignKey("core.Enterprise", verbose_name="用工单位", on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写账号", on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    respondent_key = models.CharField("答卷人标识", max_length=80, editable=False)
    id_number_hash = models.CharField("身份证号（检索摘要）", max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True)
    answers = models.JSONField("回答", default=dict)
    headcount = models.PositiveIntegerField("用工人数", null=True, blank=True)
    score = models.DecimalField("问卷得分", max_digits=6, decimal_places=2, null=True, blank=True)
    corrected_score = models.DecimalField("更正后得分", max_digits=6, decimal_places=2, null=True, blank=True)
    correction_reason = models.CharField("更正理由", max_length=500, blank=True)
    valid = models.BooleanField("有效", default=True)
    reviewed = models.BooleanField("已审核", default=False)
    review_reason = models.CharField("审核理由", max_length=500, blank=True)
    flagged = models.BooleanField("有风险提示", default=False)
    flags = models.JSONField("风险提示", default=list, blank=True)
    ip = models.GenericIPAddressField("提交地址", null=True, blank=True)
    device = models.CharField("设备标识", max_length=64, blank=True)
    fingerprint = models.CharField("回答摘要", max_length=64, blank=True, editable=False)
    started_at = models.DateTimeField("开始填写时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", db_index=True)
    updated_at = models.DateTimeField("最后修改时间")

    class Meta:
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        ordering = ["-submitted_at", "-id"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["questionnaire", "year", "target", "respondent_key"],
                                               name="q_response_once_uniq")]
        indexes = [
            # Covers the composites' one query (selectors.responses): an index-only read of the year's
            # scores, never the rows with their answers.
            models.Index(fields=["questionnaire", "year", "valid", "target", "score", "corrected_score", "headcount"],
                         name="q_resp_composite_idx"),
            models.Index(fields=["target", "submitted_at"], name="q_resp_target_time_idx"),
        ]

    def __str__(self):
        return f"答卷 {self.pk}"

    @property
    def final_score(self):
        return self.corrected_score if self.corrected_score is not None else self.score


class ResponseEvent(models.Model):
    """One row of a response's timeline: submitted, edited, valid/invalid, corrected, flagged."""

    response = models.ForeignKey(Response, verbose_name="答卷", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=500, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = "答卷记录"
        verbose_name_plural = "答卷记录"
        ordering = ["at", "id"]
        default_permissions = ()
