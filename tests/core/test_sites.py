"""Sites: creating one (``manage.py new_site``), reading its configuration,
and what the management commands do on a fresh site.

Every site made here lives in a temporary ``ZHONGLOU_SITES_DIR``: nothing
touches the repository's ``sites/``. Commands run as subprocesses with this
virtualenv's Python, as an operator runs them. The last group checks the
database and cache of the site the suite itself runs on (SQLite, or
MariaDB + Redis in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from zhonglou_hrss.core.mariadb_driver import driver_installed
from zhonglou_hrss.core.site_cli import new_site_main
from zhonglou_hrss.siteconf import SiteConfigError, create_site, database_from_url, load_site

REPO_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CJK = re.compile(r"[\u4e00-\u9fff]")
DATA_FOLDERS = ("uploads/public", "uploads/private", "exports", "backups", "logs")
DEMO_USERS = {
    "admin", "clerk", "leader", "inspector1", "inspector2", "portal_staff", "credit_staff",
    *(f"grid_32040400{i}" for i in range(1, 8)),
    "grid_320404116",
    # The portal's demo enterprise accounts (approved, pending, rejected).
    "ent_demo1", "ent_demo2", "ent_demo3",
    # The questionnaires' approved demo enterprises with HR-company lists (issue 14).
    "ent_demo4", "ent_demo5", "ent_demo6",
    # Credit's demo HR-company accounts (hr_demo1 and hr_demo3 approved, hr_demo2 pending).
    "hr_demo1", "hr_demo2", "hr_demo3",
}


# --- helpers ---------------------------------------------------------------------


def manage(sites_dir: Path, *args: str, site: str | None = None) -> subprocess.CompletedProcess:
    """``python manage.py ARGS`` with ZHONGLOU_SITES_DIR=sites_dir, as an operator runs it."""
    # The operator's environment, not the test session's (pytest's and other tests' variables,
    # e.g. DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests, which check --deploy refuses).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "ZHONGLOU_", "DJANGO_"))}
    env["ZHONGLOU_SITES_DIR"] = str(sites_dir)
    env["PYTHONIOENCODING"] = "utf-8"
    if site:
        env["ZHONGLOU_SITE"] = site
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO_DIR, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )


def output(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, output(result)
    return result


def read_config(sites_dir: Path, name: str) -> dict:
    with (sites_dir / name / "site_config.toml").open("rb") as fh:
        return tomllib.load(fh)


def usernames(db_file: Path) -> set[str]:
    with sqlite3.connect(db_file) as conn:
        return {row[0] for row in conn.execute("SELECT username FROM core_user")}




@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """An empty, fully migrated SQLite database (migrated once, copied per test)."""
    sites_dir = tmp_path_factory.mktemp("template_sites")
    ok(manage(sites_dir, "new_site", "template"))
    ok(manage(sites_dir, "migrate", "--noinput", "-v", "0", site="template"))
    return sites_dir / "template" / "db.sqlite3"


@pytest.fixture
def fresh_site(sites, migrated_db):
    """fresh_site("name", "--demo") -> the folder of a new, migrated SQLite site."""

    def _make(name: str, *flags: str) -> Path:
        ok(manage(sites, "new_site", name, *flags))
        shutil.copyfile(migrated_db, sites / name / "db.sqlite3")
        return sites / name

    return _make


# --- new_site ------------------------------------------------------------------------


def test_new_site_writes_config_with_random_distinct_secrets(sites):
    for name in ("alpha", "beta"):
        result = ok(manage(sites, "new_site", name))
        assert f"已创建站点 {name}" in result.stdout
    alpha, beta = read_config(sites, "alpha"), read_config(sites, "beta")

    secrets = []
    for config in (alpha, beta):
        assert len(config["site"]["secret_key"]) >= 50
        assert len(config["pii"]["hash_key"]) >= 32
        (fernet_key,) = config["pii"]["encryption_keys"]
        Fernet(fernet_key)  # a valid Fernet key
        secrets += [config["site"]["secret_key"], config["pii"]["hash_key"], fernet_key]
    assert len(set(secrets)) == len(secrets), "每个站点、每种用途的密钥都必须各不相同"

    # The config holds secrets: readable by its owner only.
    mode = stat.S_IMODE((sites / "alpha" / "site_config.toml").stat().st_mode)
    assert mode == 0o600
    # An ordinary site: SQLite, no Redis, debug, not a demo, local hosts only.
    assert alpha["database"]["url"] == "sqlite"
    assert alpha["redis"]["url"] == ""
    assert alpha["site"]["debug"] is True
    assert alpha["site"]["demo"] is False
    assert alpha["security"]["behind_tls_proxy"] is False
    assert alpha["site"]["allowed_hosts"] == ["127.0.0.1", "localhost"]
    # ... and siteconf reads back what new_site wrote.
    site = load_site("alpha")
    assert site.secret_key == alpha["site"]["secret_key"]
    assert site.pii_keys == alpha["pii"]["encryption_keys"]
    assert site.database()["NAME"] == str(sites / "alpha" / "db.sqlite3")


def test_new_site_creates_the_data_folders(sites):
    path = create_site("folders")
    assert path == sites / "folders"
    for sub in DATA_FOLDERS:
        assert (path / sub).is_dir(), sub


def test_demo_and_production_flags(sites):
    ok(manage(sites, "new_site", "show", "--demo"))
    ok(manage(sites, "new_site", "prod", "--production", "--host", "hrss.example.gov.cn", "--no-driver",
              "--db", "mariadb://hrss:secret@127.0.0.1:3306/hrss", "--redis", "redis://127.0.0.1:6379/3"))
    demo, prod = read_config(sites, "show"), read_config(sites, "prod")
    assert (demo["site"]["demo"], demo["site"]["debug"], demo["security"]["behind_tls_proxy"]) == (True, False, False)
    assert (prod["site"]["demo"], prod["site"]["debug"], prod["security"]["behind_tls_proxy"]) == (False, False, True)
    assert prod["site"]["allowed_hosts"] == ["hrss.example.gov.cn"]
    assert prod["database"]["url"] == "mariadb://hrss:secret@127.0.0.1:3306/hrss"
    assert prod["redis"]["url"] == "redis://127.0.0.1:6379/3"


def test_demo_and_production_together_are_refused(sites):
    result = manage(sites, "new_site", "both", "--demo", "--production")
    assert result.returncode != 0
    assert "不能同时使用" in result.stderr
    assert not (sites / "both").exists()


def test_new_site_refuses_to_overwrite_an_existing_site(sites):
    ok(manage(sites, "new_site", "prod"))
    config_file = sites / "prod" / "site_config.toml"
    before = config_file.read_bytes()

    result = manage(sites, "new_site", "prod", "--demo")
    assert result.returncode == 1, output(result)
    assert "错误" in result.stdout and "已存在" in result.stdout
    assert config_file.read_bytes() == before  # the secrets survive

    with pytest.raises(SiteConfigError, match="已存在"):
        create_site("prod")
    assert config_file.read_bytes() == before


def test_if_missing_is_a_no_op_when_the_site_exists(sites):
    result = ok(manage(sites, "new_site", "test", "--if-missing"))
    assert "已创建站点 test" in result.stdout  # absent: created
    config_file = sites / "test" / "site_config.toml"
    before = config_file.read_bytes()

    result = ok(manage(sites, "new_site", "test", "--if-missing", "--production"))
    assert result.stdout == ""
    assert config_file.read_bytes() == before


@pytest.mark.parametrize("name", ["", "../evil", "a b", "a/b", "a.b", ".hidden", "站点", "prod;rm"])
def test_bad_site_names_are_refused(sites, capsys, name):
    assert new_site_main([name]) == 1
    message = capsys.readouterr().out
    assert "错误" in message and "站点名只能包含" in message
    with pytest.raises(SiteConfigError) as exc_info:
        create_site(name)
    assert CJK.search(str(exc_info.value))
    assert list(sites.iterdir()) == []
    assert not (sites.parent / "evil").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://hrss:secret@127.0.0.1:5432/hrss", "不支持的数据库连接串"),
        ("localhost:3306/hrss", "不支持的数据库连接串"),
        ("mariadb://hrss:secret@127.0.0.1:3306", "缺少数据库名"),
        ("mariadb://hrss:secret@127.0.0.1:3306/", "缺少数据库名"),
        ("mysql://hrss:secret@127.0.0.1:port/hrss", "端口无效"),
        ("sqlite://relative.sqlite3", "SQLite 连接串"),
    ],
)
def test_bad_database_urls_are_refused(sites, capsys, url, message):
    assert new_site_main(["prod", "--db", url]) == 1
    out = capsys.readouterr().out
    assert "错误" in out and message in out
    assert not (sites / "prod").exists(), "a refused site leaves nothing behind"


def test_bad_database_url_through_manage_py(sites):
    result = manage(sites, "new_site", "prod", "--db", "oracle://x@y/z")
    assert result.returncode == 1, output(result)
    assert "不支持的数据库连接串" in result.stdout
    assert "Traceback" not in result.stderr


# --- reading a site's configuration -----------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite", ""])
def test_database_from_url_sqlite_uses_the_site_file(tmp_path, url):
    db = database_from_url(url, tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "db.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_from_url_sqlite_absolute_path(tmp_path):
    db = database_from_url("sqlite:///srv/data/hrss.sqlite3", tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == "/srv/data/hrss.sqlite3"


def test_database_from_url_mariadb(tmp_path):
    db = database_from_url("mariadb://hrss:p%40ss%2Fw0rd@db.zhonglou.lan:3307/hrss_prod", tmp_path)
    assert db["ENGINE"] == "django.db.backends.mysql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("hrss_prod", "hrss", "p@ss/w0rd")
    assert (db["HOST"], db["PORT"]) == ("db.zhonglou.lan", "3307")
    # Chinese names include characters outside the BMP (e.g. 𠮷): 4-byte UTF-8.
    assert db["OPTIONS"]["charset"] == "utf8mb4"
    assert db["OPTIONS"]["isolation_level"] == "read committed"
    assert "STRICT_TRANS_TABLES" in db["OPTIONS"]["init_command"]
    assert db["TEST"] == {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}


def test_database_from_url_mysql_scheme_and_defaults(tmp_path):
    db = database_from_url("mysql://hrss:secret@localhost/hrss", tmp_path)
    assert db["ENGINE"] == "django.db.backends.mysql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("localhost", "3306", "hrss")
    assert db["OPTIONS"]["charset"] == "utf8mb4"


def test_missing_site_gives_a_clear_error(sites):
    with pytest.raises(SiteConfigError) as exc_info:
        load_site("nosuch")
    message = str(exc_info.value)
    assert "不存在" in message and "new_site nosuch" in message

    result = manage(sites, "check", site="nosuch")
    assert result.returncode != 0
    assert result.stderr.startswith("错误：") and "new_site nosuch" in result.stderr
    assert "Traceback" not in result.stderr


def test_site_without_secrets_is_refused(sites):
    path = create_site("broken")
    config_file = path / "site_config.toml"
    config_file.write_text(
        re.sub(r'secret_key = ".*"', 'secret_key = "short"', config_file.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    with pytest.raises(SiteConfigError, match="secret_key"):
        load_site("broken").secret_key


# --- management commands on a fresh site -------------------------------------------------


@pytest.mark.parametrize(
    "backends",
    [
        [],
        pytest.param(
            ["--no-driver", "--db", "mariadb://hrss:secret@127.0.0.1:3306/hrss", "--redis", "redis://127.0.0.1:6379/3"],
            marks=pytest.mark.skipif(not driver_installed(), reason="MariaDB 驱动未安装（SQLite 路径不装它）"),
        ),
    ],
    ids=["sqlite", "mariadb_redis"],
)
def test_check_deploy_passes_for_a_production_site(sites, backends):
    ok(manage(sites, "new_site", "prod", "--production", "--host", "hrss.example.gov.cn", *backends))
    result = manage(sites, "check", "--deploy", "--fail-level", "WARNING", site="prod")
    assert result.returncode == 0, output(result)
    assert "no issues" in result.stdout, output(result)


def test_check_deploy_fails_for_a_demo_site(sites):
    ok(manage(sites, "new_site", "show", "--demo"))
    result = manage(sites, "check", "--deploy", "--fail-level", "WARNING", site="show")
    assert result.returncode != 0, output(result)
    # Not a production deployment: no TLS behind it (cookies not secure) …
    assert "security.W012" in result.stderr, output(result)
    # … but never Django's debug pages, a demo is shown to people (issue 11 item 2).
    assert "security.W018" not in result.stderr, output(result)


def test_migrations_match_the_models(sites):
    ok(manage(sites, "new_site", "migr"))
    result = manage(sites, "makemigrations", "--check", "--dry-run", site="migr")
    assert result.returncode == 0, "模型有改动但没有迁移文件：\n" + output(result)


def test_sync_fixtures_twice_changes_nothing_the_second_time(sites, fresh_site):
    fresh_site("fixtures")
    first = ok(manage(sites, "sync_fixtures", site="fixtures"))
    assert "新建" in first.stdout, output(first)
    second = ok(manage(sites, "sync_fixtures", site="fixtures"))
    assert "无变化" in second.stdout, output(second)
    assert "新建" not in second.stdout and "更新" not in second.stdout, output(second)


def test_load_demo_refuses_on_a_site_that_is_not_a_demo(sites, fresh_site):
    path = fresh_site("prod")
    ok(manage(sites, "sync_fixtures", site="prod"))
    result = manage(sites, "load_demo", site="prod")
    assert result.returncode != 0, output(result)
    assert "不是演示站点" in result.stderr, output(result)
    assert usernames(path / "db.sqlite3") == set()


def test_load_demo_creates_the_demo_users_on_a_demo_site(sites, fresh_site):
    path = fresh_site("show", "--demo")
    ok(manage(sites, "sync_fixtures", site="show"))
    result = ok(manage(sites, "load_demo", site="show"))
    assert "演示账号" in result.stdout
    assert "ent_demo1" in result.stdout and "就业人才码上办已通过" in result.stdout  # the portal's accounts too
    db_file = path / "db.sqlite3"
    assert usernames(db_file) == DEMO_USERS

    with sqlite3.connect(db_file) as conn:
        # Every demo user holds a role; each grid worker is bound to his own grid.
        without_role = conn.execute(
            "SELECT username FROM core_user u WHERE NOT EXISTS "
            "(SELECT 1 FROM core_user_groups g WHERE g.user_id = u.id)"
        ).fetchall()
        assert without_role == []
        bound = dict(conn.execute(
            "SELECT u.username, g.code FROM core_user u JOIN core_user_grids ug ON ug.user_id = u.id "
            "JOIN core_grid g ON g.id = ug.grid_id"
        ).fetchall())
    assert bound == {username: username.removeprefix("grid_") for username in DEMO_USERS
                     if username.startswith("grid_")}

    # Running it again creates nothing new and fails on nothing.
    ok(manage(sites, "load_demo", site="show"))
    assert usernames(db_file) == DEMO_USERS


# --- the database and cache the suite runs on (SQLite, or MariaDB + Redis in CI) ---------


def _double(x):
    return 2 * x


@pytest.mark.django_db
def test_four_byte_characters_are_stored(django_user_model):
    """Rare characters in names (𠮷, 𪚥) need utf8mb4 on MariaDB."""
    user = django_user_model.objects.create(username="rare_chars", name="𠮷𪚥王😀")
    user.refresh_from_db()
    assert user.name == "𠮷𪚥王😀"


@pytest.mark.django_db
def test_date_lookups_use_local_time(django_user_model):
    """``__date`` converts to Asia/Shanghai in the database: MariaDB needs its
    time zone tables loaded (``mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb mysql``)."""
    joined = datetime(2026, 3, 2, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 2026-03-01 23:00 UTC
    django_user_model.objects.create(username="early_bird", date_joined=joined)
    users = django_user_model.objects.filter(username="early_bird")
    assert users.filter(date_joined__date=date(2026, 3, 2)).count() == 1, "数据库未按本地时区换算日期（MariaDB 时区表未加载？）"
    assert users.filter(date_joined__date=date(2026, 3, 1)).count() == 0


@pytest.mark.mariadb
@pytest.mark.django_db
def test_mariadb_test_database_is_utf8mb4_and_read_committed():
    from django.db import connection

    if connection.vendor != "mysql":
        pytest.skip("只在 MariaDB 站点上运行")
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@character_set_database, @@collation_database")
        assert cursor.fetchone() == ("utf8mb4", "utf8mb4_unicode_ci")
        cursor.execute("SHOW VARIABLES WHERE Variable_name IN ('tx_isolation', 'transaction_isolation')")
        levels = {value for _, value in cursor.fetchall()}
    assert levels == {"READ-COMMITTED"}


def test_cache_is_redis_with_the_site_prefix_on_a_redis_site(settings):
    from django.core.cache import cache

    if not settings.REDIS_URL:
        pytest.skip("站点未配置 Redis")
    config = settings.CACHES["default"]
    # Django's Redis cache, made resilient: an empty cache while Redis is down (core.cache, the fault drills).
    assert config["BACKEND"] == "zhonglou_hrss.core.cache.ResilientRedisCache"
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    assert issubclass(import_string(config["BACKEND"]), RedisCache)
    assert config["KEY_PREFIX"] == f"zhonglou:{settings.SITE.name}"
    cache.set("test_sites_probe", "钟楼", 30)
    try:
        assert cache.get("test_sites_probe") == "钟楼"
    finally:
        cache.delete("test_sites_probe")


@pytest.mark.django_db
def test_jobs_run_during_tests_with_or_without_redis(settings):
    """Inside the test's transaction (which never commits) a job still runs at once."""
    from django.db import connection

    from zhonglou_hrss.core.jobs import enqueue

    assert connection.in_atomic_block
    result = enqueue(_double, 21)
    if settings.JOBS_INLINE:
        assert result == 42
    else:  # through Redis, run at once (no worker under pytest)
        assert result is not None, "django-rq 等待事务提交后才入队：测试中须 RQ COMMIT_MODE = auto"
        assert result.is_finished
        assert result.return_value() == 42
