"""Periodic housekeeping jobs, run by the rq worker (scheduled in ``cron.py``).

Django is imported inside the functions: the cron scheduler process only
needs the import paths, the worker (``manage.py rqworker``) runs them.
"""


def clear_expired_sessions():
    from django.core.management import call_command

    call_command("clearsessions")


def clear_expired_lockouts():
    """Remove lockout records whose cool-off has passed (the desk's list stays short)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    cutoff = timezone.now() - settings.AXES_COOLOFF_TIME
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


def purge_old_exports():
    """Delete export files older than the retention period (jobs marked expired)."""
    from zhonglou_hrss.core.exports import purge_old_exports as purge

    return purge()


def reconcile_case_counts():
    """Safety net for the figures: recompute the case counts from the cases and
    repair any difference (each one is logged as a warning)."""
    from zhonglou_hrss.kuaiban.case_counts import reconcile

    return len(reconcile())
