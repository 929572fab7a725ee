"""rq cron schedule: every periodic job that core and the apps registered
(``core.registry.periodic_task``, in their ``AppConfig.ready``). Loaded by
django-rq's scheduler, with Django set up and Redis from the site config:

    ZHONGLOU_SITE=prod python manage.py rqcron zhonglou_hrss.cron

The jobs run in the rq worker (``manage.py rqworker default``).

Each job runs through ``core.health.run_periodic``, which writes one log line
and records its last run (the desk's 系统状态 page shows them).
"""

from rq import cron

from zhonglou_hrss.core.health import run_periodic
from zhonglou_hrss.core.registry import periodic_tasks

QUEUE = "default"

for task in periodic_tasks():
    cron.register(run_periodic, queue_name=QUEUE, args=(task.func,), cron=task.cron, name=task.func)
