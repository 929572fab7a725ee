"""R-CR-02 on the PC portal: the approved HR company starts the open year's
declaration (only inside the window), fills the form generated from the
year's items (grouped by category, the rule in Chinese), saves drafts,
uploads evidence per item (checked by content and size, with or without
JavaScript), submits with its pledge, corrects a returned declaration and
sees every step on the timeline; read-only after submission; the published
result, only its own. As the approved company, a pending one, a portal
enterprise without credit access, another HR company (404) and the public.
Every refusal leaves nothing half-saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.credit.conftest import YEAR
from tests.credit.public.conftest import page_client, pdf, png
from zhonglou_hrss.credit.models import CriteriaYear, Declaration, DeclarationEvent, DeclarationItem, Evidence
from zhonglou_hrss.credit.services import declarations as services
from zhonglou_hrss.credit.services import results, scoring

pytestmark = pytest.mark.django_db

START = f"/portal/credit/declarations/start/{YEAR}/"


def page_of(d) -> str:
    return f"/portal/credit/declarations/{d.pk}/"


def codes_of(d) -> list[str]:
    return list(d.lines.order_by("item__order", "id").values_list("item__code", flat=True))


def filled(d, points="1", **extra) -> dict:
    body = {f"points-{code}": points for code in codes_of(d)}
    body.update({f"note-{code}": "见证明材料" for code in codes_of(d)})
    body.update(extra)
    return body


def actions(d) -> list[str]:
    return list(DeclarationEvent.objects.filter(declaration=d).order_by("at", "id").values_list("action", flat=True))


def private_files(settings) -> list:
    return [p for p in settings.PRIVATE_UPLOADS_DIR.rglob("*") if p.is_file()]


@pytest.fixture
def started(companies, in_window):
    return services.create_declaration(actor=companies.approved.user, year=YEAR)


# --- starting the year's declaration ---------------------------------------------------------------
def test_R_CR_02_outside_the_window_no_start_and_the_dates_are_said(companies, scheme):
    # The default year's window is 1 Jan - 31 Mar of the next year: today is before it.
    hr = page_client(companies.approved.user)
    home = hr.get("/portal/credit/").content.decode()
    window = f"{scheme.window_start:%Y-%m-%d}至{scheme.window_end:%Y-%m-%d}"
    assert window in home and "尚未开始" in home and START not in home
    response = hr.post(START, follow=True)
    assert "尚未开始" in response.content.decode() and not Declaration.objects.exists()


def test_R_CR_02_start_inside_the_window_makes_the_form_with_a_timeline_row(companies, in_window):
    hr = page_client(companies.approved.user)
    assert START in hr.get("/portal/credit/").content.decode()
    response = hr.post(START)
    d = Declaration.objects.get(account=companies.approved)
    assert response.status_code == 302 and response["Location"] == page_of(d)
    assert actions(d) == ["create"]
    page = hr.get(page_of(d)).content.decode()
    # The year's bonus items, grouped by category, each with its rule in Chinese and the most it gives.
    assert page.index('id="category-BI"') < page.index('id="category-GC"')
    assert "基本指标" in page and "良好信用信息" in page and 'id="item-GC-09"' in page
    assert "从事劳务派遣业务每满3年加1分" in page and "本项最多5分" in page
    assert "分档（取最高档）：达到100得1分；达到200得2分" in page
    assert 'name="points-BI-01"' in page and 'name="evidence-BI-01"' in page and 'name="note-BI-01"' in page
    assert 'enctype="multipart/form-data"' in page and "credit_portal_declaration.js" in page
    assert "<script>" not in page and " style=" not in page  # CSP: files only
    # a second start is refused: one declaration a year
    again = hr.post(START, follow=True).content.decode()
    assert "申报已存在" in again and Declaration.objects.count() == 1


def test_R_CR_02_pending_company_portal_enterprise_staff_and_public_are_refused(companies, plain_enterprise,
                                                                                 started):
    pending = page_client(companies.pending.user)
    response = pending.post(START)
    assert response.status_code == 403 and "账号待审核" in response.content.decode()
    assert pending.get(page_of(started)).status_code == 403
    rejected = page_client(companies.rejected.user).get(page_of(started))
    assert rejected.status_code == 403 and "许可证与营业执照不符" in rejected.content.decode()
    plain = page_client(plain_enterprise.user).get(page_of(started))
    assert plain.status_code == 403 and "仅企业账号可以使用" in plain.content.decode()
    assert page_client(companies.staff).get(page_of(started)).status_code == 403
    anonymous = page_client(None).get(page_of(started))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/portal/credit/login/?next=")
    assert Declaration.objects.count() == 1 and actions(started) == ["create"]


def test_R_CR_02_another_hr_company_gets_404_everywhere(other_company, started):
    other = page_client(other_company.user)
    assert other.get(page_of(started)).status_code == 404
    assert other.post(page_of(started), filled(started, action="save")).status_code == 404
    assert other.post(page_of(started) + "evidence/", {"item": "BI-01", "file": pdf()}).status_code == 404
    evidence = services.add_evidence(actor=started.account.user, declaration_id=started.pk, item="BI-01",
                                     upload=pdf())
    assert other.get(f"{page_of(started)}evidence/{evidence.pk}/").status_code == 404
    assert not DeclarationItem.objects.filter(declaration=started, self_points__isnull=False).exists()
    # its own list does not show the other company's declaration
    assert page_of(started) not in other.get("/portal/credit/").content.decode()


# --- saving a draft ----------------------------------------------------------------------------
def test_R_CR_02_save_draft_with_points_notes_and_evidence(companies, started, settings):
    hr = page_client(companies.approved.user)
    body = filled(started, action="save", **{"points-BI-01": "4", "evidence-BI-01": pdf(),
                                             "evidence-GC-03": png()})
    response = hr.post(page_of(started), body)
    assert response.status_code == 302 and response["Location"] == page_of(started) + "?saved=1"
    line = started.lines.get(item__code="BI-01")
    assert (line.self_points, line.note) == (Decimal("4"), "见证明材料")
    assert sorted(Evidence.objects.values_list("line__item__code", "content_type")) == [
        ("BI-01", "application/pdf"), ("GC-03", "image/jpeg")]  # pictures re-encoded
    assert len(private_files(settings)) == 2
    assert actions(started) == ["create", "edit", "evidence", "evidence"]
    page = hr.get(response["Location"]).content.decode()
    assert "已保存草稿" in page and "营业执照.pdf" in page and 'value="4"' in page
    assert "保存申报" in page and "上传证明材料" in page  # timeline rows
    # the file is the company's to download
    evidence = Evidence.objects.get(line__item__code="BI-01")
    download = hr.get(f"{page_of(started)}evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_R_CR_02_points_over_the_cap_are_refused_by_the_field_and_nothing_is_saved(companies, started, settings):
    hr = page_client(companies.approved.user)
    body = filled(started, action="save", **{"points-BI-02": "2", "points-BI-03": "abc", "evidence-BI-01": pdf()})
    response = hr.post(page_of(started), body)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="err-points-BI-02"' in page and "BI-02：该指标最多1分" in page
    assert 'id="err-points-BI-03"' in page and "自评分应为数字" in page
    assert "所选的证明材料没有保存" in page
    assert 'value="1"' in page  # what was typed stays
    assert not DeclarationItem.objects.filter(declaration=started, self_points__isnull=False).exists()
    assert not Evidence.objects.exists() and private_files(settings) == []
    assert actions(started) == ["create"]


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("假的.pdf", b"%PDF-1.4 no end", content_type="application/pdf"), "不是完整的 PDF"),
    (SimpleUploadedFile("说明.docx", b"PK\x03\x04", content_type="application/msword"), "类型不支持"),
    (SimpleUploadedFile("照片.jpg", b"not a picture", content_type="image/jpeg"), "PDF 或 JPG/PNG"),
    (SimpleUploadedFile("巨大.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n",
                        content_type="application/pdf"), "文件过大"),
], ids=["broken-pdf", "word", "fake-image", "huge"])
def test_R_CR_02_bad_or_huge_file_is_refused_by_its_item_and_nothing_is_saved(companies, started, settings,
                                                                              upload, message):
    hr = page_client(companies.approved.user)
    response = hr.post(page_of(started), filled(started, action="save", **{"evidence-GC-05": upload}))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="err-evidence-GC-05"' in page and message in page
    assert not DeclarationItem.objects.filter(declaration=started, self_points__isnull=False).exists()
    assert not Evidence.objects.exists() and private_files(settings) == []
    assert actions(started) == ["create"]


def test_R_CR_02_upload_one_file_by_script_answers_json(companies, started, settings):
    hr = page_client(companies.approved.user)
    url = page_of(started) + "evidence/"
    ok = hr.post(url, {"item": "GC-01", "file": png("表彰证书.png")}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert ok.status_code == 201
    body = ok.json()
    assert body["name"] == "表彰证书.jpg" and body["url"].startswith(page_of(started) + "evidence/")
    assert actions(started) == ["create", "evidence"]
    bad = hr.post(url, {"item": "GC-01", "file": SimpleUploadedFile("x.pdf", b"%PDF-broken")},
                  HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert bad.status_code == 400 and "PDF" in bad.json()["error"]
    unknown = hr.post(url, {"item": "NOPE", "file": pdf()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert unknown.status_code == 400 and "没有指标" in unknown.json()["error"]
    missing = hr.post(url, {"item": "GC-01"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert missing.status_code == 400 and "请选择要上传的文件" in missing.json()["error"]
    assert Evidence.objects.count() == 1 and len(private_files(settings)) == 1
    # without the script: the same address, a redirect back with the message
    plain = hr.post(url, {"item": "GC-02", "file": pdf("和谐企业.pdf")}, follow=True)
    assert "已上传证明材料：和谐企业.pdf" in plain.content.decode()


# --- submitting -------------------------------------------------------------------------------
def test_R_CR_02_submit_needs_the_pledge_and_every_point(companies, started):
    hr = page_client(companies.approved.user)
    no_pledge = hr.post(page_of(started), filled(started, action="submit")).content.decode()
    assert 'id="err-pledge"' in no_pledge and started.lines.filter(self_points__isnull=False).count() == 0
    missing = filled(started, action="submit", pledge="1", **{"points-GC-09": ""})
    page = hr.post(page_of(started), missing).content.decode()
    assert "请填写自评分（不得分的填0）：GC-09" in page
    started.refresh_from_db()
    assert started.status == "draft" and started.lines.filter(self_points__isnull=False).count() == 0
    assert actions(started) == ["create"]  # the save in the same go was rolled back too


def test_R_CR_02_submit_then_read_only_with_the_timeline(companies, started):
    hr = page_client(companies.approved.user)
    response = hr.post(page_of(started), filled(started, action="submit", pledge="1",
                                                **{"evidence-BI-06": pdf("规章制度.pdf")}))
    assert response.status_code == 302 and response["Location"] == page_of(started) + "?submitted=1"
    started.refresh_from_db()
    assert started.status == "submitted" and started.submitted_at is not None
    assert actions(started) == ["create", "edit", "evidence", "submit"]
    page = hr.get(response["Location"]).content.decode()
    assert "申报已提交" in page and 'id="declaration-status">已提交（待初评）' in page
    assert 'name="points-' not in page and 'type="file"' not in page and "提交申报</button>" not in page
    assert 'id="value-points-BI-01">1<' in page and "规章制度.pdf" in page
    timeline = page[page.index('id="declaration-timeline"'):]
    assert [label in timeline for label in ("创建申报", "保存申报", "上传证明材料", "提交申报")] == [True] * 4
    assert "本企业" in timeline
    # wrong state: saving or uploading after submission is refused, nothing changes
    refused = hr.post(page_of(started), filled(started, points="0", action="save")).content.decode()
    assert "不能" in refused and not started.lines.filter(self_points=0).exists()
    upload = hr.post(page_of(started) + "evidence/", {"item": "BI-01", "file": pdf()},
                     HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert upload.status_code == 409 and "不能" in upload.json()["error"]
    assert actions(started) == ["create", "edit", "evidence", "submit"]


def test_R_CR_02_draft_outside_the_window_is_read_only_and_saving_is_refused(companies, started, scheme):
    from datetime import date

    CriteriaYear.objects.filter(pk=scheme.pk).update(window_start=date(2020, 1, 1), window_end=date(2020, 3, 31))
    hr = page_client(companies.approved.user)
    page = hr.get(page_of(started)).content.decode()
    assert "申报期为2020-01-01至2020-03-31（含当日），已截止" in page and 'name="points-' not in page
    refused = hr.post(page_of(started), filled(started, action="save")).content.decode()
    assert "已截止" in refused and not started.lines.filter(self_points__isnull=False).exists()
    upload = hr.post(page_of(started) + "evidence/", {"item": "BI-01", "file": pdf()},
                     HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert upload.status_code == 409 and not Evidence.objects.exists()
    assert actions(started) == ["create"]


# --- returned for correction ------------------------------------------------------------------
def test_R_CR_02_returned_items_highlighted_with_the_reason_and_resubmitted(companies, started):
    hr = page_client(companies.approved.user)
    assert hr.post(page_of(started), filled(started, action="submit", pledge="1")).status_code == 302
    services.return_declaration(actor=companies.staff, declaration_id=started.pk, reason="BI-02 缺少工商变更记录",
                                items=["BI-02"])
    page = hr.get(page_of(started)).content.decode()
    assert "区人社局退回修改：</strong>BI-02 缺少工商变更记录" in page
    assert 'class="cr-item cr-item--returned" id="item-BI-02"' in page
    assert 'name="points-BI-02"' in page and 'name="points-BI-01"' not in page  # only the returned item
    assert "重新提交" in page and "区人社局" in page[page.index('id="declaration-timeline"'):]
    # an evidence file for an item that was not returned is refused
    other = hr.post(page_of(started) + "evidence/", {"item": "BI-01", "file": pdf()},
                    HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert other.status_code == 400 and "未被退回" in other.json()["error"]
    response = hr.post(page_of(started), {"points-BI-02": "0", "note-BI-02": "名称2023年变更过，改为0分",
                                          "action": "submit", "pledge": "1"})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == "submitted"
    line = started.lines.get(item__code="BI-02")
    assert (line.self_points, line.returned) == (Decimal("0"), False)
    assert actions(started)[-3:] == ["return", "edit", "submit"]
    assert DeclarationEvent.objects.filter(declaration=started, action="submit").last().note == "重新提交"


# --- the published result: the company's own only -----------------------------------------------
def test_R_CR_02_published_result_shows_own_score_grade_and_ranks(companies, other_company, in_window):
    staff = companies.staff
    mine = {}
    for account, points in ((companies.approved, 1), (other_company, 0)):
        d = services.create_declaration(actor=account.user, year=YEAR)
        codes = codes_of(d)
        services.save_declaration(actor=account.user, declaration_id=d.pk, data=services.DeclarationInput(
            [services.LineInput(c, points) for c in codes]))
        services.submit_declaration(actor=account.user, declaration_id=d.pk)
        scoring.score_items(actor=staff, declaration_id=d.pk, stage="initial",
                            items=[scoring.ScoreInput(c, points) for c in codes])
        scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="initial")
        scoring.confirm_stage(actor=staff, declaration_id=d.pk, stage="final")
        mine[account.pk] = d
    hr = page_client(companies.approved.user)
    before = hr.get(page_of(mine[companies.approved.pk])).content.decode()
    assert 'id="declaration-result"' not in before  # not published yet
    results.generate_results(actor=staff, year=YEAR)
    assert 'id="declaration-result"' not in hr.get(page_of(mine[companies.approved.pk])).content.decode()
    results.publish_results(actor=staff, year=YEAR)
    d = mine[companies.approved.pk]
    d.refresh_from_db()
    page = hr.get(page_of(d)).content.decode()
    assert f'id="result-score">{d.credit_score}<' in page and f'id="result-grade">{d.grade}<' in page
    assert 'id="result-rank">1<small> / 2</small>' in page
    assert other_company.company_name not in page and other_company.enterprise.uscc not in page
    other_page = page_client(other_company.user).get(page_of(mine[other_company.pk])).content.decode()
    assert 'id="result-rank">2<small> / 2</small>' in other_page and companies.approved.company_name not in other_page
    home = hr.get("/portal/credit/").content.decode()
    assert f"<td data-label=\"等级\">{d.grade}</td>" in home
