"""Kuaiban's periodic jobs (registered in ``KuaibanConfig.ready``; the rq cron
scheduler enqueues them, the rq worker runs them)."""


def reconcile_case_counts():
    """Safety net for the figures: recompute the case counts from the cases and
    repair any difference (each one is logged as a warning)."""
    from zhonglou_hrss.kuaiban.services.case_counts import reconcile

    return len(reconcile())
