"""benchmarks/generate.py: the benchmark data generator makes valid, realistic
rows (checksum-valid unique USCCs, encrypted mobiles with their hash, grid
workers bound to street grids) and refuses non-demo sites."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import Enterprise, Grid, LookupKind, User
from zhonglou_hrss.core.validators import USCC_CHARS, check_uscc, validate_mobile
from zhonglou_hrss.siteconf import SiteConfig

from tests.bench_generator import gen

pytestmark = pytest.mark.django_db




def raw_mobile_columns(username: str) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mobile, mobile_hash FROM {User._meta.db_table} WHERE username = %s", [username])
        return cursor.fetchone()


def test_make_uscc_is_checksum_valid():
    import random

    rng = random.Random(7)
    for _ in range(500):
        code = gen.make_uscc(rng)
        assert len(code) == 18 and code.startswith("91320404")
        assert set(code) <= set(USCC_CHARS)
        assert check_uscc(code).checksum_ok


def test_generates_enterprises_and_users():
    enterprises_before, users_before = Enterprise.objects.count(), User.objects.count()

    report = gen.generate(enterprises=50, users=20, seed=1)

    assert report["enterprises"].rows == 50 and report["users"].rows == 20
    assert report.rows == 70 and report.rate > 0
    assert Enterprise.objects.count() == enterprises_before + 50
    assert User.objects.count() == users_before + 20

    enterprises = list(Enterprise.objects.select_related("industry"))
    codes = [e.uscc for e in enterprises]
    assert len(set(codes)) == len(codes)
    for e in enterprises:
        result = check_uscc(e.uscc)
        assert result.checksum_ok and result.code == e.uscc, e.uscc
        assert e.uscc[:8] in ("91320404", "92320404")
        assert e.uscc_checksum_ok
        assert e.industry is not None and e.industry.kind == LookupKind.INDUSTRY and e.industry.active
        assert e.address.startswith("常州市钟楼区")
        assert re.fullmatch(r"[\u4e00-\u9fff（）]+", e.name), e.name
    assert len({e.industry.code for e in enterprises}) >= 3, "行业应有分布，不应全是同一个"

    street_grids = set(Grid.objects.selectable().street_level())
    grid_worker_group = role_group("grid_worker")
    users = list(User.objects.filter(username__startswith=gen.USERNAME_PREFIX).prefetch_related("groups", "grids"))
    assert len(users) == 20
    mobiles = set()
    for user in users:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", user.name), user.name
        assert not user.has_usable_password()
        assert validate_mobile(user.mobile) == user.mobile
        mobiles.add(user.mobile)
        # Encrypted at rest, the hash column filled by bulk_create's pre_save.
        raw, raw_hash = raw_mobile_columns(user.username)
        assert user.mobile not in raw and raw.startswith("gAAAAA")
        assert pii.decrypt(raw) == user.mobile
        assert raw_hash == pii.pii_hash(pii.MOBILE, user.mobile)
        assert list(User.objects.filter(PIIField.q("mobile", user.mobile, model=User))) == [user]
        assert re.fullmatch(r"1\d\d\*{4}\d{4}", pii.mask(pii.MOBILE, user.mobile))
        groups = list(user.groups.all())
        assert len(groups) == 1
        grids = set(user.grids.all())
        if groups[0] == grid_worker_group:
            assert 1 <= len(grids) <= 2 and grids <= street_grids
        else:
            assert not grids
    assert len(mobiles) == 20
    assert any(u.groups.all()[0] == grid_worker_group for u in users), "20 个用户中应有网格员"


def test_running_again_adds_rows_without_collisions():
    gen.generate(enterprises=30, users=5, seed=3)
    gen.generate(enterprises=30, users=5, seed=3)  # same seed: same first draws, must still be unique
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(codes) == len(set(codes)) >= 60
    assert User.objects.filter(username__startswith=gen.USERNAME_PREFIX).count() == 10


def test_step_streams_are_independent():
    """Changing the user count leaves the enterprises unchanged (per-step seeds)."""
    gen.generate(enterprises=5, seed=11)
    first = list(Enterprise.objects.order_by("pk").values_list("uscc", "name"))
    Enterprise.objects.all().delete()
    gen.generate(enterprises=5, users=3, seed=11)
    assert list(Enterprise.objects.order_by("pk").values_list("uscc", "name")) == first


def test_history_option_writes_change_records():
    gen.generate(enterprises=4, seed=5, with_history=True)
    assert Enterprise.history.filter(history_type="+").count() == 4


def test_unknown_step_is_refused():
    with pytest.raises(TypeError):
        gen.generate(jobfairs=1)


def site_config(tmp_path, *, demo: bool) -> SiteConfig:
    return SiteConfig(name="probe", path=tmp_path, raw={"site": {"name": "probe", "demo": demo}})


def test_command_line_refuses_a_non_demo_site(capsys, settings, tmp_path):
    settings.SITE = site_config(tmp_path, demo=False)
    assert gen.main(["--enterprises", "3"]) == 2
    err = capsys.readouterr().err
    assert "不是演示站点" in err and "--force" in err
    assert Enterprise.objects.count() == 0


def test_command_line_with_force_reports_the_rate(capsys, settings, tmp_path):
    settings.SITE = site_config(tmp_path, demo=False)
    assert gen.main(["--enterprises", "3", "--users", "2", "--force"]) == 0
    out = capsys.readouterr().out
    assert "行/秒" in out and "合计：5 行" in out and "CPU" in out
    assert Enterprise.objects.count() == 3


def test_command_line_accepts_a_demo_site(capsys, settings, tmp_path):
    settings.SITE = site_config(tmp_path, demo=True)
    assert gen.main(["--users", "2", "--seed", "9"]) == 0
    assert "用户：2 行" in capsys.readouterr().out
    assert User.objects.filter(username__startswith=gen.USERNAME_PREFIX).count() == 2


def test_command_line_needs_a_count(capsys):
    with pytest.raises(SystemExit):
        gen.main([])
    assert "--enterprises" in capsys.readouterr().err
