"""Job fairs in the PC portal (R-PT-08, 09, 10) as each kind of visitor: the
fairs open for registration with their documents; an approved enterprise
registers through the form (rows, errors per row with everything kept, the
stamped form, draft and submit), edits until approved and withdraws; a pending
account sees its status and no form; another enterprise sees nothing of it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import id_number_for
from tests.portal.jobfairs import jpeg_with_exif, make_fair, small_pdf
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Registration, RegistrationStatus
from zhonglou_hrss.portal.services.jobfairs import add_fair_attachment, decide_registration

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def form(fair=None, **overrides) -> dict:
    """The form as a browser sends it: two attendees and two positions."""
    data = {
        "contact_name": "周联系", "contact_phone": "13912345678", "introduction": "新能源汽车零部件，诚聘英才。",
        "attendees-0-name": "张三", "attendees-0-gender": "male", "attendees-0-title": "人事经理",
        "attendees-0-phone": "13700000001", "attendees-0-id_number": id_number_for(501), "attendees-0-ref": "",
        "attendees-1-name": "李四", "attendees-1-gender": "female", "attendees-1-title": "招聘专员",
        "attendees-1-phone": "13700000002", "attendees-1-id_number": id_number_for(502), "attendees-1-ref": "",
        "positions-0-title": "数控车工", "positions-0-count": "5", "positions-0-education": "senior_high",
        "positions-0-major": "机械", "positions-0-description": "三班倒", "positions-0-salary_min": "6000",
        "positions-0-salary_max": "9000",
        "positions-1-title": "质量工程师", "positions-1-count": "2", "positions-1-education": "bachelor",
        "positions-1-major": "", "positions-1-description": "", "positions-1-salary_min": "8000",
        "positions-1-salary_max": "12000",
        "action": "draft",
    }
    data.update(overrides)
    return data


@pytest.fixture
def fair(accounts):
    fair = make_fair(accounts.staff, 1, name="钟楼区春风行动招聘会")
    add_fair_attachment(actor=accounts.staff, fair_id=fair.pk, upload=small_pdf("空白报名表.pdf"),
                        is_form_template=True)
    return fair


def test_R_PT_08_the_fairs_open_for_registration_with_their_documents(client, accounts, fair):
    closed = make_fair(accounts.staff, 2, is_open=False, name="尚未开放的招聘会")
    html = client.get("/portal/jobfairs/").content.decode()
    assert "钟楼区春风行动招聘会" in html and "尚未开放的招聘会" not in html and "登录后报名" in html
    template = fair.attachments.get()
    assert f"/portal/jobfairs/{fair.pk}/files/{template.pk}/" in html and "报名表模板" in html
    download = client.get(f"/portal/jobfairs/{fair.pk}/files/{template.pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert client.get(f"/portal/jobfairs/{closed.pk}/register/").status_code == 302  # to the sign-in
    signed_in = as_user(accounts.approved.user).get("/portal/jobfairs/").content.decode()
    assert f'href="/portal/jobfairs/{fair.pk}/register/"' in signed_in
    home = client.get("/portal/").content.decode()
    assert 'href="/portal/jobfairs/"' in home


def test_R_PT_09_an_approved_enterprise_registers_through_the_form(accounts, fair):
    client = as_user(accounts.approved.user)
    page = client.get(f"/portal/jobfairs/{fair.pk}/register/").content.decode()
    assert 'name="attendees-0-name"' in page and 'name="positions-0-title"' in page
    assert "attendees-__i__-name" in page  # the row template the script copies
    assert "报名表模板（空白报名表.pdf）" in page and "本科" in page and '<option value="male"' in page
    response = client.post(f"/portal/jobfairs/{fair.pk}/register/", form(stamped_form=jpeg_with_exif()))
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.DRAFT and registration.stamped_form_path
    assert [a.name for a in registration.attendees.all()] == ["张三", "李四"]
    assert [(p.title, p.count, p.education.code) for p in registration.positions.all()] == [
        ("数控车工", 5, "senior_high"), ("质量工程师", 2, "bachelor")]
    listing = client.get(response["Location"]).content.decode()
    assert "草稿" in listing and "钟楼区春风行动招聘会" in listing and "继续填写" in listing

    # The edit form shows the stored mobiles and ID numbers masked; sent back unchanged they stay.
    edit = client.get(f"/portal/registrations/{registration.pk}/").content.decode()
    assert "137****0001" in edit and "13700000001" not in edit
    first, second = registration.attendees.all()
    masked = form(**{"attendees-0-phone": "137****0002", "attendees-0-id_number": edit_value(edit, 1),
                     "attendees-0-ref": str(second.pk), "attendees-0-name": "李四", "attendees-0-gender": "female",
                     "attendees-0-title": "招聘专员", "action": "submit"})
    for key in [k for k in masked if k.startswith("attendees-1-")]:
        del masked[key]  # the first attendee removed; the second moved up
    response = client.post(f"/portal/registrations/{registration.pk}/", masked)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING
    (only,) = registration.attendees.all()
    assert (only.name, only.phone, only.id_number) == ("李四", "13700000002", id_number_for(502))
    assert "待审核" in client.get("/portal/registrations/").content.decode()


def edit_value(html: str, index: int) -> str:
    """The value shown in the edit form's attendee row ``index``'s ID-number input."""
    marker = f'name="attendees-{index}-id_number" type="text" value="'
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_R_PT_10_errors_stay_by_their_row_and_nothing_typed_is_lost(accounts, fair):
    client = as_user(accounts.approved.user)
    bad = form(**{"attendees-1-id_number": "320404199001011234", "positions-1-salary_min": "15000",
                  "positions-0-education": "", "contact_phone": "123"}, stamped_form=jpeg_with_exif())
    response = client.post(f"/portal/jobfairs/{fair.pk}/register/", bad)
    html = response.content.decode()
    assert response.status_code == 200 and not Registration.objects.exists()
    assert 'id="err-attendees-1-id_number"' in html and 'id="err-positions-1-salary_max"' in html
    assert "月薪上限不能低于月薪下限" in html and 'id="err-positions-0-education"' in html
    assert 'id="err-attendees-0-id_number"' not in html
    assert 'id="err-contact_phone"' in html
    for kept in ('value="李四"', 'value="320404199001011234"', 'value="15000"', 'value="质量工程师"', "三班倒",
                 'value="123"'):
        assert kept in html, kept
    assert "请重新选择文件" in html  # a file cannot be kept by the browser: said so

    # Without script: the add button brings one more (blank) row, nothing is saved.
    more = client.post(f"/portal/jobfairs/{fair.pk}/register/", form(action="add_attendees")).content.decode()
    assert 'name="attendees-2-name"' in more and not Registration.objects.exists()

    # A rejected stamped form is an error of that field.
    created = client.post(f"/portal/jobfairs/{fair.pk}/register/", form())
    registration = Registration.objects.get()
    assert created.status_code == 302
    refused = client.post(f"/portal/registrations/{registration.pk}/", form(
        action="submit", stamped_form=small_pdf(body=b"/JavaScript (x)")))
    assert 'id="err-stamped_form"' in refused.content.decode() and "脚本" in refused.content.decode()
    no_form = client.post(f"/portal/registrations/{registration.pk}/", form(action="submit"))
    assert "请先上传加盖公章的报名表扫描件" in no_form.content.decode()
    assert Registration.objects.get().status == RegistrationStatus.DRAFT


def test_R_PT_09_edit_until_approved_then_refused_with_a_message(accounts, fair):
    client = as_user(accounts.approved.user)
    client.post(f"/portal/jobfairs/{fair.pk}/register/", form(action="submit", stamped_form=small_pdf()))
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert 'value="13912345678"' not in client.get(f"/portal/registrations/{registration.pk}/").content.decode()
    changed = client.post(f"/portal/registrations/{registration.pk}/", form(**{"positions-0-count": "8"}))
    assert changed.status_code == 302 and "changed" in changed["Location"]
    assert Registration.objects.get().positions.get(title="数控车工").count == 8
    assert Registration.objects.get().status == RegistrationStatus.PENDING

    decide_registration(actor=accounts.staff, registration_id=registration.pk, approve=True)
    view = client.get(f"/portal/registrations/{registration.pk}/").content.decode()
    assert "已通过" in view and "不能再修改" in view and 'name="attendees-0-name"' not in view
    refused = client.post(f"/portal/registrations/{registration.pk}/", form(**{"positions-0-count": "1"}),
                          follow=True)
    assert "报名已审核通过，不能再修改" in refused.content.decode()
    assert Registration.objects.get().positions.get(title="数控车工").count == 8
    listing = client.get("/portal/registrations/").content.decode()
    assert "已通过" in listing and "撤回</button>" not in listing
    withdraw = client.post(f"/portal/registrations/{registration.pk}/withdraw/", follow=True)
    assert "不能再修改或撤回" in withdraw.content.decode() and Registration.objects.exists()


def test_R_PT_09_a_rejected_registration_shows_the_reason_and_is_resubmitted(accounts, fair):
    client = as_user(accounts.approved.user)
    client.post(f"/portal/jobfairs/{fair.pk}/register/", form(action="submit", stamped_form=small_pdf()))
    registration = Registration.objects.get()
    decide_registration(actor=accounts.staff, registration_id=registration.pk, approve=False, reason="岗位薪资不明确")
    listing = client.get("/portal/registrations/").content.decode()
    assert "未通过" in listing and "岗位薪资不明确" in listing and "修改后重新提交" in listing
    assert "岗位薪资不明确" in client.get(f"/portal/registrations/{registration.pk}/").content.decode()
    client.post(f"/portal/registrations/{registration.pk}/", form(action="submit"))
    assert Registration.objects.get().status == RegistrationStatus.PENDING


def test_R_PT_09_withdraw_a_registration_that_is_not_approved(accounts, fair):
    client = as_user(accounts.approved.user)
    client.post(f"/portal/jobfairs/{fair.pk}/register/", form())
    registration = Registration.objects.get()
    assert 'data-confirm="确认撤回' in client.get("/portal/registrations/").content.decode()
    response = client.post(f"/portal/registrations/{registration.pk}/withdraw/")
    assert response.status_code == 302 and not Registration.objects.exists()
    assert "报名已撤回" in client.get(response["Location"]).content.decode()


def test_R_PT_03_a_pending_account_sees_its_status_and_no_form(accounts, fair):
    for account, said in ((accounts.pending, "账号待审核"), (accounts.rejected, "营业执照名称不一致")):
        client = as_user(account.user)
        for url in (f"/portal/jobfairs/{fair.pk}/register/", "/portal/registrations/"):
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 403 and said in html and 'name="attendees-0-name"' not in html, url
        response = client.post(f"/portal/jobfairs/{fair.pk}/register/", form())
        assert response.status_code == 403 and not Registration.objects.exists()
        listing = client.get("/portal/jobfairs/").content.decode()
        assert said in listing and f"/portal/jobfairs/{fair.pk}/register/" not in listing


def test_R_PT_09_enterprise_b_cannot_open_a_registration_of_a(accounts, fair, client, role_user):
    a = as_user(accounts.approved.user)
    a.post(f"/portal/jobfairs/{fair.pk}/register/", form(stamped_form=jpeg_with_exif()))
    registration = Registration.objects.get()
    from tests.portal.conftest import registration as account_data

    other = register_account(data=account_data(7))
    decide_access(actor=accounts.staff, account_id=other.pk, subsystem=Subsystem.PORTAL, approve=True)
    b = as_user(other.user)
    for url in (f"/portal/registrations/{registration.pk}/", f"/portal/registrations/{registration.pk}/stamped-form/"):
        assert b.get(url).status_code == 404, url
    assert b.post(f"/portal/registrations/{registration.pk}/", form(contact_name="冒名")).status_code == 404
    assert b.post(f"/portal/registrations/{registration.pk}/withdraw/").status_code == 404
    assert "钟楼区春风行动招聘会" not in b.get("/portal/registrations/").content.decode()
    assert Registration.objects.get().contact_name == "周联系"
    # The staff and the public: no portal page of a registration.
    assert client.get(f"/portal/registrations/{registration.pk}/").status_code == 302
    assert as_user(role_user("portal_staff")).get(f"/portal/registrations/{registration.pk}/").status_code == 403
    own = a.get(f"/portal/registrations/{registration.pk}/stamped-form/")
    assert own.status_code == 200 and own["X-Content-Type-Options"] == "nosniff"


def test_R_PT_09_one_registration_per_fair_leads_to_the_existing_one(accounts, fair):
    client = as_user(accounts.approved.user)
    client.post(f"/portal/jobfairs/{fair.pk}/register/", form())
    registration = Registration.objects.get()
    again = client.get(f"/portal/jobfairs/{fair.pk}/register/")
    assert again.status_code == 302 and again["Location"] == f"/portal/registrations/{registration.pk}/"
    listing = client.get("/portal/jobfairs/").content.decode()
    assert "查看我的报名" in listing


def test_R_PT_10_without_script_one_row_each_and_an_empty_row_is_dropped(accounts, fair):
    """The form as a browser without script sends it: one row of each (and an extra
    row added through the server, left empty)."""
    client = as_user(accounts.approved.user)
    one = {k: v for k, v in form().items() if not k.startswith(("attendees-1-", "positions-1-"))}
    one.update({f"attendees-1-{f}": "" for f in ("name", "gender", "title", "phone", "id_number", "ref")})
    response = client.post(f"/portal/jobfairs/{fair.pk}/register/", one)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.attendees.count() == 1 and registration.positions.count() == 1
    empty = {k: v for k, v in form().items() if not k.startswith(("attendees-", "positions-"))}
    html = client.post(f"/portal/registrations/{registration.pk}/", empty).content.decode()
    assert "请至少填写一名参会人员" in html and "请至少填写一个招聘岗位" in html
    assert 'name="attendees-0-name"' in html  # a blank row to type into
    assert Registration.objects.get().attendees.count() == 1


def test_R_PT_08_a_closed_fair_takes_no_registration_and_says_so(accounts, fair):
    from zhonglou_hrss.portal.services.jobfairs import set_registration_open

    client = as_user(accounts.approved.user)
    client.post(f"/portal/jobfairs/{fair.pk}/register/", form())
    registration = Registration.objects.get()
    set_registration_open(actor=accounts.staff, fair_id=fair.pk, is_open=False)
    view = client.get(f"/portal/registrations/{registration.pk}/").content.decode()
    assert "该招聘会已停止报名" in view and 'name="attendees-0-name"' not in view
    refused = client.post(f"/portal/registrations/{registration.pk}/", form(contact_name="改名"), follow=True)
    assert "该招聘会已停止报名" in refused.content.decode()
    assert Registration.objects.get().contact_name == "周联系"
    other = make_fair(accounts.staff, 3, is_open=False)
    closed = client.get(f"/portal/jobfairs/{other.pk}/register/", follow=True).content.decode()
    assert "该招聘会已停止报名" in closed
