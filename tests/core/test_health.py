"""Health (issue 9, "Health and logs"): /healthz for the load balancer and the
desk's 系统状态 page for 系统管理员."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import MODEL_BACKEND
from zhonglou_hrss.core import health, registry
from zhonglou_hrss.core.models import TaskRun

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_issue_9_healthz_answers_ok_without_sign_in_versions_or_data(settings):
    """issue 9: /healthz — 200 {"status": "ok"} for anyone, nothing else in it."""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_issue_9_healthz_is_503_when_the_database_fails(monkeypatch):
    """issue 9: a failing check makes /healthz answer 503 {"status": "fail"}, no detail."""
    monkeypatch.setattr(health, "check_database", lambda: health.Check("数据库", health.FAIL, "无法连接：OperationalError"))
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "fail"}


def test_issue_9_healthz_stays_up_when_redis_is_down(settings, monkeypatch):
    """issue 9 (fault drill): with Redis configured but not answering, Redis is
    reported as failed, yet /healthz stays 200 — pages still serve, and a shared
    Redis must not take every app server out of the load balancer at once."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    class Dead:
        def ping(self):
            raise ConnectionError("refused")

    monkeypatch.setattr(health, "_redis", lambda: Dead())
    ok, checks = health.liveness()
    assert ok and [(c.name, c.status) for c in checks] == [("数据库", health.OK), ("Redis", health.FAIL)]
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_issue_9_healthz_is_exempt_from_the_tls_redirect():
    """issue 9: behind the TLS proxy every plain-HTTP request is redirected —
    not the load balancer's probe (settings SECURE_REDIRECT_EXEMPT)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "apps/zhonglou_hrss/settings.py").read_text(encoding="utf-8")
    assert 'SECURE_REDIRECT_EXEMPT = [r"^healthz$"]' in text


def test_issue_9_system_status_page_for_the_administrator_only(role_user):
    """issue 9: 系统状态 shows database, worker, backup, disk, the periodic jobs'
    last runs and kuaiban's case-count check (through core's registry) to a
    holder of core.view_system_health (系统管理员); a clerk gets 403."""
    TaskRun.objects.create(name="zhonglou_hrss.core.tasks.clear_expired_sessions", ok=True,
                           started_at=timezone.now(), finished_at=timezone.now(), last_ok_at=timezone.now())
    TaskRun.objects.create(name="zhonglou_hrss.kuaiban.tasks.reconcile_case_counts", ok=True,
                           started_at=timezone.now(), finished_at=timezone.now(), detail="3")
    admin = role_user("admin")
    assert admin.has_perm("core.view_system_health")
    response = _client(admin).get("/desk/system/health/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("系统状态", "数据库", "后台任务进程", "最近备份", "从未成功备份", "磁盘：上传文件目录",
                 "事件统计数夜间核对", "修正了 3 项", "清理过期登录会话", "夜间备份", "尚未运行"):
        assert text in page, text
    assert _client(role_user("clerk")).get("/desk/system/health/").status_code == 403
    assert Client().get("/desk/system/health/").status_code == 302


def test_issue_9_health_check_registry_hook():
    """issue 9: apps add lines to 系统状态 through core.registry.health_check
    (core imports no app); a check that raises is shown as 异常, not a 500."""
    names = [name for name, _ in registry.health_checks()]
    assert "事件统计数夜间核对" in names
    registry.health_check("测试检查", "tests.core.test_health.broken_check")
    try:
        lines = {c.name: c for c in health.app_checks()}
        assert lines["测试检查"].status == health.FAIL and "RuntimeError" in lines["测试检查"].detail
    finally:
        registry._registry.health.pop("测试检查")


def broken_check():
    raise RuntimeError("boom")


def test_issue_9_worker_heartbeat(settings, monkeypatch):
    """issue 9: the worker line reads rq's Worker.all: none → 异常; a heartbeat
    older than 5 minutes → 异常; a fresh one → 正常. Without Redis jobs run inline."""
    settings.REDIS_URL = ""
    assert health.check_workers().status == health.OK
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    now = timezone.now()

    class W:
        def __init__(self, age):
            self.last_heartbeat = now - age

    from rq import Worker

    monkeypatch.setattr(health, "_redis", lambda: None)
    for workers, status in (([], health.FAIL), ([W(dt.timedelta(minutes=9))], health.FAIL),
                            ([W(dt.timedelta(seconds=20))], health.OK)):
        monkeypatch.setattr(Worker, "all", classmethod(lambda cls, connection=None, w=workers: w))
        assert health.check_workers(now).status == status


def test_issue_9_periodic_jobs_record_their_last_run_and_failure():
    """issue 9: cron's last runs — run_periodic records start, end, outcome
    and result of every periodic job, a failure included (then re-raised)."""
    assert health.run_periodic("zhonglou_hrss.core.tasks.clear_expired_lockouts") == 0
    run = TaskRun.objects.get(name="zhonglou_hrss.core.tasks.clear_expired_lockouts")
    assert run.ok and run.detail == "0" and run.finished_at >= run.started_at
    with pytest.raises(RuntimeError):
        health.run_periodic("tests.core.test_health.broken_check")
    failed = TaskRun.objects.get(name="tests.core.test_health.broken_check")
    assert not failed.ok and failed.detail == "失败：RuntimeError" and failed.last_ok_at is None


def test_issue_9_case_count_check_states():
    """issue 9: kuaiban's nightly case-count check as 系统状态 reads it."""
    from zhonglou_hrss.kuaiban.tasks import RECONCILE, case_counts_health

    assert case_counts_health()[0] == "warn"
    now = timezone.now()
    run = TaskRun.objects.create(name=RECONCILE, ok=True, started_at=now, finished_at=now, detail="0")
    assert case_counts_health()[0] == "ok"
    TaskRun.objects.filter(pk=run.pk).update(ok=False, detail="失败：OperationalError")
    assert case_counts_health()[0] == "fail"
    TaskRun.objects.filter(pk=run.pk).update(ok=True, detail="0", finished_at=now - dt.timedelta(days=3))
    assert case_counts_health()[0] == "warn"


def test_issue_9_demand_tally_check_states():
    """The portal's nightly check of the demand statistics' tallies on 系统状态, read the same way."""
    from zhonglou_hrss.core import registry
    from zhonglou_hrss.portal.tasks import RECONCILE, demand_tallies_health

    assert ("人才需求统计汇总夜间核对", "zhonglou_hrss.portal.tasks.demand_tallies_health") in registry.health_checks()
    assert demand_tallies_health() == ("warn", "尚未运行（每晚 03:50 运行）")
    now = timezone.now()
    TaskRun.objects.create(name=RECONCILE, ok=True, started_at=now, finished_at=now, detail="12")
    status, detail = demand_tallies_health()
    assert status == "warn" and "修正了 12 项需求统计汇总" in detail
