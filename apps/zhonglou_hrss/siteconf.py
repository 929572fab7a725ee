"""Sites: one folder per deployment under ``sites/<name>/``.

A site folder holds ``site_config.toml`` (secrets, database, cache/queue,
hosts, security and business settings), the SQLite file when SQLite is used,
and the site's data: ``uploads/public``, ``uploads/private``, ``exports``,
``backups`` and ``logs``. ``ZHONGLOU_SITE`` picks the site (default ``demo``);
``ZHONGLOU_SITES_DIR`` moves the sites folder (tests use a temporary one).

This module has no Django imports: settings are computed from it.
"""

from __future__ import annotations

import base64
import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import tomli_w

REPO_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SITE = "demo"
SITE_DATA_DIRS = ("uploads/public", "uploads/private", "exports", "backups", "logs")
CONFIG_NAME = "site_config.toml"


class SiteConfigError(RuntimeError):
    """The site is missing or its configuration is unusable."""


def sites_dir() -> Path:
    return Path(os.environ.get("ZHONGLOU_SITES_DIR") or REPO_DIR / "sites")


TEST_SITE = "test"


def running_tests() -> bool:
    return "PYTEST_VERSION" in os.environ  # set by pytest for its whole session


def current_site_name() -> str:
    """ZHONGLOU_SITE, else ``test`` under pytest (pytest-django reads the settings
    before any conftest runs), else ``demo``."""
    return os.environ.get("ZHONGLOU_SITE") or (TEST_SITE if running_tests() else DEFAULT_SITE)


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@dataclass
class SiteConfig:
    """The typed view of one site's ``site_config.toml``."""

    name: str
    path: Path
    raw: dict = field(repr=False)

    # --- [site] ---------------------------------------------------------
    @property
    def site(self) -> dict:
        return self.raw.get("site", {})

    @property
    def is_demo(self) -> bool:
        return bool(self.site.get("demo", False))

    @property
    def debug(self) -> bool:
        return bool(self.site.get("debug", False))

    @property
    def is_production(self) -> bool:
        """A site real people use (``new_site --production``): neither a demo nor in debug."""
        return not self.is_demo and not self.debug

    @property
    def secret_key(self) -> str:
        key = self.site.get("secret_key", "")
        if len(key) < 50:
            raise SiteConfigError(f"站点 {self.name} 的 secret_key 缺失或过短")
        return key

    @property
    def allowed_hosts(self) -> list[str]:
        return list(self.site.get("allowed_hosts", ["127.0.0.1", "localhost"]))

    # --- [pii] ----------------------------------------------------------
    @property
    def pii_keys(self) -> list[str]:
        """Fernet keys, newest first: the first encrypts, all decrypt (rotation)."""
        keys = self.raw.get("pii", {}).get("encryption_keys", [])
        if not keys:
            raise SiteConfigError(f"站点 {self.name} 未配置个人信息加密密钥 [pii].encryption_keys")
        return list(keys)

    @property
    def pii_hash_key(self) -> str:
        key = self.raw.get("pii", {}).get("hash_key", "")
        if len(key) < 32:
            raise SiteConfigError(f"站点 {self.name} 未配置个人信息检索密钥 [pii].hash_key")
        return key

    # --- [database], [redis] --------------------------------------------
    @property
    def database_url(self) -> str:
        return self.raw.get("database", {}).get("url", "sqlite")

    @property
    def redis_url(self) -> str:
        url = self.raw.get("redis", {}).get("url", "")
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        return xdist_worker_redis_url(url, worker) if url and worker else url

    # --- [security] -----------------------------------------------------
    @property
    def security(self) -> dict:
        return self.raw.get("security", {})

    @property
    def behind_tls_proxy(self) -> bool:
        return bool(self.security.get("behind_tls_proxy", False))

    @property
    def session_idle_minutes(self) -> int:
        return int(self.security.get("session_idle_minutes", 30))

    @property
    def login_failure_limit(self) -> int:
        return int(self.security.get("login_failure_limit", 5))

    @property
    def lockout_minutes(self) -> int:
        return int(self.security.get("lockout_minutes", 30))

    # --- business settings ----------------------------------------------
    @property
    def kuaiban(self) -> dict:
        return self.raw.get("kuaiban", {})

    @property
    def portal(self) -> dict:
        return self.raw.get("portal", {})

    @property
    def overdue_days(self) -> int:
        return int(self.kuaiban.get("overdue_days", 15))

    @property
    def map(self) -> dict:
        return self.raw.get("map", {})

    # --- folders --------------------------------------------------------
    def data_dir(self, sub: str) -> Path:
        return self.path / sub

    def database(self) -> dict:
        """Django DATABASES['default'] for this site."""
        return database_from_url(self.database_url, self.path)


def uses_mariadb(url: str) -> bool:
    return urlparse(url).scheme in ("mariadb", "mysql")


def database_from_url(url: str, site_path: Path) -> dict:
    """``sqlite`` (the site's own file), ``sqlite:///abs/path`` or
    ``mariadb://user:pass@host:port/name`` (``mysql://`` accepted too)."""
    if url in ("", "sqlite"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(site_path / "db.sqlite3"),
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"}}
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        if parsed.netloc or not parsed.path.startswith("/") or parsed.path == "/":
            raise SiteConfigError(f"SQLite 连接串须为 sqlite:///绝对路径：{url}")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path,
                "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"}}
    if uses_mariadb(url):
        name = parsed.path.lstrip("/")
        if not name:
            raise SiteConfigError("MariaDB 连接串缺少数据库名")
        try:
            port = parsed.port or 3306
        except ValueError as exc:
            raise SiteConfigError(f"MariaDB 连接串的端口无效：{url}") from exc
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(port),
            "CONN_MAX_AGE": 60,
            # A kept connection is pinged before a request reuses it: after a MariaDB
            # restart (or a KILL) the first request reconnects instead of failing (issue 9).
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "charset": "utf8mb4",
                # READ COMMITTED: row locks (select_for_update) see the winner's commit.
                "isolation_level": "read committed",
                "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
            },
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    raise SiteConfigError(f"不支持的数据库连接串：{url}")


def load_site(name: str | None = None) -> SiteConfig:
    name = name or current_site_name()
    if name == TEST_SITE and running_tests() and not site_exists(name):
        create_site(name)  # bare ``pytest`` on a fresh clone
    path = sites_dir() / name
    config_file = path / CONFIG_NAME
    if not config_file.is_file():
        raise SiteConfigError(
            f"站点 {name!r} 不存在（找不到 {config_file}）。"
            f"请先运行：python manage.py new_site {name}"
        )
    with config_file.open("rb") as fh:
        raw = tomllib.load(fh)
    return SiteConfig(name=name, path=path, raw=raw)


def site_exists(name: str) -> bool:
    return (sites_dir() / name / CONFIG_NAME).is_file()


def create_site(
    name: str,
    *,
    db_url: str = "sqlite",
    redis_url: str = "",
    demo: bool = False,
    production: bool = False,
    allowed_hosts: list[str] | None = None,
) -> Path:
    """Write a new site folder with fresh random secrets. Refuses to overwrite."""
    # ASCII only: the name is a folder, a cache key prefix and a shell word.
    if not name or not name.isascii() or not name.replace("_", "").replace("-", "").isalnum():
        raise SiteConfigError("站点名只能包含英文字母、数字、下划线和连字符")
    path = sites_dir() / name
    if (path / CONFIG_NAME).exists():
        raise SiteConfigError(f"站点 {name!r} 已存在：{path}")
    if db_url != "sqlite":
        database_from_url(db_url, path)  # validate before writing anything
    config = {
        "site": {
            "name": name,
            "title": "钟楼区人社局业务管理系统",
            # Only demo sites accept demo users (manage.py load_demo).
            "demo": demo,
            # Debug pages only on a developer's own site, never one people are shown.
            "debug": not production and not demo,
            "secret_key": secrets.token_urlsafe(64),
            "allowed_hosts": allowed_hosts or ["127.0.0.1", "localhost"],
        },
        "pii": {
            # Newest key first; add a new key in front to rotate, keep the old ones.
            "encryption_keys": [_fernet_key()],
            "hash_key": secrets.token_urlsafe(48),
        },
        "database": {"url": db_url},
        "redis": {"url": redis_url},
        "security": {
            "behind_tls_proxy": production,
            "session_idle_minutes": 30,
            "login_failure_limit": 5,
            "lockout_minutes": 30,
            "login_failures_per_address": 20,
            "login_address_window_minutes": 15,
            "token_hours_staff": 12,
            "token_hours_external": 720,
        },
        "kuaiban": {"overdue_days": 15},
        "map": {
            # 天地图 base layer: off by default so the map works on a LAN with no internet.
            "tiles_enabled": False,
            "tile_url": "https://t{s}.tianditu.gov.cn/DataServer?T={layer}_w&x={x}&y={y}&l={z}&tk={key}",
            "tile_subdomains": "01234567",
            "tile_layers": ["vec", "cva"],
            "tile_key": "",
        },
    }
    path.mkdir(parents=True, exist_ok=True)
    for sub in SITE_DATA_DIRS:
        (path / sub).mkdir(parents=True, exist_ok=True)
    config_file = path / CONFIG_NAME
    config_file.write_text(tomli_w.dumps(config), encoding="utf-8")
    os.chmod(config_file, 0o600)
    return path


def xdist_worker_redis_url(url: str, worker: str) -> str:
    """The Redis database one pytest-xdist process (``gw0``, ``gw1`` …) uses.

    Tests empty the cache (``cache.clear()`` is Redis's FLUSHDB); with one
    database for all processes, one test emptied another's cache halfway
    through a measurement. Each process takes its own database below the
    site's: ``redis://h:6379/15`` → gw0 uses 14, gw1 uses 13.
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    index = int("".join(ch for ch in worker if ch.isdigit()) or 0)
    db = (base - 1 - index) % 16
    return urlunsplit(parts._replace(path=f"/{db}"))

