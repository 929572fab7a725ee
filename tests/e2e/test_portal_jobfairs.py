"""Job fairs in a real browser (issue 12: R-PT-08, 09, 10, 17, 18): an approved
enterprise signs in to the PC portal, adds attendee and position rows in
place, removes one, is refused for a wrong ID number (everything it typed
stays), uploads the stamped form with progress and submits; 就业后台 find it
in the review list of the latest fair, see the stamped form and approve it;
the enterprise sees 已通过. Every new page at 1366×768 and 375×812
(build/screenshots/jobfair_*.png), no Content-Security-Policy violation, no
failed request, nothing wider than the screen; axe on the portal pages."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.desk import PASSWORD, login
from tests.e2e.test_accessibility import Axe, AXE
from tests.e2e.test_csp import Violations
from tests.kuaiban.conftest import id_number_for
from tests.portal.conftest import registration
from tests.portal.jobfairs import make_fair, small_pdf
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Registration, RegistrationStatus
from zhonglou_hrss.portal.services.jobfairs import add_fair_attachment

pytestmark = pytest.mark.e2e

# A navigation may abort the icon's or another pending request.
IGNORED = re.compile(r"favicon\.(ico|svg)|net::ERR_ABORTED")
SIZES = {"desk": "pc", "phone": "phone"}


def problems(page_problems, page):
    return [p for p in page_problems(page) if not IGNORED.search(p)]


@pytest.fixture
def fairs(live_server, base_data, make_user):
    staff = make_user("e2e_jobfair", roles=["portal_staff"], name="陈就业", password=PASSWORD)
    account = register_account(data=registration(1, password=PASSWORD, name="常州钟晟精密机械有限公司"))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    older = make_fair(staff, 1, days_ahead=5, name="2026年钟楼区冬季专场招聘会")
    fair = make_fair(staff, 2, days_ahead=30, name="2027年钟楼区春风行动招聘会")
    add_fair_attachment(actor=staff, fair_id=fair.pk, upload=small_pdf("春风行动报名表（空白）.pdf"),
                        is_form_template=True)
    add_fair_attachment(actor=staff, fair_id=fair.pk, upload=small_pdf("参会须知.pdf"))
    return {"staff": staff, "account": account, "fair": fair, "older": older}


def stamped_scan(tmp_path):
    path = tmp_path / "盖章报名表.jpg"
    image = Image.new("RGB", (900, 1200), (250, 250, 250))
    for x in range(300, 600):
        for y in range(900, 910):
            image.putpixel((x, y), (200, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return path


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def portal_login(page):
    page.goto("/portal/login/")
    page.get_by_label("登录账号").fill("ent1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#status-badge")).to_have_text("已通过")


def fill_attendee(page, n, name, gender, title, phone, id_number):
    row = page.locator("#attendees [data-row]").nth(n)
    row.get_by_label("姓名").fill(name)
    row.get_by_label("性别").select_option(gender)
    row.get_by_label("职务").fill(title)
    row.get_by_label("手机号").fill(phone)
    row.get_by_label("身份证号").fill(id_number)


def fill_position(page, n, title, count, education, salary_min, salary_max, major=""):
    row = page.locator("#positions [data-row]").nth(n)
    row.get_by_label("岗位名称").fill(title)
    row.get_by_label("招聘人数").fill(count)
    row.get_by_label("学历要求").select_option(education)
    row.get_by_label("专业要求").fill(major)
    row.get_by_label("月薪下限（元）").fill(salary_min)
    row.get_by_label("月薪上限（元）").fill(salary_max)


def register_through_the_form(page, fairs, tag, screenshot, tmp_path):
    """The enterprise's whole registration in the portal; returns the registration."""
    fair = fairs["fair"]
    portal_login(page)
    page.get_by_role("link", name="招聘会", exact=True).click()
    expect(page.locator(f"#fair-{fair.pk}")).to_contain_text("春风行动报名表（空白）.pdf")
    expect(page.locator(f"#fair-{fairs['older'].pk}")).to_be_visible()
    screenshot(page, f"jobfair_{tag}_portal_list", full_page=True)
    page.locator(f"#fair-{fair.pk}").get_by_role("link", name="我要报名").click()
    expect(page.locator("#form-template-link")).to_contain_text("春风行动报名表（空白）.pdf")
    form_url = page.url
    page.get_by_label("招聘简介").fill("公司主营精密机械零部件，员工300余人，提供五险一金和职工宿舍。")

    # Rows in place: two attendees (a third added and removed), two positions.
    fill_attendee(page, 0, "张晓明", "male", "人事经理", "13700000001", id_number_for(501))
    page.get_by_role("button", name="＋ 增加参会人员").click()
    expect(page.locator("#attendees [data-row]")).to_have_count(2)
    assert page.url == form_url  # in place, not a round trip
    fill_attendee(page, 1, "李娟", "female", "招聘专员", "13700000002", "320404199001011234")  # wrong check digit
    page.get_by_role("button", name="＋ 增加参会人员").click()
    expect(page.locator("#attendees [data-row]")).to_have_count(3)
    expect(page.locator("#attendees [data-row]").nth(2).locator("[data-row-number]")).to_have_text("3")
    page.locator("#attendees [data-row]").nth(2).get_by_role("button", name="删除此人").click()
    expect(page.locator("#attendees [data-row]")).to_have_count(2)
    fill_position(page, 0, "数控车工", "5", "senior_high", "6000", "9000", major="机械加工")
    page.get_by_role("button", name="＋ 增加招聘岗位").click()
    expect(page.locator("#positions [data-row]")).to_have_count(2)
    fill_position(page, 1, "质量工程师", "2", "bachelor", "8000", "12000")
    page.locator("#positions [data-row]").nth(1).get_by_label("岗位描述").fill("负责来料和成品检验，熟悉三坐标。")
    page.locator("#id_stamped_form").set_input_files(str(stamped_scan(tmp_path)))
    expect(page.locator("#stamped-preview img")).to_be_visible()  # the chosen scan, before it is sent
    screenshot(page, f"jobfair_{tag}_portal_form", full_page=True)

    # The server refuses the second attendee's ID number: the error by that row, all else kept.
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#err-attendees-1-id_number")).to_be_visible()
    expect(page.locator("#id_attendees-1-name")).to_have_value("李娟")
    expect(page.locator("#id_positions-1-description")).to_have_value("负责来料和成品检验，熟悉三坐标。")
    expect(page.locator("#err-stamped_form")).to_contain_text("请重新选择文件")
    assert not Registration.objects.exists()
    screenshot(page, f"jobfair_{tag}_portal_form_errors", full_page=True)

    page.locator("#id_attendees-1-id_number").fill(id_number_for(502))
    page.locator("#id_stamped_form").set_input_files(str(stamped_scan(tmp_path)))
    # A slow line (20 KB/s up) so that the upload's progress shows.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 50, "downloadThroughput": -1,
                                                  "uploadThroughput": 20 * 1024})
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("[data-upload-progress]")).to_be_visible()
    expect(page.locator("[data-upload-text]")).to_contain_text("正在上传盖章报名表")
    screenshot(page, f"jobfair_{tag}_portal_uploading")
    expect(page.locator("#done")).to_contain_text("报名已提交审核")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    expect(page.locator("#registration-list")).to_contain_text("待审核")
    screenshot(page, f"jobfair_{tag}_portal_registrations", full_page=True)
    registration_ = Registration.objects.get()
    assert registration_.status == RegistrationStatus.PENDING and registration_.stamped_form_type == "image/jpeg"
    assert [a.name for a in registration_.attendees.all()] == ["张晓明", "李娟"]
    assert [p.title for p in registration_.positions.all()] == ["数控车工", "质量工程师"]

    page.get_by_role("link", name="修改", exact=True).click()
    expect(page.locator("#id_attendees-1-phone")).to_have_value("137****0002")
    screenshot(page, f"jobfair_{tag}_portal_edit", full_page=True)
    return registration_


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_an_enterprise_registers_and_staff_approve(fairs, live_server, request, page_problems, screenshot, tmp_path,
                                                   size):
    page = request.getfixturevalue(f"{size}_page")
    tag = SIZES[size]
    csp = Violations(page)
    registration_ = register_through_the_form(page, fairs, tag, screenshot, tmp_path)
    fits(page)

    # 就业后台 (the desk at the same size): the latest fair's list, the page, approve.
    staff_context = page.context.browser.new_context(base_url=live_server.url, viewport=page.viewport_size,
                                                     locale="zh-CN",
                                                     timezone_id="Asia/Shanghai")
    desk = page_problems.watch(staff_context.new_page())
    desk_csp = Violations(desk)
    try:
        login(desk, "e2e_jobfair")
        expect(desk.locator("#work-cards")).to_contain_text("待审核招聘会报名")
        desk.goto("/desk/portal/jobfair/")
        expect(desk.locator("#result_list")).to_contain_text("2027年钟楼区春风行动招聘会")
        screenshot(desk, f"jobfair_{tag}_desk_fairs")
        desk.goto(f"/desk/portal/jobfair/{fairs['fair'].pk}/")
        expect(desk.locator("#fair-attachments")).to_contain_text("报名表模板")
        screenshot(desk, f"jobfair_{tag}_desk_fair_page", full_page=True)
        desk.goto("/desk/portal/jobfair/new/")
        screenshot(desk, f"jobfair_{tag}_desk_fair_new", full_page=True)
        desk.goto("/desk/portal/registration/")
        expect(desk.locator("#fair-select")).to_have_value(str(fairs["fair"].pk))
        expect(desk.locator("#result_list")).to_contain_text("常州钟晟精密机械有限公司")
        screenshot(desk, f"jobfair_{tag}_desk_registrations")
        desk.locator("#fair-select").select_option(str(fairs["older"].pk))
        expect(desk.locator("#result_list")).to_have_count(0)  # nobody registered for the earlier fair
        desk.goto(f"/desk/portal/registration/{registration_.pk}/")
        expect(desk.locator("#stamped-form img")).to_be_visible()
        assert desk.locator("#stamped-form img").evaluate("img => img.naturalWidth") > 0
        expect(desk.locator("#attendees")).to_contain_text("137****0002")
        screenshot(desk, f"jobfair_{tag}_desk_registration_page", full_page=True)
        fits(desk)
        desk.once("dialog", lambda dialog: dialog.accept())
        desk.get_by_role("button", name="审核通过").click()
        expect(desk.locator("#registration-status")).to_have_text("已通过")
        expect(desk.locator("#timeline")).to_contain_text("审核通过")
        assert Registration.objects.get().status == RegistrationStatus.APPROVED
        assert desk_csp.found() == []
        assert problems(page_problems, desk) == []
    finally:
        staff_context.close()

    page.goto("/portal/registrations/")
    expect(page.locator("#registration-list")).to_contain_text("已通过")
    expect(page.locator("#registration-list")).not_to_contain_text("撤回")
    page.get_by_role("link", name="查看", exact=True).click()
    expect(page.locator("#registration-status")).to_have_text("已通过")
    expect(page.locator("body")).to_contain_text("不能再修改")
    screenshot(page, f"jobfair_{tag}_portal_approved", full_page=True)
    fits(page)
    assert csp.found() == []
    assert problems(page_problems, page) == []


def test_a_pdf_stamped_form_shows_in_a_frame(fairs, desk_page, page_problems, screenshot):
    """A PDF stamped form in the desk's frame: the frame's answer allows our own origin."""
    from zhonglou_hrss.portal.services.jobfairs import save_registration, set_stamped_form, submit_registration
    from tests.portal.jobfairs import registration_input

    user = fairs["account"].user
    reg = save_registration(actor=user, data=registration_input(fairs["fair"]))
    scan = io.BytesIO()
    Image.new("RGB", (595, 842), (255, 255, 255)).save(scan, format="PDF")  # a real one-page PDF
    set_stamped_form(actor=user, registration_id=reg.pk,
                     upload=SimpleUploadedFile("盖章报名表.pdf", scan.getvalue(), content_type="application/pdf"))
    submit_registration(actor=user, registration_id=reg.pk)
    csp = Violations(desk_page)
    login(desk_page, "e2e_jobfair")
    desk_page.goto(f"/desk/portal/registration/{reg.pk}/")
    frame = desk_page.locator("#stamped-form iframe")
    expect(frame).to_be_visible()
    desk_page.wait_for_load_state("networkidle")
    screenshot(desk_page, "jobfair_pc_desk_registration_pdf", full_page=True)
    assert csp.found() == []
    assert [p for p in problems(page_problems, desk_page) if "frame" in p.lower() or "refused" in p.lower()] == []


def test_axe_on_the_job_fair_pages(fairs, browser, live_server, screenshot):
    if not AXE.exists():
        pytest.skip("没有找到 axe-core：先运行 make frontend")
    from zhonglou_hrss.portal.services.jobfairs import save_registration, set_stamped_form, submit_registration
    from tests.portal.jobfairs import registration_input

    reg = save_registration(actor=fairs["account"].user, data=registration_input(fairs["fair"], attendees=2))
    checker = Axe(browser, live_server, screenshot)
    try:
        for kind in ("desk", "phone"):
            page = checker.page(kind)
            portal_login(page)
            for name, url in (("list", "/portal/jobfairs/"), ("registrations", "/portal/registrations/"),
                              ("form", f"/portal/registrations/{reg.pk}/"),
                              ("detail", f"/portal/registrations/{reg.pk}/?view=1")):
                page.goto(url)
                checker.check(page, f"jobfair_portal_{SIZES[kind]}_{name}")
        page = checker.page("desk")
        login(page, "e2e_jobfair")
        set_stamped_form(actor=fairs["account"].user, registration_id=reg.pk, upload=small_pdf())
        submit_registration(actor=fairs["account"].user, registration_id=reg.pk)
        for name, url in (("fairs", "/desk/portal/jobfair/"), ("fair", f"/desk/portal/jobfair/{fairs['fair'].pk}/"),
                          ("fair_new", "/desk/portal/jobfair/new/"), ("registrations", "/desk/portal/registration/"),
                          ("registration", f"/desk/portal/registration/{reg.pk}/")):
            page.goto(url)
            checker.check(page, f"jobfair_desk_{name}")
        checker.assert_clean()
    finally:
        checker.close()


def test_the_form_works_without_script(fairs, browser, live_server, page_problems, screenshot, tmp_path):
    """Script off: one row of each, a row added through the server, the file sent with the form."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 768})
    page = page_problems.watch(context.new_page())
    try:
        portal_login(page)
        page.goto(f"/portal/jobfairs/{fairs['fair'].pk}/register/")
        expect(page.locator("#attendees [data-row]")).to_have_count(1)
        page.get_by_label("招聘简介").fill("无脚本也能报名。")
        fill_attendee(page, 0, "王强", "male", "行政主管", "13700000003", id_number_for(503))
        page.get_by_role("button", name="＋ 增加招聘岗位").click()  # a round trip: one more (empty) row
        expect(page.locator("#positions [data-row]")).to_have_count(2)
        expect(page.locator("#id_attendees-0-name")).to_have_value("王强")
        fill_position(page, 0, "仓库管理员", "1", "junior_college", "4500", "6000")
        page.locator("#id_stamped_form").set_input_files(str(stamped_scan(tmp_path)))
        screenshot(page, "jobfair_pc_portal_form_noscript", full_page=True)
        page.get_by_role("button", name="提交审核").click()
        expect(page.locator("#done")).to_contain_text("报名已提交审核")
        registration_ = Registration.objects.get()
        assert registration_.status == RegistrationStatus.PENDING and registration_.positions.count() == 1
        assert problems(page_problems, page) == []
    finally:
        context.close()
