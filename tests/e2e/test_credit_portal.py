"""The HR company's credit pages in a real browser (issue 15: R-CR-01, R-CR-02):
the approved company signs in on /portal/credit/, starts the year's
declaration, is refused a point over an item's cap (the message by the
field, all it typed kept), uploads an evidence picture with the progress
showing, saves the draft, submits with the pledge and the confirmation and
sees the timeline. At 1366×768 and 375×812 (build/screenshots/credit_portal_*.png),
no Content-Security-Policy violation, no failed request, nothing wider than
the screen; axe on each page."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.credit.conftest import YEAR, hr_company
from tests.conftest import PASSWORD
from tests.e2e.test_accessibility import AXE, Axe
from tests.e2e.test_csp import Violations
from tests.portal.conftest import registration
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.credit.models import CriteriaYear, Declaration, Evidence
from zhonglou_hrss.credit.services import declarations as services

pytestmark = pytest.mark.e2e

IGNORED = re.compile(r"favicon\.(ico|svg)|net::ERR_ABORTED")
SIZES = {"desk": "pc", "phone": "phone"}


def problems(page_problems, page):
    return [p for p in page_problems(page) if not IGNORED.search(p)]


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


@pytest.fixture
def hr_world(live_server, base_data, make_user):
    """The default year with its window open today, an approved HR company
    (hrco1, the hr_demo1 of these tests), a pending one and a portal enterprise."""
    staff = make_user("e2e_credit", roles=["credit_staff"], name="信用管理员")
    portal_staff = make_user("e2e_portal", roles=["portal_staff"])
    today = timezone.localdate()
    CriteriaYear.objects.filter(year=YEAR).update(window_start=today - timedelta(days=1),
                                                  window_end=today + timedelta(days=60))
    approved = hr_company(1)
    decide_access(actor=staff, account_id=approved.pk, subsystem=Subsystem.CREDIT, approve=True)
    pending = hr_company(2)
    plain = register_account(data=registration(7, username="plain7"))
    decide_access(actor=portal_staff, account_id=plain.pk, subsystem=Subsystem.PORTAL, approve=True)
    return {"staff": staff, "approved": approved, "pending": pending, "plain": plain}


def evidence_picture(tmp_path):
    """A noisy photo (JPEG barely compresses noise: about 60 KB, so a slow line shows the progress)."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (160, 160), bytes(rng.randrange(256) for _ in range(160 * 160 * 3)))
    path = tmp_path / "经营场所照片.jpg"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    path.write_bytes(out.getvalue())
    return path


def credit_login(page, username="hrco1"):
    page.goto("/portal/credit/login/")
    page.get_by_label("登录账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_R_CR_02_the_company_fills_uploads_saves_and_submits(hr_world, request, page_problems, screenshot, tmp_path,
                                                             size):
    page = request.getfixturevalue(f"{size}_page")
    tag = SIZES[size]
    csp = Violations(page)
    page.goto("/portal/credit/")
    screenshot(page, f"credit_portal_{tag}_intro", full_page=True)
    credit_login(page)
    expect(page.locator("#credit-status-badge")).to_have_text("已通过")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用评价")).to_be_visible()
    screenshot(page, f"credit_portal_{tag}_home", full_page=True)
    fits(page)

    page.get_by_role("button", name=f"开始填写{YEAR}年度申报").click()
    expect(page.locator("#declaration-status")).to_have_text("草稿")
    expect(page.locator("#category-BI h2")).to_contain_text("基本指标")
    expect(page.locator("#category-GC h2")).to_contain_text("良好信用信息")
    expect(page.locator("#item-BI-01")).to_contain_text("本项最多5分")
    declaration = Declaration.objects.get()
    inputs = page.locator("input[name^=points-]")
    for n in range(inputs.count()):
        inputs.nth(n).fill("1")
    page.locator("#id_points-BI-02").fill("2")  # its cap is 1
    page.locator("#id_note-BI-01").fill("2016年首次取得许可，已满9年")
    screenshot(page, f"credit_portal_{tag}_form", full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#err-points-BI-02")).to_contain_text("该指标最多1分")
    expect(page.locator("#id_points-BI-01")).to_have_value("1")
    expect(page.locator("#id_note-BI-01")).to_have_value("2016年首次取得许可，已满9年")
    assert not declaration.lines.filter(self_points__isnull=False).exists()  # nothing half-saved
    page.locator("#item-BI-02").scroll_into_view_if_needed()
    screenshot(page, f"credit_portal_{tag}_form_errors")
    page.locator("#id_points-BI-02").fill("1")

    # The evidence picture for BI-03, uploaded at once on a slow line (20 KB/s up): the progress shows.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 50, "downloadThroughput": -1,
                                                  "uploadThroughput": 20 * 1024})
    page.locator("#id_evidence-BI-03").set_input_files(str(evidence_picture(tmp_path)))
    progress = page.locator("#item-BI-03 [data-upload-progress]")
    expect(progress).to_be_visible()
    expect(progress.locator("[data-upload-text]")).to_contain_text("正在上传“经营场所照片.jpg”")
    page.wait_for_function("document.querySelector('#item-BI-03 progress').value > 0")
    page.evaluate("document.querySelector('#item-BI-03 [data-upload-progress]').scrollIntoView({block: 'center'})")
    screenshot(page, f"credit_portal_{tag}_uploading")
    expect(page.locator("#item-BI-03 [data-evidence-list]")).to_contain_text("经营场所照片.jpg", timeout=30_000)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    expect(progress.locator("[data-upload-text]")).to_contain_text("已上传")
    assert Evidence.objects.get().line.item.code == "BI-03"

    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#declaration-saved")).to_be_visible()
    expect(page.locator("#item-BI-03")).to_contain_text("经营场所照片.jpg")
    assert Evidence.objects.count() == 1  # the field was emptied after its upload: not sent twice
    screenshot(page, f"credit_portal_{tag}_saved", full_page=True)

    page.get_by_label(re.compile("本企业承诺")).check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator("#declaration-submitted")).to_be_visible()
    expect(page.locator("#declaration-status")).to_have_text("已提交（待初评）")
    expect(page.locator("input[name^=points-]")).to_have_count(0)
    timeline = page.locator("#declaration-timeline")
    for step in ("创建申报", "上传证明材料", "保存申报", "提交申报"):
        expect(timeline).to_contain_text(step)
    screenshot(page, f"credit_portal_{tag}_submitted", full_page=True)
    declaration.refresh_from_db()
    assert declaration.status == "submitted"
    assert not declaration.lines.filter(self_points__isnull=True).exists()
    fits(page)
    assert csp.found() == []
    assert problems(page_problems, page) == []


def test_R_CR_01_pending_company_and_a_returned_declaration_on_a_phone(hr_world, phone_page, page_problems,
                                                                       screenshot):
    page = phone_page
    # a returned declaration: the reason on top, the returned item highlighted
    user = hr_world["approved"].user
    d = services.create_declaration(actor=user, year=YEAR)
    codes = list(d.lines.values_list("item__code", flat=True))
    services.save_declaration(actor=user, declaration_id=d.pk,
                              data=services.DeclarationInput([services.LineInput(c, 1, "") for c in codes]))
    services.submit_declaration(actor=user, declaration_id=d.pk)
    services.return_declaration(actor=hr_world["staff"], declaration_id=d.pk, reason="BI-02 请补充工商变更记录",
                                items=["BI-02"])
    credit_login(page)
    page.goto(f"/portal/credit/declarations/{d.pk}/")
    expect(page.locator("#declaration-returned")).to_contain_text("BI-02 请补充工商变更记录")
    expect(page.locator("#item-BI-02.cr-item--returned")).to_be_visible()
    expect(page.locator("input[name^=points-]")).to_have_count(1)
    page.locator("#item-BI-02").scroll_into_view_if_needed()
    screenshot(page, "credit_portal_phone_returned")
    fits(page)
    page.context.clear_cookies()
    credit_login(page, "hrco2")
    expect(page.locator("#credit-status-badge")).to_have_text("待审核")
    screenshot(page, "credit_portal_phone_pending", full_page=True)
    assert problems(page_problems, page) == []


@pytest.fixture
def axe(browser, live_server, screenshot):
    if not AXE.exists():
        pytest.skip("没有找到 axe-core：先运行 make frontend")
    checker = Axe(browser, live_server, screenshot)
    yield checker
    checker.close()


@pytest.mark.parametrize("kind", ["desk", "phone"])
def test_axe_on_the_credit_portal_pages(hr_world, axe, kind):
    user = hr_world["approved"].user
    d = services.create_declaration(actor=user, year=YEAR)
    services.add_evidence(actor=user, declaration_id=d.pk, item="BI-01", upload=_pdf())
    tag = SIZES[kind]
    anonymous = axe.page(kind)
    for name, url in (("intro", "/portal/credit/"), ("register", "/portal/credit/register/"),
                      ("login", "/portal/credit/login/")):
        anonymous.goto(url)
        axe.check(anonymous, f"credit_portal_{tag}_{name}")
    anonymous.goto("/portal/credit/register/")
    anonymous.get_by_role("button", name="提交注册").click()  # every field's message by its field
    axe.check(anonymous, f"credit_portal_{tag}_register_errors")
    page = axe.page(kind)
    credit_login(page)
    for name, url in (("home", "/portal/credit/"), ("declaration", f"/portal/credit/declarations/{d.pk}/"),
                      ("profile", "/portal/credit/profile/")):
        page.goto(url)
        axe.check(page, f"credit_portal_{tag}_{name}")
    page.goto(f"/portal/credit/declarations/{d.pk}/")
    page.locator("#id_points-BI-02").fill("5")
    page.get_by_role("button", name="保存草稿").click()
    axe.check(page, f"credit_portal_{tag}_declaration_errors")
    services.save_declaration(actor=user, declaration_id=d.pk, data=services.DeclarationInput(
        [services.LineInput(c, 0, "") for c in d.lines.values_list("item__code", flat=True)]))
    services.submit_declaration(actor=user, declaration_id=d.pk)
    page.goto(f"/portal/credit/declarations/{d.pk}/")
    axe.check(page, f"credit_portal_{tag}_declaration_submitted")
    plain = axe.page(kind)
    credit_login(plain, "plain7")
    axe.check(plain, f"credit_portal_{tag}_apply")
    axe.assert_clean()


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def test_R_CR_02_the_form_works_without_script(hr_world, browser, live_server, page_problems, screenshot, tmp_path):
    """Script off: the evidence file goes with 保存草稿 in the one multipart form; submit asks through the pledge."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 768})
    page = page_problems.watch(context.new_page())
    try:
        credit_login(page)
        page.get_by_role("button", name=f"开始填写{YEAR}年度申报").click()
        inputs = page.locator("input[name^=points-]")
        for n in range(inputs.count()):
            inputs.nth(n).fill("0")
        page.locator("#id_evidence-BI-03").set_input_files(str(evidence_picture(tmp_path)))
        page.get_by_role("button", name="保存草稿").click()
        expect(page.locator("#declaration-saved")).to_be_visible()
        expect(page.locator("#item-BI-03 [data-evidence-list]")).to_contain_text("经营场所照片.jpg")
        page.get_by_role("button", name="提交申报").click()  # no pledge ticked: refused by the box
        expect(page.locator("#err-pledge")).to_be_visible()
        assert Declaration.objects.get().status == "draft"
        page.get_by_label(re.compile("本企业承诺")).check()
        page.get_by_role("button", name="提交申报").click()
        expect(page.locator("#declaration-status")).to_have_text("已提交（待初评）")
        screenshot(page, "credit_portal_pc_submitted_noscript")
        assert Evidence.objects.count() == 1
        assert problems(page_problems, page) == []
    finally:
        context.close()
