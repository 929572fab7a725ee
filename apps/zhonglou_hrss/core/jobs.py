"""Background jobs: rq on Redis when the site configures it, inline otherwise.

Every job writes one log line when it ends (``zhonglou_hrss.jobs``: its
function, ok or failed, milliseconds — never its arguments).

When Redis does not answer, ``enqueue`` does not fail the request: it logs and
returns None, and the caller keeps the work recorded in the database so that
it is queued again when Redis is back (export jobs: ``core.exports.jobs.
recover_export_jobs``, every minute from rq cron). Running a long job inline
in a web request instead would hit the server's request timeout."""

import logging
import time

from django.conf import settings

log = logging.getLogger("zhonglou_hrss.jobs")


class QueueUnavailable(Exception):
    """Redis did not take the job (down, refusing, timing out)."""


def enqueue(func, *args, job_id: str | None = None, **kwargs):
    """Run ``func`` in the rq worker, or right now when there is no Redis.
    Returns the rq job, or the function's result when run inline. Raises
    ``QueueUnavailable`` when Redis does not answer (nothing was queued).
    ``job_id`` names the rq job (so that it can be looked up, and not queued twice)."""
    name = f"{func.__module__}.{func.__qualname__}"
    if settings.JOBS_INLINE:
        return run_logged(name, func, *args, **kwargs)
    import django_rq
    from redis.exceptions import RedisError

    try:
        return django_rq.get_queue("default").enqueue_call(run_logged, args=(name, func, *args), kwargs=kwargs,
                                                           job_id=job_id)
    except (RedisError, OSError) as exc:
        log.warning("job %s not queued: Redis unavailable (%s)", name, type(exc).__name__)
        raise QueueUnavailable() from exc


def is_queued(job_id: str) -> bool:
    """Whether rq holds the job, waiting or running (False without Redis or when it does not answer)."""
    if settings.JOBS_INLINE:
        return False
    import django_rq
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=django_rq.get_connection("default"))
        return job.get_status() in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
    except NoSuchJobError:
        return False
    except (RedisError, OSError):
        raise QueueUnavailable() from None


def run_logged(name: str, func, *args, **kwargs):
    """``func(*args, **kwargs)`` with its log line (what the worker runs)."""
    started = time.monotonic()
    try:
        result = func(*args, **kwargs)
    except Exception:
        log.exception("job %s failed %d ms", name, (time.monotonic() - started) * 1000)
        raise
    log.info("job %s ok %d ms", name, (time.monotonic() - started) * 1000)
    return result
