"""Export jobs: ``start_export`` creates an ``ExportJob`` for the user's
filtered list and runs it through the job queue (``run_export_job``); the
file waits in ``EXPORTS_DIR/<user id>/`` for that user only; every finished
export is written to the audit log; old files are purged nightly.

Personal data is masked in every export unless a full one is asked for
(``full=True``): that needs ``core.export_pii`` (``pii.PERMISSIONS[EXPORT]``)
and a reason, which the export's audit row keeps (issue 10 item 6). Every
interface that exports (the desk's page, any API) asks through here.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings

from zhonglou_hrss.core import audit, clock, jobs, pii
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible
from zhonglou_hrss.core.exports.registry import get_exporter
from zhonglou_hrss.core.exports.templates import template_for, template_spec
from zhonglou_hrss.core.exports.writer import write_workbook

log = logging.getLogger(__name__)


def export_file_path(user, kind: str) -> tuple[Path, str]:
    """A new unique file under ``EXPORTS_DIR/<user id>/``: (absolute path, relative path)."""
    relative = f"{user.pk}/{kind}-{clock.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.xlsx"
    return Path(settings.EXPORTS_DIR) / relative, relative


def export_path(job) -> Path:
    root = Path(settings.EXPORTS_DIR).resolve()
    path = (root / job.file_path).resolve()
    if not job.file_path or root not in path.parents:
        raise NotVisible()
    return path


FULL_EXPORT_FORBIDDEN = "您没有导出完整身份证号、手机号的权限，只能导出脱敏数据"
REASON_REQUIRED = "请填写完整导出身份证号、手机号的理由"
REASON_MAX = 200
# The reason's name in forms, request bodies and errors: ``reason`` is already
# a list filter (案由) of the exports that name their filters in the request.
REASON_FIELD = "export_reason"


def clean_full_export(user, *, full: bool, reason: str | None) -> str:
    """The reason of a full export ('' for a masked one); refused without the
    permission (ActionForbidden) or without a reason (InvalidInput on ``export_reason``)."""
    if not full:
        return ""
    if not pii.may_see(user, pii.EXPORT):
        raise ActionForbidden(FULL_EXPORT_FORBIDDEN)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput({REASON_FIELD: [REASON_REQUIRED]})
    if len(reason) > REASON_MAX:
        raise InvalidInput({REASON_FIELD: [f"理由不能超过{REASON_MAX}个字"]})
    return reason


def start_export(*, user, kind: str, filters: Mapping, template_id=None, ip: str | None = None,
                 full: bool = False, reason: str | None = ""):
    """Create an export job for the user's filtered list and run it (queue or
    inline). Masked unless ``full``, which needs core.export_pii and a reason."""
    from zhonglou_hrss.core.models import ExportJob

    exporter = get_exporter(kind)
    if not (user and user.is_authenticated and user.is_active and user.has_perm(exporter.permission)):
        raise ActionForbidden(f"您没有导出{exporter.label}的权限")
    reason = clean_full_export(user, full=full, reason=reason)
    cleaned = exporter.clean_filters(filters)
    template = template_for(kind, template_id)
    job = ExportJob.objects.create(user=user, kind=kind, template=template, filters=cleaned, ip=ip,
                                   masked=not full, reason=reason)
    queued = _enqueue(job.pk)
    job.refresh_from_db()
    # The interface tells the user (QUEUE_DOWN) that the job waits for the queue.
    job.queue_unavailable = not queued
    return job


QUEUE_DOWN = "后台任务服务暂时不可用：导出已登记，服务恢复后会自动开始，请稍后在本页查看。"
INTERRUPTED = "导出中断：后台任务进程在导出途中停止，没有生成文件。请重新导出。"
# A running job's heartbeat is written at its start and after every chunk (2,000
# rows, well under a second); one older than this belongs to a killed worker.
STALE_SECONDS = 120
# A pending job that rq does not hold after this long was never queued (Redis was down).
REQUEUE_SECONDS = 30


def rq_job_id(job_id: int) -> str:
    return f"export-{job_id}"


def _enqueue(job_id: int) -> bool:
    """Queue the export (or run it, without Redis); False when Redis did not take it."""
    try:
        jobs.enqueue(run_export_job, job_id, job_id=rq_job_id(job_id))
    except jobs.QueueUnavailable:
        return False
    return True


def _partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def run_export_job(job_id: int):
    """The job: write the file, record the audit row. Never raises (failures are kept on the job)."""
    from zhonglou_hrss.core.models import AuditLog, ExportJob

    # Claimed by one conditional UPDATE: a job queued twice (queued again after
    # a Redis outage) runs once; a failed or finished one never runs again.
    started = clock.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, started_at=started, heartbeat_at=started)
    if not claimed:
        return
    job = ExportJob.objects.select_related("user", "template").get(pk=job_id)
    path = None
    try:
        user = job.user
        exporter = get_exporter(job.kind)
        if not (user.is_active and user.has_perm(exporter.permission)):
            raise ActionForbidden(f"您没有导出{exporter.label}的权限")
        # Full only when asked (with its reason) and still permitted now; the
        # export's own audit row (below) records whether it was masked, and the reason when not.
        masked = not pii.disclose(user, job, fields=exporter.personal_fields(), purpose=pii.EXPORT,
                                  asked=not job.masked, record=False)
        # An exporter whose columns depend on the data (a questionnaire version's questions) builds its own
        # default layout; a template staff uploaded for the kind still wins.
        spec = (exporter.default_spec(job.filters) if job.template is None else None) or template_spec(job.template, job.kind)
        now = clock.now()  # one "now" for the overdue filter and the overdue column
        total = exporter.count(user, job.filters, now=now)
        ExportJob.objects.filter(pk=job.pk).update(total=total, masked=masked, heartbeat_at=clock.now())
        path, relative = export_file_path(user, job.kind)
        rows = exporter.rows(user, job.filters, keys=spec.keys, masked=masked, now=now)
        count = write_workbook(spec, rows, path, progress=lambda n: ExportJob.objects.filter(pk=job.pk).update(
            rows=n, heartbeat_at=clock.now()))
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE, rows=count, file_path=relative, finished_at=clock.now())
        if not finished:  # declared dead meanwhile (no heartbeat for STALE_SECONDS): the user was told to start again
            Path(path).unlink(missing_ok=True)
            return
        audit.record(AuditLog.Action.EXPORT, actor=user, target=job, ip=job.ip,
                     target_repr=f"{exporter.label}导出 {count} 行",
                     detail={"kind": job.kind, "rows": count, "masked": masked,
                             # a searched ID number or phone stays on the job, not in the log
                             "filters": {k: pii.mask_in_text(str(v)) for k, v in job.filters.items()},
                             "template": job.template.name if job.template else "默认模板（系统自带）",
                             **({} if masked else {"reason": job.reason})})
    except Exception as exc:  # kept on the job for the user; the details go to the log
        log.exception("export job %s failed", job_id)
        if path is not None:
            Path(path).unlink(missing_ok=True)
            _partial_path(Path(path)).unlink(missing_ok=True)
        message = exc.message if hasattr(exc, "message") else "导出时发生内部错误，请联系系统管理员"
        if isinstance(exc, InvalidInput):
            message = "；".join(m for msgs in exc.errors.values() for m in msgs)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=message,
                                                   finished_at=clock.now())


def fail_if_interrupted(job) -> bool:
    """A running job whose heartbeat stopped (its worker was killed) becomes
    failed with ``INTERRUPTED``; the user can start the export again. True if it did."""
    from datetime import timedelta

    from zhonglou_hrss.core.models import ExportJob

    if job.status != ExportJob.Status.RUNNING:
        return False
    cutoff = clock.now() - timedelta(seconds=STALE_SECONDS)
    beat = job.heartbeat_at or job.started_at
    if beat is not None and beat >= cutoff:
        return False
    # Conditional: a job that beat meanwhile (or finished) is left alone.
    from django.db.models import Q

    changed = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True)).update(
        status=ExportJob.Status.FAILED, error=INTERRUPTED, finished_at=clock.now())
    if changed:
        log.warning("export job %s interrupted (no progress for %d s): marked failed", job.pk, STALE_SECONDS)
        job.refresh_from_db()
    return bool(changed)


def recover_export_jobs() -> dict:
    """Every minute (rq cron): running jobs of a killed worker become failed
    (``fail_if_interrupted``), their partial files go; pending jobs that Redis
    never took (it was down) are queued again. Returns the counts."""
    from datetime import timedelta

    from zhonglou_hrss.core.models import ExportJob

    now = clock.now()
    failed = sum(fail_if_interrupted(job) for job in ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - timedelta(seconds=STALE_SECONDS)))
    failed += sum(fail_if_interrupted(job) for job in ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, heartbeat_at__isnull=True))
    removed = 0
    root = Path(settings.EXPORTS_DIR)
    if root.is_dir():
        cutoff = (now - timedelta(seconds=STALE_SECONDS)).timestamp()
        for part in root.glob("*/*.part*"):
            try:
                if part.stat().st_mtime < cutoff:
                    part.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
    requeued = 0
    waiting = ExportJob.objects.filter(status=ExportJob.Status.PENDING,
                                       created_at__lt=now - timedelta(seconds=REQUEUE_SECONDS))
    for job_id in waiting.values_list("pk", flat=True).order_by("pk")[:200]:
        try:
            if jobs.is_queued(rq_job_id(job_id)):
                continue
        except jobs.QueueUnavailable:
            break
        if not _enqueue(job_id):
            break
        requeued += 1
    return {"failed": failed, "partial_files": removed, "requeued": requeued}


EXPORT_KEEP_DAYS = 7


def purge_old_exports(days: int = EXPORT_KEEP_DAYS) -> int:
    """Housekeeping: delete export files older than ``days``; their jobs become
    "expired" (the page says so instead of offering a dead link). Returns the count."""
    from datetime import timedelta

    from zhonglou_hrss.core.models import ExportJob

    cutoff = clock.now() - timedelta(days=days)
    old = ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=cutoff)
    count = 0
    for job in old.iterator(chunk_size=500):
        try:
            export_path(job).unlink(missing_ok=True)
        except NotVisible:
            pass
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file_path="")
        count += 1
    return count


def job_for(user, job_id):
    """A user's own export job, or NotVisible (someone else's looks missing)."""
    from zhonglou_hrss.core.models import ExportJob

    job = ExportJob.objects.filter(pk=job_id, user=user).first() if str(job_id).isdigit() else None
    if job is None or not user.is_authenticated:
        raise NotVisible()
    # The user waiting on the page learns of a killed worker at once, not at the next cron minute.
    fail_if_interrupted(job)
    return job
