"""Job-fair registrations through the API (R-PT-08, 09, 10, 18, 19), as each
role: who sees which registration, the pending/rejected refusals, every
transition with its timeline row, the approval lock, bad input named field by
field with nothing saved, personal data (the owner's in full, staff's masked
unless disclosed and audited), the stamped form served inline, and a list
whose query count does not grow with its registrations."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portal.conftest import api_as, registration
from tests.portal.jobfairs import jpeg_with_exif, make_fair, registration_input, small_pdf
from zhonglou_hrss.core import pii
from zhonglou_hrss.core.models import AuditLog, Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Attendee, Position, Registration, RegistrationEvent
from zhonglou_hrss.portal.rules import MAX_ATTENDEES, MAX_POSITIONS
from zhonglou_hrss.portal.services import jobfairs as service

pytestmark = pytest.mark.django_db
URL = "/api/v1/portal/registrations/"
ITEM_KEYS = {"id", "jobfair", "company_name", "status", "status_label", "reject_reason", "contact_name",
             "contact_phone", "introduction", "attendees", "positions", "stamped_form", "submitted_at",
             "decided_at", "custom"}


def body(fair, **overrides) -> dict:
    """The API's body of a complete registration (``registration_input`` as JSON)."""
    data = asdict(registration_input(fair, **overrides))
    data["jobfair"] = data.pop("fair_id")
    return data


def created(client, fair, **overrides) -> dict:
    response = client.post(URL, body(fair, **overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def submitted(client, fair) -> dict:
    item = created(client, fair)
    assert client.post(f"{URL}{item['id']}/stamped_form/", {"file": jpeg_with_exif()},
                       format="multipart").status_code == 200
    response = client.post(f"{URL}{item['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.fixture
def other(accounts):
    """A second approved enterprise (B)."""
    account = register_account(data=registration(4))
    decide_access(actor=accounts.staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    return account


@pytest.fixture
def fair(accounts):
    return make_fair(accounts.staff)


# --- who sees what ------------------------------------------------------------------------------
def test_R_PT_09_an_enterprise_sees_only_its_own_registrations(accounts, other, fair):
    """R-PT-09: A lists and reads its own; B's is not in A's list and its detail is 404 (as are its
    writes), and the other way round."""
    a, b = api_as(accounts.approved.user), api_as(other.user)
    mine = created(a, fair)
    theirs = created(b, fair)
    assert set(mine) == ITEM_KEYS
    assert [r["id"] for r in a.get(URL).json()["results"]] == [mine["id"]]
    assert [r["id"] for r in b.get(URL).json()["results"]] == [theirs["id"]]
    assert a.get(f"{URL}{theirs['id']}/").status_code == 404
    assert a.put(f"{URL}{theirs['id']}/", body(fair), format="json").status_code == 404
    assert a.delete(f"{URL}{theirs['id']}/").status_code == 404
    assert a.post(f"{URL}{theirs['id']}/submit/").status_code == 404
    assert a.get(f"{URL}{theirs['id']}/stamped_form/").status_code == 404
    assert a.post(f"{URL}{theirs['id']}/stamped_form/", {"file": jpeg_with_exif()},
                  format="multipart").status_code == 404
    assert Registration.objects.filter(pk=theirs["id"]).exists()


def test_R_PT_18_staff_do_not_see_drafts_and_see_the_latest_fair_by_default(accounts, other, fair):
    """R-PT-18: drafts are the enterprise's own; staff's list is the latest fair's unless they
    choose another (?jobfair=), filtered by status and company name."""
    a, b = api_as(accounts.approved.user), api_as(other.user)
    draft = created(b, fair)
    pending = submitted(a, fair)
    staff = api_as(accounts.staff)
    assert [r["id"] for r in staff.get(URL).json()["results"]] == [pending["id"]]
    assert staff.get(f"{URL}{draft['id']}/").status_code == 404
    later = make_fair(accounts.staff, 2, days_ahead=30)  # now the latest
    assert staff.get(URL).json()["results"] == []
    assert [r["id"] for r in staff.get(URL, {"jobfair": fair.pk}).json()["results"]] == [pending["id"]]
    assert staff.get(URL, {"jobfair": fair.pk, "status": "approved"}).json()["results"] == []
    assert staff.get(URL, {"jobfair": fair.pk, "q": "不存在的公司"}).json()["results"] == []
    assert staff.get(URL, {"jobfair": fair.pk, "q": pending["company_name"][:4]}).json()["count"] == 1
    bad = staff.get(URL, {"jobfair": "x", "status": "done"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"jobfair", "status"}
    assert later.pk


def test_R_PT_09_anonymous_401_and_kuaiban_roles_403(accounts, fair, make_user):
    """R-PT-09/18: nobody else reads or writes registrations: anonymous 401, a clerk or a leader 403."""
    reg = submitted(api_as(accounts.approved.user), fair)
    anonymous = api_as(None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{reg['id']}/").status_code == 401
    assert anonymous.post(URL, body(fair), format="json").status_code == 401
    for role in ("district_clerk", "leader"):
        client = api_as(make_user(f"k_{role}", roles=[role]))
        for response in (client.get(URL), client.get(f"{URL}{reg['id']}/"),
                         client.get(f"{URL}{reg['id']}/stamped_form/"),
                         client.post(URL, body(fair), format="json"),
                         client.post(f"{URL}{reg['id']}/approve/"),
                         client.post(f"{URL}{reg['id']}/reject/", {"reason": "x"}, format="json")):
            assert response.status_code == 403, (role, response.json())
    assert Registration.objects.get().status == "pending"


@pytest.mark.parametrize("who, detail", [("pending", "账号待审核"), ("rejected", "账号未通过审核：营业执照名称不一致")])
def test_R_PT_08_pending_and_rejected_accounts_get_the_exact_403(accounts, fair, who, detail):
    """R-PT-08 / R-PT-03: only approved accounts use the registrations; every enterprise
    endpoint says why."""
    reg = created(api_as(accounts.approved.user), fair)
    client = api_as(getattr(accounts, who).user)
    item = f"{URL}{reg['id']}/"
    for response in (client.get(URL), client.post(URL, body(fair), format="json"), client.get(item),
                     client.put(item, body(fair), format="json"), client.delete(item),
                     client.get(f"{item}stamped_form/"),
                     client.post(f"{item}stamped_form/", {"file": jpeg_with_exif()}, format="multipart"),
                     client.post(f"{item}submit/")):
        assert response.status_code == 403
        assert response.json() == {"detail": detail}
    assert Registration.objects.count() == 1


# --- transitions ----------------------------------------------------------------------------------
def test_R_PT_09_R_PT_18_every_transition_with_its_timeline_row(accounts, fair):
    """R-PT-09, 18: draft → stamped form → submit → reject (reason) → correct → submit → approve;
    each step one RegistrationEvent; the enterprise sees the status and the reason."""
    client, staff = api_as(accounts.approved.user), api_as(accounts.staff)
    item = created(client, fair)
    assert (item["status"], item["status_label"], item["stamped_form"]) == ("draft", "草稿", None)
    url = f"{URL}{item['id']}/"
    no_form = client.post(f"{url}submit/")
    assert no_form.status_code == 400 and "stamped_form" in no_form.json()["errors"]
    uploaded = client.post(f"{url}stamped_form/", {"file": jpeg_with_exif()}, format="multipart").json()
    assert uploaded["stamped_form"]["content_type"] == "image/jpeg"
    assert uploaded["stamped_form"]["url"].endswith(f"{url}stamped_form/")
    pending = client.post(f"{url}submit/").json()
    assert pending["status"] == "pending" and pending["submitted_at"]
    again = client.post(f"{url}submit/")
    assert again.status_code == 409 and again.json()["detail"] == "报名已提交，正在等待审核"
    empty_reason = staff.post(f"{url}reject/", {}, format="json")
    assert empty_reason.status_code == 400 and "reason" in empty_reason.json()["errors"]
    rejected = staff.post(f"{url}reject/", {"reason": "岗位薪资填写有误"}, format="json").json()
    assert (rejected["status"], rejected["reject_reason"]) == ("rejected", "岗位薪资填写有误")
    assert client.get(url).json()["reject_reason"] == "岗位薪资填写有误"
    assert staff.post(f"{url}approve/").status_code == 409  # only pending ones are decided
    fixed = client.put(url, body(fair, positions=3), format="json")
    assert fixed.status_code == 200 and len(fixed.json()["positions"]) == 3
    assert client.post(f"{url}submit/").json()["reject_reason"] == ""
    approved = staff.post(f"{url}approve/").json()
    assert approved["status"] == "approved" and approved["decided_at"]
    assert list(RegistrationEvent.objects.filter(registration_id=item["id"]).order_by("at", "id")
                .values_list("action", flat=True)) == [
        "create", "stamped_form", "submit", "reject", "save", "submit", "approve"]
    second = staff.post(f"{url}approve/")
    assert second.status_code == 409 and "不能审核通过" in second.json()["detail"]


def test_R_PT_09_an_approved_registration_is_locked(accounts, fair):
    """R-PT-09: approved → PUT, DELETE, a new stamped form and a new submit are 409 (Chinese), nothing changes."""
    client = api_as(accounts.approved.user)
    item = submitted(client, fair)
    url = f"{URL}{item['id']}/"
    api_as(accounts.staff).post(f"{url}approve/")
    events = RegistrationEvent.objects.count()
    for response in (client.put(url, body(fair, contact_name="改名"), format="json"), client.delete(url),
                     client.post(f"{url}stamped_form/", {"file": small_pdf()}, format="multipart")):
        assert response.status_code == 409
        assert response.json() == {"detail": "报名已审核通过，不能再修改或撤回；如需变更请联系就业服务工作人员"}
    assert client.post(f"{url}submit/").status_code == 409
    reg = Registration.objects.get()
    assert (reg.status, reg.contact_name, reg.stamped_form_type) == ("approved", "周联系", "image/jpeg")
    assert RegistrationEvent.objects.count() == events


def test_R_PT_09_withdraw_deletes_a_registration_not_yet_approved(accounts, fair):
    """R-PT-09: DELETE withdraws (rows and stamped form gone, an audit row kept); the fair can be
    registered for again."""
    client = api_as(accounts.approved.user)
    item = submitted(client, fair)
    assert client.delete(f"{URL}{item['id']}/").status_code == 204
    assert not Registration.objects.exists() and not Attendee.objects.exists() and not Position.objects.exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.RECORD_WITHDRAW, target_id=str(item["id"])).exists()
    assert client.get(f"{URL}{item['id']}/").status_code == 404
    created(client, fair)


def test_R_PT_18_staff_cannot_write_an_enterprises_registration_and_enterprises_cannot_review(accounts, fair):
    """R-PT-18: review is staff's (portal.review_registration); the registration is the enterprise's."""
    client, staff = api_as(accounts.approved.user), api_as(accounts.staff)
    item = submitted(client, fair)
    url = f"{URL}{item['id']}/"
    assert client.post(f"{url}approve/").status_code == 403
    assert client.post(f"{url}reject/", {"reason": "x"}, format="json").status_code == 403
    assert staff.post(URL, body(fair), format="json").status_code == 403
    assert staff.put(url, body(fair), format="json").status_code == 403
    assert staff.delete(url).status_code == 403
    assert staff.post(f"{url}submit/").status_code == 403
    assert Registration.objects.get().status == "pending"


def test_R_PT_08_a_closed_fair_takes_no_registrations(accounts, fair):
    """R-PT-08, 17: registering for, or editing for, a closed fair → 409 该招聘会已停止报名."""
    client = api_as(accounts.approved.user)
    item = created(client, fair)
    service.set_registration_open(actor=accounts.staff, fair_id=fair.pk, is_open=False)
    refused = client.put(f"{URL}{item['id']}/", body(fair), format="json")
    assert refused.status_code == 409 and refused.json()["detail"] == "该招聘会已停止报名"
    closed = make_fair(accounts.staff, 2, is_open=False)
    assert client.post(URL, body(closed), format="json").status_code == 409
    assert Registration.objects.count() == 1


# --- bad input --------------------------------------------------------------------------------------
def test_R_PT_10_an_empty_body_names_each_field(accounts):
    """R-PT-10: every field at once, in Chinese, under the contract's names; nothing saved."""
    response = api_as(accounts.approved.user).post(URL, {}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"jobfair", "contact_name", "contact_phone", "introduction", "attendees", "positions"}
    assert errors["jobfair"] == ["请选择招聘会"] and errors["attendees"] == ["请至少填写一名参会人员"]
    assert not Registration.objects.exists()


def test_R_PT_10_rows_are_checked_and_named_by_their_index(accounts, fair):
    """R-PT-10: a wrong ID number → attendees[0].id_number; salary min > max → positions[1].salary_max
    (rows named as everywhere in the site's API);
    a wrong gender, a wrong education, a count of 0 — all at once; nothing saved."""
    data = body(fair, positions=2)
    data["attendees"][0]["id_number"] = "320404198001010000"
    data["attendees"][0]["gender"] = "x"
    data["positions"][1].update(salary_min=9000, salary_max=8000)
    data["positions"][0].update(education="nope", count=0)
    response = api_as(accounts.approved.user).post(URL, data, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"attendees[0].id_number", "attendees[0].gender", "positions[1].salary_max", "positions[0].education",
            "positions[0].count"} == set(errors)
    assert errors["positions[1].salary_max"] == ["月薪上限不能低于月薪下限"]
    typed = body(fair)
    typed["positions"][0]["salary_min"] = "很多"
    typed["attendees"] = [typed["attendees"][0], "不是对象"]
    shape = api_as(accounts.approved.user).post(URL, typed, format="json").json()["errors"]
    assert shape["positions[0].salary_min"] == ["月薪下限应为整数"] and "attendees[1]" in shape
    assert not Registration.objects.exists()


def test_R_PT_10_gender_in_chinese_is_accepted_and_answered_as_a_code(accounts, fair):
    """R-PT-10: gender is male/female in the API; 男/女 are read too."""
    data = body(fair, attendees=2)
    data["attendees"][0]["gender"], data["attendees"][1]["gender"] = "男", "女"
    response = api_as(accounts.approved.user).post(URL, data, format="json")
    assert response.status_code == 201, response.json()
    assert [(a["gender"], a["gender_label"]) for a in response.json()["attendees"]] == [
        ("male", "男"), ("female", "女")]


def test_R_PT_10_too_many_rows_and_a_body_that_is_not_json(accounts, fair):
    client = api_as(accounts.approved.user)
    many = client.post(URL, body(fair, attendees=MAX_ATTENDEES + 1, positions=MAX_POSITIONS + 1), format="json")
    assert many.status_code == 400
    assert many.json()["errors"]["attendees"] == [f"参会人员最多{MAX_ATTENDEES}名"]
    assert many.json()["errors"]["positions"] == [f"招聘岗位最多{MAX_POSITIONS}个"]
    broken = client.post(URL, data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["detail"]
    assert not Registration.objects.exists()


def test_R_PT_10_a_huge_upload_and_html_named_png_are_refused(accounts, fair):
    """R-PT-10: the stamped form is checked by size and content: > 10 MB → 400 (Chinese), an HTML
    file named .png → 400; the registration keeps no form."""
    client = api_as(accounts.approved.user)
    item = created(client, fair)
    url = f"{URL}{item['id']}/stamped_form/"
    huge = SimpleUploadedFile("报名表.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10) + b"\n%%EOF\n",
                              content_type="application/pdf")
    too_big = client.post(url, {"file": huge}, format="multipart")
    assert too_big.status_code == 400 and "过大" in too_big.json()["errors"]["file"][0]
    html = SimpleUploadedFile("报名表.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    fake = client.post(url, {"file": html}, format="multipart")
    assert fake.status_code == 400 and fake.json()["errors"]["file"]
    none = client.post(url, {}, format="multipart")
    assert none.status_code == 400 and none.json()["errors"]["file"] == ["请选择盖章报名表文件"]
    assert Registration.objects.get().stamped_form_path == ""


def test_R_PT_10_one_registration_per_enterprise_per_fair(accounts, fair):
    """R-PT-10: a second POST for the same fair → 400 on ``jobfair`` (the contract's name)."""
    client = api_as(accounts.approved.user)
    created(client, fair)
    again = client.post(URL, body(fair), format="json")
    assert again.status_code == 400
    assert again.json()["errors"] == {"jobfair": [service.ONE_PER_FAIR]}
    assert Registration.objects.count() == 1


def test_R_PT_10_a_fair_cannot_be_changed_by_put(accounts, fair):
    client = api_as(accounts.approved.user)
    item = created(client, fair)
    other_fair = make_fair(accounts.staff, 2)
    moved = client.put(f"{URL}{item['id']}/", body(other_fair), format="json")
    assert moved.status_code == 400 and list(moved.json()["errors"]) == ["jobfair"]
    omitted = body(fair, contact_name="吴联系")
    del omitted["jobfair"]
    assert client.put(f"{URL}{item['id']}/", omitted, format="json").json()["contact_name"] == "吴联系"


# --- personal data and the stamped form ---------------------------------------------------------------
def test_R_PT_10_the_owner_sees_its_personal_data_staff_masked_unless_disclosed(accounts, fair):
    """R-PT-10: ID and mobile: the enterprise's own in full; staff's masked in the list and the detail;
    ?pii=1 with core.view_pii → full and one PII_VIEW audit row; a masked value sent back means unchanged."""
    client = api_as(accounts.approved.user)
    item = submitted(client, fair)
    person = item["attendees"][0]
    reg = Registration.objects.get()
    stored = reg.attendees.get()
    assert (person["phone"], person["id_number"]) == (stored.phone, stored.id_number)
    assert client.get(URL).json()["results"][0]["attendees"][0]["id_number"] == stored.id_number
    staff = api_as(accounts.staff)
    listed = staff.get(URL).json()["results"][0]
    assert listed["attendees"][0]["id_number"] == pii.mask(pii.ID_CARD, stored.id_number)
    assert listed["contact_phone"] == pii.mask(pii.MOBILE, reg.contact_phone)
    detail = staff.get(f"{URL}{item['id']}/").json()
    assert detail["attendees"][0]["phone"] == pii.mask(pii.MOBILE, stored.phone)
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).exists()
    full = staff.get(f"{URL}{item['id']}/", {"pii": 1}).json()
    assert full["attendees"][0]["id_number"] == stored.id_number and full["contact_phone"] == reg.contact_phone
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW, target_id=str(reg.pk)).count() == 1
    # The masked values sent back by an enterprise's client mean "unchanged".
    masked = body(fair)
    masked["attendees"][0].update(phone=pii.mask(pii.MOBILE, stored.phone),
                                  id_number=pii.mask(pii.ID_CARD, stored.id_number))
    assert client.put(f"{URL}{item['id']}/", masked, format="json").status_code == 200
    assert Registration.objects.get().attendees.get().id_number == stored.id_number


def test_R_PT_10_staff_without_view_pii_stay_masked(accounts, fair, make_user):
    """R-PT-10: ?pii=1 without core.view_pii answers masked and records nothing."""
    from django.contrib.auth.models import Permission

    item = submitted(api_as(accounts.approved.user), fair)
    reviewer = make_user("p_reviewer", roles=["portal_staff"])
    reviewer.user_permissions.clear()
    for group in reviewer.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_pii", content_type__app_label="core"))
    stored = Registration.objects.get().attendees.get()
    answer = api_as(reviewer).get(f"{URL}{item['id']}/", {"pii": 1}).json()
    assert answer["attendees"][0]["id_number"] == pii.mask(pii.ID_CARD, stored.id_number)
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).exists()


def test_R_PT_18_the_stamped_form_is_shown_inline_to_the_owner_and_staff_only(accounts, other, fair):
    """R-PT-18: staff see the stamped form inline (nosniff); the owner too; another enterprise 404."""
    client = api_as(accounts.approved.user)
    item = submitted(client, fair)
    url = f"{URL}{item['id']}/stamped_form/"
    for who in (client, api_as(accounts.staff)):
        response = who.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        content = b"".join(response.streaming_content)
        assert content.startswith(b"\xff\xd8") and b"TestCamera" not in content
    assert api_as(other.user).get(url).status_code == 404
    assert api_as(None).get(url).status_code == 401
    draft = created(api_as(other.user), fair)
    assert api_as(other.user).get(f"{URL}{draft['id']}/stamped_form/").status_code == 404  # none yet


def test_R_PT_18_the_list_query_count_does_not_grow_with_its_registrations(accounts, fair, make_user):
    """R-PT-18 (benchmark's rule): staff's list reads attendees, positions and education with
    a constant number of queries."""
    staff = api_as(accounts.staff)

    def register(n):
        account = register_account(data=registration(10 + n))
        decide_access(actor=accounts.staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
        reg = service.save_registration(actor=account.user, data=registration_input(fair, attendees=2, positions=3))
        service.set_stamped_form(actor=account.user, registration_id=reg.pk, upload=jpeg_with_exif())
        service.submit_registration(actor=account.user, registration_id=reg.pk)

    def count():
        staff.get(URL)  # warm the caches a first request fills (the permission sets, dropped by new users)
        with CaptureQueriesContext(connection) as ctx:
            response = staff.get(URL, {"jobfair": fair.pk})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    register(1)
    one, n1 = count()
    for n in range(2, 7):
        register(n)
    many, n6 = count()
    assert (n1, n6) == (1, 6)
    assert many == one, (one, many)
