"""Backup and restore of one site (issue 9, "Backup and restore").

An archive ``<site>-<YYYYmmdd-HHMMSS>.tar.gz`` holds:

- ``database/db.sqlite3`` (SQLite: the online backup API, a consistent copy
  while the site runs) or ``database/db.sql`` (MariaDB: ``mariadb-dump
  --single-transaction --routines --triggers``: one consistent snapshot,
  no table locked);
- ``files/uploads/public/…`` and ``files/uploads/private/…``: the uploads
  (export files are not kept: they expire and can be made again);
- ``manifest.json``: format, site, when, the application's version (``git
  describe``, else the package's), the database engine, the migrations
  applied per app, the rows per table, the sha256 of every file in the
  archive, and fingerprints (sha256, shortened) of the personal-data keys —
  never the keys.

Key material (``[site].secret_key``, ``[pii]``) is never in an ordinary
archive: ``export_keys`` writes it to a file of its own, on request.

``restore_archive`` puts an archive into an empty site (a non-empty one only
when forced): it checks every checksum first, refuses keys that cannot read
the archive's personal data, loads the database and the files, runs pending
migrations and returns the rows per table restored next to the manifest's.

The engine of the archive and of the site must be the same (a SQLite
archive into SQLite, a MariaDB dump into MariaDB).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from zhonglou_hrss.siteconf import REPO_DIR

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
DB_SQLITE = "database/db.sqlite3"
DB_MARIADB = "database/db.sql"
FILES_PREFIX = "files/"
DEFAULT_KEEP_DAYS = 30
# Tables migrate fills by itself: a site with rows only there is still empty.
INFRASTRUCTURE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
TASK_NAME = "backup"

KEYS_WARNING = (
    "警告：此文件包含本站点的密钥（secret_key 与个人信息加密密钥 [pii]）。"
    "没有这些密钥，备份中加密保存的身份证号、手机号等个人信息将无法读取；"
    "任何拿到此文件和备份的人都能读取全部个人信息。"
    "请离线、加密保存（如放入保险柜的U盘），不要与备份放在同一处，不要通过邮件或即时通讯发送。"
)


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


# --- settings ------------------------------------------------------------------------------
def backup_config() -> dict:
    return dict(settings.SITE.raw.get("backup", {}))


def keep_days() -> int:
    return int(backup_config().get("keep_days", DEFAULT_KEEP_DAYS))


def backup_dir() -> Path:
    """``[backup] dir`` (relative to the site folder), else ``sites/<name>/backups``."""
    configured = backup_config().get("dir", "")
    if not configured:
        return Path(settings.BACKUPS_DIR)
    path = Path(configured)
    return path if path.is_absolute() else settings.SITE.path / path


def upload_roots() -> dict[str, Path]:
    return {"uploads/public": Path(settings.MEDIA_ROOT), "uploads/private": Path(settings.PRIVATE_UPLOADS_DIR)}


# --- facts for the manifest ------------------------------------------------------------------
def app_version() -> str:
    try:
        out = subprocess.run(["git", "describe", "--tags", "--always", "--dirty"], cwd=REPO_DIR,
                             capture_output=True, text=True, timeout=10, check=False)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        from importlib.metadata import version

        return version("zhonglou-hrss")
    except Exception:  # not installed as a package: read pyproject
        import tomllib

        with open(REPO_DIR / "pyproject.toml", "rb") as fh:
            return tomllib.load(fh)["project"]["version"]


def migration_state(conn=None) -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    state: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(conn or connection).applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def table_counts(conn=None) -> dict[str, int]:
    conn = conn or connection
    counts = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def key_fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def key_fingerprints() -> dict:
    return {"encryption_keys": [key_fingerprint(k) for k in settings.PII_ENCRYPTION_KEYS],
            "hash_key": key_fingerprint(settings.PII_HASH_KEY)}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the database ------------------------------------------------------------------------------
def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        db.close()


def _mariadb_client_file(folder: Path) -> Path:
    """The credentials as a client option file (mode 600): never on a command line."""
    db = connection.settings_dict
    cnf = folder / "client.cnf"
    cnf.touch(mode=0o600)
    lines = ["[client]", f"user={db['USER']}", f"password={db['PASSWORD']}", f"host={db['HOST'] or '127.0.0.1'}",
             f"port={db['PORT'] or 3306}", "default-character-set=utf8mb4"]
    cnf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cnf


def _mariadb_tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise BackupError(f"找不到 {names[0]}（MariaDB 客户端）。请运行：apt-get install mariadb-client")


def dump_database(folder: Path) -> tuple[str, dict[str, int]]:
    """Write the database into ``folder``; return (its name in the archive, rows per table)."""
    if connection.vendor == "sqlite":
        target = folder / DB_SQLITE
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: a consistent copy, writers only wait briefly
        finally:
            copy.close()
            source.close()
        return DB_SQLITE, _sqlite_counts(target)  # counted in the copy itself: exactly what it holds
    if connection.vendor == "mysql":
        target = folder / DB_MARIADB
        target.parent.mkdir(parents=True, exist_ok=True)
        counts = _mariadb_snapshot_counts()
        cnf = _mariadb_client_file(folder)
        command = [_mariadb_tool("mariadb-dump", "mysqldump"), f"--defaults-extra-file={cnf}",
                   "--single-transaction", "--routines", "--triggers", "--hex-blob", "--quick",
                   "--no-tablespaces", "--skip-comments", connection.settings_dict["NAME"]]
        try:
            with target.open("wb") as out:
                result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, check=False)
        finally:
            cnf.unlink(missing_ok=True)
        if result.returncode != 0:
            raise BackupError(f"mariadb-dump 失败：{result.stderr.decode('utf-8', 'replace').strip()[:500]}")
        return DB_MARIADB, counts
    raise BackupError(f"不支持备份此数据库：{connection.vendor}")


def _mariadb_snapshot_counts() -> dict[str, int]:
    """Rows per table in one consistent snapshot, taken just before the dump's
    own: equal to the dump's when nothing is written in between (a night's backup)."""
    conn = connections.create_connection("default")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
            counts = table_counts(conn)
            cursor.execute("COMMIT")
        return counts
    finally:
        conn.close()


# --- backup ------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    manifest: dict = field(repr=False)

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def archive_name(site: str, at: dt.datetime) -> str:
    return f"{site}-{timezone.localtime(at):%Y%m%d-%H%M%S}.tar.gz"


def create_backup(output: Path | None = None) -> BackupResult:
    """One archive of this site in ``output`` (default: ``backup_dir()``)."""
    output = Path(output) if output else backup_dir()
    output.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    with tempfile.TemporaryDirectory(prefix="zhonglou-backup-") as tmp:
        folder = Path(tmp)
        db_member, counts = dump_database(folder)
        files = {db_member: sha256_of(folder / db_member)}
        members = [(folder / db_member, db_member)]
        for prefix, root in upload_roots().items():
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = f"{FILES_PREFIX}{prefix}/{path.relative_to(root).as_posix()}"
                files[name] = sha256_of(path)
                members.append((path, name))
        manifest = {
            "format": FORMAT,
            "site": settings.SITE.name,
            "created_at": started.isoformat(),
            "app_version": app_version(),
            "database": {"engine": "sqlite" if connection.vendor == "sqlite" else "mariadb", "file": db_member},
            "migrations": migration_state(),
            "tables": counts,
            "files": files,
            "keys": key_fingerprints(),
        }
        manifest_path = folder / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
        final = output / archive_name(settings.SITE.name, started)
        partial = final.with_name(final.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(manifest_path, MANIFEST)
            for path, name in members:
                tar.add(path, name)
        os.chmod(partial, 0o600)  # personal data (encrypted) and private uploads inside
        os.replace(partial, final)  # a half-written archive never carries the final name
    log.info("backup written: %s (%d tables, %d files)", final.name, len(counts), len(files) - 1)
    return BackupResult(final, manifest)


def prune_backups(directory: Path | None = None, days: int | None = None, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete this site's archives older than ``days`` (``[backup] keep_days``);
    the newest one always stays. Returns what was deleted."""
    directory = Path(directory) if directory else backup_dir()
    days = keep_days() if days is None else days
    now = now or timezone.now()
    archives = sorted(directory.glob(f"{settings.SITE.name}-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    cutoff = now.timestamp() - days * 86400
    deleted = []
    for path in archives[:-1]:
        if path.stat().st_mtime < cutoff:
            path.unlink()
            deleted.append(path)
    for stale in directory.glob(f"{settings.SITE.name}-*.tar.gz.partial"):  # an interrupted run's leftovers
        if stale.stat().st_mtime < cutoff:
            stale.unlink()
    return deleted


def export_keys(path: Path) -> Path:
    """The site's key material in a file of its own (mode 600), as TOML in the
    sections of ``site_config.toml``; refuses to overwrite a file."""
    import tomli_w

    path = Path(path)
    if path.exists():
        raise BackupError(f"文件已存在，不覆盖：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    body = tomli_w.dumps({
        "site": {"name": settings.SITE.name, "secret_key": settings.SECRET_KEY},
        "pii": {"encryption_keys": list(settings.PII_ENCRYPTION_KEYS), "hash_key": settings.PII_HASH_KEY},
    })
    header = "".join(f"# {line}\n" for line in [
        f"钟楼区人社局业务管理系统 站点 {settings.SITE.name} 的密钥，导出于 {timezone.localtime():%Y-%m-%d %H:%M}",
        KEYS_WARNING,
        "恢复时：把下面的 secret_key 与 [pii] 两项写入新站点的 site_config.toml，再运行 manage.py restore。",
    ])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(header + "\n" + body)
    return path


# --- restore ------------------------------------------------------------------------------------
def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        try:
            member = tar.getmember(MANIFEST)
        except KeyError as exc:
            raise BackupError(f"{archive.name} 不是本系统的备份（缺少 {MANIFEST}）") from exc
        return json.loads(tar.extractfile(member).read().decode("utf-8"))


def _verify(folder: Path, manifest: dict) -> None:
    """Every file the manifest names, with its checksum, and nothing else."""
    expected = manifest.get("files", {})
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    missing = sorted(set(expected) - present)
    extra = sorted(present - set(expected))
    if missing or extra:
        raise BackupError(f"备份文件不完整或被改动：缺少 {missing[:5]}，多出 {extra[:5]}")
    bad = [name for name, digest in expected.items() if sha256_of(folder / name) != digest]
    if bad:
        raise BackupError(f"备份文件校验失败（sha256 不符），可能已损坏：{bad[:5]}")


def _check_keys(manifest: dict) -> None:
    keys = manifest.get("keys") or {}
    mine = key_fingerprints()
    missing = [fp for fp in keys.get("encryption_keys", []) if fp not in mine["encryption_keys"]]
    if missing or keys.get("hash_key") not in (None, mine["hash_key"]):
        raise BackupError(
            "本站点的个人信息密钥与备份不一致：恢复后身份证号、手机号等将无法解密或检索。"
            "请先把备份站点的密钥（manage.py backup --keys-only 导出的文件）写入本站点的 site_config.toml。")


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            if table in INFRASTRUCTURE_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return False
    return True


def uploads_are_empty() -> bool:
    return not any(p.is_file() for root in upload_roots().values() if root.is_dir() for p in root.rglob("*"))


def _drop_all_tables() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "mysql":
            cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            cursor.execute("SET FOREIGN_KEY_CHECKS = 1")


def _load_database(folder: Path, manifest: dict) -> None:
    engine = manifest["database"]["engine"]
    mine = "sqlite" if connection.vendor == "sqlite" else "mariadb"
    if engine != mine:
        raise BackupError(f"备份来自 {engine} 站点，本站点使用 {mine}：只能恢复到同一种数据库")
    source_path = folder / manifest["database"]["file"]
    if engine == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("恢复不能在事务中进行")
        source = sqlite3.connect(source_path)
        try:
            # The backup API again, the other way: the site's file becomes the copy, page by page.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    _drop_all_tables()
    cnf = _mariadb_client_file(folder)
    try:
        with source_path.open("rb") as dump:
            result = subprocess.run([_mariadb_tool("mariadb", "mysql"), f"--defaults-extra-file={cnf}",
                                     connection.settings_dict["NAME"]], stdin=dump, stderr=subprocess.PIPE,
                                    check=False)
    finally:
        cnf.unlink(missing_ok=True)
    if result.returncode != 0:
        raise BackupError(f"导入数据库失败：{result.stderr.decode('utf-8', 'replace').strip()[:500]}")
    connection.close()


def _load_files(folder: Path, *, clear: bool) -> int:
    count = 0
    for prefix, root in upload_roots().items():
        if clear and root.is_dir():
            for child in root.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        source = folder / FILES_PREFIX / prefix
        if not source.is_dir():
            continue
        for path in source.rglob("*"):
            if path.is_file():
                target = root / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                count += 1
    return count


def _record_restored(archive: Path, manifest: dict) -> None:
    """The archive just restored is the last good backup this database knows
    of (its own backup row was dumped half-way: started, not finished)."""
    from django.db.utils import DatabaseError

    from zhonglou_hrss.core.models import TaskRun

    made = dt.datetime.fromisoformat(manifest["created_at"])
    try:
        TaskRun.objects.update_or_create(name=TASK_NAME, defaults={
            "started_at": made, "finished_at": made, "ok": True, "last_ok_at": made,
            "detail": f"{archive.name}（已用于恢复）"[:500]})
    except DatabaseError:  # restored with --no-migrate from a release without the table
        log.warning("restore: the backup record could not be written (core_taskrun missing)")


@dataclass
class RestoreResult:
    manifest: dict
    tables: dict[str, tuple[int | None, int]]  # table -> (rows in the manifest, rows now)
    files: int
    migrated: bool

    @property
    def differences(self) -> dict[str, tuple[int | None, int]]:
        return {t: (want, have) for t, (want, have) in self.tables.items() if want is not None and want != have}


def restore_archive(archive: Path, *, force: bool = False, migrate: bool = True, stdout=None) -> RestoreResult:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    _check_keys(manifest)
    if not force and not (database_is_empty() and uploads_are_empty()):
        raise BackupError("本站点已有数据（数据库或上传文件不为空），为防误覆盖已停止。"
                          "确认要用备份覆盖现有全部数据时，加 --force 重试。")
    with tempfile.TemporaryDirectory(prefix="zhonglou-restore-") as tmp:
        folder = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")  # no absolute paths, no "..", no links out
        _verify(folder, manifest)
        _load_database(folder, manifest)
        files = _load_files(folder, clear=True)
    migrated = False
    if migrate:
        from django.core.management import call_command
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=0, stdout=stdout)
            migrated = True
    from django.core.cache import cache

    cache.clear()  # permission sets and counts cached for rows that are now other rows
    now = table_counts()  # what the archive brought (and the migrations), before the record below
    wanted = manifest.get("tables", {})
    tables = {t: (wanted.get(t), now.get(t, 0)) for t in sorted(set(wanted) | set(now))}
    _record_restored(archive, manifest)
    return RestoreResult(manifest, tables, files, migrated)
