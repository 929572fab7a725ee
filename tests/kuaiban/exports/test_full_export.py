"""Exporting personal data in full is not seeing it (issue 10 item 6).

Seeing a case's ID numbers and phones on its page (an explicit, audited
reveal: ``core.view_pii``) and writing them whole into a file that leaves the
system are two permissions: a full export needs ``core.export_pii``, held by
default only by district clerks and leaders, and a reason, written with the
export's audit row. Every export is masked unless a full one is asked for;
masked exports stay open to whoever may export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from zhonglou_hrss.core import pii
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.core.fixtures_sync import role_group, sync_base
from zhonglou_hrss.core.models import AuditLog, ExportJob, FixtureRecord
from zhonglou_hrss.kuaiban.exports import cases as case_exports
from zhonglou_hrss.kuaiban.exports import petitions as petition_exports
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

pytestmark = pytest.mark.django_db

REPORTER_ID, REPORTER_PHONE = "320404199001011012", "13905195566"
CASES, PETITIONS = case_exports.KIND, petition_exports.KIND
REASON = "市信访局来函核查（2026）12号，需核对上报人身份"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def cells(path_or_bytes) -> str:
    book = load_workbook(path_or_bytes if not isinstance(path_or_bytes, bytes) else BytesIO(path_or_bytes))
    return " ".join(str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v is not None)


@pytest.fixture
def seeded(people, new_case):
    case = new_case(grid="320404001", reporter_id_number=REPORTER_ID, reporter_phone=REPORTER_PHONE)
    save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number=REPORTER_ID, phone=REPORTER_PHONE, respondent_name="常州某公司",
        reason="wage_arrears", grid="320404001", demand="讨薪"))
    return case


def test_issue_10_item_6_export_pii_is_its_own_permission_held_by_clerks_and_leaders(people):
    """issue 10 item 6: core.export_pii exists (named in Chinese) apart from
    core.view_pii; the fixture roles give it to 区后勤人员 and 领导 only."""
    perm = Permission.objects.get(content_type__app_label="core", codename="export_pii")
    assert "导出" in perm.name and "身份证号" in perm.name
    assert pii.PERMISSIONS[pii.EXPORT] == "core.export_pii" != pii.PERMISSIONS[pii.VIEW]
    holders = {code for code in ("admin", "district_clerk", "leader", "inspector", "grid_worker", "portal_staff",
                                 "credit_staff", "enterprise_user", "hr_company_user")
               if role_group(code).permissions.filter(pk=perm.pk).exists()}
    assert holders == {"district_clerk", "leader"}
    for user in (people.grid1, people.inspector1):
        assert user.has_perm("core.view_pii") and not user.has_perm("core.export_pii")
    for user in (people.clerk, people.leader):
        assert pii.may_see(user, pii.EXPORT)


def test_issue_10_item_6_an_upgraded_site_grants_it_on_sync(people):
    """issue 10 item 6: a site whose roles were synced before the permission
    existed gets it on the clerk and leader roles with ``sync_fixtures``
    (the upgrade's step), and on no other role."""
    perm = Permission.objects.get(content_type__app_label="core", codename="export_pii")
    for record in FixtureRecord.objects.filter(kind="role"):  # as the previous release left them
        record.data["permissions"] = [p for p in record.data["permissions"] if p != "core.export_pii"]
        record.save()
    for code in ("district_clerk", "leader"):
        role_group(code).permissions.remove(perm)
    assert not people.clerk.__class__.objects.get(pk=people.clerk.pk).has_perm("core.export_pii")
    sync_base()
    assert {g.name for g in perm.group_set.all()} == {role_group("district_clerk").name, role_group("leader").name}


def test_issue_10_item_6_demo_logins_follow_the_roles(db):
    """issue 10 item 6: the demo site's logins take their roles from the
    fixtures: only the demo clerk and leader may export in full."""
    from zhonglou_hrss.core.demo import demo_users

    holders = {spec.username for spec in demo_users()
               if any(role_group(code).permissions.filter(codename="export_pii").exists() for code in spec.roles)}
    assert holders == {"clerk", "leader"}


@pytest.mark.parametrize("who", ["grid1", "inspector1"])
def test_issue_10_item_6_grid_workers_and_inspectors_export_masked_and_cannot_ask_full(people, case_in, seeded,
                                                                                         who):
    """issue 10 item 6: a grid worker's and an inspector's exports are masked
    although they may reveal a case on its page; a full export is refused —
    through the service and the desk — and nothing is written."""
    user = getattr(people, who)
    if who == "inspector1":  # a case assigned to the inspector
        case_in("awaiting_claim", reporter_id_number=REPORTER_ID, reporter_phone=REPORTER_PHONE,
                demand="另一件")
    job = jobs.start_export(user=user, kind=CASES, filters={})
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.masked and job.rows >= 1
    text = cells(jobs.export_path(job))
    assert pii.mask(pii.ID_CARD, REPORTER_ID) in text and REPORTER_ID not in text and REPORTER_PHONE not in text

    client = client_for(user)
    before = (ExportJob.objects.count(), AuditLog.objects.count())
    with pytest.raises(ActionForbidden):
        jobs.start_export(user=user, kind=CASES, filters={}, full=True, reason=REASON)
    url = reverse("kuaiban_export:start")
    page = client.get(url).content.decode()
    assert 'name="export_reason"' not in page and 'value="full"' not in page  # not offered
    response = client.post(url, {"pii": "full", "export_reason": REASON}, follow=True)
    assert any("没有导出完整" in str(m) for m in response.context["messages"])
    assert (ExportJob.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.parametrize("who", ["clerk", "leader"])
@pytest.mark.parametrize("kind", [CASES, PETITIONS])
def test_issue_10_item_6_full_export_needs_a_reason_and_audits_it(people, seeded, who, kind):
    """issue 10 item 6: a clerk's or leader's export is masked unless a full
    one is asked for; a full one without a reason is refused with a Chinese
    message and writes nothing; with a reason it is whole and its audit row
    holds the reason."""
    user = getattr(people, who)
    masked = jobs.start_export(user=user, kind=kind, filters={})
    masked.refresh_from_db()
    assert masked.masked and REPORTER_ID not in cells(jobs.export_path(masked))

    before = (ExportJob.objects.count(), AuditLog.objects.count())
    for blank in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            jobs.start_export(user=user, kind=kind, filters={}, full=True, reason=blank)
        assert "理由" in refused.value.errors["export_reason"][0]
    assert (ExportJob.objects.count(), AuditLog.objects.count()) == before

    full = jobs.start_export(user=user, kind=kind, filters={}, full=True, reason=f"  {REASON} ")
    full.refresh_from_db()
    assert full.status == ExportJob.Status.DONE and not full.masked and full.reason == REASON
    text = cells(jobs.export_path(full))
    assert REPORTER_ID in text and REPORTER_PHONE in text
    row = AuditLog.objects.get(action=AuditLog.Action.EXPORT, target_id=str(full.pk))
    assert row.actor == user and row.detail["masked"] is False and row.detail["reason"] == REASON
    masked_row = AuditLog.objects.get(action=AuditLog.Action.EXPORT, target_id=str(masked.pk))
    assert masked_row.detail["masked"] is True and "reason" not in masked_row.detail


def test_issue_10_item_6_desk_form_asks_the_reason(people, seeded):
    """issue 10 item 6: the desk's export page offers a full export with a
    reason field to a clerk; without a reason it says so and writes nothing;
    with one the file is whole, the job page says so and the audit row keeps
    the reason."""
    client = client_for(people.clerk)
    url = reverse("kuaiban_export:start")
    page = client.get(url).content.decode()
    assert 'value="full"' in page and 'name="export_reason"' in page and "理由" in page
    response = client.post(url, {"pii": "full", "export_reason": " "}, follow=True)
    assert any("请填写完整导出" in str(m) for m in response.context["messages"])
    assert not ExportJob.objects.exists()

    response = client.post(url, {"pii": "masked"})
    masked = ExportJob.objects.get()
    assert masked.masked
    response = client.post(f"{url}?kind={PETITIONS}", {"pii": "full", "export_reason": REASON})
    full = ExportJob.objects.exclude(pk=masked.pk).get()
    assert response.status_code == 302 and not full.masked and full.kind == PETITIONS, full.filters
    assert full.rows == 1, (full.filters, full.error)
    page = client.get(response.url).content.decode()
    assert "完整" in page and REASON in page
    download = client.get(reverse("kuaiban_export:download", args=[full.pk]))
    assert REPORTER_ID in cells(b"".join(download.streaming_content))
    assert AuditLog.objects.get(action=AuditLog.Action.EXPORT, target_id=str(full.pk)).detail["reason"] == REASON


def test_issue_10_item_6_permission_lost_before_the_job_runs_gives_a_masked_file(people, seeded, monkeypatch):
    """issue 10 item 6: the job checks again when it runs; a full export asked
    by someone who no longer may is written masked (and audited so)."""
    ran = []
    monkeypatch.setattr("zhonglou_hrss.core.jobs.enqueue", lambda fn, *args, **kw: ran.append((fn, args)))
    job = jobs.start_export(user=people.leader, kind=CASES, filters={}, full=True, reason=REASON)
    role_group("leader").permissions.remove(Permission.objects.get(codename="export_pii"))
    fn, args = ran[0]
    fn(*args)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.masked
    assert REPORTER_ID not in cells(jobs.export_path(job))
    assert AuditLog.objects.get(action=AuditLog.Action.EXPORT, target_id=str(job.pk)).detail["masked"] is True
