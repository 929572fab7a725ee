"""Public registration page, confirmation and progress look-up (R-KB-01), the
reporter's photo for desk users (R-KB-16), rate limits (core.ratelimit)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from zhonglou_hrss.kuaiban.models import Case, CaseStatus, GridRound
from zhonglou_hrss.kuaiban.public.views import NOT_FOUND, PHOTO_AGAIN

from tests.kuaiban.conftest import id_number_for

pytestmark = pytest.mark.django_db

REPORT = "/kuaiban/report/"
DONE = "/kuaiban/report/done/"
PROGRESS = "/kuaiban/progress/"
STREET_GRIDS = ["320404001", "320404002", "320404003", "320404004", "320404005", "320404006", "320404007",
                "320404116"]
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def _captcha_test_mode(settings):
    """'PASSED' answers the captcha."""
    settings.CAPTCHA_TEST_MODE = True


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def jpeg_with_gps(size=(800, 600)) -> bytes:
    """A real phone-like JPEG: EXIF with camera model and GPS position."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestMaker"
    exif[0x0110] = "TestPhone"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 46.0, 37.5), 3: "E", 4: (119.0, 55.0, 31.0)})
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(0x8825)  # the test photo really carries a location
    return data


def photo_file(data: bytes | None = None, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_with_gps() if data is None else data, content_type=content_type)


_n = iter(range(500, 10_000))


def form_data(**overrides) -> dict:
    n = next(_n)
    data = {
        "reporter_name": "李四", "reporter_id_number": id_number_for(n), "reporter_phone": "13912345678",
        "respondent_name": f"常州某某电子有限公司{n}", "reason": "wage_arrears", "grid": "320404001",
        "demand": f"三个月工资没有发（{n}）", "captcha_0": "testkey", "captcha_1": "PASSED",
        "photo": photo_file(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def private_files(settings) -> list[Path]:
    return [p for p in Path(settings.PRIVATE_UPLOADS_DIR).rglob("*") if p.is_file()]


def html(response) -> str:
    return response.content.decode()


# --- the page ----------------------------------------------------------------------------
def test_page_lists_street_grids_only(client):
    """R-KB-01: grid select offers street grids only — never 区本级."""
    response = client.get(REPORT)
    assert response.status_code == 200
    page = html(response)
    options = re.findall(r'<option value="(\d+)"', page.split('name="grid"')[1].split("</select>")[0])
    assert options == STREET_GRIDS
    assert "区本级" not in page
    for label in ("姓名", "身份证号", "手机号", "本人照片", "同行人员", "对方单位名称", "案由", "具体诉求", "验证码", "大字"):
        assert label in page
    assert 'name="captcha_0"' in page and 'name="captcha_1"' in page
    assert '<option value="wage_arrears">拖欠工资</option>' in page


def test_grid_from_qr_code_is_preselected(client):
    """R-KB-01: a per-grid poster's ?grid=<code> pre-selects that grid."""
    page = html(client.get(REPORT + "?grid=320404002"))
    assert '<option value="320404002" selected>永红街道</option>' in page
    assert " selected>" not in page.replace('<option value="320404002" selected>', "")
    # A district code (or nonsense) selects nothing.
    for code in ("320404", "nonsense"):
        page = html(client.get(REPORT + f"?grid={code}"))
        grid_select = page.split('name="grid"')[1].split("</select>")[0]
        assert " selected>" not in grid_select and f'value="{code}"' not in grid_select


# --- success --------------------------------------------------------------------------------
def test_success_creates_a_public_case_with_a_clean_photo(client, settings):
    """R-KB-01: a public case on the chosen street grid, photo re-encoded without EXIF/GPS."""
    before = Case.objects.count()
    response = client.post(REPORT, form_data(grid="320404002", companion_name=["王五", "赵六"],
                                              companion_id_number=[id_number_for(9001), id_number_for(9002)],
                                              companion_phone=["13700001111", ""]))
    assert response.status_code == 302 and response["Location"] == DONE
    assert Case.objects.count() == before + 1
    case = Case.objects.latest("id")
    assert case.source == "public" and case.channel.code == "qr_public"
    assert case.status == CaseStatus.GRID_PENDING
    assert case.registered_by is None
    assert GridRound.objects.filter(case=case, grid__code="320404002", outcome="").count() == 1
    assert [c.name for c in case.companions.all()] == ["王五", "赵六"]
    assert re.fullmatch(r"KB\d{4}-\d{6}", case.number)

    stored = Path(settings.PRIVATE_UPLOADS_DIR) / case.reporter_photo
    assert stored.is_file() and str(stored.resolve()).startswith(str(Path(settings.PRIVATE_UPLOADS_DIR).resolve()))
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert not image.getexif().get_ifd(0x8825)
        assert "exif" not in image.info

    done = client.get(DONE)
    assert done.status_code == 200
    page = html(done)
    assert case.number in page and "截屏" in page and "查询" in page
    assert "李四" not in page  # the confirmation shows the number, not personal data


def test_confirmation_is_only_for_the_submitter(client):
    """R-KB-01: the confirmation reads the visitor's own session — never another person's case."""
    client.post(REPORT, form_data())
    other = Client()
    response = other.get(DONE)
    assert response.status_code == 302 and response["Location"] == REPORT


def test_ajax_submission_answers_json_with_the_redirect(client):
    """R-KB-01: the page's script (upload progress) gets JSON; the case is the same."""
    response = client.post(REPORT, form_data(), **XHR)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "redirect": DONE}
    number = Case.objects.latest("id").number
    assert number in html(client.get(DONE))


def test_duplicate_within_minutes_shows_the_first_number(client, monkeypatch):
    """R-KB-01: the same complaint twice within minutes → the first case's number, no second case."""
    data = form_data()
    first = client.post(REPORT, data)
    number = Case.objects.latest("id").number
    count = Case.objects.count()
    monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda: timezone.now() + timedelta(minutes=3))
    data2 = dict(data, photo=photo_file(), demand="  " + data["demand"] + " ")
    second = Client().post(REPORT, data2, follow=True)
    assert first.status_code == 302
    assert Case.objects.count() == count
    assert second.status_code == 200 and number in html(second)


# --- bad input: everything shown, nothing saved -----------------------------------------------
def test_empty_form_shows_every_error_and_saves_nothing(client, settings):
    """R-KB-01: every field's error, in Chinese, next to its field; nothing saved."""
    before = Case.objects.count()
    response = client.post(REPORT, {"captcha_0": "testkey", "captcha_1": "PASSED"})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert set(errors) == {"reporter_name", "reporter_id_number", "reporter_phone", "respondent_name", "reason",
                           "grid", "demand", "photo"}
    page = html(response)
    for message in ("请填写上报人姓名", "请填写身份证号", "请填写手机号", "请填写对方单位名称", "请选择案由",
                    "请选择所属网格", "请填写具体诉求", "请上传本人照片"):
        assert message in page
    # each message sits in its field's error slot
    assert re.search(r'data-error-for="reporter_phone" role="alert">请填写手机号<', page)
    assert Case.objects.count() == before
    assert private_files(settings) == []


@pytest.mark.parametrize("field,value,message", [
    ("reporter_id_number", "320404198001010011", "身份证号校验位不正确"),
    ("reporter_phone", "1234567", "手机号格式不正确"),
])
def test_bad_id_or_phone_keeps_what_was_typed(client, settings, field, value, message):
    """R-KB-01: server-side check of ID number and phone; the form keeps the typed values."""
    before = Case.objects.count()
    data = form_data(**{field: value})
    response = client.post(REPORT, data)
    assert response.status_code == 200
    assert list(response.context["errors"]) == [field, "photo"]
    page = html(response)
    assert message in page
    for kept in (data["reporter_name"], data["respondent_name"], data["demand"], value):
        assert kept in page
    assert '<option value="320404001" selected>' in page and '<option value="wage_arrears" selected>' in page
    assert PHOTO_AGAIN in page  # the browser cannot keep a chosen file: say so
    assert Case.objects.count() == before
    assert private_files(settings) == []


def test_non_image_disguised_as_jpeg_is_refused(client, settings):
    """R-KB-01: the photo is checked by content, not by its name."""
    before = Case.objects.count()
    response = client.post(REPORT, form_data(photo=photo_file(b"MZ\x90\x00 not a picture at all" * 20, "me.jpg")))
    assert response.status_code == 200
    assert "无法识别该照片" in response.context["errors"]["photo"][0]
    assert Case.objects.count() == before
    assert private_files(settings) == []


def test_too_large_photo_is_refused(client, settings):
    """R-KB-01: the photo is size-limited (15 MB)."""
    before = Case.objects.count()
    big = b"\xff\xd8\xff\xe0" + b"\0" * (15 * 1024 * 1024 + 10)
    response = client.post(REPORT, form_data(photo=photo_file(big)))
    assert response.status_code == 200
    assert "照片过大" in response.context["errors"]["photo"][0]
    assert Case.objects.count() == before
    assert private_files(settings) == []


def test_companion_errors_are_shown_on_their_row(client):
    """R-KB-01: a companion's error ("companions[i].field") shows in that companion's row."""
    before = Case.objects.count()
    response = client.post(REPORT, form_data(companion_name=["王五", "赵六"],
                                             companion_id_number=[id_number_for(9003), "123"],
                                             companion_phone=["", ""]))
    assert Case.objects.count() == before
    page = html(response)
    assert re.search(r'data-error-for="companions\[1\]\.id_number"[^>]*>身份证号格式不正确', page)
    assert 'value="王五"' in page and 'value="赵六"' in page and 'value="123"' in page


def test_ajax_errors_name_the_rows_on_the_page(client):
    """R-KB-01: blank companion rows are dropped; errors still point at the right row on the page."""
    response = client.post(REPORT, form_data(companion_name=["", "赵六"], companion_id_number=["", "123"],
                                             companion_phone=["", ""], reporter_phone="12"), **XHR)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert set(body["errors"]) == {"reporter_phone", "companions[1].id_number"}
    assert body["captcha"]["key"] and body["captcha"]["image_url"].startswith("/captcha/image/")


def test_captcha_is_required(client, settings):
    """R-KB-01: no case without the captcha; the other fields' errors still show."""
    before = Case.objects.count()
    response = client.post(REPORT, form_data(captcha_1="WRONG", reporter_phone="12"))
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors["captcha"] == ["验证码不正确，请重新输入"]
    assert "reporter_phone" in errors
    response = client.post(REPORT, form_data(captcha_0=None, captcha_1=None))
    assert response.context["errors"]["captcha"] == ["请输入验证码"]
    assert Case.objects.count() == before
    assert private_files(settings) == []


def test_real_captcha_answer_is_accepted(client, settings):
    """R-KB-01: outside test mode, the answer of the shown captcha is what counts."""
    from zhonglou_hrss.core.captcha import answer_for

    settings.CAPTCHA_TEST_MODE = False
    page = html(client.get(REPORT))
    key = re.search(r'name="captcha_0" value="([\w.-]+)"', page).group(1)
    assert client.post(REPORT, form_data(captcha_0=key, captcha_1="PASSED")).status_code == 200
    page = html(client.get(REPORT))
    key = re.search(r'name="captcha_0" value="([\w.-]+)"', page).group(1)
    assert client.post(REPORT, form_data(captcha_0=key, captcha_1=answer_for(key).lower())).status_code == 302


def test_add_and_remove_companion_without_javascript(client):
    """R-KB-01: without JavaScript the add/remove buttons redraw the form; nothing is saved."""
    before = Case.objects.count()
    response = client.post(REPORT, form_data(_add_companion="1", companion_name=["王五"],
                                             companion_id_number=["x"], companion_phone=[""]))
    page = html(response)
    assert page.count("data-companion>") == 2 + 1  # two rows + the template
    assert 'value="王五"' in page and response.context["errors"] == {"photo": [PHOTO_AGAIN]}
    response = client.post(REPORT, form_data(_remove_companion="0", companion_name=["王五", "赵六"],
                                             companion_id_number=["", ""], companion_phone=["", ""]))
    page = html(response)
    assert 'value="王五"' not in page and 'value="赵六"' in page
    assert Case.objects.count() == before


# --- limits ------------------------------------------------------------------------------------
def test_limit_per_address(client, settings, monkeypatch):
    """R-KB-01: at most N new cases per address and hour, with a clear Chinese message."""
    settings.KUAIBAN_PUBLIC_REPORTS_PER_IP_HOUR = 2
    for _ in range(2):
        assert client.post(REPORT, form_data(), REMOTE_ADDR="10.1.1.1").status_code == 302
    count = Case.objects.count()
    response = client.post(REPORT, form_data(), REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "提交的登记过多" in html(response)
    assert Case.objects.count() == count
    ajax = client.post(REPORT, form_data(), REMOTE_ADDR="10.1.1.1", **XHR)
    assert ajax.status_code == 429 and "提交的登记过多" in ajax.json()["message"]
    # another address is not affected; the next hour the address may submit again
    assert client.post(REPORT, form_data(), REMOTE_ADDR="10.1.1.2").status_code == 302
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda: later)
    assert client.post(REPORT, form_data(), REMOTE_ADDR="10.1.1.1").status_code == 302


def test_limit_per_id_number(client, settings):
    """R-KB-01: at most N new cases per ID number and day, whatever the address."""
    settings.KUAIBAN_PUBLIC_REPORTS_PER_ID_DAY = 2
    id_number = id_number_for(7777)
    for i in range(2):
        response = client.post(REPORT, form_data(reporter_id_number=id_number), REMOTE_ADDR=f"10.2.0.{i}")
        assert response.status_code == 302
    count = Case.objects.count()
    response = client.post(REPORT, form_data(reporter_id_number=id_number.lower() + " "), REMOTE_ADDR="10.2.0.9")
    assert response.status_code == 429
    assert "该身份证号今天已提交多次登记" in response.context["errors"]["reporter_id_number"][0]
    assert Case.objects.count() == count
    assert client.post(REPORT, form_data(), REMOTE_ADDR="10.2.0.9").status_code == 302


def test_duplicates_do_not_count_against_the_limit(client, settings):
    """R-KB-01: re-sending the same complaint returns its number and uses no quota."""
    settings.KUAIBAN_PUBLIC_REPORTS_PER_IP_HOUR = 1
    data = form_data()
    assert client.post(REPORT, data).status_code == 302
    assert client.post(REPORT, dict(data, photo=photo_file())).status_code == 429  # quota used up by the first
    settings.KUAIBAN_PUBLIC_REPORTS_PER_IP_HOUR = 2
    assert client.post(REPORT, dict(data, photo=photo_file())).status_code == 302  # duplicate: no new case
    assert client.post(REPORT, form_data()).status_code == 302  # the second real case still fits


def test_rate_limit_unit(monkeypatch):
    """core.ratelimit: counts per identity and window; identities are not stored in clear."""
    from zhonglou_hrss.core.ratelimit import RateLimit

    limit = RateLimit("unit", limit=2, window=60)
    assert not limit.exceeded("a")
    assert limit.hit("a") == 1 and limit.hit("a") == 2
    assert limit.exceeded("a") and not limit.exceeded("b")
    assert not limit.exceeded("") and limit.hit(None) == 0
    key = limit._key("320404198001010011")
    assert "320404198001010011" not in key
    now = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr("zhonglou_hrss.core.clock.now", lambda: now)
    assert not limit.exceeded("a")


# --- progress look-up ---------------------------------------------------------------------------
@pytest.fixture
def public_case(client):
    data = form_data(reporter_phone="139 1234 5678", reporter_name="孙七", respondent_name="某某纺织有限公司",
                     demand="要求补发加班工资", companion_name=["周八"], companion_id_number=[id_number_for(8123)],
                     companion_phone=["13611112222"])
    client.post(REPORT, data)
    return Case.objects.latest("id"), data


def test_progress_finds_by_number_and_phone(client, public_case, people):
    """R-KB-01: number + the reporter's phone → status and dates; no personal data."""
    case, data = public_case
    response = client.post(PROGRESS, {"number": case.number.lower(), "phone": "13912345678"})
    assert response.status_code == 200
    page = html(response)
    assert case.number in page and "等待街道（镇）网格受理" in page
    assert "登记日期" in page and "尚未受理" in page
    for secret in ("孙七", data["reporter_id_number"], "13912345678", "139****5678", "某某纺织有限公司",
                   "要求补发加班工资", "周八", "13611112222", "五星街道", "拖欠工资"):
        assert secret not in page

    from zhonglou_hrss.kuaiban.services.transitions import perform

    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    page = html(client.post(PROGRESS, {"number": case.number, "phone": "+86 139-1234-5678"}))
    assert "街道（镇）网格正在调解处理" in page and "尚未受理" not in page and "尚未办结" in page
    assert "五星网格员" not in page


def test_progress_refuses_wrong_phone_and_wrong_number_alike(client, public_case):
    """R-KB-01: a wrong number and a wrong phone give the same answer."""
    case, _ = public_case
    wrong_phone = html(client.post(PROGRESS, {"number": case.number, "phone": "13912345679"}))
    wrong_number = html(client.post(PROGRESS, {"number": "KB2020-999999", "phone": "13912345678"}))
    assert NOT_FOUND in wrong_phone and NOT_FOUND in wrong_number
    assert case.number not in wrong_number
    strip = lambda page: re.sub(r'value="[^"]*"', "", re.sub(r"csrfmiddlewaretoken\" value=\"\w+\"", "", page))
    assert strip(wrong_phone) == strip(wrong_number)
    assert "等待" not in wrong_phone


def test_progress_limits_guessing(client, public_case, settings):
    """R-KB-01: failed look-ups per address are limited against enumeration."""
    settings.KUAIBAN_PROGRESS_FAILURES_PER_IP_HOUR = 3
    case, _ = public_case
    for i in range(3):
        client.post(PROGRESS, {"number": case.number, "phone": f"1391234000{i}"})
    response = client.post(PROGRESS, {"number": case.number, "phone": "13912345678"})
    assert response.status_code == 429 and "查询失败次数过多" in html(response)
    assert case.number not in html(response).split("</form>")[-1]
    assert client.post(PROGRESS, {"number": case.number, "phone": "13912345678"},
                       REMOTE_ADDR="10.9.9.9").status_code == 200


def test_progress_shows_closing_date(client, public_case, people):
    """R-KB-01: a finished case shows its closing date."""
    from zhonglou_hrss.kuaiban.services.transitions import perform

    case, _ = public_case
    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    perform(case_id=case.pk, action="grid_resolve", actor=people.grid1,
            data={"resolution_way": "mediation", "amount": "1200", "notes": "已调解，企业同意支付"})
    page = html(client.post(PROGRESS, {"number": case.number, "phone": "13912345678"}))
    assert "已办结（网格调解成功）" in page and "尚未办结" not in page
    assert "已调解，企业同意支付" not in page and "1200" not in page


def test_progress_page_prefills_number_from_confirmation(client):
    page = html(client.get(PROGRESS + "?number=KB2026-000123"))
    assert 'value="KB2026-000123"' in page


# --- the photo in the desk ------------------------------------------------------------------------
def test_photo_only_for_users_who_see_the_case(client, public_case, people):
    """R-KB-16: the photo is served to users who can see the case; 404 otherwise; login required."""
    case, _ = public_case
    url = reverse("kuaiban:case_photo", args=[case.pk])
    assert url == f"/kuaiban/cases/{case.pk}/photo/"

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/desk/login/" in anonymous["Location"]

    for user, expected in ((people.grid1, 200), (people.clerk, 200), (people.leader, 200), (people.grid2, 404),
                           (people.inspector1, 404)):
        c = Client()
        c.force_login(user, backend="zhonglou_hrss.core.auth.CachedModelBackend")
        response = c.get(url)
        assert response.status_code == expected, user.username
        if expected == 200:
            body = b"".join(response.streaming_content)
            assert Image.open(BytesIO(body)).format == "JPEG"
            assert response["Content-Type"] == "image/jpeg"
            assert "no-store" in response["Cache-Control"]
    c = Client()
    c.force_login(people.clerk, backend="zhonglou_hrss.core.auth.CachedModelBackend")
    assert c.get(reverse("kuaiban:case_photo", args=[case.pk + 1000])).status_code == 404


def test_photo_of_a_case_without_photo_is_404(people, new_case):
    case = new_case()
    c = Client()
    c.force_login(people.clerk, backend="zhonglou_hrss.core.auth.CachedModelBackend")
    assert c.get(reverse("kuaiban:case_photo", args=[case.pk])).status_code == 404


def test_json_error_body_is_valid(client):
    """R-KB-01: the script's error answer is JSON with Chinese messages."""
    response = client.post(REPORT, {"captcha_0": "k", "captcha_1": "PASSED"}, **XHR)
    body = json.loads(response.content)
    assert body["errors"]["reporter_name"] == ["请填写上报人姓名"]
    assert body["message"] == "填写内容有误，请按提示修改"
