"""信用申报 in the desk (R-CR-02, R-CR-03): the list by year and status with
the count of each status (in/out), a declaration's page (profile, items,
evidence through the private-file view, timeline), and every staff action —
退回修改, 初评/终评 points, deductions with material, veto marks, deduction
candidates accepted or dismissed, 确认 with the working shown — each with its
success, its refusals (wrong input, wrong role, wrong state) and its timeline
row; a stale page's action answers 409 in Chinese; locked after 终评."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.credit.conftest import YEAR, hr_company
from tests.credit.desk.conftest import PDF, approved_company, desk, messages_of, scored, submitted_declaration
from tests.kuaiban.conftest import registration as case_registration
from zhonglou_hrss.credit.models import (
    CandidateDismissal,
    Declaration,
    DeclarationEvent,
    DeclarationItem,
    Deduction,
    VetoMark,
)
from zhonglou_hrss.credit.services import declarations, scoring
from zhonglou_hrss.credit.services.criteria import freeze_year
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.django_db

LIST = "/desk/credit/declaration/"


def url(d, action=""):
    return f"/desk/credit/declaration/{d.pk}/" + (f"{action}/" if action else "")


def events(d, action):
    return list(DeclarationEvent.objects.filter(declaration=d, action=action))


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- the list ---------------------------------------------------------------------------------
def test_R_CR_02_list_by_year_and_status_with_counts(staff_client, companies, submitted):
    draft_company = approved_company(companies.staff, 5)
    draft = declarations.create_declaration(actor=draft_company.user, year=YEAR)
    body = staff_client.get(LIST).content.decode()
    assert companies.approved.company_name in body and draft_company.company_name in body
    assert 'data-status="submitted"' in body
    counts = staff_client.get(LIST).context["status_chips"]
    assert {c["status"]: c["count"] for c in counts} == {"draft": 1, "submitted": 1, "returned": 0,
                                                         "initial_done": 0, "final_done": 0}
    only = staff_client.get(LIST + "?status=submitted").content.decode()
    assert companies.approved.company_name in only and draft_company.company_name not in only
    by_year = staff_client.get(LIST + f"?year={YEAR}").content.decode()
    assert companies.approved.company_name in by_year
    other_year = staff_client.get(LIST + f"?year={YEAR - 1}").content.decode()
    assert companies.approved.company_name not in other_year
    assert staff_client.get(LIST + f"?year={YEAR - 1}").context["status_total"] == 0
    searched = staff_client.get(LIST + "?q=" + companies.approved.enterprise.uscc).content.decode()
    assert companies.approved.company_name in searched and draft_company.company_name not in searched
    assert draft.pk


def test_R_CR_02_list_refused_to_others(clerk_client, companies, submitted):
    assert clerk_client.get(LIST).status_code == 403
    assert desk(companies.approved.user).get(LIST).status_code == 302


# --- the page ---------------------------------------------------------------------------------
def test_R_CR_02_page_shows_profile_items_evidence_and_timeline(staff_client, companies, in_window):
    user = companies.approved.user
    d = declarations.create_declaration(actor=user, year=YEAR)
    codes = list(d.lines.values_list("item__code", flat=True))
    declarations.save_declaration(actor=user, declaration_id=d.pk, data=declarations.DeclarationInput(
        [declarations.LineInput(c, 1, "营业执照见附件" if c == "BI-01" else "") for c in codes]))
    evidence = declarations.add_evidence(actor=user, declaration_id=d.pk, item="BI-01", upload=pdf("营业执照.pdf"))
    declarations.submit_declaration(actor=user, declaration_id=d.pk)
    response = staff_client.get(url(d))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (companies.approved.company_name, companies.approved.enterprise.uscc, "劳务派遣许可证",
                 "营业执照见附件", "营业执照.pdf", "每满一个计分单位+1分（上限5分）", "提交申报", "创建申报",
                 "初评打分", 'id="score-form"', "确认初评", "退回修改", "计算预览"):
        assert text in body, text
    assert companies.approved.contact_phone not in body  # masked
    download = staff_client.get(url(d, f"evidence/{evidence.pk}"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert desk(companies.approved.user).get(url(d, f"evidence/{evidence.pk}")).status_code == 302
    other = submitted_declaration(approved_company(companies.staff, 6))
    assert staff_client.get(url(other, f"evidence/{evidence.pk}")).status_code == 404


# --- 退回修改 -----------------------------------------------------------------------------------
def test_R_CR_02_return_with_reason_and_items(staff_client, submitted):
    response = staff_client.post(url(submitted, "return"), {"reason": "营业执照已过期，请重新上传", "items": ["BI-01"]})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.return_reason == "营业执照已过期，请重新上传"
    assert DeclarationItem.objects.get(declaration=submitted, item__code="BI-01").returned
    (event,) = events(submitted, "return")
    assert event.note == "营业执照已过期，请重新上传" and event.detail["items"] == ["BI-01"]
    assert "已退回企业修改" in messages_of(staff_client.get(url(submitted)))[0]


def test_R_CR_02_return_refusals(staff_client, clerk_client, submitted):
    empty = staff_client.post(url(submitted, "return"), {"reason": " ", "items": ["BI-01"]})
    assert empty.status_code == 400
    body = empty.content.decode()
    assert "请填写退回原因" in body and 'id="err_return_reason"' in body
    assert 'id="err_return_items"' not in body and "{'reason'" not in body
    unknown = staff_client.post(url(submitted, "return"), {"reason": "补充", "items": ["XX-99"]})
    assert unknown.status_code == 400
    assert 'id="err_return_items"' in unknown.content.decode() and "XX-99" in unknown.content.decode()
    assert clerk_client.post(url(submitted, "return"), {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and not events(submitted, "return")
    staff_client.post(url(submitted, "return"), {"reason": "补充材料"})
    again = staff_client.post(url(submitted, "return"), {"reason": "再次退回"})
    assert again.status_code == 409 and "状态冲突" in again.content.decode()
    assert len(events(submitted, "return")) == 1


# --- 初评 / 终评 points -------------------------------------------------------------------------
def score_form(d, stage="initial", points="1", **overrides):
    form = {"stage": stage}
    for code in d.lines.values_list("item__code", flat=True):
        form[f"points_{code}"] = points
        form[f"basis_{code}"] = "材料齐全"
    return form | overrides


def test_R_CR_03_initial_scoring_saves_each_item(staff_client, submitted):
    response = staff_client.post(url(submitted, "score"), score_form(submitted, **{"points_BI-01": "3"}))
    assert response.status_code == 302
    line = DeclarationItem.objects.get(declaration=submitted, item__code="BI-01")
    assert (line.initial_points, line.initial_basis) == (3, "材料齐全")
    (event,) = events(submitted, "score_initial")
    assert event.detail["items"]["BI-01"] == "3"


def test_R_CR_03_scoring_refusals(staff_client, clerk_client, submitted):
    form = score_form(submitted)
    over = staff_client.post(url(submitted, "score"), form | {"points_BI-01": "9"})
    assert over.status_code == 400
    body = over.content.decode()
    assert 'id="err_BI-01"' in body and "BI-01：该指标最多5分" in body and 'value="9"' in body
    assert not DeclarationItem.objects.filter(declaration=submitted, initial_points__isnull=False).exists()
    assert clerk_client.post(url(submitted, "score"), form).status_code == 403
    wrong_stage = staff_client.post(url(submitted, "score"), score_form(submitted, stage="final"))
    assert wrong_stage.status_code == 409 and "不能终评打分" in wrong_stage.content.decode()
    assert not events(submitted, "score_initial") and not events(submitted, "score_final")


# --- deductions and vetoes --------------------------------------------------------------------
def test_R_CR_03_deduction_with_material(staff_client, submitted):
    response = staff_client.post(url(submitted, "deduct"), {"item": "WF-02", "points": "-2",
                                                            "basis": "被责令改正", "material": pdf("指令书.pdf")})
    assert response.status_code == 302
    deduction = Deduction.objects.get(declaration=submitted)
    assert (deduction.item.code, deduction.points, deduction.basis) == ("WF-02", -2, "被责令改正")
    assert deduction.material
    (event,) = events(submitted, "deduct")
    assert "WF-02" in event.note
    page = staff_client.get(url(submitted)).content.decode()
    assert "被责令改正" in page and "扣分材料" in page and "违法行为" in page
    material = staff_client.get(url(submitted, f"deductions/{deduction.pk}/material"))
    assert material.status_code == 200 and b"".join(material.streaming_content) == PDF


def test_R_CR_03_deduction_refusals(staff_client, clerk_client, submitted):
    positive = staff_client.post(url(submitted, "deduct"), {"item": "WF-02", "points": "2", "basis": ""})
    assert positive.status_code == 400
    body = positive.content.decode()
    assert "扣分应为负数" in body and "请填写扣分依据" in body and 'id="err_deduct_basis"' in body
    bonus = staff_client.post(url(submitted, "deduct"), {"item": "BI-01", "points": "-1", "basis": "x"})
    assert bonus.status_code == 400 and "本年度没有扣分指标“BI-01”" in bonus.content.decode()
    assert clerk_client.post(url(submitted, "deduct"), {"item": "WF-02", "points": "-2",
                                                         "basis": "x"}).status_code == 403
    not_pdf = SimpleUploadedFile("材料.pdf", b"just text, no PDF", content_type="application/pdf")
    bad_file = staff_client.post(url(submitted, "deduct"), {"item": "WF-02", "points": "-2", "basis": "被责令改正",
                                                            "material": not_pdf})
    assert bad_file.status_code == 400 and 'id="err_deduct_material"' in bad_file.content.decode()
    assert "被责令改正" in bad_file.content.decode()  # the basis typed is kept
    assert not Deduction.objects.exists() and not events(submitted, "deduct")


def test_R_CR_03_veto_mark_and_refusals(staff_client, clerk_client, submitted):
    assert clerk_client.post(url(submitted, "veto"), {"item": "VETO-06", "basis": "x"}).status_code == 403
    missing = staff_client.post(url(submitted, "veto"), {"item": "VETO-06", "basis": ""})
    assert missing.status_code == 400 and "请填写认定依据" in missing.content.decode()
    assert staff_client.post(url(submitted, "veto"), {"item": "VETO-06", "basis": "三次查处"}).status_code == 302
    assert VetoMark.objects.get(declaration=submitted).basis == "三次查处"
    assert len(events(submitted, "veto")) == 1
    again = staff_client.post(url(submitted, "veto"), {"item": "VETO-06", "basis": "重复"})
    assert again.status_code == 409 and "已认定VETO-06" in again.content.decode()
    assert "三次查处" in staff_client.get(url(submitted)).content.decode()


# --- candidates from kuaiban ------------------------------------------------------------------
@pytest.fixture
def with_case(companies, submitted, make_user):
    if timezone.localdate().year != YEAR:
        pytest.skip("cases are registered today; the candidates are those of the rating year")
    clerk = make_user("k_reg", roles=["district_clerk"], name="王内勤")
    uscc = companies.approved.enterprise.uscc
    case = register_case(actor=clerk, data=case_registration(respondent_uscc=uscc, respondent_name="测试人力资源公司"),
                         source=CaseSource.INTERNAL).case
    second = register_case(actor=clerk, data=case_registration(respondent_uscc=uscc, respondent_name="测试"),
                           source=CaseSource.INTERNAL).case
    both = make_user("c_both_desk", roles=["credit_staff", "leader"], name="信用兼科长")
    return case, second, desk(both)


def test_R_CR_03_candidates_accepted_as_deduction_or_dismissed(with_case, submitted, staff_client):
    case, second, client = with_case
    page = client.get(url(submitted)).content.decode()
    assert case.number in page and second.number in page
    # credit staff without kuaiban permissions see no case
    assert case.number not in staff_client.get(url(submitted)).content.decode()
    accepted = client.post(url(submitted, "candidates/accept"), {"source": "case", "source_id": case.pk,
                                                                 "item": "LZ-03", "points": "-2", "basis": "经查属实"})
    assert accepted.status_code == 302
    deduction = Deduction.objects.get(declaration=submitted)
    assert (deduction.source, deduction.source_number) == ("case", case.number)
    assert events(submitted, "deduct")[0].detail["source_number"] == case.number
    twice = client.post(url(submitted, "candidates/accept"), {"source": "case", "source_id": case.pk,
                                                              "item": "LZ-03", "points": "-2"})
    assert twice.status_code == 409 and "该线索已记为扣分" in twice.content.decode()
    no_reason = client.post(url(submitted, "candidates/dismiss"), {"source": "case", "source_id": second.pk,
                                                                   "reason": ""})
    assert no_reason.status_code == 400 and "请填写不扣分的原因" in no_reason.content.decode()
    assert client.post(url(submitted, "candidates/dismiss"), {"source": "case", "source_id": second.pk,
                                                              "reason": "投诉不属实"}).status_code == 302
    assert CandidateDismissal.objects.get().reason == "投诉不属实"
    page = client.get(url(submitted)).content.decode()
    assert "已记为扣分" in page and "投诉不属实" in page
    hidden = staff_client.post(url(submitted, "candidates/accept"), {"source": "case", "source_id": second.pk,
                                                                     "item": "LZ-03", "points": "-2"})
    assert hidden.status_code == 404  # a case the user may not see


# --- 确认 and the working ---------------------------------------------------------------------
def test_R_CR_03_confirm_initial_then_final_shows_the_working_and_locks(staff_client, submitted):
    missing = staff_client.post(url(submitted, "confirm"), {"stage": "initial"})
    assert missing.status_code == 400 and "以下指标尚未初评" in missing.content.decode()
    staff_client.post(url(submitted, "score"), score_form(submitted, points="1"))
    staff_client.post(url(submitted, "deduct"), {"item": "WF-02", "points": "-2", "basis": "被责令改正"})
    assert staff_client.post(url(submitted, "confirm"), {"stage": "initial"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "initial_done" and len(events(submitted, "confirm_initial")) == 1
    page = staff_client.get(url(submitted))
    body = page.content.decode()
    assert "已确认初评：信用得分" in messages_of(page)[-1]
    assert "计算过程（初评确认）" in body and "初始分" in body and "违法行为" in body and "信用等级" in body
    assert "确认终评" in body and "终评分值与依据" in body
    final = staff_client.post(url(submitted, "score"), score_form(submitted, stage="final", **{"points_BI-01": "2"}))
    assert final.status_code == 302
    assert DeclarationItem.objects.get(declaration=submitted, item__code="BI-01").final_points == 2
    assert len(events(submitted, "score_final")) == 1
    assert staff_client.post(url(submitted, "confirm"), {"stage": "final"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "final_done" and submitted.confirmed_at is not None
    assert len(events(submitted, "confirm_final")) == 1
    locked = staff_client.get(url(submitted)).content.decode()
    assert "申报已锁定" in locked and "计算过程（终评确认）" in locked
    assert 'id="score-form"' not in locked and 'id="deduct-form"' not in locked and "确认终评</button>" not in locked
    refused = staff_client.post(url(submitted, "score"), score_form(submitted, stage="final"))
    assert refused.status_code == 409 and "终评已确认，申报已锁定，不能再修改" in refused.content.decode()
    refused = staff_client.post(url(submitted, "deduct"), {"item": "WF-02", "points": "-2", "basis": "x"})
    assert refused.status_code == 409 and Deduction.objects.count() == 1


def test_R_CR_03_two_staff_on_one_declaration_the_stale_one_gets_409(staff_client, submitted, make_user):
    """Both opened the page at 初评; one confirmed first: the other's 确认初评 and 初评打分 are refused
    with a Chinese conflict message and the page shows the latest state."""
    other = desk(make_user("c_staff2", roles=["credit_staff"], name="信用管理员二"))
    assert 'value="initial"' in other.get(url(submitted)).content.decode()
    staff_client.post(url(submitted, "score"), score_form(submitted))
    assert staff_client.post(url(submitted, "confirm"), {"stage": "initial"}).status_code == 302
    stale = other.post(url(submitted, "confirm"), {"stage": "initial"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "操作未完成（状态冲突）" in body and "不能确认初评" in body and "页面已显示最新内容" in body
    assert "初评完成（待终评）" in body
    assert other.post(url(submitted, "score"), score_form(submitted, points="0")).status_code == 409
    assert len(events(submitted, "confirm_initial")) == 1
    assert not DeclarationItem.objects.filter(declaration=submitted, initial_points=0).exists()


def test_R_CR_03_frozen_year_refuses_scoring(staff_client, submitted, scheme):
    freeze_year(scheme)
    body = staff_client.get(url(submitted)).content.decode()
    assert "申报和评分已冻结" in body and 'id="score-form"' not in body
    refused = staff_client.post(url(submitted, "score"), score_form(submitted))
    assert refused.status_code == 409 and "评价结果已发布" in refused.content.decode()


def test_R_CR_03_scored_helper_matches_the_desk(companies, in_window):
    """The fixture helper used by the results tests goes through the same services (sanity)."""
    d = scored(companies.staff, submitted_declaration(approved_company(companies.staff, 7)), final=True)
    assert Declaration.objects.get(pk=d.pk).status == "final_done"
    assert hr_company(8).company_name
    assert scoring.STAGES == ("initial", "final")
