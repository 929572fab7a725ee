"""Talent demands in the desk (R-PT-13, 14) as each role: the list (drafts
never, filters), a demand's page with 审核通过 / 不通过 (reason required, the
timeline, a decision that lost the race as a message), the sidebar and the
desk-home card, the statistics page on a known data set and its Excel cell
by cell."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import MODEL_BACKEND
from tests.portal.demands import approved_demand, demand_input, demand_position
from tests.portal.services.test_demand_stats import DAY, at
from tests.portal.services.test_demand_stats import data as known_data  # noqa: F401  (the known data set)
from zhonglou_hrss.core.models import AuditLog, Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account
from zhonglou_hrss.portal.models import Demand, DemandEvent, DemandStatus
from zhonglou_hrss.portal.selectors.demands import demand_statistics
from zhonglou_hrss.portal.services.demands import MajorInput, decide_demand, save_demand, submit_demand
from tests.accounts import registration

pytestmark = pytest.mark.django_db


def desk(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def demands(accounts):
    """One draft, one pending, one approved of the approved account; one pending of a second enterprise."""
    user, staff = accounts.approved.user, accounts.staff
    draft = save_demand(actor=user, data=demand_input(positions=[demand_position(1, position="草稿岗位甲")]))
    pending = save_demand(actor=user, data=demand_input(positions=[demand_position(1, position="焊工乙")]))
    submit_demand(actor=user, demand_id=pending.pk)
    approved = approved_demand(user, staff, demand_input(positions=[demand_position(1, position="电工丙")]))
    other = register_account(data=registration(6, industrial_chain="high_end_equipment"))
    decide_access(actor=staff, account_id=other.pk, subsystem=Subsystem.PORTAL, approve=True)
    theirs = save_demand(actor=other.user, data=demand_input(positions=[demand_position(1, position="质检丁")]))
    submit_demand(actor=other.user, demand_id=theirs.pk)
    return {"draft": draft, "pending": pending, "approved": approved, "theirs": theirs, "other": other}


def test_R_PT_13_the_list_never_shows_drafts_and_links_the_enterprise_page(accounts, demands):
    html = desk(accounts.staff).get("/desk/portal/demand/").content.decode()
    assert "草稿岗位甲" not in html
    for post in ("焊工乙", "电工丙", "质检丁"):
        assert post in html, post
    uscc = accounts.approved.enterprise.uscc
    assert f'href="/desk/core/enterprise/uscc/{uscc}/"' in html
    assert "待审核" in html and "已通过" in html and "需求统计" in html
    assert f'href="/desk/portal/demand/{demands["draft"].pk}/"' not in html
    assert desk(accounts.staff).get(f"/desk/portal/demand/{demands['draft'].pk}/").status_code == 404


@pytest.mark.parametrize("query, shown, hidden", [
    ("status=pending", ["焊工乙", "质检丁"], ["电工丙"]),
    ("status=approved", ["电工丙"], ["焊工乙", "质检丁"]),
    ("q=质检", ["质检丁"], ["焊工乙", "电工丙"]),
    ("chain=high_end_equipment", ["质检丁"], ["焊工乙", "电工丙"]),
])
def test_R_PT_13_filters(accounts, demands, query, shown, hidden):
    html = desk(accounts.staff).get(f"/desk/portal/demand/?{query}").content.decode()
    for post in shown:
        assert post in html, (query, post)
    for post in hidden:
        assert post not in html, (query, post)


def test_R_PT_13_filter_by_enterprise_industry_and_period(accounts, demands):
    client = desk(accounts.staff)
    html = client.get(f"/desk/portal/demand/?uscc={demands['other'].enterprise.uscc}").content.decode()
    assert "质检丁" in html and "焊工乙" not in html
    html = client.get("/desk/portal/demand/?industry=C").content.decode()
    assert "质检丁" in html and "焊工乙" in html
    html = client.get("/desk/portal/demand/?submitted_at_from=2000-01-01&submitted_at_to=2000-01-02").content.decode()
    assert "焊工乙" not in html and "质检丁" not in html


def test_R_PT_13_approve_and_reject_with_the_timeline(accounts, demands):
    client = desk(accounts.staff)
    pending, theirs = demands["pending"], demands["theirs"]
    page = client.get(f"/desk/portal/demand/{pending.pk}/").content.decode()
    assert 'id="approve"' in page and 'id="reject"' in page and "139****5678" in page
    assert "13912345678" not in page
    response = client.post(f"/desk/portal/demand/{pending.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == f"/desk/portal/demand/{pending.pk}/"
    pending.refresh_from_db()
    assert pending.status == DemandStatus.APPROVED and pending.decided_by == accounts.staff
    event = DemandEvent.objects.filter(demand=pending).order_by("-id").first()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "approve", "pending", "approved", accounts.staff)
    page = client.get(f"/desk/portal/demand/{pending.pk}/").content.decode()
    assert "已审核通过" in page and 'id="approve"' not in page and "审核通过（待审核 → 已通过）" in page
    # A reason is required: nothing changes, the message says so.
    response = client.post(f"/desk/portal/demand/{theirs.pk}/decide/", {"decision": "reject", "reason": " "},
                           follow=True)
    assert "请填写不通过的原因" in response.content.decode()
    assert Demand.objects.get(pk=theirs.pk).status == DemandStatus.PENDING
    client.post(f"/desk/portal/demand/{theirs.pk}/decide/", {"decision": "reject", "reason": "岗位薪资不明确"})
    theirs.refresh_from_db()
    assert theirs.status == DemandStatus.REJECTED and theirs.reject_reason == "岗位薪资不明确"
    assert DemandEvent.objects.filter(demand=theirs, action="reject", note="岗位薪资不明确").exists()


def test_R_PT_13_a_stale_decision_is_a_message(accounts, demands, staff):
    pending = demands["pending"]
    page_client = desk(accounts.staff)
    assert 'id="approve"' in page_client.get(f"/desk/portal/demand/{pending.pk}/").content.decode()
    decide_demand(actor=staff, demand_id=pending.pk, approve=False, reason="已由同事退回")  # meanwhile
    response = page_client.post(f"/desk/portal/demand/{pending.pk}/decide/", {"decision": "approve"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "不能审核通过" in html
    assert Demand.objects.get(pk=pending.pk).status == DemandStatus.REJECTED


def test_R_PT_13_sidebar_badge_and_the_desk_home_card(accounts, demands):
    html = desk(accounts.staff).get("/desk/").content.decode()
    assert "人才需求" in html and "需求统计" in html and "待审核人才需求" in html
    assert 'href="/desk/portal/demand/?status=pending"' in html


@pytest.mark.parametrize("role", ["clerk", "leader", "grid_worker", "inspector", "credit_staff"])
def test_R_PT_13_other_staff_may_not_open_demand_pages(client_as, accounts, demands, role):
    client = client_as(role)
    pk = demands["pending"].pk
    for url in ("/desk/portal/demand/", f"/desk/portal/demand/{pk}/", "/desk/portal/demand/stats/",
                "/desk/portal/demand/stats/export/"):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/desk/portal/demand/{pk}/decide/", {"decision": "approve"}).status_code in (403, 404)
    assert Demand.objects.get(pk=pk).status == DemandStatus.PENDING
    assert "待审核人才需求" not in client.get("/desk/").content.decode()


def test_R_PT_13_enterprise_users_are_sent_to_the_desk_login(accounts, demands):
    client = desk(accounts.approved.user)
    for url in ("/desk/portal/demand/", f"/desk/portal/demand/{demands['pending'].pk}/",
                "/desk/portal/demand/stats/"):
        response = client.get(url)
        assert response.status_code == 302 and "/desk/login/" in response["Location"], url


def test_R_PT_14_the_statistics_page_shows_the_known_numbers(accounts, known_data):  # noqa: F811
    first, second = known_data
    client = desk(accounts.staff)
    html = client.get(f"/desk/portal/demand/stats/?from={DAY}&to={DAY + timedelta(days=29)}").content.decode()
    for figure, value in (("demands", 4), ("approved", 3), ("completed", 1), ("partial", 1), ("no_feedback", 1),
                          ("requested", 101), ("hired", 30)):
        assert f'data-figure="{figure}"><div class="zl-card-title">' in html
        chunk = html.split(f'data-figure="{figure}">')[1][:200]
        assert f'<div class="zl-card-value">{value}</div>' in chunk, figure
    assert "33.33%" in html  # satisfaction 1 ÷ 3
    assert "满意度 = 企业反馈“已完成”的需求数 ÷ 已通过的需求数" in html
    for key in ("age_band", "education", "experience", "gender", "employment_type", "salary_band", "skill_level",
                "major_category", "industry", "industrial_chain", "services", "enterprises"):
        assert f'id="section-{key}"' in html, key
    assert f'data-uscc="{second.enterprise.uscc}"' in html
    age = html.split('id="table-age_band"')[1].split("</table>")[0]
    assert '<td class="num" data-figure="headcount">90</td><td class="num" data-figure="share">89.11%</td>' in age
    assert 'id="dm-stats-config"' in html and "demand_stats.js" in html and "escape.js" in html
    # The default period: this year.
    today = date.today()
    assert f"{today.year}-01-01 至" in client.get("/desk/portal/demand/stats/").content.decode()
    bad = client.get("/desk/portal/demand/stats/?from=2026-13-01").content.decode()
    assert "日期格式应为" in bad


def _block(ws, title):
    """The rows of a block: its header row, then the data up to the next blank row."""
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    end = next((i for i in range(start + 1, len(rows)) if all(v is None for v in rows[i])), len(rows))
    return rows[start + 1:end], start + 1


def test_R_PT_14_the_excel_export_cell_by_cell(accounts, known_data, settings):  # noqa: F811
    first, second = known_data
    settings.PORTAL_EXPORT_ISSUER = "常州市钟楼区人力资源和社会保障局就业促进科"
    date_to = DAY + timedelta(days=29)
    with at(date(2026, 7, 2), 9, 30):
        response = desk(accounts.staff).get(f"/desk/portal/demand/stats/export/?from={DAY}&to={date_to}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["需求统计"]
    assert ws["A1"].value == "钟楼区企业用工人才需求统计表（2026-06-01至2026-06-30）"
    assert ws["A2"].value == "填报单位：常州市钟楼区人力资源和社会保障局就业促进科"
    assert ws["C2"].value == "导出时间：2026-07-02 09:30"
    assert ws["A3"].value.startswith("统计期间：2026-06-01 至 2026-06-30")
    summary, _ = _block(ws, "总体情况")
    assert summary[0][:2] == ["项目", "数值"]
    assert {r[0]: r[1] for r in summary[1:]} == {
        "需求数（提交审核）": 4, "已通过": 3, "已完成": 1, "未完全达成": 1, "未反馈": 1, "满意度": round(1 / 3, 4),
        "需求人数（已通过）": 101, "实际招聘人数": 30}
    # One dimension cell by cell: 按年龄段.
    stats = demand_statistics(DAY, date_to)
    rows, header_index = _block(ws, "按年龄段")
    assert rows[0][:3] == ["年龄段", "需求人数", "占比"]
    expected = [[r.label, r.headcount, r.share] for r in stats.dimensions["age_band"]]
    assert [r[:3] for r in rows[1:-1]] == expected
    assert expected == [["18-25", 11, round(11 / 101, 4)], ["26-35", 90, round(90 / 101, 4)]]
    assert rows[-1][:3] == ["合计", 101, 1]
    assert ws.cell(header_index + 2, 3).number_format == "0.00%"
    enterprises, _ = _block(ws, "各企业需求与实际招聘")
    assert enterprises[1] == [second.enterprise.uscc, second.company_name, 61, 20]
    assert enterprises[2] == [first.enterprise.uscc, first.company_name, 40, 10]
    assert enterprises[-1] == [None, "合计", 101, 30]
    notes = wb["口径说明"]
    assert notes["A1"].value == "项目" and any("满意度" in (c.value or "") for c in notes["B"])
    log = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert log.actor == accounts.staff and log.detail["kind"] == "portal_demand_stats"
    assert log.detail["from"] == "2026-06-01" and log.detail["to"] == "2026-06-30"


def test_R_PT_14_the_statistics_read_approved_demands_only(accounts):
    user, staff = accounts.approved.user, accounts.staff
    with at(DAY):
        approved_demand(user, staff, demand_input(positions=[demand_position(1, headcount=7,
                                                                             majors=[MajorInput("08", 1)])]))
        pending = save_demand(actor=user, data=demand_input(positions=[demand_position(1, headcount=300)]))
        submit_demand(actor=user, demand_id=pending.pk)
    html = desk(staff).get(f"/desk/portal/demand/stats/?from={DAY}&to={DAY}").content.decode()
    assert '<div class="zl-card-value">7</div>' in html and "300" not in html.split('id="stats-cards"')[1][:3000]
