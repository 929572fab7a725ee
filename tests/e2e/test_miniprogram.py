"""码上办's phone client (issue 16) in a real browser: the H5 build of the mini
program (clients/miniprogram), served by Django under /m/, driven in Chromium
at 375×667 against the live test server.

- an enterprise registers, sees 待审核 and the pending explanation, staff
  approve it through the API, it logs in, a talent demand refused by the
  server (errors next to the fields) is fixed and submitted (R-PT-03, 05, 06);
- a job-fair registration with attendees and positions, a wrong ID number
  refused, the stamped form picked as an image and uploaded with progress,
  submitted (R-PT-08, 10);
- 急难愁盼 with a wrong captcha, a network failure retried with what was
  typed kept, then the status look-up (R-PT-11);
- the employee questionnaire from a QR link: enterprise → HR company →
  answers (R-CR-08);
- news search and detail, the larger-text setting, a 401 explained.

Every page's screenshot: build/screenshots/mp_*.png. No failed request, no
JavaScript error, no CSP violation, nothing wider than the phone.

The H5 build must exist: it is built once here with ``make miniprogram-h5``
when missing; without node/npm the tests are skipped, unless
ZHONGLOU_REQUIRE_BROWSER=1 (CI), where they fail."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.accounts import registration, uscc
from tests.e2e.conftest import REPO_DIR, _close, _new_page
from tests.e2e.test_csp import Violations
from tests.kuaiban.conftest import id_number_for
from tests.portal.jobfairs import make_fair
from tests.tokens import token_for
from zhonglou_hrss.core import captcha, custom_fields
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Concern, Demand, DemandStatus, Registration, RegistrationStatus
from zhonglou_hrss.questionnaires.demo import id_number
from zhonglou_hrss.questionnaires.models import Questionnaire, Response, VersionStatus
from zhonglou_hrss.questionnaires.services.definitions import publish
from zhonglou_hrss.portal.services.news import NewsInput, save_news
from zhonglou_hrss.questionnaires.services.hr_companies import add_hr_company

pytestmark = pytest.mark.e2e

PASSWORD = "E2e#pass2026"
VIEWPORT = {"width": 375, "height": 667}
IGNORED = re.compile(r"favicon\.(ico|svg)|net::ERR_ABORTED")
# The refusals a test provokes on purpose (a 400 with field errors).
REFUSED = re.compile(r"HTTP 400: |status of 400")


# --- the build ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def h5_build():
    """The H5 build under /m/: made once with `make miniprogram-h5` when missing."""
    index = django_settings.MINIPROGRAM_H5_DIR / "index.html"
    if not index.is_file():
        if not (shutil.which("node") and shutil.which("npm")):
            reason = "没有 Node.js/npm：无法构建码上办手机版（make miniprogram-h5），跳过其浏览器测试。安装：apt-get install nodejs npm"
            if os.environ.get("ZHONGLOU_REQUIRE_BROWSER", "").strip() in ("1", "true", "yes"):
                pytest.fail(f"ZHONGLOU_REQUIRE_BROWSER=1，但{reason}", pytrace=False)
            pytest.skip(reason)
        done = subprocess.run(["make", "miniprogram-h5"], cwd=REPO_DIR, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert index.is_file()
    return index.parent


@pytest.fixture
def phone(browser, live_server, request, page_problems, h5_build):
    """A 375×667 touch phone on the live server, watched for CSP violations."""
    context, page = _new_page(browser, live_server, page_problems, viewport=VIEWPORT, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    page.csp = Violations(page)
    yield page
    _close(context, page, request, "mp")


@pytest.fixture
def world(live_server, base_data, make_user, settings):
    settings.CAPTCHA_TEST_MODE = False  # the real captcha: the test reads the key off the image
    cache.clear()
    staff = make_user("e2e_mp_staff", roles=["portal_staff"], name="陈就业", password=PASSWORD)
    return {"staff": staff}


def shot(screenshot, page, name):
    # From the top: the title bar is fixed, a full-page picture of a scrolled page
    # would draw it half-way down.
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(150)  # let the page's transition settle
    screenshot(page, f"mp_{name}", full_page=True)


def clean(page, page_problems, allow=None):
    """No failed request or script error (``allow``: the ones a test caused on purpose)."""
    found = [p for p in page_problems(page) if not IGNORED.search(p) and not (allow and allow.search(p))]
    assert found == [], found
    assert page.csp.found() == []
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url


def fill(page, selector, value):
    """uni-app's <input>/<textarea> are wrapped: type into the real control inside.
    Its H5 input passes a change on to the page's v-model at most every 100 ms
    (uni-h5 ``useValueSync``'s throttle): a second fill within that window reaches the
    page up to 100 ms later, and a tap right after it searched the old words (seen
    once on a busy CI machine). Wait out the window, as a person's typing does."""
    page.locator(f"{selector} input, {selector} textarea").first.fill(value)
    page.wait_for_timeout(120)


def field_error(page, name):
    return page.locator(f"#field-{name} .field__error")


def go(page, route):
    page.goto(f"/m/#/pages/{route}")


def solve_captcha(page):
    src = page.locator("#captcha-image img").get_attribute("src")
    key = re.search(r"/captcha/image/([^/]+)/", src).group(1)
    fill(page, "#captcha-value", captcha.answer_for(key))


def login(page, username, password=PASSWORD):
    go(page, "account/login")
    fill(page, "#login-username", username)
    fill(page, "#login-password", password)
    page.locator("#login-submit").click()
    expect(page.locator("#status-label")).to_be_visible()


def api(live_server, user, method, path, **kwargs):
    return requests.request(method, live_server.url + path, headers={"Authorization": f"Token {token_for(user)}"},
                            timeout=20, **kwargs)


# --- tests -------------------------------------------------------------------------------------
def test_R_PT_03_05_register_approve_login_and_submit_a_demand(world, phone, page_problems, screenshot, live_server):
    page = phone
    page.goto("/m/")
    expect(page.locator("#service-demands")).to_be_visible()
    shot(screenshot, page, "home")
    page.locator("#go-register").click()
    expect(page.locator("#register-submit")).to_be_visible()
    page.locator("#register-submit").click()  # nothing filled: every field named next to it
    expect(field_error(page, "username")).to_be_visible()
    expect(field_error(page, "uscc")).to_be_visible()
    shot(screenshot, page, "register_errors")
    fill(page, "#f-username", "mpent1")
    fill(page, "#f-password", PASSWORD)
    fill(page, "#f-uscc", uscc(61))
    fill(page, "#f-name", "常州码上办测试有限公司")
    page.locator("#f-industry").select_option("C")
    fill(page, "#f-address", "常州市钟楼区测试路1号")
    page.locator("#f-chain").select_option("new_energy")
    fill(page, "#f-profile", "一家在手机上注册的企业")
    fill(page, "#f-contact-name", "周联系")
    fill(page, "#f-contact-phone", "13900000061")
    shot(screenshot, page, "register")
    page.locator("#register-submit").click()
    expect(page.locator("#register-done")).to_contain_text("待审核")
    shot(screenshot, page, "register_done")

    # Signed in while pending: the status, and the services explain why they wait.
    login(page, "mpent1")
    expect(page.locator("#status-label")).to_have_text("待审核")
    shot(screenshot, page, "account_pending")
    go(page, "demands/list")
    expect(page.locator(".state--error")).to_contain_text("正在审核中")
    shot(screenshot, page, "demands_pending")

    # 就业后台 approve it through the API.
    pending = api(live_server, world["staff"], "GET", "/api/v1/portal/accounts/?status=pending").json()["results"]
    account_id = next(a["id"] for a in pending if a["username"] == "mpent1")
    assert api(live_server, world["staff"], "POST", f"/api/v1/portal/accounts/{account_id}/approve/").status_code == 200

    go(page, "account/me")
    expect(page.locator("#status-label")).to_have_text("已通过")
    shot(screenshot, page, "account_approved")
    page.locator("#go-demands").click()
    expect(page.locator("#demand-new")).to_be_visible()
    shot(screenshot, page, "demands_empty")
    page.locator("#demand-new").click()
    expect(page.locator("#demand-submit")).to_be_visible()
    fill(page, "#d-contact-name", "周联系")
    fill(page, "#d-contact-phone", "1390000")  # too short: the server says so next to it
    fill(page, "#d-workforce", "200")
    page.locator("#d-months .chip", has_text="3月").click()
    page.locator("#d-months .chip", has_text="4月").click()
    position = page.locator("#position-0")
    position.locator("select").nth(0).select_option("general_worker")
    fill(page, "#p0-headcount", "0")  # at least 1
    page.locator("#demand-submit").click()
    expect(field_error(page, "contact_phone")).to_be_visible()
    expect(field_error(page, "p0_headcount")).to_contain_text("需求人数")
    expect(page.locator("#banner")).to_contain_text("处需要修改")
    shot(screenshot, page, "demand_errors")
    assert not Demand.objects.exists()  # nothing half-saved

    fill(page, "#d-contact-phone", "13900000061")
    fill(page, "#p0-headcount", "10")
    selects = position.locator("select")
    selects.nth(1).select_option("contract")  # employment type
    fill(page, "#p0-salary-min", "4500")
    fill(page, "#p0-salary-max", "6000")
    selects.nth(2).select_option("18_25")
    selects.nth(3).select_option("senior_high")
    selects.nth(4).select_option("any")
    selects.nth(5).select_option("any")
    page.locator("#d-services .chip").first.click()
    shot(screenshot, page, "demand_form")
    page.locator("#demand-submit").click()
    expect(page.locator("#demand-status")).to_have_text("待审核")
    shot(screenshot, page, "demand_detail")
    demand = Demand.objects.get()
    assert demand.status == DemandStatus.PENDING and demand.company_name == "常州码上办测试有限公司"
    assert [p.headcount for p in demand.positions.all()] == [10]
    go(page, "demands/list")
    expect(page.locator("#demand-list")).to_contain_text("普工")
    shot(screenshot, page, "demands_list")
    clean(page, page_problems, allow=re.compile(r"HTTP 40[03]: |status of 40[03]"))  # the 400 and the pending 403


@pytest.fixture
def custom_world(world, make_user):
    """The bureau has put its own fields on the enterprises' demand form (issue 17): a
    required choice and an optional whole number, defined through the engine."""
    admin = make_user("e2e_mp_cf_admin", roles=["admin"])
    custom_fields.define(actor=admin, data={
        "object": "demand", "code": "channel", "label": "主要招聘渠道", "type": "choice", "public": True,
        "required": True, "order": 1, "help_text": "局里据此安排招聘会和网络招聘的场次",
        "choices": [{"code": "fair", "label": "现场招聘会"}, {"code": "online", "label": "网络招聘"}]})
    custom_fields.define(actor=admin, data={"object": "demand", "code": "interns", "label": "实习生人数",
                                            "type": "number", "public": True, "order": 2})
    account = register_account(data=registration(64, password=PASSWORD, name="常州钟楼自定义字段测试有限公司"))
    decide_access(actor=world["staff"], account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    return account


def test_R_PT_05_issue17_demand_with_the_bureaus_required_custom_field(custom_world, phone, page_problems, screenshot):
    """The demand form draws the bureau's fields; without the required one the server
    refuses and its message stands by that field (nothing saved); filled, it is
    accepted and the detail page shows the value by its label."""
    page = phone
    login(page, custom_world.user.username)
    go(page, "demands/form")
    expect(page.locator("#field-custom_channel")).to_contain_text("主要招聘渠道")
    expect(page.locator("#field-custom_channel .field__req")).to_be_visible()
    fill(page, "#d-contact-name", "周联系")
    fill(page, "#d-contact-phone", "13900000064")
    fill(page, "#d-workforce", "120")
    page.locator("#d-months .chip", has_text="5月").click()
    position = page.locator("#position-0")
    selects = position.locator("select")
    selects.nth(0).select_option("general_worker")
    fill(page, "#p0-headcount", "6")
    selects.nth(1).select_option("contract")
    fill(page, "#p0-salary-min", "4800")
    fill(page, "#p0-salary-max", "6500")
    selects.nth(2).select_option("18_25")
    selects.nth(3).select_option("senior_high")
    selects.nth(4).select_option("any")
    selects.nth(5).select_option("any")
    fill(page, "#cf-interns", "2")
    page.locator("#demand-submit").click()
    expect(page.locator("#field-custom_channel .field__error")).to_have_text("请填写主要招聘渠道")
    expect(page.locator("#cf-interns input")).to_have_value("2")  # what was typed stays
    page.locator("#field-custom_channel").scroll_into_view_if_needed()
    screenshot(page, "mp_custom_demand_errors")
    assert not Demand.objects.exists()  # nothing half-saved
    stored = page.evaluate("() => localStorage.getItem('mp.draft.demand-new')")
    assert '"interns":"2"' in stored  # in the page's draft with the other fields

    page.locator("#cf-channel").select_option("online")
    expect(page.locator("#field-custom_channel .field__error")).to_have_count(0)  # changed: its message goes
    page.locator("#field-custom_channel").scroll_into_view_if_needed()
    screenshot(page, "mp_custom_demand_form")
    page.locator("#demand-submit").click()
    expect(page.locator("#demand-status")).to_have_text("待审核")
    expect(page.locator("#cv-channel")).to_have_text("网络招聘")
    expect(page.locator("#cv-interns")).to_have_text("2")
    expect(page.locator(".uni-toast")).to_be_hidden()  # the "已提交审核" toast over the values
    shot(screenshot, page, "custom_demand_detail")
    demand = Demand.objects.get()
    assert demand.status == DemandStatus.PENDING and demand.custom == {"channel": "online", "interns": 2}
    clean(page, page_problems, allow=REFUSED)


@pytest.fixture
def fair_world(world, make_user):
    staff = world["staff"]
    account = register_account(data=registration(62, password=PASSWORD, name="常州钟晟精密机械有限公司"))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    fair = make_fair(staff, 1, days_ahead=30, name="2027年钟楼区春风行动招聘会")
    return {"account": account, "fair": fair, **world}


def stamped_photo(tmp_path):
    path = tmp_path / "盖章报名表.jpg"
    image = Image.new("RGB", (900, 1200), (250, 250, 250))
    for x in range(300, 600):
        for y in range(900, 930):
            image.putpixel((x, y), (200, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return path


def test_R_PT_08_10_job_fair_registration_with_an_uploaded_stamped_form(fair_world, phone, page_problems,
                                                                        screenshot, tmp_path):
    page = phone
    login(page, fair_world["account"].user.username)
    go(page, "jobfairs/list")
    fair = fair_world["fair"]
    expect(page.locator(f"#fair-{fair.pk}")).to_contain_text("2027年钟楼区春风行动招聘会")
    shot(screenshot, page, "jobfairs")
    page.locator(f"#register-{fair.pk}").click()
    expect(page.locator("#registration-save")).to_be_visible()
    fill(page, "#r-contact-name", "周联系")
    fill(page, "#r-contact-phone", "13900000062")
    fill(page, "#r-introduction", "招聘数控操作工")
    fill(page, "#a0-name", "张参会")
    page.locator("#a0-gender .chip", has_text="男").click()
    fill(page, "#a0-title", "人事经理")
    fill(page, "#a0-phone", "13700000001")
    fill(page, "#a0-id-number", "320404198001010011")  # wrong check digit
    page.locator("#add-attendee").click()
    fill(page, "#a1-name", "李参会")
    page.locator("#a1-gender .chip", has_text="女").click()
    fill(page, "#a1-title", "招聘专员")
    fill(page, "#a1-phone", "13700000002")
    fill(page, "#a1-id-number", id_number_for(702))
    fill(page, "#p0-title", "数控操作工")
    fill(page, "#p0-count", "5")
    page.locator("#p0-education").select_option("senior_high")
    fill(page, "#p0-salary-min", "5000")
    fill(page, "#p0-salary-max", "7000")
    page.locator("#registration-save").click()
    expect(field_error(page, "a0_id_number")).to_be_visible()
    expect(page.locator("#a1-name input")).to_have_value("李参会")  # everything typed stays
    shot(screenshot, page, "registration_errors")
    assert not Registration.objects.exists()
    fill(page, "#a0-id-number", id_number_for(701))
    shot(screenshot, page, "registration_form")
    page.locator("#registration-save").click()
    expect(page.locator("#registration-status")).to_have_text("草稿")
    shot(screenshot, page, "registration_draft")

    # The stamped form: picked as an image (the album or the camera on a phone), uploaded with progress.
    with page.expect_file_chooser() as chooser:
        page.locator("#pick-stamped").click()
    chooser.value.set_files(str(stamped_photo(tmp_path)))
    expect(page.locator("#stamped-name")).to_be_visible(timeout=20_000)
    expect(page.locator("#upload-progress")).to_be_visible()
    shot(screenshot, page, "registration_uploaded")
    page.locator("#registration-submit").click()
    expect(page.locator("#registration-status")).to_have_text("待审核")
    shot(screenshot, page, "registration_submitted")
    registration_row = Registration.objects.get()
    assert registration_row.status == RegistrationStatus.PENDING and registration_row.stamped_form_path
    assert registration_row.attendees.count() == 2 and registration_row.positions.count() == 1
    go(page, "jobfairs/mine")
    expect(page.locator("#registration-list")).to_contain_text("待审核")
    shot(screenshot, page, "registrations")
    clean(page, page_problems, allow=REFUSED)


def test_R_PT_11_concern_with_captcha_network_retry_and_lookup(world, phone, page_problems, screenshot):
    page = phone
    go(page, "concern/form")
    expect(page.locator("#captcha-image img")).to_have_attribute("src", re.compile("/captcha/image/"))
    fill(page, "#concern-name", "王群众")
    fill(page, "#concern-phone", "13812345678")
    fill(page, "#concern-details", "公司拖欠两个月工资，希望了解怎么维权。")
    fill(page, "#captcha-value", "WRONG")
    page.locator("#concern-submit").click()
    expect(field_error(page, "captcha_value")).to_be_visible()
    shot(screenshot, page, "concern_captcha_error")

    # The network fails once: the banner offers 重试, everything typed is still there (and in storage).
    solve_captcha(page)
    failures = {"left": 1}

    def drop_once(route):
        if failures["left"]:
            failures["left"] -= 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/v1/portal/concerns/", drop_once)
    page.locator("#concern-submit").click()
    expect(page.locator("#banner")).to_contain_text("网络连接失败")
    expect(page.locator("#concern-details textarea")).to_have_value("公司拖欠两个月工资，希望了解怎么维权。")
    stored = page.evaluate("() => localStorage.getItem('mp.draft.concern')")
    assert "拖欠" in stored
    shot(screenshot, page, "concern_network_error")
    page.locator("#retry").click()
    expect(page.locator("#concern-done")).to_be_visible()
    number = page.locator("#concern-number").inner_text()
    assert Concern.objects.get().number == number
    shot(screenshot, page, "concern_done")
    page.unroute("**/api/v1/portal/concerns/")

    page.locator("#concern-done .btn--primary").click()
    expect(page.locator("#lookup-number input")).to_have_value(number)
    fill(page, "#lookup-phone", "13812345678")
    page.locator("#lookup-submit").click()
    expect(page.locator("#lookup-result")).to_contain_text("新提交")
    shot(screenshot, page, "concern_lookup")
    clean(page, page_problems, allow=re.compile("INTERNET_DISCONNECTED|internetdisconnected|HTTP 400: |status of 400"))


@pytest.fixture
def questionnaire_world(world):
    staff = world["staff"]
    for questionnaire in Questionnaire.objects.all():
        publish(actor=None, version_id=questionnaire.versions.get(status=VersionStatus.DRAFT).pk)
    account = register_account(data=registration(63, password=PASSWORD, name="常州钟晟精密机械有限公司"))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    add_hr_company(actor=account.user, uscc=uscc(961), name="常州钟楼人力资源服务有限公司")
    add_hr_company(actor=account.user, uscc=uscc(962), name="常州龙城劳务派遣有限公司")
    return account


def test_R_CR_08_employee_questionnaire_from_a_qr_link(questionnaire_world, phone, page_problems, screenshot):
    page = phone
    go(page, "questionnaire/entry?key=employee")
    fill(page, "#enterprise-q", "钟晟")
    page.locator("#enterprise-search").click()
    expect(page.locator("#enterprise-results")).to_contain_text("常州钟晟精密机械有限公司")
    shot(screenshot, page, "questionnaire_search")

    # The QR code carries the enterprise: straight to its HR companies.
    uscc_of = questionnaire_world.enterprise.uscc
    go(page, f"questionnaire/entry?key=employee&enterprise={uscc_of}")
    page.reload()
    expect(page.locator("#chosen-enterprise")).to_have_text("常州钟晟精密机械有限公司")
    expect(page.locator("#hr-companies")).to_contain_text("常州龙城劳务派遣有限公司")
    shot(screenshot, page, "questionnaire_pick")
    page.locator("#hr-companies .cell", has_text="常州龙城劳务派遣有限公司").click()
    expect(page.locator("#field-q_A3")).to_be_visible()
    page.locator("#field-q_A3 .chip").nth(2).click()
    for code in ("E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09"):
        page.locator(f"#field-q_{code} .chip").first.click()
    for n in range(10, 19):  # leave E19 unanswered: the server names it
        page.locator(f"#field-q_E{n} .chip").nth(3).click()
    fill(page, "#q-id-number", id_number(4343))
    solve_captcha(page)
    page.locator("#answer-submit").click()
    expect(field_error(page, "q_E19")).to_be_visible()
    expect(page.locator("#q-id-number input")).to_have_value(id_number(4343))
    shot(screenshot, page, "questionnaire_error")
    page.locator("#field-q_E19 .chip").nth(8).click()
    solve_captcha(page)
    page.locator("#answer-submit").click()
    expect(page.locator("#answer-done")).to_contain_text("提交成功")
    shot(screenshot, page, "questionnaire_done")
    response = Response.objects.get()
    assert response.target.name == "常州龙城劳务派遣有限公司" and response.answers["E19"] == 8
    clean(page, page_problems, allow=REFUSED)


def test_news_search_detail_large_text_and_a_401(world, phone, page_problems, screenshot, live_server):
    save_news(actor=world["staff"], data=NewsInput(
        title="常州市稳岗返还政策问答（企业版）", published_on=timezone.localdate(), publisher="钟楼区人社局就业促进科",
        content_html="<p><strong>申请条件</strong>：上年度未裁员或裁员率低于规定比例。</p>"
                     "<script>window.hacked = 1</script><p>咨询电话见附件。</p>",
        pinned=True, is_published=True))
    page = phone
    go(page, "news/list")
    expect(page.locator("#news-results")).to_contain_text("稳岗返还")
    shot(screenshot, page, "news")
    fill(page, "#news-q", "没有这个词")
    page.locator("#news-search").click()
    expect(page.locator(".state--empty")).to_contain_text("没有找到")
    fill(page, "#news-q", "稳岗")
    page.locator("#news-search").click()
    page.locator("#news-results .cell").first.click()
    expect(page.locator("#news-article")).to_contain_text("申请条件")
    assert page.locator("#news-article script, #news-article [onerror]").count() == 0  # the rich text stays text
    shot(screenshot, page, "news_detail")

    go(page, "settings/index")
    page.locator("#large-text").click()
    expect(page.locator(".page--large")).to_be_visible()
    shot(screenshot, page, "settings_large_text")
    page.goto("/m/")
    expect(page.locator(".page--large")).to_be_visible()  # kept in storage
    shot(screenshot, page, "home_large_text")

    # A token the server no longer knows: back to the login page, which says why.
    page.evaluate("() => localStorage.setItem('mp.token', 'stale')")
    page.reload()
    go(page, "demands/list")
    expect(page.locator("#login-notice")).to_contain_text("登录已过期")
    shot(screenshot, page, "signed_out")
    assert page.evaluate("() => window.hacked") is None
    clean(page, page_problems, allow=re.compile("HTTP 401|status of 401"))


RUN_AXE = """async ([tags, structure]) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                                 resultTypes: ['violations']}))
    .violations.filter(v => v.impact === 'serious' || v.impact === 'critical' || structure.includes(v.id))
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"""


CONCERN_FIELDS = [  # one of every type the bureau may add (issue 17), on the public concern form
    {"code": "street", "label": "所在街道（社区）", "type": "text", "required": True, "help_text": "如：南大街街道"},
    {"code": "story", "label": "补充说明", "type": "long_text"},
    {"code": "age", "label": "年龄", "type": "number"},
    {"code": "owed", "label": "被拖欠金额（元）", "type": "decimal"},
    {"code": "since", "label": "问题发生日期", "type": "date"},
    {"code": "visited", "label": "是否已到窗口咨询", "type": "boolean"},
    {"code": "topic", "label": "问题类别", "type": "choice",
     "choices": [{"code": "wage", "label": "工资报酬"}, {"code": "insurance", "label": "社会保险"}]},
    {"code": "contact", "label": "方便联系的时间", "type": "multi_choice",
     "choices": [{"code": "am", "label": "上午"}, {"code": "pm", "label": "下午"}, {"code": "eve", "label": "晚上"}]},
]


def test_phone_client_pages_pass_axe(world, browser, live_server, h5_build, make_user, screenshot):
    """axe (WCAG 2.1 AA + best practice) finds nothing serious or critical on the
    phone client's pages (contrast, named controls, image text), and the structure
    the site's pages keep: a banner with the one level-one heading, a main landmark,
    every content inside a landmark. The concern form carries a custom field of
    every type (issue 17): their inputs, radios and check boxes are named too."""
    from tests.e2e.test_accessibility import AXE, LEVEL_ONE, STRUCTURE, TAGS

    admin = make_user("e2e_mp_axe_admin", roles=["admin"])
    for order, data in enumerate(CONCERN_FIELDS):
        custom_fields.define(actor=admin, data={"object": "concern", "public": True, "order": order, **data})
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=VIEWPORT, locale="zh-CN",
                                  device_scale_factor=2)
    page = context.new_page()
    found = {}
    for route in ("index/index", "news/list", "concern/form", "concern/lookup", "account/login", "account/register",
                  "jobfairs/list", "questionnaire/entry", "settings/index"):
        go(page, route)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        if route == "concern/form":
            expect(page.locator("#field-custom_contact")).to_contain_text("晚上")
            page.locator("#field-custom_visited .chip", has_text="否").click()
            page.locator("#field-custom_contact .check", has_text="下午").click()
            page.evaluate("window.scrollTo(0, 0)")  # the title bar is sticky: from the top (see shot)
            page.wait_for_timeout(150)
            screenshot(page, "mp_custom_concern_form", full_page=True)
        page.add_script_tag(path=str(AXE))
        problems = page.evaluate(RUN_AXE, [TAGS, sorted(STRUCTURE)])
        headings = page.evaluate(LEVEL_ONE)
        if len(headings) != 1:
            problems.append(f"one-h1: {headings}")
        if problems:
            found[route] = problems
    context.close()
    assert found == {}
