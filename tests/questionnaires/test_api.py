"""The questionnaire API as each role (fixed contract of issue 14): R-CR-05
(HR evaluation by approved enterprises, their HR-company lists), R-CR-08
(employee evaluation: entry, captcha, one per ID number / HR company / year),
R-PT-15 (valid / invalid with a reason), R-CR-06 (score corrections with a
reason), R-CR-07 / R-CR-09 (composites), and visibility."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.questionnaires.conftest import HR1, HR2, HR3, api_as, employee_body, full_answers, hr_body, this_year
from zhonglou_hrss.questionnaires.demo import id_number
from zhonglou_hrss.questionnaires.models import Response, ResponseEvent

pytestmark = pytest.mark.django_db


def test_definition_of_the_published_version_follows_the_contract(world):
    """issue 14 API: GET {key}/ → key, version, title, audience, sections with questions (no scores or weights)."""
    body = api_as().get("/api/v1/questionnaires/hr/").json()
    assert set(body) == {"key", "version", "title", "audience", "sections"}
    assert body["key"] == "hr" and body["version"] == 1 and body["audience"] == "enterprise_hr"
    questions = {q["code"]: q for s in body["sections"] for q in s["questions"]}
    assert set(questions["H01"]) == {"code", "type", "title", "required", "options", "scale", "show_if"}
    assert questions["H01"]["scale"] == {"min": 1, "max": 5, "labels": {"1": "很不满意", "2": "不满意", "3": "一般",
                                                                          "4": "满意", "5": "很满意"}, "na": "不适用"}
    assert questions["A7_other"]["show_if"] == {"question": "A7", "equals": "other"}
    assert questions["A7"]["options"][0] == {"code": "wage_arrears", "label": "拖欠或迟发工资"}
    assert api_as().get("/api/v1/questionnaires/nope/").status_code == 404


def test_unpublished_questionnaire_is_not_found(db):
    """A draft (the defaults after sync_fixtures) is not served."""
    assert api_as().get("/api/v1/questionnaires/hr/").status_code == 404


def test_employee_entry_lists_registered_enterprises_and_their_hr_companies(world):
    """R-CR-08: search the registered (approved) enterprises, then the HR companies on the chosen one's list."""
    found = api_as().get("/api/v1/questionnaires/entry/enterprises/", {"q": "测试41"}).json()
    assert found == [{"uscc": world.ent1.enterprise_account.enterprise.uscc, "name": "常州测试41号有限公司"}]
    assert api_as().get("/api/v1/questionnaires/entry/enterprises/", {"q": "测试43"}).json() == []  # pending
    uscc = found[0]["uscc"]
    companies = api_as().get(f"/api/v1/questionnaires/entry/enterprises/{uscc}/hr-companies/").json()
    assert companies == [{"uscc": HR1, "name": "常州甲人力资源有限公司"}, {"uscc": HR2, "name": "常州乙劳务派遣有限公司"}]
    assert api_as().get("/api/v1/questionnaires/entry/enterprises/9999/hr-companies/").status_code == 404


def test_my_hr_companies_get_post_delete(world):
    """R-CR-05: an approved enterprise keeps its list (USCC checked, linked to the registry); others are refused."""
    client = api_as(world.ent1)
    assert [c["uscc"] for c in client.get("/api/v1/credit/my-hr-companies/").json()] == [HR1, HR2]
    bad = client.post("/api/v1/credit/my-hr-companies/", {"uscc": "123", "name": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"uscc", "name"}
    added = client.post("/api/v1/credit/my-hr-companies/", {"uscc": HR3, "name": "常州丙人力资源有限公司"}, format="json")
    assert added.status_code == 201 and HR3 in [c["uscc"] for c in added.json()]
    again = client.post("/api/v1/credit/my-hr-companies/", {"uscc": HR3, "name": "常州丙人力资源有限公司"}, format="json")
    assert again.status_code == 409
    removed = client.delete("/api/v1/credit/my-hr-companies/", {"uscc": HR1}, format="json")
    assert removed.status_code == 200 and HR1 not in [c["uscc"] for c in removed.json()]
    assert client.delete("/api/v1/credit/my-hr-companies/", {"uscc": HR1}, format="json").status_code == 404
    assert api_as(world.pending).get("/api/v1/credit/my-hr-companies/").json() == {"detail": "账号待审核"}
    assert api_as(world.staff).get("/api/v1/credit/my-hr-companies/").status_code == 403
    assert api_as().get("/api/v1/credit/my-hr-companies/").status_code == 401


def test_hr_evaluation_once_per_enterprise_company_and_year(world):
    """R-CR-05: 201 with the score; a second one of the same company and year is 409; another company is fine;
    a company not on the list is refused naming target_uscc."""
    client = api_as(world.ent1)
    first = client.post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["score"] == 50.0  # every scale in its middle → 0.5
    second = client.post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json")
    assert second.status_code == 409 and "已评价过该单位" in second.json()["detail"]
    assert client.post("/api/v1/questionnaires/hr/responses/", hr_body(HR2), format="json").status_code == 201
    other = client.post("/api/v1/questionnaires/hr/responses/", hr_body(HR3), format="json")
    assert other.status_code == 400 and "target_uscc" in other.json()["errors"]
    response = Response.objects.get(pk=first.json()["id"])
    assert response.headcount == 10 and response.enterprise.uscc == world.ent1.enterprise_account.enterprise.uscc


def test_hr_evaluation_refused_to_pending_staff_and_anonymous(world):
    """R-CR-05: only approved enterprises evaluate."""
    assert api_as(world.pending).post("/api/v1/questionnaires/hr/responses/", hr_body(), format="json").json() == {
        "detail": "账号待审核"}
    assert api_as(world.staff).post("/api/v1/questionnaires/hr/responses/", hr_body(), format="json").status_code == 403
    assert api_as().post("/api/v1/questionnaires/hr/responses/", hr_body(), format="json").status_code == 401


def test_bad_answers_are_named_per_question_and_nothing_is_saved(world):
    """issue 14: 400 naming the questions; nothing half-saved."""
    answers = full_answers("hr")
    answers["H01"] = 9
    del answers["H02"]
    answers["A4a"] = "很多"
    answers["A7"] = ["other"]  # shows A7_other, which is then required
    response = api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(answers=answers), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["answers.H01"] == ["第H01题：请选择1到5之间的分值"]
    assert errors["answers.H02"] == ["第H02题“被派遣劳动者工资（经派遣单位发放）按时足额发放”为必答题"] or "answers.H02" in errors
    assert errors["answers.A4a"] == ["第A4a题：请填写数字"]
    assert "answers.A7_other" in errors
    assert not Response.objects.exists() and not ResponseEvent.objects.exists()


def test_employee_response_with_captcha_once_per_id_number(world):
    """R-CR-08: anyone with a captcha and an ID number; the same person again on the same company and year → 409;
    on another company → 201; a wrong captcha → 400 naming captcha_value and the other problems."""
    client = api_as()
    first = client.post("/api/v1/questionnaires/employee/responses/", employee_body(1), format="json")
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/questionnaires/employee/responses/", employee_body(1), format="json")
    assert again.status_code == 409 and "每人每年对同一单位只能评价一次" in again.json()["detail"]
    assert client.post("/api/v1/questionnaires/employee/responses/", employee_body(1, HR2), format="json").status_code == 201
    wrong = employee_body(2, answers={"E01": "maybe"})
    wrong["captcha_value"] = "xxxx"
    wrong["respondent"] = {"id_number": "320404199001011234"}
    bad = client.post("/api/v1/questionnaires/employee/responses/", wrong, format="json")
    assert bad.status_code == 400
    assert {"captcha_value", "answers.E01", "respondent.id_number"} <= set(bad.json()["errors"])


def test_employee_enterprise_must_list_the_company(world):
    """R-CR-08: the HR company comes from the chosen enterprise's list."""
    ent2_uscc = world.ent2.enterprise_account.enterprise.uscc
    body = employee_body(3, HR1, respondent={"id_number": id_number(3), "enterprise_uscc": ent2_uscc})
    response = api_as().post("/api/v1/questionnaires/employee/responses/", body, format="json")
    assert response.status_code == 400 and "target_uscc" in response.json()["errors"]


def test_id_number_never_stored_in_clear(world):
    """R-CR-08: the ID number only as a keyed hash and its masked form — inspect every column of the table."""
    number = id_number(5)
    api_as().post("/api/v1/questionnaires/employee/responses/", employee_body(5), format="json")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM questionnaires_response")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM questionnaires_responseevent")
        rows += cursor.fetchall()
    dump = repr(rows)
    assert rows and number not in dump and number[6:14] not in dump
    response = Response.objects.get()
    assert response.id_number_masked == number[:6] + "********" + number[-4:]
    assert len(response.id_number_hash) == 64


def test_visibility_enterprise_sees_only_its_own(world):
    """issue 14 visibility: an enterprise lists only the HR evaluations it gave; never employees' responses;
    staff list all with filters; a grid worker nothing."""
    api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR2), format="json")
    api_as(world.ent2).post("/api/v1/questionnaires/hr/responses/", hr_body(HR2), format="json")
    api_as().post("/api/v1/questionnaires/employee/responses/", employee_body(6, HR2), format="json")
    own = api_as(world.ent1).get("/api/v1/questionnaires/hr/responses/", {"year": this_year()}).json()["results"]
    assert [r["enterprise_name"] for r in own] == ["常州测试41号有限公司"]
    assert api_as(world.ent1).get("/api/v1/questionnaires/employee/responses/").json()["results"] == []
    staff = api_as(world.staff).get("/api/v1/questionnaires/hr/responses/", {"target_uscc": HR2}).json()
    assert staff["count"] == 2
    assert api_as(world.staff).get("/api/v1/questionnaires/employee/responses/").json()["count"] == 1
    assert api_as(world.outsider).get("/api/v1/questionnaires/hr/responses/").status_code == 403
    assert api_as().get("/api/v1/questionnaires/hr/responses/").status_code == 401


def test_review_invalid_with_reason_excluded_from_composites(world):
    """R-PT-15: 无效 needs a reason, is a timeline row, and leaves every score and count (R-CR-09)."""
    ids = []
    for n, value in ((11, 5), (12, 3), (13, 1)):
        body = employee_body(n, answers=full_answers("employee", value))
        ids.append(api_as().post("/api/v1/questionnaires/employee/responses/", body, format="json").json()["id"])
    staff = api_as(world.staff)
    before = staff.get("/api/v1/questionnaires/employee/composites/", {"year": this_year()}).json()
    assert before[0]["responses"] == 3
    no_reason = staff.post(f"/api/v1/questionnaires/responses/{ids[2]}/review/", {"valid": False}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["errors"] == {"reason": ["请填写理由"]}
    marked = staff.post(f"/api/v1/questionnaires/responses/{ids[2]}/review/",
                        {"valid": False, "reason": "重复提交"}, format="json")
    assert marked.status_code == 200 and marked.json()["valid"] is False
    assert ResponseEvent.objects.filter(response_id=ids[2], action="invalid", note="重复提交",
                                        actor=world.staff).exists()
    after = staff.get("/api/v1/questionnaires/employee/composites/", {"year": this_year()}).json()
    assert after == [{"uscc": HR1, "name": "常州甲人力资源有限公司", "responses": 2, "score": after[0]["score"]}]
    assert api_as(world.outsider).post(f"/api/v1/questionnaires/responses/{ids[0]}/review/",
                                       {"valid": True}, format="json").status_code == 403


def test_correction_with_reason_keeps_the_original(world):
    """R-CR-06: the HR questionnaire's score is the default; staff correct it with a reason, the original stays;
    the composite uses the corrected score."""
    created = api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR1), format="json").json()
    staff = api_as(world.staff)
    url = f"/api/v1/questionnaires/responses/{created['id']}/correct/"
    assert staff.post(url, {"score": 90}, format="json").status_code == 400
    assert staff.post(url, {"score": 190, "reason": "x"}, format="json").status_code == 400
    corrected = staff.post(url, {"score": "88.5", "reason": "企业来电更正H03"}, format="json").json()
    assert corrected["score"] == 50.0 and corrected["corrected_score"] == 88.5 and corrected["final_score"] == 88.5
    assert corrected["correction_reason"] == "企业来电更正H03"
    composites = staff.get("/api/v1/questionnaires/hr/composites/", {"year": this_year()}).json()
    assert composites == [{"uscc": HR1, "name": "常州甲人力资源有限公司", "responses": 1, "score": 88.5}]
    assert api_as(world.ent1).post(url, {"score": 100, "reason": "x"}, format="json").status_code == 403


def test_composites_by_headcount_for_hr_and_trimmed_mean_for_employees(world):
    """R-CR-07: HR composite weighted by headcount (A4a): ent1 30 people at 100, ent2 10 at 50 → 87.50.
    R-CR-09: employee composite by trimmed mean (10 %): 10 responses, the top and bottom dropped."""
    a = full_answers("hr", 5)
    a["A4a"] = 30
    b = full_answers("hr", 3)
    b["A4a"] = 10
    assert api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR2, a), format="json").json()["score"] == 100
    assert api_as(world.ent2).post("/api/v1/questionnaires/hr/responses/", hr_body(HR2, b), format="json").json()["score"] == 50
    hr = api_as(world.staff).get("/api/v1/questionnaires/hr/composites/", {"year": this_year()}).json()
    assert hr == [{"uscc": HR2, "name": "常州乙劳务派遣有限公司", "responses": 2, "score": 87.5}]
    scores = []
    for n in range(10):
        value = [1, 2, 3, 3, 3, 4, 4, 4, 5, 5][n]
        body = employee_body(100 + n, HR3, answers=full_answers("employee", value),
                             respondent={"id_number": id_number(100 + n)})
        scores.append(api_as().post("/api/v1/questionnaires/employee/responses/", body, format="json").json()["score"])
    ordered = sorted(scores)
    expected = round(sum(ordered[1:-1]) / 8, 2)
    employee = api_as(world.staff).get("/api/v1/questionnaires/employee/composites/", {"year": this_year()}).json()
    assert employee == [{"uscc": HR3, "name": "常州丙人力资源有限公司", "responses": 10, "score": expected}]
    assert api_as(world.staff).get("/api/v1/questionnaires/hr/composites/").status_code == 400
    assert api_as(world.ent1).get("/api/v1/questionnaires/hr/composites/", {"year": 2026}).status_code == 403
