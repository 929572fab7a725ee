"""Background jobs: rq on Redis when the site configures it, inline otherwise.

Every job writes one log line when it ends (``zhonglou_hrss.jobs``: its
function, ok or failed, milliseconds — never its arguments)."""

import logging
import time

from django.conf import settings

log = logging.getLogger("zhonglou_hrss.jobs")


def enqueue(func, *args, **kwargs):
    """Run ``func`` in the rq worker, or right now when there is no Redis.
    Returns the rq job, or the function's result when run inline."""
    if settings.JOBS_INLINE:
        return run_logged(f"{func.__module__}.{func.__qualname__}", func, *args, **kwargs)
    import django_rq

    return django_rq.get_queue("default").enqueue(run_logged, f"{func.__module__}.{func.__qualname__}", func,
                                                  *args, **kwargs)


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
