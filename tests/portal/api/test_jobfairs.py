"""Job fairs through the API (R-PT-08, 17, 19): the public list of fairs open
for registration with their documents; staff (就业后台) create, change, open
and close fairs, attach and remove documents, list every fair with its counts
and export a fair's registrations; nobody else may."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.portal.conftest import api_as
from tests.portal.jobfairs import jpeg_with_exif, make_fair, registration_input, small_pdf
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.portal.api import jobfairs as api
from zhonglou_hrss.portal.models import JobFair, JobFairAttachment
from zhonglou_hrss.portal.services import jobfairs as service

pytestmark = pytest.mark.django_db
URL = "/api/v1/portal/jobfairs/"
PUBLIC_KEYS = {"id", "name", "date", "venue", "attachments"}


def test_R_PT_08_anyone_lists_the_fairs_open_for_registration_with_their_documents(accounts):
    """R-PT-08: open and not past, soonest first; each document's URL downloads it from the portal page."""
    staff = accounts.staff
    later = make_fair(staff, 1, days_ahead=20)
    sooner = make_fair(staff, 2, days_ahead=5)
    make_fair(staff, 3, is_open=False)
    past = make_fair(staff, 4, days_ahead=3)
    JobFair.objects.filter(pk=past.pk).update(date=timezone.localdate() - timedelta(days=1))
    service.add_fair_attachment(actor=staff, fair_id=sooner.pk, upload=small_pdf("须知.pdf"))
    template = service.add_fair_attachment(actor=staff, fair_id=sooner.pk, upload=small_pdf("报名表.pdf"),
                                           is_form_template=True)
    for client in (api_as(None), api_as(accounts.approved.user), api_as(accounts.pending.user)):
        response = client.get(URL)
        assert response.status_code == 200
        results = response.json()["results"]
        assert [f["id"] for f in results] == [sooner.pk, later.pk]
        assert set(results[0]) == PUBLIC_KEYS
        assert [a["name"] for a in results[0]["attachments"]] == ["报名表.pdf", "须知.pdf"]
    url = results[0]["attachments"][0]["url"]
    assert url.endswith(f"/portal/jobfairs/{sooner.pk}/files/{template.pk}/")
    download = api_as(None).get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_R_PT_17_a_closed_fairs_document_is_for_staff_only(accounts):
    """R-PT-17: the portal page serving a document answers 404 for a closed fair but to staff."""
    closed = make_fair(accounts.staff, is_open=False)
    doc = service.add_fair_attachment(actor=accounts.staff, fair_id=closed.pk, upload=small_pdf())
    url = f"/portal/jobfairs/{closed.pk}/files/{doc.pk}/"
    assert api_as(None).get(url).status_code == 404
    assert api_as(accounts.approved.user).get(url).status_code == 404
    staff = api_as(None)
    staff.force_login(accounts.staff, backend=MODEL_BACKEND)
    assert staff.get(url).status_code == 200


def test_R_PT_17_staff_create_change_open_and_close_a_fair(accounts):
    """R-PT-17: a new fair is closed until opened; PUT replaces its fields; open/close toggle it;
    a fair whose day has passed cannot open (409)."""
    staff = api_as(accounts.staff)
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = staff.post(URL, {"name": "春风行动招聘会", "date": day, "venue": "钟楼区人力资源市场"}, format="json")
    assert response.status_code == 201, response.json()
    fair = response.json()
    assert (fair["registration_open"], fair["registration_count"], fair["pending_count"]) == (False, 0, 0)
    assert api_as(None).get(URL).json()["results"] == []
    opened = staff.post(f"{URL}{fair['id']}/open/")
    assert opened.status_code == 200 and opened.json()["registration_open"] is True
    assert [f["id"] for f in api_as(None).get(URL).json()["results"]] == [fair["id"]]
    changed = staff.put(f"{URL}{fair['id']}/", {"name": "春风行动专场招聘会", "date": day, "venue": "西林街道",
                                                "notes": "请携带营业执照复印件"}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["notes"], changed.json()["registration_open"]) == (
        "春风行动专场招聘会", "请携带营业执照复印件", True)
    assert staff.post(f"{URL}{fair['id']}/close/").json()["registration_open"] is False
    JobFair.objects.filter(pk=fair["id"]).update(date=timezone.localdate() - timedelta(days=1))
    refused = staff.post(f"{URL}{fair['id']}/open/")
    assert refused.status_code == 409 and "举办日期已过" in refused.json()["detail"]
    assert staff.put(f"{URL}99999/", {"name": "x", "date": day, "venue": "y"}, format="json").status_code == 404


def test_R_PT_17_bad_fair_input_names_each_field(accounts):
    staff = api_as(accounts.staff)
    empty = staff.post(URL, {}, format="json")
    assert empty.status_code == 400 and set(empty.json()["errors"]) == {"name", "date", "venue"}
    wrong = staff.post(URL, {"name": "x", "venue": "y", "date": "明天"}, format="json")
    assert wrong.json()["errors"] == {"date": ["举办日期格式应为 YYYY-MM-DD"]}
    assert not JobFair.objects.exists()


def test_R_PT_17_only_fair_managers_write_fairs(accounts, make_user):
    """R-PT-17: enterprises, a clerk, a leader → 403; anonymous → 401; nothing changes."""
    fair = make_fair(accounts.staff)
    day = timezone.localdate().isoformat()
    bodies = {"name": "x", "date": day, "venue": "y"}
    clients = [api_as(accounts.approved.user), api_as(make_user("k_clerk", roles=["district_clerk"])),
               api_as(make_user("k_leader", roles=["leader"]))]
    for client in clients:
        assert client.post(URL, bodies, format="json").status_code == 403
        assert client.put(f"{URL}{fair.pk}/", bodies, format="json").status_code == 403
        assert client.post(f"{URL}{fair.pk}/close/").status_code == 403
        assert client.post(f"{URL}{fair.pk}/attachments/", {"file": small_pdf()}, format="multipart").status_code == 403
        assert client.get(f"{URL}{fair.pk}/export/").status_code == 403
    assert api_as(None).post(URL, bodies, format="json").status_code == 401
    assert api_as(None).get(f"{URL}{fair.pk}/export/").status_code == 401
    fair.refresh_from_db()
    assert fair.registration_open and JobFair.objects.count() == 1 and not JobFairAttachment.objects.exists()


def test_R_PT_17_staff_attach_and_remove_documents(accounts):
    """R-PT-17: documents checked by content (an HTML file named .pdf is refused), the form template marked."""
    fair = make_fair(accounts.staff)
    staff = api_as(accounts.staff)
    url = f"{URL}{fair.pk}/attachments/"
    added = staff.post(url, {"file": small_pdf("空白报名表.pdf"), "is_form_template": "true"}, format="multipart")
    assert added.status_code == 201, added.json()
    doc = added.json()
    assert (doc["name"], doc["is_form_template"], doc["content_type"]) == ("空白报名表.pdf", True, "application/pdf")
    fake = staff.post(url, {"file": SimpleUploadedFile("a.pdf", b"<html></html>")}, format="multipart")
    assert fake.status_code == 400 and "内容与扩展名不符" in fake.json()["errors"]["file"][0]
    none = staff.post(url, {}, format="multipart")
    assert none.status_code == 400 and "file" in none.json()["errors"]
    assert staff.delete(f"{url}{doc['id']}/").status_code == 204
    assert staff.delete(f"{url}{doc['id']}/").status_code == 404
    assert not JobFairAttachment.objects.exists()


def test_R_PT_18_staff_list_every_fair_with_counts_others_only_open_ones(accounts):
    """R-PT-18: ?all=1 is staff's (every fair, newest first, counts without drafts); others get the open list."""
    staff_user, user = accounts.staff, accounts.approved.user
    fair = make_fair(staff_user)
    closed = make_fair(staff_user, 2, days_ahead=30, is_open=False)
    reg = service.save_registration(actor=user, data=registration_input(fair))
    everything = api_as(staff_user).get(URL, {"all": 1}).json()["results"]
    assert [f["id"] for f in everything] == [closed.pk, fair.pk]
    assert everything[1]["registration_count"] == 0  # a draft is not counted
    service.set_stamped_form(actor=user, registration_id=reg.pk, upload=jpeg_with_exif())
    service.submit_registration(actor=user, registration_id=reg.pk)
    counted = api_as(staff_user).get(URL, {"all": 1}).json()["results"][1]
    assert (counted["registration_count"], counted["pending_count"], counted["registration_open"]) == (1, 1, True)
    for client in (api_as(None), api_as(user)):
        listed = client.get(URL, {"all": 1}).json()["results"]
        assert [f["id"] for f in listed] == [fair.pk] and set(listed[0]) == PUBLIC_KEYS
    assert set(api_as(staff_user).get(URL).json()["results"][0]) == PUBLIC_KEYS


# --- export (R-PT-19) --------------------------------------------------------------------------------
def _approved(accounts, fair, positions):
    user = accounts.approved.user
    reg = service.save_registration(actor=user, data=registration_input(fair, positions=positions))
    service.set_stamped_form(actor=user, registration_id=reg.pk, upload=jpeg_with_exif())
    service.submit_registration(actor=user, registration_id=reg.pk)
    return service.decide_registration(actor=accounts.staff, registration_id=reg.pk, approve=True)


def test_R_PT_19_staff_export_a_fair_one_row_per_position(accounts):
    """R-PT-19: GET jobfairs/{id}/export/ → the xlsx: title row naming the fair, its date on the
    next, one row per position with its enterprise, the contact mobile masked; one audit row."""
    fair = make_fair(accounts.staff, name="钟楼区春季招聘会")
    _approved(accounts, fair, positions=3)
    response = api_as(accounts.staff).get(f"{URL}{fair.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == api.XLSX and response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert "钟楼区春季招聘会" in ws["A1"].value
    assert f"{fair.date:%Y年%m月%d日}" in ws["A2"].value
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=6) if row[0].value is not None]
    assert [r[7] for r in rows] == ["岗位1", "岗位2", "岗位3"]
    assert {r[1] for r in rows} == {accounts.approved.company_name}
    assert {r[4] for r in rows} == {"139****5678"}
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, target_id=str(fair.pk)).count() == 1


def test_R_PT_19_a_full_export_needs_the_permission_and_a_reason(accounts, make_user):
    """R-PT-19: full=1 without core.export_pii → 403; with it and no reason → 400 export_reason;
    with a reason → the full mobile and the reason in the audit row. A bad scope → 400."""
    fair = make_fair(accounts.staff)
    _approved(accounts, fair, positions=1)
    url = f"{URL}{fair.pk}/export/"
    assert api_as(accounts.staff).get(url, {"full": 1, "export_reason": "核验"}).status_code == 403
    exporter = make_user("p_exporter", roles=["portal_staff", "district_clerk"])
    client = api_as(exporter)
    no_reason = client.get(url, {"full": 1})
    assert no_reason.status_code == 400 and list(no_reason.json()["errors"]) == ["export_reason"]
    assert client.get(url, {"scope": "all"}).json()["errors"].keys() == {"scope"}
    full = client.get(url, {"full": 1, "export_reason": "现场核验参会企业"})
    assert full.status_code == 200
    ws = load_workbook(BytesIO(b"".join(full.streaming_content))).active
    assert ws.cell(row=6, column=5).value == "13912345678"
    log = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert log.detail["masked"] is False and log.detail["reason"] == "现场核验参会企业"
    assert api_as(accounts.staff).get(f"{URL}99999/export/").status_code == 404


def test_R_PT_19_the_export_view_passes_its_parameters_to_the_exporter(accounts, monkeypatch):
    """R-PT-19: full, export_reason and scope reach exports.jobfairs.fair_export_response as given."""
    fair = make_fair(accounts.staff)
    calls = []

    def exporter(*, user, fair_id, full=False, reason="", scope="approved", request=None):
        calls.append((user.pk, fair_id, full, reason, scope, request is not None))
        return FileResponse(BytesIO(b"PK\x03\x04"), as_attachment=True, filename="招聘会.xlsx",
                            content_type=api.XLSX)

    monkeypatch.setattr(api, "fair_export_response", exporter)
    staff = api_as(accounts.staff)
    assert staff.get(f"{URL}{fair.pk}/export/").status_code == 200
    staff.get(f"{URL}{fair.pk}/export/", {"full": 1, "export_reason": "现场核验参会人员", "scope": "submitted"})
    assert calls == [(accounts.staff.pk, fair.pk, False, "", "approved", True),
                     (accounts.staff.pk, fair.pk, True, "现场核验参会人员", "submitted", True)]


def test_R_PT_08_the_fair_lists_query_count_does_not_grow_with_the_fairs(accounts):
    """R-PT-08, 18: the public list and staff's ?all=1 list read the documents and counts
    with a constant number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = accounts.staff

    def add(n):
        fair = make_fair(staff, n, days_ahead=n)
        service.add_fair_attachment(actor=staff, fair_id=fair.pk, upload=small_pdf(f"须知{n}.pdf"))

    def counts():
        numbers = []
        for client, params in ((api_as(None), {}), (api_as(staff), {"all": 1})):
            client.get(URL, params)  # warm the caches a first request fills
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(URL, params).status_code == 200
            numbers.append(len(ctx.captured_queries))
        return numbers

    add(1)
    few = counts()
    for n in range(2, 6):
        add(n)
    assert counts() == few
