"""Health of the site (issue 9, "Health and logs").

- ``liveness()`` — what ``/healthz`` answers to the load balancer: the
  database and, when configured, Redis; ``ok`` or not, nothing else (no
  versions, no personal data).
- ``report()`` — the 系统状态 page of the desk (``core.view_system_health``):
  database, Redis, rq workers' heartbeats, the periodic jobs' last runs, free
  disk space of the data folders, the last good backup, and whatever the apps
  registered with ``core.registry.health_check`` (kuaiban: the nightly case
  count check).
- ``record_run`` — every periodic job (``run_periodic``) and every backup
  leaves its last start, end and outcome in ``TaskRun``.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

OK, WARN, FAIL = "ok", "warn", "fail"
BACKUP_MAX_AGE = dt.timedelta(days=2)
WORKER_HEARTBEAT_MAX_AGE = dt.timedelta(minutes=5)
DISK_WARN_FREE_FRACTION = 0.10


@dataclass
class Check:
    name: str  # Chinese, for the page
    status: str  # ok | warn | fail
    detail: str = ""


# --- task runs --------------------------------------------------------------------------------
@contextmanager
def record_run(name: str):
    """Record the start, end and outcome of a job in ``TaskRun`` (the exception goes on)."""
    from zhonglou_hrss.core.models import TaskRun

    started = timezone.now()
    TaskRun.objects.update_or_create(name=name, defaults={"started_at": started})
    holder = {"detail": ""}
    try:
        yield holder
    except Exception as exc:
        TaskRun.objects.filter(name=name).update(finished_at=timezone.now(), ok=False,
                                                 detail=f"失败：{type(exc).__name__}"[:500])
        raise
    finished = timezone.now()
    TaskRun.objects.filter(name=name).update(finished_at=finished, ok=True, last_ok_at=finished,
                                             detail=str(holder["detail"])[:500])


def run_periodic(func: str):
    """What rq cron enqueues for every registered periodic job: the job itself,
    with one log line and its ``TaskRun`` (zhonglou_hrss.cron)."""
    from zhonglou_hrss.core.jobs import run_logged

    with record_run(func) as run:
        result = run_logged(func, import_string(func))
        if result is not None:
            run["detail"] = str(result)
    return result


def last_good_backup():
    """When the last backup succeeded (None: never)."""
    from zhonglou_hrss.core.backup import TASK_NAME
    from zhonglou_hrss.core.models import TaskRun

    return TaskRun.objects.filter(name=TASK_NAME).values_list("last_ok_at", flat=True).first()


def backup_is_stale(now=None) -> bool:
    last = last_good_backup()
    return last is None or (now or timezone.now()) - last > BACKUP_MAX_AGE


# --- checks -----------------------------------------------------------------------------------
def nightly_check_status(task: str, *, schedule: str, repaired: str) -> tuple[str, str]:
    """The 系统状态 line of an app's nightly reconcile job (``registry.health_check``):
    never run, failed, late (over 2 days), agreed, or how many cells it repaired —
    ``repaired`` names them (e.g. "项计数（有事件绕过了业务服务被改动）")."""
    from zhonglou_hrss.core.models import TaskRun

    run = TaskRun.objects.filter(name=task).first()
    if run is None or run.finished_at is None:
        return "warn", f"尚未运行（每晚 {schedule} 运行）"
    when = f"{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}"
    if not run.ok:
        return "fail", f"{when} 运行失败：{run.detail}"
    if timezone.now() - run.finished_at > dt.timedelta(days=2):
        return "warn", f"最近一次在 {when}，已超过 2 天未运行"
    if run.detail in ("", "0"):
        return "ok", f"{when} 核对一致"
    return "warn", f"{when} 修正了 {run.detail} {repaired}"


def check_database() -> Check:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return Check("数据库", FAIL, f"无法连接：{type(exc).__name__}")
    return Check("数据库", OK, "SQLite" if connection.vendor == "sqlite" else "MariaDB")


def _redis():
    import django_rq

    return django_rq.get_connection("default")


def check_redis() -> Check | None:
    if not settings.REDIS_URL:
        return None
    try:
        _redis().ping()
    except Exception as exc:
        return Check("Redis", FAIL, f"无法连接：{type(exc).__name__}")
    return Check("Redis", OK, "可用")


def check_workers(now=None) -> Check:
    if not settings.REDIS_URL:
        return Check("后台任务进程", OK, "未配置 Redis：任务在请求中直接执行")
    from rq import Worker

    now = now or timezone.now()
    try:
        workers = Worker.all(connection=_redis())
    except Exception as exc:
        return Check("后台任务进程", FAIL, f"无法读取：{type(exc).__name__}")
    if not workers:
        return Check("后台任务进程", FAIL, "没有运行中的 rq worker：导出等后台任务不会执行")
    alive = [w for w in workers if w.last_heartbeat and now - _aware(w.last_heartbeat) <= WORKER_HEARTBEAT_MAX_AGE]
    if not alive:
        return Check("后台任务进程", FAIL, f"{len(workers)} 个 worker 均超过 5 分钟没有心跳")
    return Check("后台任务进程", OK, f"{len(alive)} 个 worker 在线")


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.timezone.utc)


def check_backup(now=None) -> Check:
    last = last_good_backup()
    if last is None:
        return Check("最近备份", FAIL, "从未成功备份")
    text = f"{timezone.localtime(last):%Y-%m-%d %H:%M}"
    if backup_is_stale(now):
        return Check("最近备份", FAIL, f"{text}，已超过 2 天")
    return Check("最近备份", OK, text)


def disk_checks() -> list[Check]:
    from zhonglou_hrss.core.backup import backup_dir

    out = []
    for label, path in (("上传文件目录", Path(settings.MEDIA_ROOT).parent), ("导出文件目录", Path(settings.EXPORTS_DIR)),
                        ("备份目录", backup_dir())):
        try:
            usage = shutil.disk_usage(path)
        except OSError:
            out.append(Check(f"磁盘：{label}", WARN, "目录不存在"))
            continue
        free = usage.free / usage.total if usage.total else 0
        detail = f"可用 {usage.free / 2**30:.1f} GB / 共 {usage.total / 2**30:.1f} GB（{free:.0%}）"
        out.append(Check(f"磁盘：{label}", WARN if free < DISK_WARN_FREE_FRACTION else OK, detail))
    return out


def cron_runs() -> list[dict]:
    """Each registered periodic job with its last run (none yet: never run here)."""
    from zhonglou_hrss.core import registry
    from zhonglou_hrss.core.models import TaskRun

    runs = {r.name: r for r in TaskRun.objects.all()}
    out = []
    for task in registry.periodic_tasks():
        run = runs.get(task.func)
        out.append({"label": task.label, "cron": task.cron, "run": run,
                    "status": OK if run and run.ok else (FAIL if run and run.finished_at else WARN)})
    return out


def app_checks() -> list[Check]:
    from zhonglou_hrss.core import registry

    out = []
    for name, func in registry.health_checks():
        try:
            status, detail = import_string(func)()
        except Exception as exc:
            status, detail = FAIL, f"检查出错：{type(exc).__name__}"
        out.append(Check(name, status, detail))
    return out


def liveness() -> tuple[bool, list[Check]]:
    """The load balancer's question: can this server answer pages? The database
    alone decides. Redis is shared by every app server: were it part of the
    answer, a Redis outage would take every server out of the pool at once,
    though pages still serve without it (core.cache; jobs wait, see
    core.jobs). Its check is reported here and on the 系统状态 page."""
    database, redis = check_database(), check_redis()
    return database.status == OK, [c for c in (database, redis) if c]


def report() -> dict:
    checks = [c for c in (check_database(), check_redis(), check_workers(), check_backup()) if c]
    checks += disk_checks() + app_checks()
    return {"checks": checks, "cron": cron_runs(), "ok": all(c.status == OK for c in checks)}


# --- the desk home card ------------------------------------------------------------------------
def dashboard_cards(request) -> list[dict]:
    """系统管理员's warning when the last good backup is older than 2 days."""
    if not request.user.has_perm("core.view_system_health"):
        return []
    from django.urls import reverse

    last = last_good_backup()
    stale = backup_is_stale()
    value = "从未备份" if last is None else f"{timezone.localtime(last):%Y-%m-%d %H:%M}"
    return [{"section": "系统运行", "title": "最近一次成功备份" + ("（已超过 2 天）" if stale and last else ""),
             "value": value, "tone": "red" if stale else "", "link": reverse("system_health"),
             "hint": "备份超过 2 天未成功：请检查夜间备份任务与后台任务进程" if stale else "每晚自动备份"}]
