"""The portal's periodic jobs (registered in ``PortalConfig.ready``; the rq cron
scheduler enqueues them, the rq worker runs them)."""


def reconcile_demand_tallies():
    """Safety net for the demand statistics: recompute the tallies from the approved
    demands and repair any difference (each one is logged as a warning)."""
    from zhonglou_hrss.portal.services.demand_tallies import reconcile

    return len(reconcile())
