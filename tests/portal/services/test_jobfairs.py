"""Job fairs through the services (R-PT-08, 09, 10, 17, 18): the rules every
interface shares — who may, in which status, what is checked, what is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.portal.jobfairs import jpeg_with_exif, make_fair, position, registration_input, small_pdf
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.core.private_files import private_path
from zhonglou_hrss.portal.models import Registration, RegistrationEvent, RegistrationStatus
from zhonglou_hrss.portal.services import jobfairs as service

pytestmark = pytest.mark.django_db


def _ready(accounts, fair=None):
    fair = fair or make_fair(accounts.staff)
    reg = service.save_registration(actor=accounts.approved.user, data=registration_input(fair))
    service.set_stamped_form(actor=accounts.approved.user, registration_id=reg.pk, upload=jpeg_with_exif())
    return reg


def test_R_PT_17_a_new_fair_is_closed_until_opened_and_a_past_one_cannot_open(accounts):
    fair = make_fair(accounts.staff, is_open=False)
    assert not fair.registration_open
    with pytest.raises(StateConflict):
        service.save_registration(actor=accounts.approved.user, data=registration_input(fair))
    past = make_fair(accounts.staff, 2, days_ahead=-1, is_open=False)
    with pytest.raises(StateConflict, match="举办日期已过"):
        service.set_registration_open(actor=accounts.staff, fair_id=past.pk, is_open=True)


def test_R_PT_17_only_managers_create_fairs(accounts, make_user):
    clerk = make_user("k_clerk_x", roles=["district_clerk"])
    with pytest.raises(ActionForbidden):
        service.save_fair(actor=clerk, data=service.FairInput(name="x", date=timezone.localdate(), venue="y"))
    with pytest.raises(InvalidInput) as exc:
        service.save_fair(actor=accounts.staff, data=service.FairInput())
    assert set(exc.value.errors) == {"name", "venue", "date"}


def test_R_PT_10_every_field_is_checked_at_once_and_nothing_is_saved(accounts):
    fair = make_fair(accounts.staff)
    bad = registration_input(fair, contact_phone="123", introduction="",
                             positions=[position(1, salary_min=9000, salary_max=8000, education="nope", count=0)])
    bad.attendees[0].id_number = "320404198001010000"
    with pytest.raises(InvalidInput) as exc:
        service.save_registration(actor=accounts.approved.user, data=bad)
    errors = exc.value.errors
    assert {"contact_phone", "introduction", "attendees[0].id_number", "positions[0].salary_max",
            "positions[0].education", "positions[0].count"} <= set(errors)
    assert errors["positions[0].salary_max"] == ["月薪上限不能低于月薪下限"]
    assert not Registration.objects.exists()


def test_R_PT_08_pending_and_rejected_accounts_cannot_register(accounts):
    fair = make_fair(accounts.staff)
    with pytest.raises(ActionForbidden, match="账号待审核"):
        service.save_registration(actor=accounts.pending.user, data=registration_input(fair))
    with pytest.raises(ActionForbidden, match="营业执照名称不一致"):
        service.save_registration(actor=accounts.rejected.user, data=registration_input(fair))


def test_R_PT_10_one_registration_per_enterprise_per_fair(accounts):
    fair = make_fair(accounts.staff)
    service.save_registration(actor=accounts.approved.user, data=registration_input(fair))
    with pytest.raises(InvalidInput) as exc:
        service.save_registration(actor=accounts.approved.user, data=registration_input(fair))
    assert exc.value.errors == {"fair_id": [service.ONE_PER_FAIR]}


def test_R_PT_10_personal_data_is_encrypted_at_rest(accounts):
    from django.db import connection

    reg = _ready(accounts)
    attendee = reg.attendees.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM portal_attendee WHERE id = %s", [attendee.pk])
        phone, id_number = cursor.fetchone()
    assert attendee.phone not in phone and attendee.id_number not in id_number


def test_R_PT_10_stamped_form_images_lose_exif_and_bad_pdfs_are_refused(accounts):
    reg = _ready(accounts)
    reg.refresh_from_db()
    stored = private_path(reg.stamped_form_path).read_bytes()
    assert stored.startswith(b"\xff\xd8") and b"TestCamera" not in stored
    with pytest.raises(InvalidInput) as exc:
        service.set_stamped_form(actor=accounts.approved.user, registration_id=reg.pk,
                                 upload=small_pdf(body=b"2 0 obj<</S/JavaScript/JS (app.alert(1))>>endobj\n"))
    assert "脚本" in exc.value.errors["file"][0]
    with pytest.raises(InvalidInput):
        from django.core.files.uploadedfile import SimpleUploadedFile

        service.set_stamped_form(actor=accounts.approved.user, registration_id=reg.pk,
                                 upload=SimpleUploadedFile("form.png", b"<html>not an image</html>"))
    service.set_stamped_form(actor=accounts.approved.user, registration_id=reg.pk, upload=small_pdf())
    reg.refresh_from_db()
    assert reg.stamped_form_type == "application/pdf"


def test_R_PT_09_submit_needs_the_stamped_form_then_review_and_resubmit(accounts):
    fair = make_fair(accounts.staff)
    user = accounts.approved.user
    reg = service.save_registration(actor=user, data=registration_input(fair))
    with pytest.raises(InvalidInput) as exc:
        service.submit_registration(actor=user, registration_id=reg.pk)
    assert "stamped_form" in exc.value.errors
    service.set_stamped_form(actor=user, registration_id=reg.pk, upload=jpeg_with_exif())
    service.submit_registration(actor=user, registration_id=reg.pk)
    with pytest.raises(InvalidInput):
        service.decide_registration(actor=accounts.staff, registration_id=reg.pk, approve=False, reason=" ")
    reg = service.decide_registration(actor=accounts.staff, registration_id=reg.pk, approve=False,
                                      reason="岗位薪资填写有误")
    assert reg.status == RegistrationStatus.REJECTED and reg.reject_reason == "岗位薪资填写有误"
    service.save_registration(actor=user, registration_id=reg.pk, data=registration_input(fair, positions=3))
    reg = service.submit_registration(actor=user, registration_id=reg.pk)
    assert reg.status == RegistrationStatus.PENDING and reg.reject_reason == ""
    reg = service.decide_registration(actor=accounts.staff, registration_id=reg.pk, approve=True)
    assert reg.status == RegistrationStatus.APPROVED
    assert list(RegistrationEvent.objects.filter(registration=reg).order_by("at", "id")
                .values_list("action", flat=True)) == [
        "create", "stamped_form", "submit", "reject", "save", "submit", "approve"]


def test_R_PT_09_an_approved_registration_is_locked(accounts):
    reg = _ready(accounts)
    user = accounts.approved.user
    service.submit_registration(actor=user, registration_id=reg.pk)
    service.decide_registration(actor=accounts.staff, registration_id=reg.pk, approve=True)
    for attempt in (lambda: service.save_registration(actor=user, registration_id=reg.pk,
                                                      data=registration_input(reg.fair)),
                    lambda: service.withdraw_registration(actor=user, registration_id=reg.pk),
                    lambda: service.set_stamped_form(actor=user, registration_id=reg.pk, upload=small_pdf())):
        with pytest.raises(StateConflict, match="已审核通过"):
            attempt()
    with pytest.raises(StateConflict):
        service.decide_registration(actor=accounts.staff, registration_id=reg.pk, approve=False, reason="x")


def test_R_PT_09_withdraw_removes_the_rows_and_leaves_an_audit_row(accounts):
    reg = _ready(accounts)
    service.withdraw_registration(actor=accounts.approved.user, registration_id=reg.pk)
    assert not Registration.objects.filter(pk=reg.pk).exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.RECORD_WITHDRAW, target_id=str(reg.pk)).exists()


def test_R_PT_18_staff_without_the_review_permission_cannot_decide(accounts, make_user):
    reg = _ready(accounts)
    service.submit_registration(actor=accounts.approved.user, registration_id=reg.pk)
    leader = make_user("k_leader_x", roles=["leader"])
    with pytest.raises((ActionForbidden, NotVisible)):
        service.decide_registration(actor=leader, registration_id=reg.pk, approve=True)


def test_R_PT_08_a_fair_past_its_day_takes_no_registrations(accounts):
    fair = make_fair(accounts.staff)
    fair.date = timezone.localdate() - timedelta(days=1)
    fair.save()
    with pytest.raises(StateConflict, match="停止报名"):
        service.save_registration(actor=accounts.approved.user, data=registration_input(fair))
