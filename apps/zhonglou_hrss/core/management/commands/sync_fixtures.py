from django.core.management.base import BaseCommand, CommandError

from zhonglou_hrss.core.fixtures_sync import FixtureError, sync_base


class Command(BaseCommand):
    help = "同步基础数据（fixtures/base：角色、网格、字典）。可重复执行，不覆盖管理员的修改。"

    def handle(self, *args, **options):
        try:
            report = sync_base()
        except FixtureError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.created:
            self.stdout.write(f"  新建 {line}")
        for line in report.updated:
            self.stdout.write(f"  更新 {line}")
        self.stdout.write(self.style.SUCCESS(str(report)))
