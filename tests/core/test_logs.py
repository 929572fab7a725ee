"""Logs (issue 9, "Health and logs"): one line per request and per job with
the user's id, in the site's rotated files — and never an ID number or a
phone (a test seeds known personal data, runs the scenarios and greps every
log file and every captured record)."""

from __future__ import annotations

import logging
import logging.config
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import make_people, registration
from zhonglou_hrss.core.logging import site_logging
from zhonglou_hrss.core.models import ExportJob
from zhonglou_hrss.kuaiban.models import Case, CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.django_db

SEEDED_ID, SEEDED_PHONE = "320404199001011012", "13905195566"
PUBLIC_ID, PUBLIC_PHONE = "320404198505050512", "15850506070"
SEEDED = [SEEDED_ID, SEEDED_PHONE, PUBLIC_ID, PUBLIC_PHONE]
QUIET = ("zhonglou_hrss.requests", "zhonglou_hrss.jobs")  # their own files only (propagate = False)


@pytest.fixture
def site_logs(tmp_path, caplog):
    """The site's logging as production writes it (files in a logs folder),
    everything at DEBUG (the SQL too); captured records as well."""
    logs = tmp_path / "logs"
    logs.mkdir()
    config = site_logging(logs)
    config["root"]["level"] = "DEBUG"
    for handler in config["handlers"].values():
        handler.pop("level", None)
    config["loggers"]["django.db.backends"] = {"level": "DEBUG"}
    logging.config.dictConfig(config)
    caplog.set_level(logging.DEBUG)
    for name in QUIET:
        logging.getLogger(name).addHandler(caplog.handler)
    connection.force_debug_cursor = True
    try:
        yield logs
    finally:
        connection.force_debug_cursor = False
        for name in QUIET:
            logging.getLogger(name).removeHandler(caplog.handler)
        logging.config.dictConfig(django_settings.LOGGING)


def _photo():
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_issue_9_request_and_job_lines_and_no_personal_data_in_any_log(make_user, settings, site_logs, caplog):
    """issue 9 logs: a public complaint POST, desk pages, an API call and an
    export (its job) with a seeded ID number and phone — requests.log has one
    line per request (method, path without query, status, ms, user id),
    jobs.log one line for the export's job, and no log file and no captured
    record holds the ID numbers or phones."""
    settings.CAPTCHA_TEST_MODE = True
    people = make_people(make_user)
    case = register_case(actor=people.clerk, source=CaseSource.INTERNAL, data=registration(
        reporter_id_number=SEEDED_ID, reporter_phone=SEEDED_PHONE)).case

    # A public complaint.
    report = {"reporter_name": "李四", "reporter_id_number": PUBLIC_ID, "reporter_phone": PUBLIC_PHONE,
              "respondent_name": "常州某某电子有限公司", "reason": "wage_arrears", "grid": "320404001",
              "demand": "三个月工资没有发", "captcha_0": "k", "captcha_1": "PASSED"}
    filed = Client().post("/kuaiban/report/", {**report, "photo": _photo()})
    assert filed.status_code == 302, filed.context and filed.context.get("errors")
    assert Case.objects.filter(source=CaseSource.PUBLIC).exists()

    # Desk pages, searched by ID number and phone; the case page.
    clerk = _login(people.clerk)
    assert clerk.get("/desk/kuaiban/case/", {"q": SEEDED_ID}).status_code == 200
    assert clerk.get(f"/desk/kuaiban/case/{case.pk}/").status_code == 200
    # The API, searched by phone.
    assert clerk.get("/api/v1/kuaiban/cases/", {"q": SEEDED_PHONE}).status_code == 200
    # An export of the search by ID number, in full (with its reason), and its download.
    started = clerk.post(f"/desk/kuaiban/exports/?q={SEEDED_ID}", {"pii": "full", "export_reason": "核对信访"})
    assert started.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.rows == 1
    assert clerk.get(f"/desk/kuaiban/exports/{job.pk}/download/").status_code == 200

    for handler in logging.getLogger().handlers + [h for n in QUIET for h in logging.getLogger(n).handlers]:
        handler.flush()
    files = {p.name: p.read_text(encoding="utf-8") for p in Path(site_logs).iterdir()}
    assert set(files) == {"django.log", "requests.log", "jobs.log"}

    requests = files["requests.log"].splitlines()
    line = re.compile(r"INFO zhonglou_hrss\.requests (GET|POST) (/\S*) (\d{3}) (\d+)ms user=(\d+|-)$")
    assert requests and all(line.search(r) for r in requests), requests
    assert any(r.endswith(f"POST /kuaiban/report/ 302 {r.split()[-2]} user=-") for r in requests)
    assert any("GET /desk/kuaiban/case/ 200" in r and r.endswith(f"user={people.clerk.pk}") for r in requests)
    assert any("GET /api/v1/kuaiban/cases/ 200" in r and r.endswith(f"user={people.clerk.pk}") for r in requests)
    assert any(f"GET /desk/kuaiban/exports/{job.pk}/download/ 200" in r for r in requests)
    jobs = files["jobs.log"].splitlines()
    assert any(re.search(r"job zhonglou_hrss\.core\.exports\.jobs\.run_export_job ok \d+ ms$", j) for j in jobs), jobs
    assert "SELECT" in files["django.log"]  # the SQL at DEBUG went to the file: the grep below means something

    for name, text in files.items():
        for value in SEEDED:
            assert value not in text, f"{value} in {name}"
    records = [caplog.handler.format(r) for r in caplog.records]
    assert any("zhonglou_hrss.requests" in r for r in records)
    for record in records:
        for value in SEEDED:
            assert value not in record, record[:300]


def test_issue_9_site_logs_rotate(tmp_path):
    """issue 9: the site's log files rotate — by size by default (10 MB × 10),
    or reopened after logrotate with [logging] rotation = "external" (several
    gunicorn processes on one file)."""
    logs = tmp_path / "logs"
    logs.mkdir()
    by_size = site_logging(logs)
    assert {h["class"] for n, h in by_size["handlers"].items() if n != "console"} == {
        "logging.handlers.RotatingFileHandler"}
    assert by_size["handlers"]["requests"]["maxBytes"] == 10 * 1024 * 1024
    assert by_size["handlers"]["requests"]["backupCount"] == 10
    assert by_size["loggers"]["zhonglou_hrss.requests"]["propagate"] is False
    external = site_logging(logs, {"rotation": "external"})
    assert {h["class"] for n, h in external["handlers"].items() if n != "console"} == {
        "logging.handlers.WatchedFileHandler"}
    assert site_logging(tmp_path / "missing")["handlers"].keys() == {"console"}


def test_issue_9_request_log_is_in_the_middleware_chain():
    """issue 9: the request log is a core middleware, after whitenoise (static files are not logged)."""
    chain = django_settings.MIDDLEWARE
    assert chain.index("zhonglou_hrss.core.middleware.RequestLogMiddleware") == (
        chain.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1)
