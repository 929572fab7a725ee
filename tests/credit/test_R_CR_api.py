"""R-CR-01…04 through the API, as each role: HR companies (approved, pending,
rejected), 信用评价管理员, other staff and the public."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts import register_body, registration
from tests.credit.conftest import YEAR, api_as, hr_company
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import register_account
from zhonglou_hrss.credit.models import CriteriaYear, Declaration, DeclarationEvent
from zhonglou_hrss.credit.services.criteria import freeze_year

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="证明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- R-CR-01 accounts ---------------------------------------------------------------------------
def test_R_CR_01_register_gets_hr_role_and_pending_credit_access(client):
    body = register_body(7, username="hr_new") | {"licence_no": "320404000007", "licence_date": "2021-03-01"}
    response = api_as(None).post("/api/v1/credit/accounts/register/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    from zhonglou_hrss.core.models import EnterpriseAccount

    account = EnterpriseAccount.objects.get(pk=response.json()["id"])
    assert list(account.user.groups.values_list("name", flat=True)) == ["人力资源企业用户"]
    assert account.accesses.get().subsystem == Subsystem.CREDIT
    assert account.credit_licence.licence_date == date(2021, 3, 1)
    me = api_as(account.user).get("/api/v1/credit/me/").json()
    assert (me["status"], me["licence_no"]) == ("pending", "320404000007")


def test_R_CR_01_register_needs_licence_and_saves_nothing_when_wrong():
    body = register_body(8, username="hr_bad") | {"licence_no": "", "licence_date": "2021-13-01"}
    response = api_as(None).post("/api/v1/credit/accounts/register/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"licence_no", "licence_date"}
    from zhonglou_hrss.core.models import User

    assert not User.objects.filter(username="hr_bad").exists()


def test_R_CR_01_uscc_with_an_account_is_told_to_log_in_and_apply(make_user):
    portal = register_account(data=registration(9, username="portal9"))
    body = register_body(9, username="hr9") | {"licence_no": "X1", "licence_date": "2020-01-01"}
    response = api_as(None).post("/api/v1/credit/accounts/register/", body, format="json")
    assert response.status_code == 400
    assert "/api/v1/credit/accounts/apply/" in str(response.json())
    # the portal account applies with its licence: pending credit access, the HR role added
    applied = api_as(portal.user).post("/api/v1/credit/accounts/apply/",
                                       {"licence_no": "X1", "licence_date": "2020-01-01"}, format="json")
    assert applied.status_code == 201, applied.json()
    assert applied.json()["status"] == "pending"
    assert portal.user.groups.filter(name="人力资源企业用户").exists()
    again = api_as(portal.user).post("/api/v1/credit/accounts/apply/",
                                     {"licence_no": "X1", "licence_date": "2020-01-01"}, format="json")
    assert again.status_code == 409


def test_R_CR_01_staff_approve_and_reject_with_reason(companies, make_user):
    staff = api_as(companies.staff)
    listed = staff.get("/api/v1/credit/accounts/?status=pending").json()["results"]
    assert [row["uscc"] for row in listed] == [companies.pending.enterprise.uscc]
    assert "*" in listed[0]["contact_phone"]
    assert staff.post(f"/api/v1/credit/accounts/{companies.pending.pk}/reject/", {"reason": ""},
                      format="json").status_code == 400
    ok = staff.post(f"/api/v1/credit/accounts/{companies.pending.pk}/approve/")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert staff.post(f"/api/v1/credit/accounts/{companies.pending.pk}/approve/").status_code == 409
    portal_staff = make_user("ps", roles=["portal_staff"])
    assert api_as(portal_staff).post(f"/api/v1/credit/accounts/{companies.rejected.pk}/approve/").status_code == 403
    assert api_as(companies.approved.user).get("/api/v1/credit/accounts/").status_code == 403


def test_R_CR_01_profile_changes_but_not_uscc_or_licence(companies):
    api = api_as(companies.approved.user)
    assert api.patch("/api/v1/credit/me/", {"address": "钟楼区新地址8号"}, format="json").json()["address"] == \
        "钟楼区新地址8号"
    bad = api.patch("/api/v1/credit/me/", {"uscc": "91320404MA0000000X", "licence_no": "other"}, format="json")
    assert bad.status_code == 400
    rejected = api_as(companies.rejected.user)
    assert rejected.get("/api/v1/credit/me/").json()["reject_reason"] == "许可证与营业执照不符"


def test_R_CR_01_licence_under_a_year_is_not_rated(companies, credit_staff):
    from zhonglou_hrss.core.services.accounts import decide_access

    young = hr_company(5, licence_date=date(YEAR, 6, 1))
    decide_access(actor=credit_staff, account_id=young.pk, subsystem=Subsystem.CREDIT, approve=True)
    assert api_as(young.user).get(f"/api/v1/credit/rated/{YEAR}/").json()["rated"] is False
    assert api_as(companies.approved.user).get(f"/api/v1/credit/rated/{YEAR}/").json()["rated"] is True


# --- R-CR-04 criteria ---------------------------------------------------------------------------
def test_R_CR_04_default_year_loaded_by_sync_fixtures_per_contract(companies):
    doc = api_as(companies.approved.user).get(f"/api/v1/credit/criteria/{YEAR}/").json()
    assert set(doc) >= {"year", "initial_score", "categories", "items", "grades", "weights"}
    assert doc["initial_score"] == 80
    assert {"code": "BI", "label": "基本指标", "kind": "bonus", "cap": 20.0} in doc["categories"]
    bi08 = next(i for i in doc["items"] if i["code"] == "BI-08")
    assert bi08["points"]["type"] == "rate" and bi08["cap"] == 2 and bi08["evidence_required"]
    assert [g["grade"] for g in doc["grades"]] == ["AAA", "AA", "A", "B", "C"]
    assert doc["grades"][0]["conditions"]["require_no_deductions_in"] == ["WF", "LZ"]
    assert doc["weights"] == {"credit": 0.6, "questionnaire": 0.4, "hr": 0.6, "employee": 0.4}
    assert api_as(None).get(f"/api/v1/credit/criteria/{YEAR}/").status_code == 401
    assert api_as(companies.approved.user).get("/api/v1/credit/criteria/1999/").status_code == 404


def test_R_CR_04_sync_again_never_overwrites_an_edited_year(credit_staff):
    from zhonglou_hrss.core.fixtures_sync import sync_base

    api = api_as(credit_staff)
    assert api.patch(f"/api/v1/credit/criteria/{YEAR}/", {"initial_score": 75}, format="json").status_code == 200
    sync_base()
    assert CriteriaYear.objects.get(year=YEAR).initial_score == 75
    assert CriteriaYear.objects.count() == 1


def test_R_CR_04_copy_last_year_and_frozen_year_refuses_edits(credit_staff, companies):
    api = api_as(credit_staff)
    copied = api.post(f"/api/v1/credit/criteria/{YEAR + 1}/copy/")
    assert copied.status_code == 201
    assert copied.json()["window"] == {"start": f"{YEAR + 2}-01-01", "end": f"{YEAR + 2}-03-31"}
    assert len(copied.json()["items"]) == len(api.get(f"/api/v1/credit/criteria/{YEAR}/").json()["items"])
    assert api.post(f"/api/v1/credit/criteria/{YEAR + 1}/copy/").status_code == 409
    freeze_year(CriteriaYear.objects.get(year=YEAR))
    refused = api.patch(f"/api/v1/credit/criteria/{YEAR}/items/BI-09/", {"cap": 4}, format="json")
    assert refused.status_code == 409
    assert "已冻结" in refused.json()["detail"]
    assert api.patch(f"/api/v1/credit/criteria/{YEAR + 1}/items/BI-09/", {"cap": 4},
                     format="json").status_code == 200
    assert api_as(companies.approved.user).patch(f"/api/v1/credit/criteria/{YEAR + 1}/",
                                                 {"floor": 10}, format="json").status_code == 403


# --- R-CR-02 declarations -----------------------------------------------------------------------
def _declare(company, items=None):
    api = api_as(company.user)
    response = api.post("/api/v1/credit/declarations/", {"year": YEAR, "items": items or []}, format="json")
    assert response.status_code == 201, response.json()
    return api, response.json()


def _all_items(points=0):
    doc_items = CriteriaYear.objects.get(year=YEAR).items.filter(category__kind="bonus")
    return [{"item": i.code, "self_points": points, "note": ""} for i in doc_items]


def test_R_CR_02_form_has_the_bonus_items_and_only_approved_companies(companies, in_window):
    api, doc = _declare(companies.approved)
    codes = [line["item"] for line in doc["items"]]
    assert codes[0] == "BI-01" and "GC-09" in codes and not any(c.startswith(("SX", "WF", "INIT")) for c in codes)
    assert api.post("/api/v1/credit/declarations/", {"year": YEAR}, format="json").status_code == 409
    pending = api_as(companies.pending.user).post("/api/v1/credit/declarations/", {"year": YEAR}, format="json")
    assert pending.status_code == 403 and pending.json()["detail"] == "账号待审核"
    assert api_as(companies.rejected.user).get("/api/v1/credit/declarations/").json()["detail"].startswith(
        "账号未通过审核")


def test_R_CR_02_self_points_checked_by_the_items_rule(companies, in_window):
    api, doc = _declare(companies.approved)
    bad = api.put(f"/api/v1/credit/declarations/{doc['id']}/",
                  {"year": YEAR, "items": [{"item": "BI-09", "self_points": 4}, {"item": "SX-01", "self_points": 1}]},
                  format="json")
    assert bad.status_code == 400
    assert "BI-09：该指标最多3分" in str(bad.json()) and "SX-01" in str(bad.json())
    ok = api.put(f"/api/v1/credit/declarations/{doc['id']}/",
                 {"year": YEAR, "items": [{"item": "BI-09", "self_points": 3, "note": "按时足额"}]}, format="json")
    assert next(i for i in ok.json()["items"] if i["item"] == "BI-09")["self_points"] == 3


def test_R_CR_02_evidence_by_content_private_and_visible_to_owner_and_staff(companies, in_window, credit_staff):
    api, doc = _declare(companies.approved)
    url = f"/api/v1/credit/declarations/{doc['id']}/evidence/"
    assert api.post(url, {"item": "BI-09", "file": pdf()}, format="multipart").status_code == 201
    fake = api.post(url, {"item": "BI-09", "file": pdf("x.pdf", b"<html>not a pdf")}, format="multipart")
    assert fake.status_code == 400
    scripted = api.post(url, {"item": "BI-09", "file": pdf("s.pdf", PDF.replace(b"<<>>", b"<</JavaScript 1>>", 1))},
                        format="multipart")
    assert scripted.status_code == 400 and "脚本" in str(scripted.json())
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    image = SimpleUploadedFile("照片.png", buffer.getvalue(), content_type="image/png")
    assert api.post(url, {"item": "GC-03", "file": image}, format="multipart").status_code == 201
    staff_view = api_as(credit_staff).get(f"/api/v1/credit/declarations/{doc['id']}/").json()
    assert [e["name"] for e in next(i for i in staff_view["items"] if i["item"] == "GC-03")["evidence"]] == \
        ["照片.jpg"]
    other = hr_company(6)
    from zhonglou_hrss.core.services.accounts import decide_access

    decide_access(actor=credit_staff, account_id=other.pk, subsystem=Subsystem.CREDIT, approve=True)
    assert api_as(other.user).get(f"/api/v1/credit/declarations/{doc['id']}/").status_code == 404
    assert api_as(other.user).post(url, {"item": "BI-09", "file": pdf()}, format="multipart").status_code == 404


def test_R_CR_02_submit_within_window_return_items_and_resubmit(companies, in_window, credit_staff):
    api, doc = _declare(companies.approved)
    url = f"/api/v1/credit/declarations/{doc['id']}/"
    missing = api.post(url + "submit/")
    assert missing.status_code == 400 and "请填写自评分" in str(missing.json())
    api.put(url, {"year": YEAR, "items": _all_items(1)}, format="json")
    assert api.post(url + "submit/").json()["status"] == "submitted"
    assert api.put(url, {"year": YEAR, "items": _all_items(0)}, format="json").status_code == 409
    staff = api_as(credit_staff)
    assert staff.post(url + "return/", {"reason": ""}, format="json").status_code == 400
    returned = staff.post(url + "return/", {"reason": "社保材料不清晰", "items": ["BI-09"]}, format="json")
    assert returned.json()["status"] == "returned"
    # only the returned item may change
    assert api.put(url, {"year": YEAR, "items": [{"item": "BI-10", "self_points": 2}]},
                   format="json").status_code == 400
    assert api.put(url, {"year": YEAR, "items": [{"item": "BI-09", "self_points": 3, "note": "补充"}]},
                   format="json").status_code == 200
    assert api.post(url + "submit/").json()["status"] == "submitted"
    actions = list(DeclarationEvent.objects.filter(declaration_id=doc["id"]).values_list("action", flat=True))
    assert actions == ["create", "edit", "submit", "return", "edit", "submit"]  # refused writes leave none
    assert api_as(companies.approved.user).post(url + "return/", {"reason": "x"},
                                                format="json").status_code == 403


def test_R_CR_02_outside_the_window_no_start_no_save_no_submit(companies, in_window):
    from datetime import timedelta

    api, doc = _declare(companies.approved, _all_items(0))  # started inside the window
    CriteriaYear.objects.filter(year=YEAR).update(window_start=in_window.window_start - timedelta(days=90),
                                                  window_end=in_window.window_start - timedelta(days=2))
    url = f"/api/v1/credit/declarations/{doc['id']}/"
    saved = api.put(url, {"year": YEAR, "items": _all_items(1)}, format="json")
    assert saved.status_code == 409 and "申报" in saved.json()["detail"]
    refused = api.post(url + "submit/")
    assert refused.status_code == 409 and "不在申报期内" in refused.json()["detail"]
    other = api_as(companies.approved.user)
    from zhonglou_hrss.credit.models import Declaration

    Declaration.objects.filter(pk=doc["id"]).delete()
    started = other.post("/api/v1/credit/declarations/", {"year": YEAR}, format="json")
    assert started.status_code == 409 and not Declaration.objects.exists()


# --- R-CR-03 scoring ----------------------------------------------------------------------------
def _submitted(companies, points=1):
    api, doc = _declare(companies.approved, _all_items(points))
    assert api.post(f"/api/v1/credit/declarations/{doc['id']}/submit/").status_code == 200
    return doc["id"]


def test_R_CR_03_stage_order_caps_deductions_veto_and_lock(companies, in_window, credit_staff):
    pk = _submitted(companies)
    staff = api_as(credit_staff)
    url = f"/api/v1/credit/declarations/{pk}/"
    assert staff.post(url + "score/", {"stage": "final", "items": [{"item": "BI-09", "points": 3}]},
                      format="json").status_code == 409
    over = staff.post(url + "score/", {"stage": "initial", "items": [{"item": "BI-09", "points": 5}]}, format="json")
    assert over.status_code == 400
    assert staff.post(url + "confirm/", {"stage": "initial"}, format="json").status_code == 400  # not all scored
    scores = [{"item": i["item"], "points": 1, "basis": "材料齐全"} for i in _all_items()]
    assert staff.post(url + "score/", {"stage": "initial", "items": scores}, format="json").status_code == 200
    # 21 items x 1: BI 12 items = 12, GC 9 items = 9 → 80 + 12 + 9 = 101
    assert staff.post(url + "confirm/", {"stage": "initial"}, format="json").json()["credit_score"] == 101
    wrong = staff.post(url + "deductions/", {"item": "SX-01", "points": -5, "basis": "逾期核验"}, format="json")
    assert wrong.status_code == 400 and "每次扣10分" in str(wrong.json())
    assert staff.post(url + "deductions/", {"item": "WF-02", "points": -2, "basis": "责令改正指令书"},
                      format="json").status_code == 201
    assert staff.post(url + "score/", {"stage": "final", "items": [{"item": "BI-09", "points": 3}]},
                      format="json").status_code == 200
    final = staff.post(url + "confirm/", {"stage": "final"}, format="json").json()
    assert (final["credit_score"], final["grade"]) == (101, "AA")  # 80 + 14 + 9 - 2
    assert [line["label"] for line in final["working"]][:3] == ["初始分", "基本指标", "良好信用信息"]
    locked = staff.post(url + "deductions/", {"item": "WF-02", "points": -2, "basis": "再次"}, format="json")
    assert locked.status_code == 409 and "锁定" in locked.json()["detail"]
    assert api_as(companies.approved.user).get(url).json()["grade"] == "AA"


def test_R_CR_03_veto_gives_C(companies, in_window, credit_staff):
    pk = _submitted(companies, points=0)
    staff = api_as(credit_staff)
    url = f"/api/v1/credit/declarations/{pk}/"
    scores = [{"item": i["item"], "points": 1} for i in _all_items()]
    staff.post(url + "score/", {"stage": "initial", "items": scores}, format="json")
    assert staff.post(url + "vetoes/", {"item": "VETO-08", "basis": "使用童工"}, format="json").status_code == 201
    assert staff.post(url + "vetoes/", {"item": "VETO-08", "basis": "again"}, format="json").status_code == 409
    assert staff.post(url + "confirm/", {"stage": "initial"}, format="json").json()["grade"] == "C"


def test_R_CR_03_only_credit_staff_score(companies, in_window, make_user):
    pk = _submitted(companies)
    clerk = make_user("clerk", roles=["portal_staff"])
    for user in (clerk, companies.approved.user):
        assert api_as(user).post(f"/api/v1/credit/declarations/{pk}/score/",
                                 {"stage": "initial", "items": []}, format="json").status_code == 403
    assert api_as(clerk).get(f"/api/v1/credit/declarations/{pk}/").status_code == 404
    assert Declaration.objects.count() == 1


def test_R_CR_02_evidence_downloads_only_for_owner_and_staff(companies, in_window, credit_staff, make_user):
    api, doc = _declare(companies.approved)
    uploaded = api.post(f"/api/v1/credit/declarations/{doc['id']}/evidence/", {"item": "BI-09", "file": pdf()},
                        format="multipart").json()
    url = f"/api/v1/credit/declarations/{doc['id']}/evidence/{uploaded['id']}/"
    listed = api.get(f"/api/v1/credit/declarations/{doc['id']}/").json()
    assert next(i for i in listed["items"] if i["item"] == "BI-09")["evidence"][0]["url"] == url
    own = api.get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    assert "no-store" in own["Cache-Control"]
    assert api_as(credit_staff).get(url).status_code == 200
    assert api_as(make_user("nosy", roles=["portal_staff"])).get(url).status_code == 404
    assert api_as(None).get(url).status_code == 401


def test_R_CR_03_deduction_material_checked_and_kept(companies, in_window, credit_staff):
    pk = _submitted(companies)
    staff = api_as(credit_staff)
    url = f"/api/v1/credit/declarations/{pk}/deductions/"
    bad = staff.post(url, {"item": "WF-02", "points": "-2", "basis": "责令改正",
                           "material": pdf("m.pdf", b"MZ not a pdf")}, format="multipart")
    assert bad.status_code == 400 and "material" in bad.json()["errors"]
    ok = staff.post(url, {"item": "WF-02", "points": "-2", "basis": "责令改正", "material": pdf("指令书.pdf")},
                    format="multipart")
    assert ok.status_code == 201
    from zhonglou_hrss.credit.models import Deduction

    assert Deduction.objects.get().material.startswith("credit/deductions/")


def test_R_CR_04_published_year_refuses_declaration_and_scoring_writes(companies, in_window, credit_staff):
    pk = _submitted(companies)
    freeze_year(CriteriaYear.objects.get(year=YEAR))
    staff = api_as(credit_staff)
    refused = staff.post(f"/api/v1/credit/declarations/{pk}/score/",
                         {"stage": "initial", "items": [{"item": "BI-09", "points": 3}]}, format="json")
    assert refused.status_code == 409 and "已发布" in refused.json()["detail"]
    assert staff.post(f"/api/v1/credit/declarations/{pk}/return/", {"reason": "补材料"},
                      format="json").status_code == 409
