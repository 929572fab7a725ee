"""manage.py reconcile_demand_tallies — recompute the talent-demand statistics'
tallies from the approved demands and repair any difference
(services.demand_tallies). Run after loading demands in bulk outside the
services; the rq worker also runs it every night."""

from django.core.management.base import BaseCommand

from zhonglou_hrss.portal.services.demand_tallies import reconcile


class Command(BaseCommand):
    help = "按人才需求重新核对需求统计汇总，并修正差异"

    def handle(self, *args, **options):
        differences = reconcile()
        if not differences:
            self.stdout.write("需求统计汇总与人才需求一致，无需修正。")
            return
        for (day, dimension, code), was, now in differences[:50]:
            self.stdout.write(f"  {day} {dimension} {code or '（空）'}：{was} → {now}")
        self.stdout.write(self.style.WARNING(f"已修正 {len(differences)} 项需求统计汇总。"))
