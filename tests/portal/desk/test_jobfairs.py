"""Job fairs in the desk (R-PT-17, 18) as each role: the fairs' list and page
(create, open/close registration, documents), the review list (latest fair by
default, an earlier one by choice, drafts never listed), a registration's page
(masked personal data, an audited reveal, the stamped form inline), approve /
reject through POST with their timeline rows, refusals shown as messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import MODEL_BACKEND
from tests.portal.jobfairs import jpeg_with_exif, make_fair, registration_input, small_pdf
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.portal.models import JobFair, Registration, RegistrationEvent
from zhonglou_hrss.portal.services.jobfairs import (
    decide_registration,
    save_registration,
    set_stamped_form,
    submit_registration,
)

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def submitted(account, fair, *, upload=None, **overrides) -> Registration:
    user = account.user
    registration = save_registration(actor=user, data=registration_input(fair, **overrides))
    set_stamped_form(actor=user, registration_id=registration.pk, upload=upload or jpeg_with_exif())
    return submit_registration(actor=user, registration_id=registration.pk)


@pytest.fixture
def fairs(accounts):
    older = make_fair(accounts.staff, 1, days_ahead=3, name="钟楼区秋季招聘会")
    latest = make_fair(accounts.staff, 2, days_ahead=20, name="钟楼区春风行动招聘会")
    return older, latest


def test_R_PT_17_staff_create_a_fair_open_it_and_attach_the_template(accounts):
    client = desk(accounts.staff)
    assert "新建招聘会" in client.get("/desk/portal/jobfair/").content.decode()
    refused = client.post("/desk/portal/jobfair/new/", {"name": "", "date": "", "venue": "人力资源市场"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "请填写招聘会名称" in html and "请填写举办日期" in html
    assert 'value="人力资源市场"' in html  # what was typed is kept
    day = timezone.localdate() + timedelta(days=10)
    response = client.post("/desk/portal/jobfair/new/", {"name": "2027年春风行动招聘会", "date": str(day),
                                                         "venue": "钟楼区人力资源市场", "notes": "请提前布展"})
    fair = JobFair.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/portal/jobfair/{fair.pk}/"
    assert fair.registration_open is False and fair.created_by == accounts.staff
    client.post(f"/desk/portal/jobfair/{fair.pk}/open/", {"open": "1"})
    assert JobFair.objects.get().registration_open is True
    client.post(f"/desk/portal/jobfair/{fair.pk}/files/", {"template": small_pdf("空白报名表.pdf"),
                                                          "files": [small_pdf("参会须知.pdf"), small_pdf("交通.pdf")]})
    assert [(a.name, a.is_form_template) for a in fair.attachments.all()] == [
        ("空白报名表.pdf", True), ("参会须知.pdf", False), ("交通.pdf", False)]
    page = client.get(f"/desk/portal/jobfair/{fair.pk}/").content.decode()
    assert "关闭报名" in page and "报名表模板" in page and "报名中" in page
    listing = client.get("/desk/portal/jobfair/").content.decode()
    assert "2027年春风行动招聘会" in listing and "报名中" in listing
    bad = client.post(f"/desk/portal/jobfair/{fair.pk}/files/", {"files": [small_pdf("x.exe")]}, follow=True)
    assert "类型不支持" in bad.content.decode()
    removed = fair.attachments.get(name="交通.pdf")
    client.post(f"/desk/portal/jobfair/{fair.pk}/files/{removed.pk}/remove/")
    assert fair.attachments.count() == 2
    download = client.get(f"/desk/portal/jobfair/{fair.pk}/files/{fair.attachments.first().pk}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    client.post(f"/desk/portal/jobfair/{fair.pk}/open/", {"open": "0"})
    assert JobFair.objects.get().registration_open is False


def test_R_PT_18_the_review_list_shows_the_latest_fair_and_an_earlier_one_by_choice(accounts, fairs):
    older, latest = fairs
    submitted(accounts.approved, older)
    from tests.portal.conftest import registration as account_data
    from zhonglou_hrss.core.models import Subsystem
    from zhonglou_hrss.core.services.accounts import decide_access, register_account

    second = register_account(data=account_data(5, name="常州第二家公司"))
    decide_access(actor=accounts.staff, account_id=second.pk, subsystem=Subsystem.PORTAL, approve=True)
    submitted(second, latest)
    draft = register_account(data=account_data(6, name="只存了草稿的公司"))
    decide_access(actor=accounts.staff, account_id=draft.pk, subsystem=Subsystem.PORTAL, approve=True)
    save_registration(actor=draft.user, data=registration_input(latest))

    client = desk(accounts.staff)
    default = client.get("/desk/portal/registration/").content.decode()
    assert "常州第二家公司" in default and "常州测试1号有限公司" not in default
    assert "只存了草稿的公司" not in default  # drafts are the enterprise's own
    assert "139****" in default or "139" not in default
    assert "钟楼区春风行动招聘会" in default and "导出报名企业及岗位" in default
    chosen = client.get(f"/desk/portal/registration/?fair={older.pk}").content.decode()
    assert "常州测试1号有限公司" in chosen and "常州第二家公司" not in chosen
    every = client.get("/desk/portal/registration/?fair=all&status__exact=pending").content.decode()
    assert "常州测试1号有限公司" in every and "常州第二家公司" in every and "只存了草稿的公司" not in every
    assert "常州第二家公司" in client.get("/desk/portal/registration/?q=第二家").content.decode()
    fair_list = client.get("/desk/portal/jobfair/").content.decode()
    assert fair_list.index("钟楼区春风行动招聘会") < fair_list.index("钟楼区秋季招聘会")  # newest first


def test_R_PT_18_approve_and_reject_with_the_timeline(accounts, fairs):
    _, latest = fairs
    registration = submitted(accounts.approved, latest, attendees=2, positions=2)
    client = desk(accounts.staff)
    page = client.get(f"/desk/portal/registration/{registration.pk}/").content.decode()
    assert "审核通过" in page and "审核不通过" in page and "在新窗口打开" in page
    assert "137****0001" in page and "13700000001" not in page and "139****5678" in page
    assert f'<img src="/desk/portal/registration/{registration.pk}/stamped-form/"' in page
    assert "岗位1" in page and "岗位2" in page and "本科" in page and "5000–8000" in page
    assert "提交审核" in page and "上传盖章报名表" in page  # the timeline's labels

    refused = client.post(f"/desk/portal/registration/{registration.pk}/decide/",
                          {"decision": "reject", "reason": "  "}, follow=True)
    assert "请填写不通过的原因" in refused.content.decode()
    assert Registration.objects.get().status == "pending"
    assert not RegistrationEvent.objects.filter(action="reject").exists()

    client.post(f"/desk/portal/registration/{registration.pk}/decide/",
                {"decision": "reject", "reason": "盖章报名表不清晰"})
    registration.refresh_from_db()
    assert registration.status == "rejected" and registration.reject_reason == "盖章报名表不清晰"
    event = RegistrationEvent.objects.get(action="reject")
    assert event.actor == accounts.staff and event.note == "盖章报名表不清晰"
    page = client.get(f"/desk/portal/registration/{registration.pk}/").content.decode()
    assert "审核不通过" in page and "盖章报名表不清晰" in page and 'name="decision" value="approve"' not in page

    submit_registration(actor=accounts.approved.user, registration_id=registration.pk)
    response = client.post(f"/desk/portal/registration/{registration.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    assert Registration.objects.get().status == "approved"
    assert RegistrationEvent.objects.filter(action="approve", actor=accounts.staff).count() == 1


def test_R_PT_18_a_decision_someone_made_first_is_a_message(accounts, fairs, make_user):
    _, latest = fairs
    registration = submitted(accounts.approved, latest)
    other = make_user("p_staff_other", roles=["portal_staff"], name="李审核")
    decide_registration(actor=other, registration_id=registration.pk, approve=True)
    stale = desk(accounts.staff).post(f"/desk/portal/registration/{registration.pk}/decide/",
                                      {"decision": "reject", "reason": "材料不全"}, follow=True)
    html = stale.content.decode()
    assert stale.status_code == 200 and "不能审核不通过" in html
    assert Registration.objects.get().status == "approved"
    assert RegistrationEvent.objects.filter(action__in=["approve", "reject"]).count() == 1


def test_R_PT_18_reveal_writes_one_audit_row_and_the_stamped_form_is_inline(accounts, fairs):
    _, latest = fairs
    registration = submitted(accounts.approved, latest, upload=small_pdf())
    client = desk(accounts.staff)
    before = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count()
    html = client.get(f"/desk/portal/registration/{registration.pk}/").content.decode()
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count() == before
    assert "<iframe" in html and f"/desk/portal/registration/{registration.pk}/stamped-form/" in html
    revealed = client.get(f"/desk/portal/registration/{registration.pk}/?pii=1").content.decode()
    assert "13700000001" in revealed and "13912345678" in revealed
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).count() == before + 1
    file = client.get(f"/desk/portal/registration/{registration.pk}/stamped-form/")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert file["X-Content-Type-Options"] == "nosniff" and file["Content-Disposition"].startswith("inline")
    assert file["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in file["Content-Security-Policy"]


def test_R_PT_18_the_sidebar_badge_and_the_home_card(accounts, fairs):
    _, latest = fairs
    submitted(accounts.approved, latest)
    html = desk(accounts.staff).get("/desk/").content.decode()
    assert "招聘会" in html and "招聘会报名" in html and "待审核招聘会报名" in html
    assert 'href="/desk/portal/registration/?fair=all&amp;status__exact=pending"' in html


@pytest.mark.parametrize("role", ["clerk", "leader", "grid_worker", "credit_staff"])
def test_R_PT_18_other_staff_may_not_open_the_job_fair_pages(client_as, accounts, fairs, role):
    _, latest = fairs
    registration = submitted(accounts.approved, latest)
    client = client_as(role)
    for url in ("/desk/portal/jobfair/", "/desk/portal/registration/", "/desk/portal/jobfair/new/",
                f"/desk/portal/jobfair/{latest.pk}/", f"/desk/portal/registration/{registration.pk}/",
                f"/desk/portal/registration/{registration.pk}/stamped-form/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/desk/portal/registration/{registration.pk}/decide/",
                       {"decision": "approve"}).status_code == 403
    assert client.post(f"/desk/portal/jobfair/{latest.pk}/open/", {"open": "0"}).status_code == 403
    assert Registration.objects.get().status == "pending" and JobFair.objects.get(pk=latest.pk).registration_open
    assert "/desk/portal/registration/" not in client.get("/desk/").content.decode()


def test_R_PT_18_an_enterprise_never_enters_the_desk(accounts, fairs):
    _, latest = fairs
    registration = submitted(accounts.approved, latest)
    client = desk(accounts.approved.user)
    for url in ("/desk/portal/jobfair/", "/desk/portal/registration/", f"/desk/portal/registration/{registration.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/desk/login/" in response["Location"], url


def test_R_PT_18_every_page_answers_portal_staff(accounts, fairs):
    older, latest = fairs
    registration = submitted(accounts.approved, latest)
    client = desk(accounts.staff)
    for url in ("/desk/portal/jobfair/", "/desk/portal/jobfair/new/", f"/desk/portal/jobfair/{older.pk}/",
                "/desk/portal/registration/", f"/desk/portal/registration/?fair={older.pk}",
                f"/desk/portal/registration/{registration.pk}/", "/desk/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/desk/portal/registration/99999/").status_code == 404


def test_R_PT_19_the_chosen_fairs_export_masked_by_default_full_with_a_reason(accounts, fairs, make_user):
    older, latest = fairs
    registration = submitted(accounts.approved, latest)
    decide_registration(actor=accounts.staff, registration_id=registration.pk, approve=True)
    client = desk(accounts.staff)
    listing = client.get("/desk/portal/registration/").content.decode()
    assert 'name="scope"' in listing and "导出完整信息" not in listing  # portal_staff: masked only
    response = client.post("/desk/portal/registration/export/", {"fair": str(latest.pk), "scope": "approved"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK")
    export = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert export.detail["masked"] is True and export.detail["rows"] == 2
    refused = client.post("/desk/portal/registration/export/", {"fair": str(latest.pk), "full": "1",
                                                                "export_reason": "核对"}, follow=True)
    assert refused.redirect_chain and "未导出" in refused.content.decode()
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count() == 1

    both = make_user("p_staff_pii", roles=["portal_staff", "leader"], name="赵科长")
    client = desk(both)
    assert "导出完整信息" in client.get(f"/desk/portal/registration/?fair={latest.pk}").content.decode()
    no_reason = client.post("/desk/portal/registration/export/", {"fair": str(latest.pk), "full": "1"}, follow=True)
    assert "未导出" in no_reason.content.decode()
    full = client.post("/desk/portal/registration/export/", {"fair": str(latest.pk), "full": "1",
                                                             "export_reason": "招聘会现场核对参会企业"})
    assert full.status_code == 200
    b"".join(full.streaming_content)
    export = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert export.detail["masked"] is False and export.detail["reason"] == "招聘会现场核对参会企业"
    assert "请先选择一场招聘会" in client.post("/desk/portal/registration/export/", {"fair": "all"},
                                               follow=True).content.decode()
