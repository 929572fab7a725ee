"""manage.py restore ARCHIVE [--force] — put a backup (manage.py backup) into
this site: checks the archive's checksums and keys, loads the database and the
uploads, runs pending migrations, reports the rows per table (core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from zhonglou_hrss.core import backup


class Command(BaseCommand):
    help = "从备份文件恢复本站点（默认只恢复到空站点；--force 覆盖现有数据）"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="manage.py backup 写出的 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="站点已有数据时也恢复：现有数据库和上传文件全部被覆盖")
        parser.add_argument("--no-migrate", action="store_true", help="恢复后不运行数据库迁移")

    def handle(self, *args, archive, force=False, no_migrate=False, **options):
        try:
            result = backup.restore_archive(archive, force=force, migrate=not no_migrate, stdout=self.stdout)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(f"已恢复：站点 {manifest['site']} 于 {manifest['created_at']} 的备份"
                          f"（版本 {manifest['app_version']}）")
        self.stdout.write(f"  上传文件 {result.files} 个；" + ("已运行待执行的数据库迁移" if result.migrated else "无待执行的迁移"))
        self.stdout.write("  各表行数（备份清单 → 恢复后）：")
        for table, (wanted, have) in result.tables.items():
            mark = "" if wanted == have else ("  ← 新表" if wanted is None else "  ← 不一致")
            self.stdout.write(f"    {table}: {'-' if wanted is None else wanted} → {have}{mark}")
        if result.differences and not result.migrated:
            self.stdout.write(self.style.WARNING(f"有 {len(result.differences)} 张表的行数与清单不一致，请核查。"))
        elif result.differences:
            self.stdout.write(self.style.WARNING(f"有 {len(result.differences)} 张表的行数与清单不同"
                                                 "（迁移可能增减了行），请核查。"))
        self.stdout.write(self.style.SUCCESS("恢复完成。建议接着运行：manage.py reconcile_case_counts"))
