"""manage.py backup [--output DIR] — one dated archive of this site (database,
uploads, manifest; core.backup). ``--keys-only --output FILE`` writes the key
material instead, to a file of its own: it is never inside an archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhonglou_hrss.core import backup
from zhonglou_hrss.core.health import record_run


class Command(BaseCommand):
    help = "备份本站点：数据库（一致性快照）、上传文件和清单，写成一个带日期的 tar.gz 文件"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份写到此目录（默认：站点设置 [backup] dir，即 sites/<站点>/backups）；"
                                             "与 --keys-only 同用时为密钥文件的路径")
        parser.add_argument("--keys-only", action="store_true",
                            help="只导出密钥（secret_key 与个人信息密钥），写到 --output 指定的文件")
        parser.add_argument("--prune", action="store_true",
                            help="备份后删除超过保留天数（[backup] keep_days，默认 30）的旧备份")

    def handle(self, *args, output=None, keys_only=False, prune=False, **options):
        if keys_only:
            if not output:
                raise CommandError("--keys-only 需要 --output 文件路径")
            try:
                path = backup.export_keys(Path(output))
            except backup.BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.WARNING(backup.KEYS_WARNING))
            self.stdout.write(f"密钥已写入：{path}（仅本人可读）")
            return
        try:
            with record_run(backup.TASK_NAME) as run:
                result = backup.create_backup(Path(output) if output else None)
                run["detail"] = f"{result.path.name}（{result.size / 2**20:.1f} MB）"
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(f"备份完成：{result.path}")
        self.stdout.write(f"  版本 {manifest['app_version']}，数据库 {manifest['database']['engine']}，"
                          f"{len(manifest['tables'])} 张表共 {sum(manifest['tables'].values())} 行，"
                          f"上传文件 {len(manifest['files']) - 1} 个，{result.size / 2**20:.1f} MB")
        self.stdout.write("  注意：备份不含密钥。没有密钥无法读取其中的个人信息；"
                          "请另用 manage.py backup --keys-only --output <文件> 导出并单独保管。")
        if prune:
            deleted = backup.prune_backups(result.path.parent)
            self.stdout.write(f"  删除过期备份 {len(deleted)} 个（保留 {backup.keep_days()} 天）")
