"""Job fairs (招聘会, R-PT-08, 09, 10, 17, 18, 19): staff hold sessions and
open or close their registration; an approved enterprise registers once per
fair with its attendees, positions and the stamped registration form; staff
approve or reject with a reason. Each step is a timeline row."""

from django.conf import settings
from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.portal.models.review import ReviewStatus


class JobFair(models.Model):
    name = models.CharField("招聘会名称", max_length=200)
    date = models.DateField("举办日期", db_index=True)
    venue = models.CharField("举办地点", max_length=200)
    registration_open = models.BooleanField("开放报名", default=False,
                                            help_text="开放后已审核通过的企业可在门户和小程序报名；关闭后不能再报名或修改。")
    notes = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "招聘会"
        verbose_name_plural = "招聘会"
        ordering = ["-date", "-id"]
        default_permissions = ()
        permissions = [
            ("view_jobfair", "查看招聘会及报名"),
            ("manage_jobfair", "管理招聘会（新建、开放或关闭报名、附件）"),
            ("review_registration", "审核招聘会报名"),
        ]

    def __str__(self):
        return f"{self.name}（{self.date:%Y-%m-%d}）"


class JobFairAttachment(models.Model):
    """A document of a fair (the blank registration-form template among them),
    kept with the private uploads; anyone may download those of an open fair."""

    fair = models.ForeignKey(JobFair, verbose_name="招聘会", on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    path = models.CharField("存放位置", max_length=300)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    content_type = models.CharField("类型", max_length=100, default="application/octet-stream")
    is_form_template = models.BooleanField("报名表模板", default=False)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "招聘会附件"
        verbose_name_plural = "招聘会附件"
        ordering = ["-is_form_template", "id"]
        default_permissions = ()

    def __str__(self):
        return self.name


RegistrationStatus = ReviewStatus  # draft → pending → approved / rejected (models.review)


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Registration(models.Model):
    """One enterprise's registration for one fair (one per enterprise per fair,
    held by the database)."""

    fair = models.ForeignKey(JobFair, verbose_name="招聘会", on_delete=models.PROTECT, related_name="registrations")
    account = models.ForeignKey("core.EnterpriseAccount", verbose_name="企业账号", on_delete=models.PROTECT,
                                related_name="jobfair_registrations")
    enterprise = models.ForeignKey("core.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="jobfair_registrations")
    # The company's name when it registered (the export's rows; the profile may change later).
    company_name = models.CharField("企业名称", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = PIIField("联系人手机号", kind=pii.MOBILE)
    introduction = models.TextField("招聘简介")
    status = models.CharField("状态", max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.DRAFT)
    reject_reason = models.CharField("未通过原因", max_length=500, blank=True)
    # The registration form with the company's seal, scanned (private uploads; images re-encoded).
    stamped_form_path = models.CharField("盖章报名表", max_length=300, blank=True)
    stamped_form_name = models.CharField("盖章报名表文件名", max_length=200, blank=True)
    stamped_form_type = models.CharField("盖章报名表类型", max_length=100, blank=True)
    stamped_form_size = models.PositiveIntegerField("盖章报名表大小（字节）", default=0)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    # Fields administrators add (core.custom_fields): {code: value}, checked on every write.
    custom = models.JSONField("自定义字段", default=dict, blank=True)

    class Meta:
        verbose_name = "招聘会报名"
        verbose_name_plural = "招聘会报名"
        ordering = ["-submitted_at", "-id"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["fair", "enterprise"], name="jobfair_one_registration_per_enterprise"),
        ]
        indexes = [models.Index(fields=["fair", "status", "-id"], name="jobfair_reg_status_idx")]

    def __str__(self):
        return f"{self.company_name} · {self.fair.name}"


class Attendee(models.Model):
    """A person the enterprise sends to the fair; mobile and ID number are personal data."""

    registration = models.ForeignKey(Registration, verbose_name="报名", on_delete=models.CASCADE,
                                     related_name="attendees")
    position = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    title = models.CharField("职务", max_length=50)
    phone = PIIField("手机号", kind=pii.MOBILE)
    id_number = PIIField("身份证号", kind=pii.ID_CARD)

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ["registration", "position", "id"]
        default_permissions = ()

    def __str__(self):
        return self.name


class Position(models.Model):
    """A job the enterprise recruits for at the fair (one row of the export)."""

    registration = models.ForeignKey(Registration, verbose_name="报名", on_delete=models.CASCADE,
                                     related_name="positions")
    position = models.PositiveSmallIntegerField("序号", default=0)
    title = models.CharField("岗位名称", max_length=100)
    count = models.PositiveIntegerField("招聘人数")
    education = models.ForeignKey("core.LookupEntry", verbose_name="学历要求", on_delete=models.PROTECT,
                                  related_name="+")
    major = models.CharField("专业要求", max_length=100, blank=True)
    description = models.TextField("岗位描述", blank=True)
    salary_min = models.PositiveIntegerField("月薪下限（元）")
    salary_max = models.PositiveIntegerField("月薪上限（元）")

    class Meta:
        verbose_name = "招聘岗位"
        verbose_name_plural = "招聘岗位"
        ordering = ["registration", "position", "id"]
        default_permissions = ()

    def __str__(self):
        return self.title


class RegistrationEvent(models.Model):
    """One step of a registration: created, submitted, approved, rejected (who, when, why)."""

    registration = models.ForeignKey(Registration, verbose_name="报名", on_delete=models.CASCADE,
                                     related_name="events")
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "招聘会报名记录"
        verbose_name_plural = "招聘会报名记录"
        ordering = ["-at", "-id"]
        default_permissions = ()
