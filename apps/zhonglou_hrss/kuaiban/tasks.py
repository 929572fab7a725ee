"""Kuaiban's periodic jobs (registered in ``KuaibanConfig.ready``; the rq cron
scheduler enqueues them, the rq worker runs them)."""


def reconcile_case_counts():
    """Safety net for the figures: recompute the case counts from the cases and
    repair any difference (each one is logged as a warning)."""
    from zhonglou_hrss.kuaiban.services.case_counts import reconcile

    return len(reconcile())


RECONCILE = f"{__name__}.reconcile_case_counts"


def case_counts_health():
    """The 系统状态 page's line for the nightly check (``core.registry.health_check``):
    its last run (``core.health.run_periodic`` records it) and what it repaired."""
    from datetime import timedelta

    from django.utils import timezone

    from zhonglou_hrss.core.models import TaskRun

    run = TaskRun.objects.filter(name=RECONCILE).first()
    if run is None or run.finished_at is None:
        return "warn", "尚未运行（每晚 03:45 运行）"
    when = f"{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}"
    if not run.ok:
        return "fail", f"{when} 运行失败：{run.detail}"
    if timezone.now() - run.finished_at > timedelta(days=2):
        return "warn", f"最近一次在 {when}，已超过 2 天未运行"
    if run.detail in ("", "0"):
        return "ok", f"{when} 核对一致"
    return "warn", f"{when} 修正了 {run.detail} 项计数（有事件绕过了业务服务被改动）"
