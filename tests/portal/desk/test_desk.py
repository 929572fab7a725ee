"""The portal's back office in the desk (R-PT-03, 12, 16) as each role: the
sidebar group 就业服务, the desk-home cards, news (form with the editor's
HTML, image upload, attachments, taking down), urgent concerns (list,
record page, status steps with the timeline) and the account review."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.conftest import MODEL_BACKEND
from tests.portal.conftest import make_concern, make_news, registration
from zhonglou_hrss.core.models import AccessStatus, AuditLog, SubsystemAccess
from zhonglou_hrss.core.services.accounts import register_account
from zhonglou_hrss.portal.models import Concern, News

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def jpeg(size=(40, 30), exif=True) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif:
        data = image.getexif()
        data[0x010F] = "PhoneMaker"  # Make
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def test_the_sidebar_group_and_cards_of_portal_staff(staff):
    make_concern(1)
    make_concern(2)
    register_account(data=registration(1))
    html = desk(staff).get("/desk/").content.decode()
    for entry in ("就业服务", "企业账号审核", "政策资讯", "发布资讯", "急难愁盼", "新的急难愁盼", "待审核企业账号"):
        assert entry in html, entry
    assert 'href="/desk/portal/concern/?status__exact=new"' in html


@pytest.mark.parametrize("role", ["clerk", "leader", "grid_worker", "credit_staff"])
def test_other_staff_see_no_portal_entries(client_as, role):
    client = client_as(role)
    html = client.get("/desk/").content.decode()
    # (unfold writes every group's heading and hides an empty one with CSS: look for the entries)
    # 信用评价管理员 reach the accounts list through their own entry, with the credit queue (?credit=pending).
    accounts = () if role == "credit_staff" else ("/desk/core/enterpriseaccount/",)
    for entry in ("/desk/portal/news/", "/desk/portal/concern/", *[f'href="{a}"' for a in accounts], "新的急难愁盼"):
        assert entry not in html, entry
    for url in ("/desk/portal/news/", "/desk/portal/concern/", *accounts):
        assert client.get(url).status_code == 403, url
    assert client.get("/desk/portal/news/new/").status_code == 404


def test_publish_news_with_the_editors_html_and_an_attachment(staff):
    client = desk(staff)
    assert 'id="news-editor"' in client.get("/desk/portal/news/new/").content.decode()
    pdf = SimpleUploadedFile("申报表.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/desk/portal/news/new/", {
        "title": "补贴申报通知", "published_on": str(timezone.localdate()), "publisher": "就业促进科",
        "content_html": '<h2>说明</h2><p onclick="x()">正文<script>alert(1)</script></p>', "pinned": "on",
        "is_published": "on", "attachments": [pdf]})
    assert response.status_code == 302, response.content.decode()[:2000]
    news = News.objects.get()
    assert news.content_html == "<h2>说明</h2><p>正文</p>" and news.pinned and news.created_by == staff
    attachment = news.attachments.get()
    assert attachment.name == "申报表.pdf"
    download = Client().get(f"/portal/news/{news.pk}/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]


def test_the_form_keeps_what_was_typed_and_names_each_error(staff):
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = desk(staff).post("/desk/portal/news/new/", {"title": "", "published_on": "", "publisher": "科",
                                                           "content_html": "<p><br></p>", "attachments": [fake]})
    html = response.content.decode()
    assert response.status_code == 400
    for message in ("请填写标题", "请填写发布日期", "请填写资讯内容", "内容与扩展名不符"):
        assert message in html, message
    assert not News.objects.exists()


def test_editor_images_are_re_encoded_into_the_public_uploads(staff, settings):
    client = desk(staff)
    response = client.post("/desk/portal/news/upload-image/", {"image": SimpleUploadedFile("a.jpg", jpeg())})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/portal/news/") and url.endswith(".jpg")
    served = Client().get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert 0x010F not in stored.getexif()  # EXIF gone
    refused = client.post("/desk/portal/news/upload-image/", {"image": SimpleUploadedFile("x.jpg", b"<svg/>")})
    assert refused.status_code == 400 and "图片" in refused.json()["detail"]
    assert AuditLog.objects.filter(action=AuditLog.Action.UPLOAD).count() == 1
    assert Client().get("/media/../site_config.toml").status_code == 404


def test_only_publishers_upload(client_as):
    response = client_as("clerk").post("/desk/portal/news/upload-image/", {"image": SimpleUploadedFile("a.jpg", jpeg())})
    assert response.status_code in (403, 404)


def test_take_down_and_publish_again_from_the_list(staff):
    news = make_news(staff, 1, title="要下架的")
    client = desk(staff)
    listing = client.get("/desk/portal/news/").content.decode()
    assert "要下架的" in listing and "显示中" in listing
    client.post(f"/desk/portal/news/{news.pk}/publish/", {"published": "0"})
    assert News.objects.get().is_published is False
    assert Client().get(f"/portal/news/{news.pk}/").status_code == 404
    client.post(f"/desk/portal/news/{news.pk}/publish/", {"published": "1"})
    assert News.objects.get().is_published is True


def test_concern_list_and_page_move_it_forward(staff):
    concern = make_concern(1, details="拖欠工资两个月")
    client = desk(staff)
    listing = client.get("/desk/portal/concern/?q=拖欠").content.decode()
    assert concern.number in listing and "138****0001" in listing and "13812340001" not in listing
    html = client.get(f"/desk/portal/concern/{concern.pk}/").content.decode()
    assert "标记已查看" in html and "138****0001" in html and "13812340001" not in html
    revealed = client.get(f"/desk/portal/concern/{concern.pk}/?pii=1").content.decode()
    assert "13812340001" in revealed
    client.post(f"/desk/portal/concern/{concern.pk}/act/", {"status": "contacted"})
    html = client.get(f"/desk/portal/concern/{concern.pk}/").content.decode()
    assert "已联系" in html and "新提交 → 已联系" in html and "王就业" in html and "标记已查看" not in html
    stale = client.post(f"/desk/portal/concern/{concern.pk}/act/", {"status": "viewed"}, follow=True)
    assert "不能改回" in stale.content.decode()
    assert Concern.objects.get().status == "contacted"


def test_account_review_in_the_desk(staff):
    account = register_account(data=registration(1))
    client = desk(staff)
    queue = client.get("/desk/core/enterpriseaccount/?portal=pending").content.decode()
    assert "常州测试1号有限公司" in queue and "139****0001" in queue
    page = client.get(f"/desk/core/enterpriseaccount/{account.pk}/").content.decode()
    assert "审核通过" in page and "审核不通过" in page
    refused = client.post(f"/desk/core/enterpriseaccount/{account.pk}/decide/",
                          {"subsystem": "portal", "decision": "reject", "reason": ""}, follow=True)
    assert "请填写未通过的原因" in refused.content.decode()
    client.post(f"/desk/core/enterpriseaccount/{account.pk}/decide/", {"subsystem": "portal", "decision": "approve"})
    assert SubsystemAccess.objects.get().status == AccessStatus.APPROVED
    assert "审核通过" not in client.get(f"/desk/core/enterpriseaccount/{account.pk}/").content.decode().split(
        "zl-grid2")[1].split("注册信息")[0]


def test_a_flagged_uscc_shows_in_the_list(staff):
    from tests.portal.conftest import uscc

    register_account(data=registration(4, uscc=uscc(4, valid=False), confirm_uscc=True))
    html = desk(staff).get("/desk/core/enterpriseaccount/").content.decode()
    assert "校验位不符" in html


def test_admin_resets_an_enterprise_password_from_the_user_page(client_as, accounts):
    html = client_as("admin").get(f"/desk/core/enterpriseaccount/{accounts.approved.pk}/").content.decode()
    assert f"/desk/core/user/{accounts.approved.user_id}/change/" in html


def test_no_empty_badge_when_nothing_waits(staff):
    """The sidebar's badges (急难愁盼, 企业账号审核) are drawn only with a number."""
    html = desk(staff).get("/desk/portal/concern/").content.decode()
    assert "min-w-[18px] bg-red-100 text-red-700 dark:bg-red-500/20 dark:text-red-400\"></span>" not in html
    make_concern(1)
    html = desk(staff).get("/desk/portal/concern/").content.decode()
    assert "dark:text-red-400\">1</span>" in html
