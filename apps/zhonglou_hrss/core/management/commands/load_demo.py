from django.core.management.base import BaseCommand, CommandError

from zhonglou_hrss.core.demo import DEMO_PASSWORD, NotADemoSite, load_demo


class Command(BaseCommand):
    help = "为演示站点创建演示用户和演示企业（仅限 demo = true 的站点；已存在的不改动）。"

    def handle(self, *args, **options):
        try:
            users = load_demo()
        except NotADemoSite as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for user in users:
            self.stdout.write(f"  {user.username:<20} {user.name}")
