"""manage.py reconcile_case_counts — recompute the figures' case counts from
the cases and repair any difference (services.case_counts). Run after loading
cases in bulk outside the services; the rq worker also runs it every night."""

from django.core.management.base import BaseCommand

from zhonglou_hrss.kuaiban.services.case_counts import reconcile


class Command(BaseCommand):
    help = "按事件重新核对一张图和分析所用的事件统计计数，并修正差异"

    def handle(self, *args, **options):
        differences = reconcile()
        if not differences:
            self.stdout.write("事件统计计数与事件一致，无需修正。")
            return
        for key, was, now in differences:
            self.stdout.write(f"  网格 {key.stat_grid_id} {key.year}-{key.month:02d} {key.status}"
                              f"{'（网格经手）' if key.grid_seen else ''}：{was} → {now}")
        self.stdout.write(self.style.WARNING(f"已修正 {len(differences)} 项事件统计计数。"))
