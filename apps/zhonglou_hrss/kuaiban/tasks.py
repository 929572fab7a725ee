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
    from zhonglou_hrss.core.health import nightly_check_status

    return nightly_check_status(RECONCILE, schedule="03:45", repaired="项计数（有事件绕过了业务服务被改动）")
