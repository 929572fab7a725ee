"""External accounts: enterprises and HR companies that sign in to the portal
(码上办) and, later, the credit subsystem (信用评价).

The login is an ordinary ``core.User`` (the same sign-in, lockout, session
timeout, audit and API tokens as staff), holding the ``enterprise_user`` role
and never ``core.access_desk``. ``EnterpriseAccount`` is what the company
registered about itself; the database keeps one account per company (per
USCC: one account per ``core.Enterprise``). Access to each subsystem is
decided separately (``SubsystemAccess``): the portal by 就业后台, credit by
信用评价管理员 — one user table, one account, one decision per subsystem.
"""

from django.conf import settings
from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.core.models.lookups import LookupKind


class EnterpriseAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.PROTECT,
                                related_name="enterprise_account")
    enterprise = models.ForeignKey("core.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="accounts")
    company_name = models.CharField("企业名称", max_length=200)
    uscc_checksum_confirmed = models.BooleanField(
        "代码校验位不符（经企业确认）", default=False,
        help_text="注册时统一社会信用代码校验位不符，企业确认无误后提交；审核时请核对营业执照。")
    industry = models.ForeignKey("core.LookupEntry", verbose_name="所属行业", on_delete=models.PROTECT,
                                 limit_choices_to={"kind": LookupKind.INDUSTRY}, related_name="+")
    industrial_chain = models.ForeignKey("core.LookupEntry", verbose_name="十大产业链", on_delete=models.PROTECT,
                                         limit_choices_to={"kind": LookupKind.INDUSTRIAL_CHAIN}, related_name="+")
    address = models.CharField("单位地址", max_length=300)
    profile = models.TextField("公司简介", blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = PIIField("联系人手机号", kind=pii.MOBILE)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业账号"
        verbose_name_plural = "企业账号"
        ordering = ["-created_at", "-id"]
        default_permissions = ()
        permissions = [
            ("view_enterpriseaccount", "查看企业账号"),
            ("approve_portal_access", "审核码上办企业账号"),
            ("approve_credit_access", "审核信用评价企业账号"),
        ]
        constraints = [
            # One account per enterprise, hence per USCC (R-PT-03, R-CR-01): the database decides a race.
            models.UniqueConstraint(fields=["enterprise"], name="one_account_per_enterprise"),
        ]

    def __str__(self):
        return self.company_name


class Subsystem(models.TextChoices):
    PORTAL = "portal", "就业人才码上办"
    CREDIT = "credit", "人力资源企业信用评价"


class AccessStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


class SubsystemAccess(models.Model):
    """An account's access to one subsystem: asked at registration, decided by that subsystem's staff."""

    account = models.ForeignKey(EnterpriseAccount, verbose_name="企业账号", on_delete=models.CASCADE,
                                related_name="accesses")
    subsystem = models.CharField("子系统", max_length=20, choices=Subsystem.choices)
    status = models.CharField("审核状态", max_length=20, choices=AccessStatus.choices, default=AccessStatus.PENDING)
    reason = models.CharField("未通过原因", max_length=500, blank=True)
    requested_at = models.DateTimeField("提交审核时间")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "子系统使用审核"
        verbose_name_plural = "子系统使用审核"
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["account", "subsystem"], name="one_access_per_subsystem"),
        ]
        indexes = [models.Index(fields=["subsystem", "status", "requested_at"], name="access_queue_idx")]

    def __str__(self):
        return f"{self.account} · {self.get_subsystem_display()} · {self.get_status_display()}"
