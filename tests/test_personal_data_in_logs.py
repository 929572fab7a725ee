"""Personal data never reaches a log (issue 10 item 5): a keyword search by
ID number or phone, a public report, a path carrying an ID number — none of
them writes the number into a log line, whatever the logger (runserver's
``django.server``, ``django.request``, the database at DEBUG, the app's own)
or gunicorn's access and error logs. Query strings are dropped from request
lines; ID numbers and mobiles left in a message are masked
(``core.logging``)."""

from __future__ import annotations

import logging
import runpy
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection
from django.test import Client
from PIL import Image

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import make_people, registration
from zhonglou_hrss.core import pii
from zhonglou_hrss.kuaiban.models import Case, CaseSource
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.django_db

REPORTER_ID, REPORTER_PHONE = "320404199001011012", "13905195566"
PUBLIC_ID, PUBLIC_PHONE = "320404198505050512", "15850506070"
COMPANION_ID = "320404199203030342"
SEEDED = [REPORTER_ID, REPORTER_PHONE, PUBLIC_ID, PUBLIC_PHONE, COMPANION_ID]
LOGGERS = ["", "django", "django.server", "django.request", "django.db.backends", "zhonglou_hrss"]


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def every_log(caplog):
    """Every record of every logger at DEBUG (the database's statements too),
    including ``django.server``, which does not propagate to the root."""
    server = logging.getLogger("django.server")
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    server.addHandler(caplog.handler)
    connection.force_debug_cursor = True
    try:
        yield caplog
    finally:
        connection.force_debug_cursor = False
        server.removeHandler(caplog.handler)


def assert_nothing_personal(caplog, *, expected_some=True):
    lines = [caplog.handler.format(record) for record in caplog.records]
    assert not expected_some or lines, "the scenarios logged nothing: the search below proves nothing"
    for line in lines:
        for value in SEEDED:
            assert value not in line, f"{value} in the log: {line[:300]}"


def _photo():
    out = BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def _login(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_issue_10_item_5_searches_reports_and_errors_log_no_id_or_phone(people, every_log, settings,
                                                                       monkeypatch):
    """issue 10 item 5: public report, desk and API searches by ID number and
    phone, a 404 and a 500 with an ID number in the path — every captured
    record, formatted, holds neither the ID numbers nor the phones."""
    settings.CAPTCHA_TEST_MODE = True
    register_case(actor=people.clerk, source=CaseSource.INTERNAL, data=registration(
        reporter_id_number=REPORTER_ID, reporter_phone=REPORTER_PHONE,
        companions=[CompanionInput(name="王五", id_number=COMPANION_ID, phone="")]))
    save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number=REPORTER_ID, phone=REPORTER_PHONE, respondent_name="常州某公司",
        reason="wage_arrears", grid="320404001", demand="讨薪"))

    # The public page: a report that is refused (bad phone) and one that is filed.
    public = Client()
    report = {"reporter_name": "李四", "reporter_id_number": PUBLIC_ID, "reporter_phone": "123",
              "respondent_name": "常州某某电子有限公司", "reason": "wage_arrears", "grid": "320404001",
              "demand": "三个月工资没有发", "captcha_0": "k", "captcha_1": "PASSED",
              "companion_name": ["王五"], "companion_id_number": [COMPANION_ID], "companion_phone": [""]}
    assert public.post("/kuaiban/report/", {**report, "photo": _photo()}).status_code == 200
    filed = public.post("/kuaiban/report/", {**report, "reporter_phone": PUBLIC_PHONE, "photo": _photo()})
    assert filed.status_code == 302, filed.context and filed.context.get("errors")
    assert Case.objects.filter(source=CaseSource.PUBLIC).exists()

    clerk = _login(people.clerk)
    for value in (REPORTER_ID, REPORTER_PHONE, PUBLIC_ID):
        assert clerk.get("/desk/kuaiban/case/", {"q": value}).status_code == 200
        assert clerk.get("/desk/kuaiban/petition/", {"q": value}).status_code == 200
        assert clerk.get("/api/v1/kuaiban/cases/", {"q": value}).status_code == 200
        assert clerk.get("/api/v1/kuaiban/petitions/", {"q": value}).status_code == 200

    # A 404 with an ID number in the path (and a phone in the query).
    assert clerk.get(f"/desk/kuaiban/case/{REPORTER_ID}/", {"q": REPORTER_PHONE}).status_code == 404
    assert clerk.get(f"/kuaiban/no-such-page/{REPORTER_ID}/").status_code == 404

    # A 500 whose path and exception both carry the ID number.
    def broken(user, case_id):
        raise RuntimeError(f"case {case_id} of {REPORTER_PHONE} broke")

    monkeypatch.setattr("zhonglou_hrss.kuaiban.desk.cases.case_for", broken)
    failing = _login(people.clerk, raise_request_exception=False)
    assert failing.get(f"/desk/kuaiban/case/{REPORTER_ID}/", {"q": PUBLIC_ID}).status_code == 500
    assert any(r.name == "django.request" and r.levelno == logging.ERROR for r in every_log.records)

    # runserver's request line, written by Django's own handler.
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.client_address = ("127.0.0.1", 50000)
    handler.requestline = f"GET /api/v1/kuaiban/cases/?q={REPORTER_ID}&phone={REPORTER_PHONE} HTTP/1.1"
    handler.log_request(200, 512)
    handler.requestline = f"GET /desk/kuaiban/case/{REPORTER_ID}/?q={PUBLIC_PHONE} HTTP/1.1"
    handler.log_request(404, 20)
    server_lines = [every_log.handler.format(r) for r in every_log.records if r.name == "django.server"]
    assert any("GET /api/v1/kuaiban/cases/ HTTP/1.1" in line for line in server_lines), server_lines
    # The app's own loggers (a module's logger is a child of ``zhonglou_hrss``).
    logging.getLogger("zhonglou_hrss.core.exports.jobs").warning("export of q=%s failed", REPORTER_ID)

    assert_nothing_personal(every_log)


def test_issue_10_item_5_export_audit_row_keeps_no_searched_number(people):
    """issue 10 item 5: the audit row of an export names its filters with a
    searched ID number or phone masked (the job keeps them to run)."""
    from zhonglou_hrss.core.exports import jobs
    from zhonglou_hrss.core.models import AuditLog

    register_case(actor=people.clerk, source=CaseSource.INTERNAL, data=registration(
        reporter_id_number=REPORTER_ID, reporter_phone=REPORTER_PHONE))
    for value in (REPORTER_ID, REPORTER_PHONE):
        job = jobs.start_export(user=people.clerk, kind="kuaiban_case", filters={"q": value})
        job.refresh_from_db()
        assert job.rows == 1 and job.filters == {"q": value}
    rows = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).order_by("id")
    assert [row.detail["filters"] for row in rows] == [
        {"q": pii.mask(pii.ID_CARD, REPORTER_ID)}, {"q": pii.mask(pii.MOBILE, REPORTER_PHONE)}]


def test_issue_10_item_5_redact_drops_queries_and_masks_numbers():
    """issue 10 item 5: query strings dropped from request lines and URLs; ID
    numbers (last character X too) and mobiles masked; other numbers kept."""
    from zhonglou_hrss.core.logging import redact

    assert redact(f'"GET /api/v1/kuaiban/cases/?q={REPORTER_ID} HTTP/1.1" 200 5') == (
        '"GET /api/v1/kuaiban/cases/ HTTP/1.1" 200 5')
    assert redact(f"Not Found: /desk/kuaiban/case/{REPORTER_ID}/") == (
        f"Not Found: /desk/kuaiban/case/{pii.mask(pii.ID_CARD, REPORTER_ID)}/")
    assert redact("see https://hrss.lan/desk/?q=1&x=2 now") == "see https://hrss.lan/desk/ now"
    assert redact("手机 13905195566，身份证 11010519491231002x。") == (
        "手机 139****5566，身份证 110105********002x。")
    assert redact("+8613905195566 q%3D13905195566%26") == "+86139****5566 q%3D139****5566%26"
    # Case numbers, ids, hashes and long counts are not personal data.
    kept = "KB2026-000123 case 4512 hash 9f3a13905195566bc0 took 1234567890123 ns"
    assert redact(kept) == kept


def test_issue_10_item_5_gunicorn_access_and_error_logs(tmp_path):
    """issue 10 item 5: the shipped gunicorn.conf.py's logger class and access
    format write request lines without their query string and without any ID
    number or phone (the referer's query too); its error log masks them."""
    from gunicorn.config import Config

    conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    assert "%(r)s" not in conf["access_log_format"] and "%(q)s" not in conf["access_log_format"]
    cfg = Config()
    for name in ("logger_class", "access_log_format"):
        cfg.set(name, conf[name])
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    log = cfg.logger_class(cfg)
    try:
        environ = {
            "REQUEST_METHOD": "GET", "RAW_URI": f"/api/v1/kuaiban/cases/?q={REPORTER_ID}",
            "PATH_INFO": "/api/v1/kuaiban/cases/", "QUERY_STRING": f"q={REPORTER_ID}",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.8",
            "HTTP_REFERER": f"https://hrss.lan/desk/kuaiban/case/?q={REPORTER_PHONE}",
            "HTTP_USER_AGENT": "Mozilla/5.0",
        }
        response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "application/json")])
        request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
        log.access(response, request, environ, timedelta(milliseconds=30))
        try:
            raise ValueError(f"bad {REPORTER_ID}")
        except ValueError:
            log.exception("Error handling request %s", environ["RAW_URI"])
        for handler in (*log.access_log.handlers, *log.error_log.handlers):
            handler.flush()
        access = (tmp_path / "access.log").read_text(encoding="utf-8")
        error = (tmp_path / "error.log").read_text(encoding="utf-8")
    finally:
        for logger in (log.access_log, log.error_log):
            for handler in list(logger.handlers):
                handler.close()
                logger.removeHandler(handler)
    assert '"GET /api/v1/kuaiban/cases/ HTTP/1.1" 200 512' in access, access
    assert "Error handling request /api/v1/kuaiban/cases/" in error, error
    for value in (REPORTER_ID, REPORTER_PHONE):
        assert value not in access and value not in error
