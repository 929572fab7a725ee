"""Background jobs: rq on Redis when the site configures it, inline otherwise."""

from django.conf import settings


def enqueue(func, *args, **kwargs):
    """Run ``func`` in the rq worker, or right now when there is no Redis.
    Returns the rq job, or the function's result when run inline."""
    if settings.JOBS_INLINE:
        return func(*args, **kwargs)
    import django_rq

    return django_rq.get_queue("default").enqueue(func, *args, **kwargs)
