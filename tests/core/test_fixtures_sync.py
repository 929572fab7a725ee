"""Base data sync (fixtures/base → database) is idempotent, applies a release's
changes as a delta and keeps what the admin edited in the desk.
Requirements: R-SYS-01 (roles and their permissions are data the admin edits),
R-SYS-02 (grids), R-SYS-05 (lookup lists)."""

import csv
import shutil
import tomllib

import pytest
import tomli_w
from django.contrib.auth.models import Group, Permission

from zhonglou_hrss.core import fixtures_sync
from zhonglou_hrss.core.fixtures_sync import role_group, sync_base
from zhonglou_hrss.core.models import FixtureRecord, Grid, LookupEntry, LookupKind

pytestmark = pytest.mark.django_db


def _perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _perm_names(group) -> set[str]:
    return {f"{a}.{c}" for a, c in group.permissions.values_list("content_type__app_label", "codename")}


def _snapshot():
    return {
        "records": sorted(FixtureRecord.objects.values_list("kind", "key", "data")),
        "groups": sorted((g.pk, g.name, tuple(sorted(_perm_names(g)))) for g in Group.objects.all()),
        "permissions": Permission.objects.count(),
        "grids": sorted(Grid.objects.values_list("code", "name", "kind", "active", "lat", "lng", "order")),
        "lookups": sorted(LookupEntry.objects.values_list("kind", "code", "label", "active", "order", "parent_id")),
    }


# --- a release: a tmp copy of fixtures/base ---------------------------------------------------
@pytest.fixture
def release(tmp_path, monkeypatch):
    """A copy of fixtures/base the test edits as a new release would, used by sync_base."""
    base = tmp_path / "base"
    shutil.copytree(fixtures_sync.BASE_DIR, base)
    monkeypatch.setattr(fixtures_sync, "BASE_DIR", base)
    return Release(base)


class Release:
    def __init__(self, base):
        self.base = base

    def _csv(self, filename):
        path = self.base / "lookups" / filename
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return path, reader.fieldnames, list(reader)

    def _write_csv(self, path, fieldnames, rows):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fieldnames)
            writer.writeheader()
            writer.writerows(rows)

    def set_label(self, filename, code, label):
        path, fieldnames, rows = self._csv(filename)
        for row in rows:
            if row["code"] == code:
                row["label"] = label
                break
        else:
            raise AssertionError(code)
        self._write_csv(path, fieldnames, rows)

    def add_row(self, filename, **row):
        path, fieldnames, rows = self._csv(filename)
        rows.append({k: row.get(k, "") for k in fieldnames})
        self._write_csv(path, fieldnames, rows)

    def _roles(self):
        with (self.base / "roles.toml").open("rb") as fh:
            return tomllib.load(fh)

    def _write_roles(self, data):
        with (self.base / "roles.toml").open("wb") as fh:
            tomli_w.dump(data, fh)

    def role_permissions(self, code, *, add=(), remove=()):
        data = self._roles()
        spec = next(r for r in data["role"] if r["code"] == code)
        for name in remove:
            spec["permissions"].remove(name)
        spec["permissions"].extend(add)
        self._write_roles(data)

    def add_role(self, code, name, permissions):
        data = self._roles()
        data["role"].append({"code": code, "name": name, "permissions": list(permissions)})
        self._write_roles(data)


# --- idempotence ------------------------------------------------------------------------------
def test_sync_twice_changes_nothing():
    """R-SYS-01/02/05: the test DB was synced at set-up; syncing again (twice) reports
    no change and leaves records, roles, permissions, grids and lookups identical."""
    before = _snapshot()
    first = sync_base()
    assert not first.changed, (first.created, first.updated)
    assert str(first) == "基础数据已是最新，无变化。"
    second = sync_base()
    assert not second.changed
    assert second.created == [] and second.updated == []
    assert _snapshot() == before


def test_sync_from_empty_database_then_idempotent():
    """R-SYS-01/02/05: on an empty database sync creates everything; the next sync nothing."""
    FixtureRecord.objects.all().delete()
    Group.objects.all().delete()
    Grid.objects.all().delete()
    LookupEntry.objects.filter(parent__isnull=False).delete()
    LookupEntry.objects.all().delete()
    report = sync_base()
    assert report.changed
    assert "网格 区本级" in report.created
    assert "角色 系统管理员" in report.created
    assert "字典 case_reason:wage_arrears" in report.created
    assert Grid.objects.count() == 10
    snapshot = _snapshot()
    again = sync_base()
    assert not again.changed
    assert _snapshot() == snapshot


def test_fixture_records_hold_what_was_applied():
    """R-SYS-01: the sync remembers the last applied row of each item."""
    record = FixtureRecord.objects.get(kind="role", key="grid_worker")
    assert record.data["name"] == "网格员"
    assert "core.work_in_grid" in record.data["permissions"]
    assert record.data["pk"] == role_group("grid_worker").pk
    lookup = FixtureRecord.objects.get(kind="lookup", key="case_reason:wage_arrears")
    assert lookup.data["label"] == "拖欠工资"
    assert FixtureRecord.objects.get(kind="grid", key="kfq").data["active"] is False


# --- the admin's edits -----------------------------------------------------------------------------
def test_admin_edits_survive_resync():
    """R-SYS-01/02/05: a renamed lookup label, an added role permission, a renamed role,
    a moved grid centre and a deactivated lookup all survive a re-sync."""
    LookupEntry.objects.filter(kind=LookupKind.CASE_REASON, code="wage_arrears").update(label="拖欠劳动报酬")
    LookupEntry.objects.filter(kind=LookupKind.POSITION, code="operator").update(active=False)
    leader = role_group("leader")
    leader.permissions.add(_perm("core.view_auditlog"))
    clerk = role_group("district_clerk")
    clerk.name = "区平台内勤"
    clerk.save()
    Grid.objects.filter(code="320404001").update(lat="31.780000", lng="119.930000")

    report = sync_base()
    assert not report.changed, (report.created, report.updated)
    assert LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears").label == "拖欠劳动报酬"
    assert LookupEntry.objects.get(kind=LookupKind.POSITION, code="operator").active is False
    assert "core.view_auditlog" in _perm_names(role_group("leader"))
    assert role_group("district_clerk").name == "区平台内勤"
    assert not Group.objects.filter(name="区后勤人员").exists()  # not recreated under the old name
    grid = Grid.objects.get(code="320404001")
    assert (str(grid.lat), str(grid.lng)) == ("31.780000", "119.930000")


def test_admin_removed_permission_not_readded():
    """R-SYS-01: a permission the admin took from a role stays removed."""
    group = role_group("portal_staff")
    group.permissions.remove(_perm("core.view_lookupentry"))
    sync_base()
    assert "core.view_lookupentry" not in _perm_names(role_group("portal_staff"))


def test_deleted_lookup_not_recreated():
    """R-SYS-05: an entry the admin deleted is not brought back by the sync."""
    LookupEntry.objects.get(kind=LookupKind.POSITION, code="technician").delete()
    report = sync_base()
    assert not report.changed
    assert not LookupEntry.objects.filter(kind=LookupKind.POSITION, code="technician").exists()
    assert sync_base().created == []


def test_deleted_role_not_recreated():
    """R-SYS-01: a role the admin deleted is not brought back."""
    role_group("hr_company_user").delete()
    report = sync_base()
    assert not report.changed
    assert not Group.objects.filter(name="人力资源企业用户").exists()


# --- a release --------------------------------------------------------------------------------------
def test_release_change_applied_as_delta(release):
    """R-SYS-01/05: a release that renames one label and adds / removes a permission of
    a role is applied as exactly that delta; the admin's other edits stay."""
    # The admin's edits before the release.
    LookupEntry.objects.filter(kind=LookupKind.CASE_REASON, code="no_written_contract").update(label="未签劳动合同")
    portal = role_group("portal_staff")
    portal.permissions.add(_perm("core.view_auditlog"))
    portal.name = "就业服务后台"
    portal.save()
    Grid.objects.filter(code="320404002").update(order=999)

    # The release.
    release.set_label("case_reasons.csv", "wage_arrears", "拖欠劳动报酬")
    release.role_permissions("portal_staff", add=["core.view_grid"], remove=["core.view_lookupentry"])
    release.add_row("case_reasons.csv", code="new_reason", label="新的案由", status="proposed")

    report = sync_base()
    assert "字典 case_reason:wage_arrears" in report.updated
    assert "字典 case_reason:new_reason" in report.created
    assert "角色 就业服务后台" in report.updated
    assert len(report.updated) == 2
    assert len(report.created) == 1

    reasons = dict(LookupEntry.objects.of(LookupKind.CASE_REASON).values_list("code", "label"))
    assert reasons["wage_arrears"] == "拖欠劳动报酬"          # release applied
    assert reasons["no_written_contract"] == "未签劳动合同"     # admin's edit kept
    assert reasons["new_reason"] == "新的案由"

    portal = role_group("portal_staff")
    perms = _perm_names(portal)
    assert "core.view_grid" in perms                  # added by the release
    assert "core.view_lookupentry" not in perms       # removed by the release
    assert "core.view_auditlog" in perms              # the admin's addition kept
    assert "core.access_desk" in perms
    assert portal.name == "就业服务后台"               # the admin's rename kept
    assert Grid.objects.get(code="320404002").order == 999

    record = FixtureRecord.objects.get(kind="role", key="portal_staff")
    assert "core.view_grid" in record.data["permissions"]
    assert "core.view_lookupentry" not in record.data["permissions"]

    # Applied once: the next sync of the same release changes nothing.
    snapshot = _snapshot()
    assert not sync_base().changed
    assert _snapshot() == snapshot


def test_release_wins_on_the_field_it_changes(release):
    """R-SYS-05: when the release changes the very label the admin edited, the
    release's value is applied (documented rule); other fields stay the admin's."""
    LookupEntry.objects.filter(kind=LookupKind.CASE_REASON, code="wage_arrears").update(
        label="管理员改的", active=False)
    release.set_label("case_reasons.csv", "wage_arrears", "发布改的")
    sync_base()
    entry = LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears")
    assert entry.label == "发布改的"
    assert entry.active is False


def test_release_new_role_created(release):
    """R-SYS-01: a role new in the release is created with its permissions."""
    release.add_role("auditor", "审计员", ["core.access_desk", "core.view_auditlog"])
    report = sync_base()
    assert report.created == ["角色 审计员"]
    assert _perm_names(role_group("auditor")) == {"core.access_desk", "core.view_auditlog"}


def test_release_unknown_permission_is_an_error(release):
    """R-SYS-01: a typo in roles.toml stops the sync with a Chinese message and changes nothing."""
    before = _snapshot()
    release.role_permissions("leader", add=["core.no_such_permission"])
    with pytest.raises(fixtures_sync.FixtureError, match="权限不存在：core.no_such_permission"):
        sync_base()
    assert _snapshot() == before


def test_release_removed_permission_not_removed_if_admin_never_had_it(release):
    """R-SYS-01: removing a permission the role no longer has is harmless."""
    role_group("leader").permissions.remove(_perm("core.view_grid"))
    release.role_permissions("leader", remove=["core.view_grid"])
    sync_base()
    assert "core.view_grid" not in _perm_names(role_group("leader"))
    assert not sync_base().changed


def test_release_moves_a_grid_centre(release):
    """R-SYS-02: a release that corrects a grid's centre point applies it; the admin's
    edit of another grid stays."""
    Grid.objects.filter(code="320404003").update(lat="31.700000")
    path = release.base / "grids.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fieldnames, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["code"] == "320404001":
            row["lat_wgs84"], row["lng_wgs84"] = "31.7799", "119.9299"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    report = sync_base()
    assert report.updated == ["网格 五星街道"]
    grid = Grid.objects.get(code="320404001")
    assert (str(grid.lat), str(grid.lng)) == ("31.779900", "119.929900")
    assert str(Grid.objects.get(code="320404003").lat) == "31.700000"
    assert not sync_base().changed
