"""Core's periodic housekeeping jobs (registered in ``CoreConfig.ready``; the
rq cron scheduler enqueues them, the rq worker runs them)."""


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
    from zhonglou_hrss.core.exports.jobs import purge_old_exports as purge

    return purge()


def delete_expired_tokens():
    """Expired API tokens go (they are refused anyway; the desk's list stays short)."""
    from zhonglou_hrss.core.tokens import delete_expired

    return delete_expired()


def register():
    from zhonglou_hrss.core import registry

    registry.periodic_task(f"{__name__}.clear_expired_sessions", cron="30 2 * * *", label="清理过期登录会话")
    registry.periodic_task(f"{__name__}.clear_expired_lockouts", cron="0 * * * *", label="清理过期登录锁定")
    registry.periodic_task(f"{__name__}.purge_old_exports", cron="15 3 * * *", label="清理过期导出文件")
    registry.periodic_task(f"{__name__}.delete_expired_tokens", cron="45 2 * * *", label="清理过期接口令牌")
