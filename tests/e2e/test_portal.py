"""The enterprise portal (/portal/) and its back office in a real browser
(issue 12, first part): every page at 1366×768 and 375×812 with screenshots
(build/screenshots/portal_*.png), no Content-Security-Policy violation, no
failed request; a visitor sends a concern and looks it up; a company
registers and sees 待审核, a rejected one its reason; 就业后台 write news with
the editor (bold, a list, a picture uploaded), mark a concern and approve an
account in the desk."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_csp import Violations
from tests.portal.conftest import make_concern, make_news, registration, uscc
from zhonglou_hrss.core import captcha
from zhonglou_hrss.core.models import AccessStatus, EnterpriseAccount, Subsystem, SubsystemAccess
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Concern, News

pytestmark = pytest.mark.e2e

PASSWORD = "E2e#pass2026"
IGNORED = re.compile(r"favicon\.(ico|svg)")  # a navigation may abort the icon's request


def problems(page_problems, page):
    return [p for p in page_problems(page) if not IGNORED.search(p)]


@pytest.fixture
def portal(live_server, base_data, make_user):
    staff = make_user("e2e_portal", roles=["portal_staff"], name="陈就业", password=PASSWORD)
    for i in range(7):
        make_news(staff, i, days_ago=i * 3 + 1, pinned=i < 6,
                  title=["钟楼区冬季招聘活动安排", "新型学徒制培训补贴申报通知", "稳岗返还政策问答（企业版）",
                         "高校毕业生就业见习基地名单公示", "关于做好农民工工资支付工作的提醒",
                         "灵活就业人员社会保险补贴申领指南", "重点企业用工需求信息（第四季度）"][i],
                  content="<h2>一、适用对象</h2><p>在钟楼区依法登记注册的各类企业。</p><ol><li>登录门户</li><li>提交材料</li></ol>")
    approved = register_account(data=registration(1, password=PASSWORD, name="常州钟晟精密机械有限公司"))
    rejected = register_account(data=registration(3, password=PASSWORD, name="常州荷花池餐饮管理有限公司"))
    decide_access(actor=staff, account_id=approved.pk, subsystem=Subsystem.PORTAL, approve=True)
    decide_access(actor=staff, account_id=rejected.pk, subsystem=Subsystem.PORTAL, approve=False,
                  reason="营业执照上的企业名称与填写的不一致")
    return {"staff": staff, "approved": approved, "rejected": rejected}


def answer(page) -> str:
    return captcha.answer_for(page.locator("input[name=captcha_0]").input_value())


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_public_pages_and_a_concern(portal, request, page_problems, screenshot, size):
    page = request.getfixturevalue(f"{size}_page")
    tag = "pc" if size == "desk" else "phone"
    csp = Violations(page)
    page.goto("/portal/")
    expect(page.locator("#service-news li")).to_have_count(5)
    screenshot(page, f"portal_{tag}_home", full_page=True)

    page.get_by_role("link", name="更多资讯 ›").click()
    expect(page.locator("#news-count")).to_contain_text("共 7 条")
    page.get_by_label("关键词").fill("补贴")
    expect(page.locator("#news-count")).to_contain_text("共 2 条")  # htmx, as typed
    assert "q=%E8%A1%A5%E8%B4%B4" in page.url or "q=补贴" in page.url
    screenshot(page, f"portal_{tag}_news", full_page=True)
    page.get_by_role("link", name="新型学徒制培训补贴申报通知").click()
    expect(page.locator(".pt-richtext h2")).to_have_text("一、适用对象")
    screenshot(page, f"portal_{tag}_news_detail", full_page=True)

    page.goto("/portal/concerns/")
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("手机号").fill("13812345678")
    page.get_by_label("咨询内容").fill("公司拖欠了两个月工资，应该去哪里反映？")
    page.locator("#id_captcha_1").fill("WRONG")
    screenshot(page, f"portal_{tag}_concern_form", full_page=True)
    page.get_by_role("button", name="提交咨询").click()
    expect(page.locator("#field-captcha .pt-error")).to_be_visible()
    assert page.get_by_label("咨询内容").input_value().startswith("公司拖欠")  # nothing typed is lost
    page.get_by_role("button", name="看不清？换一张").click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_captcha_1").fill(answer(page))
    page.get_by_role("button", name="提交咨询").click()
    number = Concern.objects.get().number
    expect(page.locator("#concern-number")).to_have_text(number)
    screenshot(page, f"portal_{tag}_concern_done", full_page=True)

    page.get_by_role("link", name="查询进度").click()
    expect(page.get_by_label("咨询编号")).to_have_value(number)
    page.get_by_label("提交时填写的手机号").fill("13812345678")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#lookup-result")).to_contain_text("新提交")
    screenshot(page, f"portal_{tag}_concern_lookup", full_page=True)
    assert csp.found() == []
    assert problems(page_problems, page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_a_company_registers_and_sees_its_status(portal, request, page_problems, screenshot, size):
    page = request.getfixturevalue(f"{size}_page")
    tag = "pc" if size == "desk" else "phone"
    csp = Violations(page)
    page.goto("/portal/register/")
    screenshot(page, f"portal_{tag}_register", full_page=True)
    page.get_by_label("登录账号").fill("newco")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("统一社会信用代码").fill(uscc(20, valid=False))
    page.get_by_label("企业名称").fill("常州新闸汽车零部件有限公司")
    page.get_by_label("所属行业").select_option("C")
    page.get_by_label("所属产业链").select_option("nev_auto_parts")
    page.get_by_label("单位地址").fill("常州市钟楼区新闸街道1号")
    page.locator("#id_contact_name").fill("钱芳")
    page.get_by_label("联系人手机号").fill("13912340020")
    page.locator("#id_captcha_1").fill(answer(page))
    page.get_by_role("button", name="提交注册").click()
    expect(page.locator("#field-uscc .pt-error")).to_contain_text("校验位不符")
    screenshot(page, f"portal_{tag}_register_checksum", full_page=True)
    page.locator("#confirm-uscc input").check()
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_captcha_1").fill(answer(page))
    page.get_by_role("button", name="提交注册").click()
    expect(page.locator("#status-badge")).to_have_text("待审核")
    assert EnterpriseAccount.objects.get(user__username="newco").uscc_checksum_confirmed
    screenshot(page, f"portal_{tag}_account_pending", full_page=True)
    page.get_by_role("button", name="退出").click()
    # Signed out once home has loaded: going on at once aborts that load (a failed request, seen on a busy machine).
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业登录")).to_be_visible()

    page.goto("/portal/login/")
    screenshot(page, f"portal_{tag}_login", full_page=True)
    page.get_by_label("登录账号").fill("ent3")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#reject-reason")).to_contain_text("营业执照上的企业名称与填写的不一致")
    screenshot(page, f"portal_{tag}_account_rejected", full_page=True)
    page.get_by_role("link", name="修改资料").click()
    page.get_by_label("企业名称").fill("常州荷花池餐饮管理有限公司（更正）")
    screenshot(page, f"portal_{tag}_account_edit", full_page=True)
    page.get_by_role("button", name="保存并重新提交审核").click()
    expect(page.locator("#status-badge")).to_have_text("待审核")
    assert csp.found() == []
    assert problems(page_problems, page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def picture(tmp_path):
    path = tmp_path / "现场照片.jpg"
    image = Image.new("RGB", (320, 200), (30, 90, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_portal_staff_in_the_desk(portal, desk_page, page_problems, screenshot, tmp_path):
    page = desk_page
    csp = Violations(page)
    concern = make_concern(1, details="想了解灵活就业人员的社保补贴怎么申请")
    pending = register_account(data=registration(2, password=PASSWORD, name="常州永红纺织服装有限公司"))
    page.goto("/desk/login/")
    page.get_by_label("用户名").fill("e2e_portal")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#work-cards")).to_contain_text("新的急难愁盼")
    screenshot(page, "portal_desk_home")

    page.goto("/desk/portal/news/new/")
    page.get_by_label("标题").fill("2027年春风行动招聘会预告")
    page.get_by_label("发布人").fill("钟楼区人社局就业促进科")
    editor = page.locator("#news-editor .ql-editor")
    editor.click()
    page.keyboard.type("招聘会将于2月举行。")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("报名方式")
    page.keyboard.press("Control+b")
    page.keyboard.press("Enter")
    page.locator(".ql-toolbar button.ql-list[value=bullet]").click()
    page.keyboard.type("登录企业门户报名")
    with page.expect_file_chooser() as chooser:
        page.locator(".ql-toolbar button.ql-image").click()
    chooser.value.set_files(str(picture(tmp_path)))
    expect(editor.locator("img")).to_have_count(1)
    expect(editor.locator("img")).to_have_attribute("src", re.compile(r"^/media/portal/news/"))
    page.get_by_label("置顶（门户首页显示最近5条置顶资讯）").check()
    screenshot(page, "portal_desk_news_form", full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#result_list")).to_contain_text("2027年春风行动招聘会预告")
    screenshot(page, "portal_desk_news_list")
    news = News.objects.get(title="2027年春风行动招聘会预告")
    assert "<strong>报名方式</strong>" in news.content_html and "<ul><li>登录企业门户报名" in news.content_html
    assert '<img src="/media/portal/news/' in news.content_html and "&nbsp;" not in news.content_html

    page.goto(f"/desk/portal/news/{news.pk}/")  # the editor loads what was saved
    expect(page.locator("#news-editor .ql-editor strong")).to_have_text("报名方式")

    page.goto(f"/portal/news/{news.pk}/")
    expect(page.locator(".pt-richtext img")).to_be_visible()
    screenshot(page, "portal_pc_news_with_picture", full_page=True)

    page.goto("/desk/portal/concern/")
    expect(page.locator("#result_list")).to_contain_text(concern.number)
    screenshot(page, "portal_desk_concerns")
    page.goto(f"/desk/portal/concern/{concern.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="标记已查看").click()
    expect(page.locator("#concern-status")).to_have_text("已查看")
    expect(page.locator("#timeline")).to_contain_text("新提交 → 已查看")
    screenshot(page, "portal_desk_concern_page", full_page=True)

    page.goto("/desk/core/enterpriseaccount/?portal=pending")
    expect(page.locator("#result_list")).to_contain_text("常州永红纺织服装有限公司")
    screenshot(page, "portal_desk_accounts")
    page.goto(f"/desk/core/enterpriseaccount/{pending.pk}/")
    screenshot(page, "portal_desk_account_page", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#access-portal")).to_contain_text("已通过")
    assert SubsystemAccess.objects.get(account=pending).status == AccessStatus.APPROVED
    assert csp.found() == []
    assert problems(page_problems, page) == []
