"""Definitions (issue 14): the YAML drafts load as the default definitions
(sync_fixtures, editable afterwards, never overwritten), versions (a version
with answers is frozen; editing makes a new draft; publishing starts a
period; old answers display and score as given), the desk editor and preview
as 信用评价管理员 / 就业后台, and the Excel definition round trip."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.questionnaires.conftest import HR1, api_as, full_answers, hr_body
from zhonglou_hrss.core.fixtures_sync import sync_base
from zhonglou_hrss.questionnaires.models import Question, Questionnaire, Response, Version, VersionStatus
from zhonglou_hrss.questionnaires.selectors.definitions import build_definition
from zhonglou_hrss.questionnaires.services.xlsform import workbook_of

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_default_drafts_load_once_and_are_not_overwritten(db):
    """issue 14 (R-CR-05, R-CR-08: content is data): sync_fixtures loaded both YAML drafts as draft version 1;
    an edit survives the next sync, and a deleted questionnaire is not brought back."""
    hr = Questionnaire.objects.get(key="hr")
    employee = Questionnaire.objects.get(key="employee")
    assert hr.aggregation == "headcount" and hr.headcount_question == "A4a"
    assert employee.aggregation == "trimmed"
    version = hr.versions.get()
    assert version.status == VersionStatus.DRAFT and version.questions.filter(scored=True).count() == 15
    assert float(sum(q.weight for q in version.questions.filter(scored=True, code__startswith="H") if q.code != "H15")) == 27
    question = version.questions.get(code="H01")
    question.title = "劳务派遣协议内容完整合法（已修改）"
    question.save()
    employee.delete()
    sync_base()
    assert Question.objects.get(pk=question.pk).title == "劳务派遣协议内容完整合法（已修改）"
    assert not Questionnaire.objects.filter(key="employee").exists()


def test_answered_version_is_frozen_and_a_new_draft_scores_differently(world):
    """issue 14 versions: after answers, version 1 cannot be edited in the desk; 新建草稿版本 copies it; the draft
    is edited (H01 weight) and published; old answers keep version 1 and their score, new ones use version 2."""
    old = api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(HR1, full_answers("hr", 5)),
                                  format="json").json()
    hr = Questionnaire.objects.get(key="hr")
    v1 = hr.versions.get(number=1)
    client = desk(world.staff)
    page = client.get(f"/desk/questionnaires/version/{v1.pk}/change/")
    assert page.status_code == 200 and "该版本已有答卷，不能修改或删除" in page.content.decode()
    # Posting to the frozen version changes nothing (no change permission).
    client.post(f"/desk/questionnaires/version/{v1.pk}/change/", {"title": "改不了"})
    v1.refresh_from_db()
    assert v1.title != "改不了"
    response = client.post(f"/desk/questionnaires/questionnaire/{hr.pk}/new-draft/")
    v2 = hr.versions.get(number=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/version/{v2.pk}/change/")
    assert v2.status == VersionStatus.DRAFT and v2.questions.count() == v1.questions.count()
    h01 = v2.questions.get(code="H01")
    form = client.get(f"/desk/questionnaires/question/{h01.pk}/change/")
    assert form.status_code == 200
    data = {"section": h01.section_id, "order": h01.order, "code": "H01", "type": "scale", "title": h01.title,
            "help_text": "", "required": "on", "scored": "on", "weight": "0", "scale_min": 1, "scale_max": 5,
            "scale_labels": '{"1": "很不满意", "5": "很满意"}', "scale_na": "不适用", "number_min": "", "number_max": "",
            "show_if_question": "", "show_if_equals": "",
            "options-TOTAL_FORMS": "0", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000"}
    saved = client.post(f"/desk/questionnaires/question/{h01.pk}/change/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Question.objects.get(pk=h01.pk).weight == 0
    published = client.post(f"/desk/questionnaires/version/{v2.pk}/publish/")
    assert published.status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED and v2.status == VersionStatus.PUBLISHED
    assert api_as().get("/api/v1/questionnaires/hr/").json()["version"] == 2
    answers = full_answers("hr", 5)
    answers["H01"] = 1  # weight 0 in version 2: no effect
    new = api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", {**hr_body(answers=answers), "target_uscc":
                                                                           "91320404000000902P"}, format="json").json()
    assert new["score"] == 100.0
    old_row, new_row = Response.objects.get(pk=old["id"]), Response.objects.get(pk=new["id"])
    assert old_row.version_id == v1.pk and new_row.version_id == v2.pk and float(old_row.score) == 100.0
    # The old response still shows in its own version's questions.
    shown = client.get(f"/desk/questionnaires/response/{old['id']}/view/").content.decode()
    assert "第1版" in shown and h01.title in shown


def test_publish_refuses_a_broken_draft(world):
    """issue 14: a draft with a condition on a later question cannot be published; the message names it."""
    hr = Questionnaire.objects.get(key="hr")
    client = desk(world.staff)
    client.post(f"/desk/questionnaires/questionnaire/{hr.pk}/new-draft/")
    draft = hr.versions.get(status=VersionStatus.DRAFT)
    question = draft.questions.get(code="H01")
    question.show_if_question = "H15"
    question.show_if_equals = "5"
    question.save()
    response = client.post(f"/desk/questionnaires/version/{draft.pk}/publish/", follow=True)
    assert "显示条件只能引用前面的题目" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_desk_editor_and_preview_by_role(world, make_user):
    """issue 14 desk: 信用评价管理员 and 就业后台 open the editor and the preview (the respondents' own page);
    a grid worker cannot."""
    hr = Questionnaire.objects.get(key="hr")
    employee = Questionnaire.objects.get(key="employee")
    for user in (world.staff, world.portal_staff):
        client = desk(user)
        assert client.get("/desk/questionnaires/questionnaire/").status_code == 200
        page = client.get(f"/desk/questionnaires/questionnaire/{hr.pk}/change/").content.decode()
        assert "新建 / 打开草稿版本" in page and "第1版" in page
        version = hr.versions.get(number=1)
        editor = client.get(f"/desk/questionnaires/version/{version.pk}/change/").content.decode()
        assert "H01" in editor and "预览（答卷人看到的样子）" in editor
        preview = client.get(f"/desk/questionnaires/version/{version.pk}/preview/").content.decode()
        assert "预览中不能提交" in preview and "portal/portal." in preview and 'name="a_H01"' in preview
        phone = client.get(f"/desk/questionnaires/version/{employee.versions.get().pk}/preview/").content.decode()
        assert "kuaiban/public." in phone and 'name="a_E01"' in phone and "身份证号" in phone
    assert desk(world.outsider).get("/desk/questionnaires/questionnaire/").status_code in (302, 403)


def test_excel_definition_round_trip(world):
    """issue 14: a definition exported to Excel (sheets survey and choices, Chinese headers) and imported back
    is the same definition, as a new draft version."""
    hr = Questionnaire.objects.get(key="hr")
    v1 = hr.versions.get(number=1)
    client = desk(world.staff)
    exported = client.get(f"/desk/questionnaires/version/{v1.pk}/export/")
    assert exported.status_code == 200
    book = load_workbook(BytesIO(exported.content))
    assert book.sheetnames[:2] == ["survey", "choices"]
    assert [c.value for c in book["survey"][1]][:4] == ["部分", "题目编号", "题型", "题目"]
    assert [c.value for c in book["choices"][1]] == ["题目编号", "选项编号", "选项文字", "得分"]
    upload = BytesIO(exported.content)
    upload.name = "hr.xlsx"
    imported = client.post(f"/desk/questionnaires/questionnaire/{hr.pk}/import/", {"file": upload})
    assert imported.status_code == 302
    v2 = hr.versions.get(number=2)
    first, second = build_definition(v1), build_definition(v2)
    for d in (first, second):
        d.pop("version"), d.pop("version_id"), d.pop("status")
    assert first == second
    assert workbook_of(v2)  # and it exports again


def test_excel_import_names_the_bad_rows(world):
    """issue 14: a workbook with a wrong type and an option of an unknown question is refused, naming them."""
    hr = Questionnaire.objects.get(key="hr")
    book = load_workbook(BytesIO(workbook_of(hr.versions.get())))
    book["survey"]["C2"] = "打分"
    book["choices"].append(["ZZZ", "a", "甲", 1])
    data = BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "bad.xlsx"
    response = desk(world.staff).post(f"/desk/questionnaires/questionnaire/{hr.pk}/import/", {"file": data})
    text = response.content.decode()
    assert response.status_code == 200 and "survey 第2行：题型“打分”不正确" in text and "ZZZ" in text
    assert hr.versions.count() == 1


def test_a_version_in_use_cannot_be_deleted(world):
    """issue 14: a version with answers can be neither edited nor deleted."""
    api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body(), format="json")
    v1 = Version.objects.get(questionnaire__key="hr", number=1)
    response = desk(world.staff).post(f"/desk/questionnaires/version/{v1.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Version.objects.filter(pk=v1.pk).exists()


def test_aggregation_rule_is_data_staff_change(world):
    """R-CR-07 / R-CR-09: the aggregation per questionnaire is chosen by staff in the desk; the composite and the
    formula on the page follow it."""
    a = full_answers("hr", 5)
    a["A4a"] = 30
    b = full_answers("hr", 3)
    b["A4a"] = 10
    api_as(world.ent1).post("/api/v1/questionnaires/hr/responses/", hr_body("91320404000000902P", a), format="json")
    api_as(world.ent2).post("/api/v1/questionnaires/hr/responses/", hr_body("91320404000000902P", b), format="json")
    year = hr_body()["year"]
    staff = api_as(world.staff)
    assert staff.get("/api/v1/questionnaires/hr/composites/", {"year": year}).json()[0]["score"] == 87.5
    hr = Questionnaire.objects.get(key="hr")
    count = hr.versions.count()
    response = desk(world.staff).post(f"/desk/questionnaires/questionnaire/{hr.pk}/change/", {
        "key": "hr", "title": hr.title, "audience": "enterprise_hr", "aggregation": "mean", "trim_percent": "10",
        "headcount_question": "A4a", "collection_close_month_day": "03-31",
        "versions-TOTAL_FORMS": str(count), "versions-INITIAL_FORMS": str(count), "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        **{f"versions-{i}-id": str(v.pk) for i, v in enumerate(hr.versions.order_by("-number"))},
        **{f"versions-{i}-questionnaire": str(hr.pk) for i in range(count)}})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert staff.get("/api/v1/questionnaires/hr/composites/", {"year": year}).json()[0]["score"] == 75.0
    page = desk(world.staff).get("/desk/questionnaires/questionnaire/composites/", {"questionnaire": "hr"})
    assert "算术平均：综合得分 = 该单位本年度有效答卷得分之和 ÷ 有效答卷数" in page.content.decode()
    bad = desk(world.staff).post(f"/desk/questionnaires/questionnaire/{hr.pk}/change/", {
        "key": "hr", "title": hr.title, "audience": "enterprise_hr", "aggregation": "trimmed", "trim_percent": "60",
        "headcount_question": "", "collection_close_month_day": "02-30", "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0", "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "1000"})
    text = bad.content.decode()
    assert "截尾比例应在0到50之间" in text and "请按“月-日”填写" in text
