"""issue 9 — the fault drills' fixes, proved through HTTP and the job API
(benchmarks/fault_drills.py runs the same faults against the real stack):

- a worker killed in the middle of an export: the file appears only when
  complete (written under ``.part``, then renamed), the job whose heartbeat
  stopped becomes failed with a Chinese message, nothing is offered for
  download, and the export can be started again;
- Redis down: pages still serve (core.cache behaves as an empty cache), an
  export asked meanwhile is kept as pending with a message and queued again
  when Redis is back (``recover_export_jobs``), and runs once;
- MariaDB restarted: kept connections are health-checked before reuse.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import new_case, people  # noqa: F401  (fixtures)
from zhonglou_hrss.core import clock
from zhonglou_hrss.core import jobs as core_jobs
from zhonglou_hrss.core.exports import jobs, writer
from zhonglou_hrss.core.exports.templates import template_spec
from zhonglou_hrss.core.models import ExportJob
from zhonglou_hrss.siteconf import database_from_url

KIND = "kuaiban_case"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _age(job: ExportJob, seconds: int) -> None:
    past = clock.now() - timedelta(seconds=seconds)
    ExportJob.objects.filter(pk=job.pk).update(created_at=past, started_at=past, heartbeat_at=past)


# --- the worker killed mid-export ------------------------------------------------------------
def test_issue_9_export_file_appears_only_when_complete(db, tmp_path):
    """While rows are still being written, nothing exists under the final name;
    a writer that dies half-way leaves neither the file nor its ``.part``."""
    spec = template_spec(None, KIND)
    tmp_path = tmp_path / "drill"
    tmp_path.mkdir()
    path = tmp_path / "out.xlsx"
    seen = []

    def rows(fail_at=None):
        for i in range(3000):
            if i == 1500:
                seen.append(sorted(p.name for p in tmp_path.iterdir()))
                if fail_at:
                    raise RuntimeError("worker died")
            yield {"number": f"KB{i:06d}"}

    with pytest.raises(RuntimeError):
        writer.write_workbook(spec, rows(fail_at=1500), path)
    assert not path.exists() and list(tmp_path.iterdir()) == []
    assert writer.write_workbook(spec, rows(), path) == 3000
    assert "out.xlsx" not in seen[-1] and any(name.startswith("out.xlsx.part") for name in seen[-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_issue_9_export_of_a_killed_worker_fails_in_chinese_and_can_be_started_again(people, new_case):  # noqa: F811
    """A running job whose heartbeat stopped (its worker was killed) is shown as
    failed with a Chinese message as soon as its page is opened; there is no
    download; the same export started again succeeds."""
    case = new_case(grid="320404001")
    job = ExportJob.objects.create(user=people.grid1, kind=KIND, filters={}, status=ExportJob.Status.RUNNING,
                                   rows=2000, total=5000)
    _age(job, jobs.STALE_SECONDS + 5)
    part = Path(settings.EXPORTS_DIR) / str(people.grid1.pk) / "kuaiban_case-killed.xlsx.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"PK half a file")
    client = client_for(people.grid1)

    status = client.get(reverse("kuaiban_export:status", args=[job.pk]))
    text = status.content.decode()
    assert status.status_code == 200 and 'data-status="failed"' in text and jobs.INTERRUPTED in text
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error == jobs.INTERRUPTED and job.file_path == ""
    assert client.get(reverse("kuaiban_export:download", args=[job.pk])).status_code == 404
    # A late rq retry of the same job never runs it: it is no longer pending.
    jobs.run_export_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED

    # The cron sweep removes the partial file once it is old.
    old = (clock.now() - timedelta(seconds=jobs.STALE_SECONDS + 5)).timestamp()
    import os

    os.utime(part, (old, old))
    assert jobs.recover_export_jobs()["partial_files"] == 1 and not part.exists()

    response = client.post(reverse("kuaiban_export:start"))
    again = ExportJob.objects.filter(user=people.grid1).exclude(pk=job.pk).get()
    assert response.status_code == 302 and again.status == ExportJob.Status.DONE
    download = client.get(reverse("kuaiban_export:download", args=[again.pk]))
    ws = load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == [case.number]


def test_issue_9_a_running_export_that_still_beats_is_left_alone(people):  # noqa: F811
    job = ExportJob.objects.create(user=people.grid1, kind=KIND, filters={}, status=ExportJob.Status.RUNNING)
    _age(job, jobs.STALE_SECONDS - 30)
    status = client_for(people.grid1).get(reverse("kuaiban_export:status", args=[job.pk]))
    assert 'data-status="running"' in status.content.decode()
    assert jobs.recover_export_jobs()["failed"] == 0
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING


# --- Redis down --------------------------------------------------------------------------------
@pytest.fixture
def redis_down(settings):
    """The site configured with a Redis that refuses every connection."""
    settings.REDIS_URL = DEAD_REDIS
    settings.JOBS_INLINE = False
    settings.CACHES = {"default": {"BACKEND": "zhonglou_hrss.core.cache.ResilientRedisCache",
                                   "LOCATION": DEAD_REDIS, "KEY_PREFIX": "zhonglou:test-dead"}}
    settings.RQ_QUEUES = {"default": {"URL": DEAD_REDIS, "DEFAULT_TIMEOUT": 60}}
    settings.RQ = {"COMMIT_MODE": "auto"}  # as on a Redis site under pytest (a test never commits)
    yield
    caches["default"].close()


def test_issue_9_pages_serve_while_redis_is_down(redis_down, people):  # noqa: F811
    """The public report page, the desk sign-in (permissions cached), the
    desk's lists and /healthz answer without Redis."""
    anonymous = Client()
    assert anonymous.get("/kuaiban/report/?grid=320404001").status_code == 200
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/desk/login/").status_code == 200
    client = client_for(people.grid1)
    assert client.get("/desk/").status_code == 200
    assert client.get(reverse("kuaiban_export:start")).status_code == 200


def test_issue_9_export_asked_while_redis_is_down_waits_and_runs_when_it_is_back(
        redis_down, people, new_case, settings, monkeypatch):  # noqa: F811
    """Redis down: the export is kept as pending with a Chinese message, not lost;
    when Redis answers again the cron sweep queues it, and it runs once."""
    case = new_case(grid="320404001")
    client = client_for(people.grid1)
    response = client.post(reverse("kuaiban_export:start"), follow=True)
    job = ExportJob.objects.get(user=people.grid1)
    assert response.status_code == 200 and jobs.QUEUE_DOWN in response.content.decode()
    assert job.status == ExportJob.Status.PENDING
    assert jobs.recover_export_jobs()["requeued"] == 0  # too young, and Redis still down

    # Redis is back: the queue takes jobs (run here at once, as a worker would).
    ran = []

    def enqueue_call(func, args, kwargs, job_id):
        ran.append(job_id)
        return func(*args, **kwargs)

    class Queue:
        pass

    queue = Queue()
    queue.enqueue_call = enqueue_call
    import django_rq

    monkeypatch.setattr(django_rq, "get_queue", lambda name: queue)
    monkeypatch.setattr(core_jobs, "is_queued", lambda job_id: False)
    _age(job, jobs.REQUEUE_SECONDS + 5)
    assert jobs.recover_export_jobs()["requeued"] == 1
    job.refresh_from_db()
    assert ran == [jobs.rq_job_id(job.pk)] and job.status == ExportJob.Status.DONE and job.rows == 1
    assert jobs.recover_export_jobs()["requeued"] == 0
    jobs.run_export_job(job.pk)  # a second copy of the rq job does nothing
    download = client.get(reverse("kuaiban_export:download", args=[job.pk]))
    ws = load_workbook(BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == [case.number]


def test_issue_9_cache_behaves_as_empty_while_redis_is_down(redis_down):
    cache = caches["default"]
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        cache.incr("k")


# --- MariaDB restarted ---------------------------------------------------------------------------
def test_issue_9_mariadb_connections_are_checked_before_reuse(tmp_path):
    """After a MariaDB restart (or KILL of the connection) the next request
    reconnects: Django pings a kept connection before reusing it."""
    config = database_from_url("mariadb://u:p@127.0.0.1:3306/hrss", tmp_path)
    assert config["CONN_MAX_AGE"] > 0 and config["CONN_HEALTH_CHECKS"] is True


def test_issue_9_an_export_declared_dead_that_finishes_after_all_keeps_its_failed_state(people, new_case,  # noqa: F811
                                                                                     monkeypatch):
    """A job so slow that it was declared dead (and its user told to start
    again) does not turn into a finished one later: its file is removed."""
    new_case(grid="320404001")
    job = ExportJob.objects.create(user=people.grid1, kind=KIND, filters={})
    real_write = writer.write_workbook

    def slow_write(spec, rows, path, **kwargs):
        count = real_write(spec, rows, path, **kwargs)
        _age(ExportJob.objects.get(pk=job.pk), jobs.STALE_SECONDS + 5)
        assert jobs.fail_if_interrupted(ExportJob.objects.get(pk=job.pk))
        return count

    monkeypatch.setattr(jobs, "write_workbook", slow_write)
    jobs.run_export_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error == jobs.INTERRUPTED and job.file_path == ""
    assert list((Path(settings.EXPORTS_DIR) / str(people.grid1.pk)).glob("*.xlsx")) == []
