"""The portal's periodic jobs (registered in ``PortalConfig.ready``; the rq cron
scheduler enqueues them, the rq worker runs them)."""


def reconcile_demand_tallies():
    """Safety net for the demand statistics: recompute the tallies from the approved
    demands and repair any difference (each one is logged as a warning)."""
    from zhonglou_hrss.portal.services.demand_tallies import reconcile

    return len(reconcile())


RECONCILE = f"{__name__}.reconcile_demand_tallies"


def demand_tallies_health():
    """The 系统状态 page's line for the nightly check of the demand statistics' tallies."""
    from zhonglou_hrss.core.health import nightly_check_status

    return nightly_check_status(RECONCILE, schedule="03:50", repaired="项需求统计汇总（有需求绕过了业务服务被改动）")
