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


def recover_export_jobs():
    """Exports of a killed worker marked failed; exports Redis never took queued again."""
    from zhonglou_hrss.core.exports.jobs import recover_export_jobs as recover

    return recover()


def delete_expired_tokens():
    """Expired API tokens go (they are refused anyway; the desk's list stays short)."""
    from zhonglou_hrss.core.tokens import delete_expired

    return delete_expired()


def nightly_backup():
    """The site's nightly archive (core.backup), then archives older than
    ``[backup] keep_days`` (30) deleted; recorded as the last backup."""
    from zhonglou_hrss.core.backup import TASK_NAME, create_backup, prune_backups
    from zhonglou_hrss.core.health import record_run

    with record_run(TASK_NAME) as run:
        result = create_backup()
        deleted = prune_backups()
        run["detail"] = f"{result.path.name}（{result.size / 2**20:.1f} MB），删除过期备份 {len(deleted)} 个"
    return result.path.name


def register():
    from zhonglou_hrss.core import registry

    registry.periodic_task(f"{__name__}.clear_expired_sessions", cron="30 2 * * *", label="清理过期登录会话")
    registry.periodic_task(f"{__name__}.clear_expired_lockouts", cron="0 * * * *", label="清理过期登录锁定")
    registry.periodic_task(f"{__name__}.purge_old_exports", cron="15 3 * * *", label="清理过期导出文件")
    registry.periodic_task(f"{__name__}.recover_export_jobs", cron="* * * * *", label="恢复中断或未入队的导出")
    registry.periodic_task(f"{__name__}.delete_expired_tokens", cron="45 2 * * *", label="清理过期接口令牌")
    registry.periodic_task(f"{__name__}.nightly_backup", cron="0 2 * * *", label="夜间备份")
