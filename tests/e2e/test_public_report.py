"""R-KB-01 in a real phone-sized browser: a citizen files a case on the public
page (companions added and removed, a photo with preview and upload progress,
a server-side error fixed without losing anything) and sees the case number.
Screenshots: build/screenshots/report_form.png, report_error.png,
report_large.png, report_done.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from zhonglou_hrss.kuaiban.public import views as views_public
from zhonglou_hrss.kuaiban.models import Case
from tests.e2e.conftest import SCREENSHOT_DIR
from tests.kuaiban.conftest import id_number_for

pytestmark = pytest.mark.e2e

IGNORED = re.compile(r"favicon\.ico")


def real_problems(page_problems, page, *, downloads=False) -> list[str]:
    """Page problems, less the desk's missing favicon (a 404 whose console
    line names no address) and, after a download, the aborted navigation."""
    problems = page_problems(page)
    http_404 = [p for p in problems if p.startswith("HTTP 404")]
    # Chromium's own favicon request is not reported as a page response, only
    # as a console line: with no other 404 seen, that line is the favicon.
    only_favicon = all(IGNORED.search(p) for p in http_404)
    out = []
    for p in problems:
        if IGNORED.search(p) or (only_favicon and "status of 404" in p):
            continue
        if downloads and "ERR_ABORTED" in p and re.search(r"/kuaiban/qr/.+\.(png|pdf)", p):
            continue
        out.append(p)
    return out


def phone_photo(path):
    """A 2400×1800 JPEG with a GPS position, like a phone camera's."""
    image = Image.new("RGB", (2400, 1800), (90, 140, 200))
    draw = ImageDraw.Draw(image)
    for i in range(0, 2400, 60):
        draw.line([(i, 0), (2400 - i, 1800)], fill=(255, 255 - i // 10, i // 10), width=9)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 46.0, 37.5), 3: "E", 4: (119.0, 55.0, 31.0)})
    image.save(path, "JPEG", exif=exif, quality=95)
    return path


def cjk_fonts(page, selector):
    """Fonts Chromium really used for the element's text (CJK family = no tofu)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})
        node = cdp.send("DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": selector})
        return [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]]
    finally:
        cdp.detach()


def assert_fits_phone(page, inputs=True):
    """Nothing wider than the screen; inputs at least 44 px; body text at least 16 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if inputs:
        heights = page.evaluate(
            "[...document.querySelectorAll('.kb-input')].map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 44, heights
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16


def assert_submit_on_screen(page):
    box = page.locator("#kb-submit").bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 812, box


def test_file_a_case_on_a_phone(live_server, base_data, phone_page, screenshot, settings, monkeypatch, tmp_path,
                                page_problems):
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()
    page = phone_page
    page.goto("/kuaiban/report/?grid=320404002")

    expect(page.locator("#f-grid")).to_have_value("320404002")  # the poster's grid is pre-selected
    if views_public.weui_css():
        expect(page.locator('link[href$="vendor/weui/weui.min.css"]')).to_have_count(1)
    assert "区本级" not in page.locator("#f-grid").inner_text()
    assert any("CJK" in f for f in cjk_fonts(page, ".kb-header__title")), "中文没有用中文字体显示"
    assert_fits_phone(page)
    assert_submit_on_screen(page)  # sticky: reachable from the top of a long form

    # ID number and phone are checked as they are typed.
    page.locator("#f-reporter_name").fill("钱十一")
    page.locator("#f-reporter_id_number").fill("320404198001010011")
    expect(page.locator('[data-error-for="reporter_id_number"]')).to_have_text("身份证号校验位不正确，请核对")
    page.locator("#f-reporter_id_number").fill(id_number_for(4242))
    expect(page.locator('[data-error-for="reporter_id_number"]')).to_have_text("")
    page.locator("#f-reporter_phone").fill("23912345678")
    expect(page.locator('[data-error-for="reporter_phone"]')).to_contain_text("手机号格式不正确")
    page.locator("#f-reporter_phone").fill("13912345678")
    expect(page.locator('[data-error-for="reporter_phone"]')).to_have_text("")

    # The photo: preview before sending.
    page.locator("#f-photo").set_input_files(str(phone_photo(tmp_path / "IMG_20260301_101010.jpg")))
    expect(page.locator("#kb-photo-preview")).to_be_visible()
    expect(page.locator("#kb-photo-name")).to_contain_text("IMG_20260301_101010.jpg")

    # Companions: add two, remove the first; the second becomes 同行人员 1.
    page.get_by_role("button", name="＋ 添加同行人员").click()
    page.get_by_role("button", name="＋ 添加同行人员").click()
    rows = page.locator("[data-companion]:visible")
    expect(rows).to_have_count(2)
    rows.nth(0).locator('[name="companion_name"]').fill("要删掉的人")
    rows.nth(1).locator('[name="companion_name"]').fill("孙十二")
    rows.nth(1).locator('[name="companion_id_number"]').fill(id_number_for(4343))
    rows.nth(1).locator('[name="companion_phone"]').fill("13622223333")
    rows.nth(0).get_by_role("button", name="删除").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator("[data-companion-no]")).to_have_text("1")
    expect(rows.nth(0).locator('[name="companion_name"]')).to_have_value("孙十二")

    page.locator("#f-respondent_name").fill("常州某某五金制品有限公司")
    page.locator("#f-reason").select_option("wage_arrears")
    page.locator("#f-captcha").fill("PASSED")
    # 具体诉求 left empty on purpose: the server refuses, the page keeps everything.
    page.locator("#f-demand").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 120)")
    assert_fits_phone(page)
    assert_submit_on_screen(page)
    screenshot(page, "report_form")
    screenshot(page, "report_form_full", full_page=True)

    page.locator("#kb-submit").click()
    expect(page.locator('[data-error-for="demand"]')).to_have_text("请填写具体诉求")
    expect(page.locator("#kb-form-message")).to_be_visible()
    expect(page.locator("#f-reporter_name")).to_have_value("钱十一")
    expect(page.locator("#kb-photo-preview")).to_be_visible()  # the chosen photo is still there
    expect(page.locator("#f-captcha")).to_have_value("")  # a new captcha to answer
    assert Case.objects.count() == 0
    screenshot(page, "report_error")

    # The 大字 switch makes the text larger (and is remembered).
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kb-label')).fontSize)")
    page.get_by_role("button", name="大字").click()
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kb-label')).fontSize)")
    assert after >= before * 1.2
    page.locator("#f-demand").fill("2026年1月至3月工资共15000元未发放，要求公司支付。")
    page.locator("#f-captcha").fill("PASSED")
    assert_fits_phone(page)
    assert_submit_on_screen(page)
    screenshot(page, "report_large")
    page.get_by_role("button", name="大字").click()

    page.locator("#kb-submit").click()
    page.wait_for_url("**/kuaiban/report/done/")
    number = page.locator("#kb-case-number").inner_text().strip()
    assert re.fullmatch(r"KB\d{4}-\d{6}", number)
    expect(page.get_by_text("截屏保存")).to_be_visible()
    assert_fits_phone(page, inputs=False)
    screenshot(page, "report_done")

    case = Case.objects.get(number=number)
    assert case.status == "grid_pending" and case.grid.code == "320404002" and case.channel.code == "qr_public"
    assert [c.name for c in case.companions.all()] == ["孙十二"]
    assert case.reporter_photo
    photo = Image.open(settings.PRIVATE_UPLOADS_DIR / case.reporter_photo)
    assert not photo.getexif() and max(photo.size) <= 1920

    # The confirmation leads to the progress page with the number filled in.
    page.get_by_role("link", name="查询办理进度").click()
    expect(page.locator("#f-number")).to_have_value(number)
    page.locator("#f-phone").fill("13912345678")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".kb-status")).to_have_text("已登记，等待街道（镇）网格受理")
    assert "钱十一" not in page.content()
    assert_fits_phone(page, inputs=False)
    screenshot(page, "progress_result")

    assert [p for p in page_problems(page) if not IGNORED.search(p)] == []


def test_page_is_usable_without_weui(live_server, base_data, phone_page, screenshot, monkeypatch, page_problems):
    """The project's own stylesheet carries the page when WeUI's is not installed."""
    monkeypatch.setattr(views_public, "weui_css", lambda: "")
    page = phone_page
    page.goto("/kuaiban/report/")
    expect(page.locator('link[href*="weui"]')).to_have_count(0)
    assert_fits_phone(page)
    assert_submit_on_screen(page)
    page.get_by_role("button", name="＋ 添加同行人员").click()
    expect(page.locator("[data-companion]:visible")).to_have_count(1)
    assert_fits_phone(page)
    screenshot(page, "report_no_weui")
    assert [p for p in page_problems(page) if not IGNORED.search(p)] == []


def test_qr_poster_page_in_the_desk(live_server, base_data, make_user, desk_page, screenshot, page_problems):
    """R-KB-01: the clerk downloads the QR posters from the desk."""
    make_user("e2e_clerk", roles=["district_clerk"], password="E2e#pass2026")
    page = desk_page
    page.goto("/kuaiban/qr/")
    page.get_by_label("用户名").fill("e2e_clerk")
    page.get_by_label("密码").fill("E2e#pass2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/kuaiban/qr/")
    expect(page.locator("[data-poster]")).to_have_count(1 + 8)  # general + the street grids
    assert "区本级" not in page.locator("#qr-posters").inner_text()
    screenshot(page, "qr_posters")
    with page.expect_download() as download:
        page.locator('[data-poster="320404001"]').get_by_role("link", name="PNG").click()
    path = download.value.path()
    poster = Image.open(path)
    assert poster.format == "PNG" and poster.size == (1240, 1754)
    assert download.value.suggested_filename == "群众登记二维码-五星街道.png"
    # Keep the poster beside the screenshots, to look at.
    (SCREENSHOT_DIR / "qr_poster_320404001.png").write_bytes(Path(path).read_bytes())
    assert real_problems(page_problems, page, downloads=True) == []
