"""rq cron schedule: every periodic job that core and the apps registered
(``core.registry.periodic_task``, in their ``AppConfig.ready``). Loaded by
django-rq's scheduler, with Django set up and Redis from the site config:

    ZHONGLOU_SITE=prod python manage.py rqcron zhonglou_hrss.cron

The jobs run in the rq worker (``manage.py rqworker default``).
"""

from django.utils.module_loading import import_string
from rq import cron

from zhonglou_hrss.core.registry import periodic_tasks

QUEUE = "default"

for task in periodic_tasks():
    cron.register(import_string(task.func), queue_name=QUEUE, cron=task.cron)
