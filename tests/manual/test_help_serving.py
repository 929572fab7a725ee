"""帮助 inside the site (issue 18): /help/ lists the manuals, each opens as a
page (staff manuals for desk users only), its pictures and its PDF are
served, and the 帮助 link of every desk page opens the section of that page
in the manual of the user's role. Written against small manuals in a
temporary folder, so these tests say what the serving does whatever the real
manuals hold."""

from __future__ import annotations

import pytest
from django.test import Client

from zhonglou_hrss.core import manuals

pytestmark = pytest.mark.django_db

CLERK = """# 区后勤人员使用手册

## 登记一件投诉 {#register}
<!-- pages: admin:kuaiban_case_changelist admin:kuaiban_case_add -->

1. 点击【登记事件】。

![事件列表](images/clerk/case_list.png)

## 常见提示 {#tips}

1. 看提示。
"""
LEADER = """# 领导使用手册

## 指派监察员 {#assign}
<!-- pages: admin:kuaiban_case_changelist -->

1. 点击【指派】。

## 看一张图 {#map}
<!-- pages: kuaiban_stats:map -->

1. 打开。
"""
ADMIN = """# 系统管理员使用手册

## 管理用户 {#users}
<!-- pages: admin:core_user_changelist -->

1. 点击【新增】。
"""
PUBLIC = """# 群众使用手册

## 扫码登记 {#report}
<!-- pages: kuaiban:report -->

1. 扫码。
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def manual_dir(settings, tmp_path):
    folder = tmp_path / "manual"
    (folder / "images" / "clerk").mkdir(parents=True)
    (folder / "clerk.md").write_text(CLERK, encoding="utf-8")
    (folder / "leader.md").write_text(LEADER, encoding="utf-8")
    (folder / "admin.md").write_text(ADMIN, encoding="utf-8")
    (folder / "public.md").write_text(PUBLIC, encoding="utf-8")
    (folder / "images" / "clerk" / "case_list.png").write_bytes(PNG)
    settings.MANUAL_DIR = folder
    manuals.reload()
    yield folder
    manuals.reload()


def test_help_index_lists_public_manuals_to_everyone_and_staff_ones_to_staff(manual_dir, client, client_as):
    """issue 18: /help/ — the anonymous see the public manuals only, desk users all of them."""
    anonymous = client.get("/help/").content.decode()
    assert "群众使用手册" in anonymous and "区后勤人员使用手册" not in anonymous
    staff = client_as("inspector").get("/help/").content.decode()
    assert "群众使用手册" in staff and "区后勤人员使用手册" in staff and "领导使用手册" in staff


def test_a_manual_opens_as_a_page_with_contents_anchors_and_pictures(manual_dir, client_as):
    """issue 18: one manual as HTML: table of contents, section anchors, labels marked, pictures from /help/images/."""
    inspector = client_as("inspector")
    response = inspector.get("/help/clerk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="register">登记一件投诉</h2>' in html
    assert 'href="#register"' in html and 'href="#tips"' in html
    assert '<span class="ui-label">【登记事件】</span>' in html
    assert 'src="/help/images/clerk/case_list.png"' in html
    assert "pages:" not in html.split('id="manual"')[1].replace("<!--", "").split("-->")[-1]
    picture = inspector.get("/help/images/clerk/case_list.png")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"


def test_staff_manuals_refuse_the_anonymous_public_ones_open(manual_dir, client):
    """issue 18: a staff manual (and its pictures, its PDF) sends the anonymous to sign in; 群众 opens."""
    response = client.get("/help/clerk/")
    assert response.status_code == 302 and response["Location"].startswith("/desk/login/?next=/help/clerk/")
    assert client.get("/help/clerk.pdf").status_code == 302
    assert client.get("/help/images/clerk/case_list.png").status_code == 404
    assert client.get("/help/public/").status_code == 200
    assert client.get("/help/nothing/").status_code == 404
    assert client.get("/help/images/../clerk.md").status_code == 404


def test_an_enterprise_account_is_no_staff_reader(manual_dir, client_as):
    """issue 18: signed in to the portal is not signed in to the desk: staff manuals stay closed."""
    assert client_as("enterprise_user").get("/help/clerk/").status_code == 302


def test_pdf_is_served_when_made_and_a_chinese_404_before(manual_dir, client_as):
    """issue 18: /help/<manual>.pdf serves docs/manual/pdf/<manual>.pdf; missing, a Chinese 404 page."""
    clerk = client_as("clerk")
    missing = clerk.get("/help/clerk.pdf")
    assert missing.status_code == 404 and "PDF 尚未生成" in missing.content.decode()
    (manual_dir / "pdf").mkdir()
    (manual_dir / "pdf" / "clerk.pdf").write_bytes(b"%PDF-1.4 test")
    response = clerk.get("/help/clerk.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def desk_help_link(client, url) -> str:
    import re

    html = client.get(url).content.decode()
    match = re.search(r'<a id="desk-help" href="([^"]+)"', html)
    assert match, f"{url} 没有帮助链接"
    return match.group(1)


def test_help_link_on_a_desk_list_opens_the_section_of_that_page(manual_dir, client_as):
    """issue 18: 帮助 on the case list opens the clerk's manual at 登记一件投诉, the leader's at 指派监察员."""
    assert desk_help_link(client_as("clerk"), "/desk/kuaiban/case/") == "/help/clerk/#register"
    leader = client_as("leader")
    assert desk_help_link(leader, "/desk/kuaiban/case/") == "/help/leader/#assign"
    # A page no section names: the top of the role's manual.
    assert desk_help_link(leader, "/desk/") == "/help/leader/"
    # A page outside the admin site (the one map).
    assert desk_help_link(leader, "/desk/kuaiban/stats/map/") == "/help/leader/#map"


def test_help_link_prefers_the_manual_with_a_section_for_the_page(manual_dir, make_user):
    """issue 18: several roles — the manual that has a section for the page wins over the first role's."""
    from tests.conftest import MODEL_BACKEND

    user = make_user("u_admin_clerk", roles=["admin", "district_clerk"])
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    assert desk_help_link(client, "/desk/core/user/") == "/help/admin/#users"
    assert desk_help_link(client, "/desk/kuaiban/case/") == "/help/clerk/#register"
    assert desk_help_link(client, "/desk/") == "/help/admin/"


def test_help_target_reads_the_map_built_once(manual_dir):
    """issue 18: the URL name → section map is built once from the files, then looked up."""
    assert manuals.page_map()["admin:kuaiban_case_add"] == {"clerk": "register"}
    assert manuals.page_map() is manuals.page_map()
    assert manuals.help_target({"district_clerk"}, "admin:kuaiban_case_add") == ("clerk", "register")
    assert manuals.help_target(set(), "admin:index") is None
    assert manuals.page_target("public", "kuaiban:report") == ("public", "report")


def test_public_and_portal_pages_link_to_their_manuals(manual_dir, client):
    """issue 18: the QR pages open 群众 at their section, the PC portal the 企业 manual, 急难愁盼 群众."""
    (manual_dir / "enterprise.md").write_text("# 企业使用手册\n\n## 登录 {#login}\n<!-- pages: portal:login -->\n\n1. 登录。\n",
                                              encoding="utf-8")
    manuals.reload()
    assert 'href="/help/public/#report"' in client.get("/kuaiban/report/").content.decode()
    assert 'href="/help/public/"' in client.get("/kuaiban/progress/").content.decode()
    assert 'class="pt-help" href="/help/enterprise/#login"' in client.get("/portal/login/").content.decode()
    assert 'class="pt-help" href="/help/enterprise/"' in client.get("/portal/").content.decode()
    assert 'class="pt-help" href="/help/public/"' in client.get("/portal/concerns/").content.decode()
