"""rq cron schedule, loaded by rq's CronScheduler:

    PYTHONPATH=apps rq cron apps/zhonglou_hrss/cron.py --url <redis url>

The jobs run in the rq worker (``manage.py rqworker default``), which has Django set up.
"""

from rq import cron

from zhonglou_hrss.core.tasks import (
    clear_expired_lockouts,
    clear_expired_sessions,
    purge_old_exports,
    reconcile_case_counts,
)

cron.register(clear_expired_sessions, queue_name="default", cron="30 2 * * *")
cron.register(clear_expired_lockouts, queue_name="default", cron="0 * * * *")
cron.register(purge_old_exports, queue_name="default", cron="15 3 * * *")
cron.register(reconcile_case_counts, queue_name="default", cron="45 3 * * *")
