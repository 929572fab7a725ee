from django.core.management.base import BaseCommand, CommandError

from zhonglou_hrss.core.demo import DEMO_PASSWORD, NotADemoSite, load_demo
from zhonglou_hrss.core.models import EnterpriseAccount


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
        accounts = EnterpriseAccount.objects.select_related("user").prefetch_related("accesses").order_by("user__username")
        if accounts:
            self.stdout.write(self.style.SUCCESS(f"企业账号（企业门户 /portal/ 登录，密码均为 {DEMO_PASSWORD}）："))
            for account in accounts:
                states = "、".join(f"{a.get_subsystem_display()}{a.get_status_display()}" for a in account.accesses.all())
                self.stdout.write(f"  {account.user.username:<20} {account.company_name}（{states}）")
