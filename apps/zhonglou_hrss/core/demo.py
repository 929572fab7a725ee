"""Demo users and enterprises for a demo site (never a production one)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from zhonglou_hrss.core import registry
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import Enterprise, Grid, LookupEntry, LookupKind, User
from zhonglou_hrss.core.services.enterprises import save_enterprise
from zhonglou_hrss.core.validators import check_uscc
from zhonglou_hrss.siteconf import REPO_DIR

DEMO_PASSWORD = "demo12345"


class NotADemoSite(RuntimeError):
    pass


@dataclass
class DemoUser:
    username: str
    name: str
    roles: list[str]
    grids: list[str] = field(default_factory=list)
    mobile: str = ""
    superuser: bool = False


def demo_users() -> list[DemoUser]:
    users = [
        DemoUser("admin", "系统管理员", ["admin"], mobile="13800000001"),
        DemoUser("clerk", "王内勤", ["district_clerk"], mobile="13800000002"),
        DemoUser("leader", "李科长", ["leader"], mobile="13800000003"),
        DemoUser("inspector1", "张监察", ["inspector"], mobile="13800000004"),
        DemoUser("inspector2", "赵监察", ["inspector"], mobile="13800000005"),
        DemoUser("portal_staff", "陈就业", ["portal_staff"], mobile="13800000006"),
        DemoUser("credit_staff", "周信用", ["credit_staff"], mobile="13800000007"),
    ]
    street_grids = Grid.objects.filter(active=True).exclude(kind=Grid.Kind.DISTRICT).order_by("order")
    for i, grid in enumerate(street_grids, start=1):
        users.append(DemoUser(f"grid_{grid.code}", f"{grid.name}网格员", ["grid_worker"], [grid.code],
                              mobile=f"139000000{i:02d}"))
    return users


def demo_enterprises() -> list[dict]:
    with (REPO_DIR / "fixtures" / "demo" / "enterprises.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create what is missing; never change what exists. Returns the demo logins.

    Core's users and enterprises first, then each app's demo data, in the order
    the apps registered their loaders (``core.registry.demo_loader``)."""
    if not settings.SITE.is_demo:
        raise NotADemoSite(
            f"站点 {settings.SITE.name} 不是演示站点（site_config.toml 中 demo = false），拒绝创建演示用户。"
        )
    for load in registry.demo_loaders():
        load()
    return demo_users()


def load_core_demo():
    users = demo_users()
    for spec in users:
        user, created = User.objects.get_or_create(username=spec.username, defaults={"name": spec.name})
        if created:
            user.mobile = spec.mobile
            user.set_password(DEMO_PASSWORD)
            user.password_change_required = False
            user.save()
            user.groups.set([role_group(code) for code in spec.roles])
            if spec.grids:
                user.grids.set(Grid.objects.filter(code__in=spec.grids))
    industries = {e.code: e for e in LookupEntry.objects.of(LookupKind.INDUSTRY)}
    known = set(Enterprise.objects.values_list("uscc", flat=True))
    for row in demo_enterprises():
        if row["uscc"] not in known:
            save_enterprise(actor=None, enterprise=Enterprise(
                uscc=row["uscc"], name=row["name"], address=row["address"],
                industry=industries.get(row["industry_code"]),
                uscc_checksum_ok=check_uscc(row["uscc"]).checksum_ok))
