from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models

from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField


class User(AbstractUser):
    """A person who signs in: bureau staff, grid workers, enterprise and
    HR-company accounts. What they may do comes from their roles (groups)."""

    name = models.CharField("姓名", max_length=50, blank=True)
    mobile = PIIField("手机号", kind=pii.MOBILE)
    grids = models.ManyToManyField(
        "core.Grid",
        verbose_name="所属网格",
        blank=True,
        related_name="workers",
        help_text="网格员负责的网格，可多选。",
    )
    password_change_required = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="管理员重置或导入的密码，本人首次登录后须修改。",
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"
        permissions = [
            ("access_desk", "进入工作台（后台）"),
            ("view_pii", "查看完整身份证号和手机号"),
            # Apart from seeing them on a page: a file leaves the system (issue 10 item 6).
            ("export_pii", "导出完整身份证号和手机号（须填写理由）"),
            ("import_user", "批量导入用户"),
            # Marks the grid-worker capability: bound grids scope what the user sees.
            ("work_in_grid", "作为网格员处理所绑定网格的事务"),
        ]

    def __str__(self):
        return f"{self.name}（{self.username}）" if self.name else self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # Choosing one's own password clears the flag; an admin's reset sets it
        # again afterwards (core.admin.users). The audit hook sees the change.
        self.password_change_required = False
        self._password_was_set = True

    @property
    def display_name(self) -> str:
        return self.name or self.username


class Role(Group):
    """A role (角色) is a Django group: data the admin edits, mapped to permissions.
    Code checks permissions, never role names."""

    class Meta:
        proxy = True
        verbose_name = "角色"
        verbose_name_plural = "角色"
