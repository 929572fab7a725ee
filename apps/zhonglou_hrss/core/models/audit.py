from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class AuditLog(models.Model):
    """Who did what, when, from where. Written by ``core.audit.record``; never
    edited or deleted (the model refuses, the desk offers no such action)."""

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "账号锁定"
        USER_CREATE = "user_create", "新建用户"
        USER_CHANGE = "user_change", "修改用户"
        PASSWORD_CHANGE = "password_change", "修改/重置密码"
        ROLE_CHANGE = "role_change", "用户角色变更"
        GRID_BINDING = "grid_binding", "网格绑定变更"
        PERMISSION_CHANGE = "permission_change", "角色权限变更"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"
        PII_VIEW = "pii_view", "查看完整个人信息"
        TOKEN_ISSUE = "token_issue", "签发接口令牌"
        TOKEN_REVOKE = "token_revoke", "撤销接口令牌"
        ACCOUNT_REGISTER = "account_register", "企业账号注册"
        ACCOUNT_DECISION = "account_decision", "企业账号审核"
        ACCOUNT_CHANGE = "account_change", "企业账号资料修改"
        UPLOAD = "upload", "上传公开文件"
        RECORD_WITHDRAW = "record_withdraw", "撤回记录"
        CONFIG_CHANGE = "config_change", "修改业务配置"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Kept as text too: the record outlives renamed or removed accounts.
    actor_username = models.CharField("操作人账号", max_length=150, blank=True, db_index=True)
    action = models.CharField("操作", max_length=30, choices=Action.choices, db_index=True)
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象ID", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计日志不可删除")
