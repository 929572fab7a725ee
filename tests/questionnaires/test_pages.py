"""The pages through HTTP as each role: the employee's phone flow (R-CR-08),
the enterprise's portal pages (R-CR-05), staff's review pages (R-PT-15,
R-CR-06), composites with the formula (R-CR-07, R-CR-09), posters and the
Excel exports of responses and composites."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.questionnaires.conftest import HR1, HR2, api_as, employee_body, full_answers, hr_body, this_year
from zhonglou_hrss.core import captcha
from zhonglou_hrss.questionnaires.demo import id_number
from zhonglou_hrss.questionnaires.models import Response, ResponseEvent
from zhonglou_hrss.questionnaires.selectors.forms import FIELD_PREFIX

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def form_data(answers: dict) -> dict:
    return {FIELD_PREFIX + k: v for k, v in answers.items()}


def captcha_fields(page: str) -> dict:
    key = page.split('name="captcha_0" value="')[1].split('"')[0]
    return {"captcha_0": key, "captcha_1": captcha.answer_for(key)}


def test_employee_phone_flow(world):
    """R-CR-08: search the enterprise, pick the HR company of its list, answer with ID number and captcha;
    a mistake keeps every answer and names the question; done says what happens next; again → clear message."""
    client = Client()
    ent_uscc = world.ent1.enterprise_account.enterprise.uscc
    search = client.get("/questionnaires/employee/", {"q": "测试41"})
    assert search.status_code == 200 and "zlq_device" in search.cookies
    assert f"?enterprise={ent_uscc}" in search.content.decode()
    pick = client.get("/questionnaires/employee/", {"enterprise": ent_uscc}).content.decode()
    assert "常州甲人力资源有限公司" in pick and f"target={HR1}" in pick
    url = f"/questionnaires/employee/answer/?enterprise={ent_uscc}&target={HR1}"
    page = client.get(url).content.decode()
    assert 'name="a_E01"' in page and "常州甲人力资源有限公司" in page and "<script>" not in page
    answers = full_answers("employee", 4)
    partial = dict(answers)
    del partial["E10"]
    wrong = client.post(url, {**form_data(partial), "id_number": id_number(200), **captcha_fields(page)})
    text = wrong.content.decode()
    assert wrong.status_code == 200 and "第E10题" in text and "为必答题" in text
    assert 'value="yes" checked' in text and id_number(200) in text  # nothing lost
    assert not Response.objects.exists()
    done = client.post(url, {**form_data(answers), "id_number": id_number(200), **captcha_fields(text)}, follow=True)
    body = done.content.decode()
    assert "提交成功" in body and "接下来会怎样" in body
    response = Response.objects.get()
    assert response.enterprise.uscc == ent_uscc and response.target.uscc == HR1 and response.device
    again_page = client.get(url).content.decode()
    again = client.post(url, {**form_data(answers), "id_number": id_number(200), **captcha_fields(again_page)})
    assert again.status_code == 409 and "每人每年对同一单位只能评价一次" in again.content.decode()


def test_employee_page_wrong_captcha_names_it(world):
    client = Client()
    ent_uscc = world.ent1.enterprise_account.enterprise.uscc
    url = f"/questionnaires/employee/answer/?enterprise={ent_uscc}&target={HR1}"
    client.get(url)
    response = client.post(url, {**form_data(full_answers("employee")), "id_number": id_number(201),
                                 "captcha_0": "bad", "captcha_1": "x"})
    assert response.status_code == 200 and "验证码" in response.content.decode()
    assert not Response.objects.exists()


def test_enterprise_portal_list_evaluate_and_edit(world):
    """R-CR-05: the enterprise adds an HR company (USCC checked), evaluates it for the year, sees it in its past
    reports and changes it before the collection closes (the same response, a timeline row)."""
    client = signed_in(world.ent1)
    page = client.get("/portal/evaluations/").content.decode()
    assert "常州甲人力资源有限公司" in page and "填写评价" in page
    bad = client.post("/portal/evaluations/", {"action": "add", "uscc": "91320404ABC", "name": ""}).content.decode()
    assert "统一社会信用代码应为18位" in bad and "请填写单位全称" in bad
    form_url = f"/portal/evaluations/{HR1}/{this_year()}/"
    form = client.get(form_url).content.decode()
    assert 'name="a_H01"' in form and "portal/portal." in form
    saved = client.post(form_url, form_data(full_answers("hr", 5)))
    assert saved.status_code == 302
    response = Response.objects.get()
    assert float(response.score) == 100.0
    client.post(form_url, form_data(full_answers("hr", 1)))
    response.refresh_from_db()
    assert float(response.score) == 0.0 and Response.objects.count() == 1
    assert ResponseEvent.objects.filter(response=response, action="updated").exists()
    listing = client.get("/portal/evaluations/").content.decode()
    assert "已评价（0.00分）" in listing and "历年评价" in listing


def test_portal_pages_refuse_pending_and_anonymous(world):
    assert "账号待审核" in signed_in(world.pending).get("/portal/evaluations/").content.decode()
    anonymous = Client().get("/portal/evaluations/")
    assert anonymous.status_code == 302 and "/portal/login/" in anonymous["Location"]


def test_staff_review_page_valid_invalid_and_correction(world):
    """R-PT-15 / R-CR-06 in the desk: the list filters, the response as the respondent saw it, the timeline."""
    made = api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json").json()
    employee = api_as().post("/api/v1/questionnaires/employee/responses/", employee_body(300, HR2), format="json").json()
    client = signed_in(world.staff)
    phone = client.get(f"/desk/questionnaires/response/{employee['id']}/as-seen/").content.decode()
    assert "答卷人提交时看到的页面（第1版），只读" in phone and id_number(300) not in phone
    assert id_number(300)[:6] + "********" in phone and "captcha_1" not in phone
    listing = client.get("/desk/questionnaires/response/", {"questionnaire__id__exact": Response.objects.get(
        pk=made["id"]).questionnaire_id})
    assert listing.status_code == 200 and "常州甲人力资源有限公司" in listing.content.decode()
    assert "常州乙劳务派遣有限公司" not in listing.content.decode()
    ent_uscc = world.ent1.enterprise_account.enterprise.uscc
    by_enterprise = client.get("/desk/questionnaires/response/", {"q": ent_uscc}).content.decode()
    assert "常州甲人力资源有限公司" in by_enterprise and "常州乙劳务派遣有限公司" not in by_enterprise
    by_target = client.get("/desk/questionnaires/response/", {"q": HR2, "flagged__exact": "0"}).content.decode()
    assert "常州乙劳务派遣有限公司" in by_target and "常州甲人力资源有限公司" not in by_target
    page = client.get(f"/desk/questionnaires/response/{made['id']}/view/").content.decode()
    assert 'name="a_H01"' in page and "disabled" in page and "处理记录" in page
    seen = client.get(f"/desk/questionnaires/response/{made['id']}/as-seen/").content.decode()
    assert "企业提交时看到的页面（第1版），只读" in seen and 'value="3" checked disabled' in seen and "portal/portal." in seen
    refused = client.post(f"/desk/questionnaires/response/{made['id']}/review/", {"valid": "0", "reason": ""},
                          follow=True)
    assert "请填写理由" in refused.content.decode()
    client.post(f"/desk/questionnaires/response/{made['id']}/review/", {"valid": "0", "reason": "企业填错单位"})
    client.post(f"/desk/questionnaires/response/{made['id']}/correct/", {"score": "66", "reason": "核实后更正"})
    response = Response.objects.get(pk=made["id"])
    assert not response.valid and float(response.corrected_score) == 66 and float(response.score) == 50
    page = client.get(f"/desk/questionnaires/response/{made['id']}/view/").content.decode()
    assert "标记无效" in page and "企业填错单位" in page and "核实后更正" in page
    assert signed_in(world.outsider).get(f"/desk/questionnaires/response/{made['id']}/view/").status_code in (302, 403,
                                                                                                            404)


def test_composites_page_shows_formula_and_the_responses_behind(world):
    """R-CR-07 / R-CR-09: per year and HR company, the composite, its formula and each response's score."""
    made = api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json").json()
    page = signed_in(world.staff).get("/desk/questionnaires/questionnaire/composites/",
                                      {"questionnaire": "hr", "year": this_year()}).content.decode()
    assert "按用工人数加权" in page and "Σ(答卷得分 × 用工人数)" in page and "第A4a题" in page
    assert f"#{made['id']}" in page and "常州甲人力资源有限公司" in page


def test_posters_per_enterprise(world):
    """R-CR-08: a per-enterprise QR poster of the employee page, printable from the desk."""
    client = signed_in(world.staff)
    ent_uscc = world.ent1.enterprise_account.enterprise.uscc
    page = client.get("/desk/questionnaires/questionnaire/posters/").content.decode()
    assert f"/questionnaires/employee/?enterprise={ent_uscc}" in page
    png = client.get(f"/desk/questionnaires/questionnaire/posters/{ent_uscc}/png/")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert signed_in(world.outsider).get("/desk/questionnaires/questionnaire/posters/").status_code in (302, 403)


def test_excel_exports_of_responses_and_composites(world, settings):
    """issue 14: responses with one column per question of the version; composites per HR company."""
    settings.RQ_QUEUES = getattr(settings, "RQ_QUEUES", {})
    api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json")
    client = signed_in(world.staff)
    started = client.post("/desk/questionnaires/questionnaire/exports/start/",
                          {"kind": "questionnaires_response", "questionnaire": "hr", "year": this_year()})
    assert started.status_code == 302
    job_page = client.get(started["Location"]).content.decode()
    assert "下载 Excel" in job_page, job_page[-1500:]
    download = client.get(started["Location"] + "download/")
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    header = [c.value for c in sheet[1]]
    assert "问卷得分" in header and header[-1].startswith("C3 ") and any(h.startswith("H15 ") for h in header)
    row = dict(zip(header, [c.value for c in sheet[2]]))
    assert row["被评价单位"] == "常州甲人力资源有限公司" and row["H01 " + header[[h[:4] for h in header].index("H01 ")][4:]] == "3"
    composite = client.post("/desk/questionnaires/questionnaire/exports/start/",
                            {"kind": "questionnaires_composite", "questionnaire": "hr", "year": this_year()})
    download = client.get(composite["Location"] + "download/")
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    assert [c.value for c in sheet[1]][:4] == ["统一社会信用代码", "单位名称", "有效答卷数", "综合得分"]
    assert sheet[2][0].value == HR1
    assert signed_in(world.outsider).post("/desk/questionnaires/questionnaire/exports/start/", {
        "kind": "questionnaires_response", "questionnaire": "hr"}).status_code in (302, 403)
