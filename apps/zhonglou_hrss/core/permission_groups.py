"""Permissions as the role editor shows them (R-SYS-01, issue 11 item 9):
grouped by subsystem and task, in Chinese.

The groups live in ``core.registry`` (``permission_group`` / ``permission_task``):
core registers its own here (``register``, called from ``CoreConfig.ready``),
each app its own in its ``AppConfig.ready``. A permission in no group is
internal (sessions, content types, the admin log, captcha and job-queue
tables, token and lockout internals …): the editor does not offer it, and a
role that holds one keeps it when saved (``core.admin.roles``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission

from zhonglou_hrss.core import registry

SETTINGS, ENTERPRISES = "工作台与系统设置", "企业"

# Django's four model permissions, named as the editor shows them: 查看 + 用户.
VERBS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def register():
    registry.permission_group(SETTINGS, order=0, description="进入工作台、查看完整个人信息，以及系统设置各页。")
    registry.permission_group(ENTERPRISES, order=50, description="三个子系统共用的企业库。")
    for order, (title, names) in enumerate([
        # Marks the grid worker: the grids bound to the user scope what they see.
        ("工作台", ("core.access_desk", "core.view_pii", "core.export_pii", "core.work_in_grid")),
        ("用户", ("core.view_user", "core.add_user", "core.change_user", "core.import_user")),
        ("角色", ("core.view_role", "core.add_role", "core.change_role", "core.delete_role")),
        ("网格与区界地图", ("core.view_grid", "core.add_grid", "core.change_grid")),
        ("字典", ("core.view_lookupentry", "core.add_lookupentry", "core.change_lookupentry",
                  "core.delete_lookupentry")),
        ("导出模板", ("core.view_exporttemplate", "core.add_exporttemplate", "core.change_exporttemplate",
                      "core.delete_exporttemplate")),
        ("登录锁定", ("axes.view_accessattempt", "axes.delete_accessattempt")),
        ("审计日志", ("core.view_auditlog",)),
        ("系统状态与备份", ("core.view_system_health",)),
        ("自定义字段", ("core.manage_customfield",)),
    ]):
        registry.permission_task(SETTINGS, title, permissions=names, order=order * 10)
    registry.permission_task(ENTERPRISES, "企业库", permissions=(
        "core.view_enterprise", "core.add_enterprise", "core.change_enterprise", "core.import_enterprise"))


def key(perm: Permission) -> str:
    return f"{perm.content_type.app_label}.{perm.codename}"


def label(perm: Permission) -> str:
    """查看用户 for Django's model permissions (whatever name Django stored,
    from the model's Chinese verbose_name), the stored Chinese name otherwise."""
    action, _, model_name = perm.codename.partition("_")
    model = perm.content_type.model_class()
    if action in VERBS and model is not None and model_name == model._meta.model_name:
        return f"{VERBS[action]}{model._meta.verbose_name}"
    return perm.name


@dataclass(frozen=True)
class Entry:
    pk: int
    key: str  # app_label.codename
    label: str


@dataclass(frozen=True)
class Task:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Group:
    title: str
    description: str
    tasks: tuple[Task, ...]
    pks: frozenset[int] = field(default=frozenset())


def layout() -> list[Group]:
    """The registered groups and tasks with the permissions that exist (one
    query). A permission named twice is shown once, in its first task; tasks
    and groups left empty are dropped."""
    registered = registry.permission_layout()
    codenames = {name.split(".", 1)[1] for _, tasks in registered for task in tasks for name in task.permissions}
    existing = {key(p): p for p in Permission.objects.select_related("content_type").filter(codename__in=codenames)}
    seen: set[str] = set()
    groups = []
    for group, tasks in registered:
        out_tasks = []
        for task in tasks:
            entries = []
            for name in task.permissions:
                perm = existing.get(name)
                if perm is None or name in seen:
                    continue
                seen.add(name)
                entries.append(Entry(perm.pk, name, label(perm)))
            if entries:
                out_tasks.append(Task(task.title, tuple(entries)))
        if out_tasks:
            pks = frozenset(e.pk for t in out_tasks for e in t.entries)
            groups.append(Group(group.title, group.description, tuple(out_tasks), pks))
    return groups


def shown_pks(groups: list[Group]) -> set[int]:
    """Every permission the editor offers."""
    return {pk for g in groups for pk in g.pks}


def summary(groups: list[Group], held: set[int]) -> tuple[list[tuple[str, int, int]], int]:
    """What a role holds at a glance: [(group title, held, offered)] for the
    groups it holds anything of, and how many internal (unshown) permissions it holds."""
    counts = [(g.title, len(held & g.pks), len(g.pks)) for g in groups if held & g.pks]
    return counts, len(held - shown_pks(groups))
