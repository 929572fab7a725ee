"""``fixtures/base`` → database: roles, grids, lookups (and what the apps
registered with ``core.registry.fixture_sync``). Idempotent.

Every item's last applied fixture row is kept in ``FixtureRecord``. A sync
compares the fixture with that record, not with the database, so:
- running it twice changes nothing;
- a release that changes a fixture row applies just that change;
- what the admin edited in the desk (a label, a grid's centre, a role's
  extra permission) is kept unless the release changed the same thing;
- an item the admin deleted is not brought back.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from zhonglou_hrss.core.models import FixtureRecord, Grid, LookupEntry, LookupKind
from zhonglou_hrss.core.permission_groups import VERBS
from zhonglou_hrss.siteconf import REPO_DIR

BASE_DIR = REPO_DIR / "fixtures" / "base"

LOOKUP_FILES = {
    LookupKind.CASE_REASON: "case_reasons.csv",
    LookupKind.RESOLUTION_WAY: "resolution_ways.csv",
    LookupKind.CHANNEL: "case_channels.csv",
    LookupKind.INDUSTRY: "industries_gbt4754_2017.csv",
    LookupKind.INDUSTRIAL_CHAIN: "industrial_clusters_changzhou.csv",
    LookupKind.POSITION: "positions.csv",
    LookupKind.MAJOR_CATEGORY: "major_categories.csv",
    LookupKind.EDUCATION: "education_levels.csv",
    LookupKind.AGE_BAND: "age_bands.csv",
    LookupKind.EXPERIENCE: "experience_levels.csv",
    LookupKind.EMPLOYMENT_TYPE: "employment_types.csv",
    LookupKind.SKILL_LEVEL: "skill_levels.csv",
    LookupKind.SKILL_REQUIREMENT: "skill_requirements.csv",
    LookupKind.DEMAND_SERVICE: "demand_services.csv",
}
INACTIVE_STATUSES = {"optional", "sourced-optional"}
# The optional 钟楼经济开发区 has no NBS code; this is its stable code here.
ZONE_CODE = "kfq"


class FixtureError(RuntimeError):
    pass


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self):
        if not self.changed:
            return "基础数据已是最新，无变化。"
        return f"新建 {len(self.created)} 项，更新 {len(self.updated)} 项。"


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _record(kind: str, key: str) -> FixtureRecord | None:
    return FixtureRecord.objects.filter(kind=kind, key=key).first()


def _save_record(kind: str, key: str, record: FixtureRecord | None, data: dict):
    if record is None:
        FixtureRecord.objects.create(kind=kind, key=key, data=data)
    elif record.data != data:
        record.data = data
        record.save(update_fields=["data", "applied_at"])


def _apply_fields(obj, desired: dict, last: dict | None) -> list[str]:
    """Set the fields whose fixture value changed since it was last applied."""
    changed = []
    for name, value in desired.items():
        if last is not None and last.get(name) == value:
            continue  # fixture unchanged here: keep whatever the admin set
        if last is None:
            continue  # existing object never synced before: adopt it as it is
        current = getattr(obj, name)
        if isinstance(current, Decimal):
            current = str(current.normalize()) if value is not None else current
            value_cmp = str(Decimal(value).normalize()) if value is not None else None
        else:
            value_cmp = value
        if current != value_cmp:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- grids ---------------------------------------------------------------------------
def grid_rows() -> list[dict]:
    rows = []
    for order, row in enumerate(_read_csv(BASE_DIR / "grids.csv"), start=1):
        code = row["code"] or (ZONE_CODE if row["kind"] == "zone" else "")
        if not code:
            raise FixtureError(f"grids.csv 第{order + 1}行缺少编码")
        rows.append({
            "code": code,
            "name": row["name"],
            "kind": row["kind"],
            "lat": row["lat_wgs84"] or None,
            "lng": row["lng_wgs84"] or None,
            "order": order * 10,
            "active": row["status"] not in INACTIVE_STATUSES,
        })
    return rows


def sync_grids(report: SyncReport):
    for row in grid_rows():
        record = _record("grid", row["code"])
        grid = Grid.objects.filter(code=row["code"]).first()
        if grid is None:
            if record is not None:
                continue  # removed by the admin
            Grid.objects.create(**row)
            report.created.append(f"网格 {row['name']}")
        else:
            changed = _apply_fields(grid, {k: v for k, v in row.items() if k != "code"}, record.data if record else None)
            if changed:
                grid.save(update_fields=changed)
                report.updated.append(f"网格 {row['name']}")
        _save_record("grid", row["code"], record, row)


# --- lookups -------------------------------------------------------------------------
def sync_lookups(report: SyncReport):
    for kind, filename in LOOKUP_FILES.items():
        rows = _read_csv(BASE_DIR / "lookups" / filename)
        for order, row in enumerate(rows, start=1):
            key = f"{kind}:{row['code']}"
            desired = {
                "label": row["label"],
                "active": row["status"] not in INACTIVE_STATUSES,
                "order": order * 10,
                "parent_code": row.get("parent_code") or "",
            }
            record = _record("lookup", key)
            entry = LookupEntry.objects.filter(kind=kind, code=row["code"]).first()
            parent = None
            if desired["parent_code"]:
                parent = LookupEntry.objects.filter(kind=kind, code=desired["parent_code"]).first()
                if parent is None:
                    raise FixtureError(f"{filename}：{row['code']} 的上级 {desired['parent_code']} 不存在（上级须在前）")
            if entry is None:
                if record is not None:
                    continue  # removed by the admin
                LookupEntry.objects.create(kind=kind, code=row["code"], label=desired["label"],
                                           active=desired["active"], order=desired["order"], parent=parent)
                report.created.append(f"字典 {kind}:{row['code']}")
            else:
                fields = {k: v for k, v in desired.items() if k != "parent_code"}
                changed = _apply_fields(entry, fields, record.data if record else None)
                last_parent = (record.data.get("parent_code") if record else desired["parent_code"])
                if last_parent != desired["parent_code"]:
                    entry.parent = parent
                    changed.append("parent")
                if changed:
                    entry.save(update_fields=changed)
                    report.updated.append(f"字典 {kind}:{row['code']}")
            _save_record("lookup", key, record, desired)


# --- roles ---------------------------------------------------------------------------
def role_specs() -> list[dict]:
    with (BASE_DIR / "roles.toml").open("rb") as fh:
        return tomllib.load(fh)["role"]


def _permissions(names: list[str]) -> dict[str, Permission]:
    found = {}
    for name in names:
        try:
            app_label, codename = name.split(".", 1)
        except ValueError:
            raise FixtureError(f"roles.toml：权限名应为 app.codename：{name}") from None
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is None:
            raise FixtureError(f"roles.toml：权限不存在：{name}（是否已执行 migrate？）")
        found[name] = perm
    return found


def sync_roles(report: SyncReport):
    for spec in role_specs():
        wanted = sorted(set(spec["permissions"]))
        perms = _permissions(wanted)
        record = _record("role", spec["code"])
        group = None
        if record is not None:
            group = Group.objects.filter(pk=record.data.get("pk")).first()
            if group is None:
                continue  # removed by the admin
        else:
            group = Group.objects.filter(name=spec["name"]).first()
        if group is None:
            group = Group.objects.create(name=spec["name"])
            group.permissions.set(perms.values())
            report.created.append(f"角色 {spec['name']}")
        else:
            last = set(record.data.get("permissions", [])) if record else set()
            added = [perms[n] for n in wanted if n not in last]
            removed_names = sorted(last - set(wanted))
            if record is None:
                added = list(perms.values())  # adopt: make sure the role has at least these
            have = set(group.permissions.values_list("pk", flat=True))
            to_add = [p for p in added if p.pk not in have]
            if to_add:
                group.permissions.add(*to_add)
            to_remove = []
            for name in removed_names:
                app_label, codename = name.split(".", 1)
                to_remove += list(group.permissions.filter(content_type__app_label=app_label, codename=codename))
            if to_remove:
                group.permissions.remove(*to_remove)
            if to_add or to_remove:
                report.updated.append(f"角色 {group.name}")
        _save_record("role", spec["code"], record, {"pk": group.pk, "name": spec["name"], "permissions": wanted})


def role_group(code: str) -> Group:
    """The group seeded for a fixture role code (it may have been renamed)."""
    record = FixtureRecord.objects.get(kind="role", key=code)
    return Group.objects.get(pk=record.data["pk"])


# --- permission names ------------------------------------------------------------------
DEFAULT_PERMISSION = re.compile(r"^Can (add|change|delete|view) (.+)$")


def translate_permission_names(report: SyncReport):
    """Django names model permissions "Can add 企业" in English when it creates
    them; the role editor should read 新增企业. Only those default names change
    (the verbs are the role editor's: ``core.permission_groups.VERBS``)."""
    for perm in Permission.objects.select_related("content_type").filter(name__startswith="Can "):
        match = DEFAULT_PERMISSION.match(perm.name)
        if not match:
            continue
        model = perm.content_type.model_class()
        label = str(model._meta.verbose_name) if model else match.group(2)
        perm.name = f"{VERBS[match.group(1)]}{label}"[:255]
        perm.save(update_fields=["name"])
        report.updated.append(f"权限名称 {perm.content_type.app_label}.{perm.codename}")


# --- export templates ------------------------------------------------------------------
def sync_export_templates(report: SyncReport):
    """Register the template shipped in ``fixtures/base/export_templates/<kind>.xlsx``
    as the default of each export kind that has no template yet (once: one the
    admin deleted is not brought back). It stays a reference to the shipped
    file, so a release's new default reaches the sites that kept it."""
    from zhonglou_hrss.core.exports.registry import kinds
    from zhonglou_hrss.core.exports.templates import BUILTIN_PREFIX, parse_template, shipped_template_path
    from zhonglou_hrss.core.models import ExportTemplate

    for kind, label in kinds():
        path = shipped_template_path(kind)
        if not path.is_file() or _record("export_template", kind) is not None:
            continue
        if not ExportTemplate.objects.filter(kind=kind).exists():
            spec = parse_template(path.read_bytes(), kind=kind)
            ExportTemplate.objects.create(name=f"{label}（系统默认）", kind=kind, file=BUILTIN_PREFIX + path.name,
                                          original_filename=path.name, placeholders=spec.keys, is_default=True)
            report.created.append(f"导出模板 {label}")
        _save_record("export_template", kind, None, {"file": path.name})


@transaction.atomic
def sync_base() -> SyncReport:
    report = SyncReport()
    sync_grids(report)
    sync_lookups(report)
    sync_roles(report)
    sync_export_templates(report)
    translate_permission_names(report)
    from zhonglou_hrss.core import registry

    for sync in registry.fixture_syncs():  # each app's defaults (core.registry.fixture_sync)
        sync(report)
    return report
