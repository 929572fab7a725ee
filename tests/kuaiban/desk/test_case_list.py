"""The desk case list's columns (issue 11 items 3 and 8): the grid's
acceptance as the rounds and the export say it, the leader's handling columns
(inspector, amount, closing time, days open), the column chooser, the
overdue card's colour — and no query per row."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.kuaiban.conftest import HANDLING, PATHS
from zhonglou_hrss.core.display import when
from zhonglou_hrss.kuaiban.models import GridRound
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.django_db

BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"
LIST = "/desk/kuaiban/case/"
COLUMNS = "/desk/kuaiban/case/columns/"
SH = ZoneInfo("Asia/Shanghai")
RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def row_of(page: str, number: str) -> str:
    at = page.index(f">{number}<")
    return page[page.rfind("<tr", 0, at):page.index("</tr>", at)]


def cell(row: str, column: str) -> str | None:
    """The text of a column's cell in a row (None when the column is not shown)."""
    found = re.search(rf'<td class="field-{column}\b[^"]*"[^>]*>(.*?)</td>', row, re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None


def headers(page: str) -> list[str]:
    return re.findall(r'<th class="[^"]*\bcolumn-(\w+)\b', page)


# --- item 3: 网格接收 ------------------------------------------------------------------------
def test_grid_acceptance_shown_after_the_case_left_the_grid(people, new_case, fake_clock):
    """Issue 11 item 3: 网格接收 shows when the grid accepted the case after it
    left the grid (resolved, failed, returned, escalated, closed) — the time
    the export shows — not "—" because the case's own field was cleared."""
    accepted_at = dt.datetime(2026, 5, 20, 9, 30, tzinfo=SH)

    def accepted_then(path):
        fake_clock.set(accepted_at - dt.timedelta(days=1))
        case = new_case(grid="320404001")
        fake_clock.set(accepted_at)
        perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
        fake_clock.set(accepted_at + dt.timedelta(days=2))
        for action, who, data in path:
            perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
        case.refresh_from_db()
        return case

    resolved = accepted_then([("grid_resolve", "grid1", RESOLVE)])
    failed = accepted_then([("grid_fail", "grid1", {"notes": "企业拒绝调解"})])
    closed = accepted_then([
        ("grid_fail", "grid1", {"notes": "企业拒绝调解"}), ("triage_escalate", "clerk", {}),
        ("assign", "leader", {"inspector": "k_inspector1"}), ("claim", "inspector1", {}),
        ("record_handling", "inspector1", HANDLING), ("close", "inspector1", {})])
    handling = accepted_then([])
    fake_clock.set(accepted_at - dt.timedelta(days=1))
    never = new_case(grid="320404001")
    assert resolved.grid_accepted_at is None and closed.grid_accepted_at is None  # the round's field is cleared

    page = login(people.clerk).get(LIST).content.decode()
    for case in (resolved, failed, closed, handling):
        assert cell(row_of(page, case.number), "accepted_col") == "2026-05-20 09:30", case.status
    assert cell(row_of(page, never.number), "accepted_col") == "—"
    # The grid worker's list says the same of their cases.
    page = login(people.grid1).get(LIST).content.decode()
    assert cell(row_of(page, resolved.number), "accepted_col") == "2026-05-20 09:30"


def test_grid_acceptance_is_the_latest_rounds(people, new_case, fake_clock):
    """Issue 11 item 3: sent to another grid after a failed mediation, the case
    shows the second grid's acceptance (as the export: the latest accepted round)."""
    fake_clock.set(dt.datetime(2026, 5, 1, 10, tzinfo=SH))
    case = new_case(grid="320404001")
    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    perform(case_id=case.pk, action="grid_fail", actor=people.grid1, data={"notes": "企业拒绝调解"})
    fake_clock.set(dt.datetime(2026, 5, 3, 15, 45, tzinfo=SH))
    perform(case_id=case.pk, action="triage_regrid", actor=people.clerk, data={"grid": "320404002"})
    page = login(people.clerk).get(LIST).content.decode()
    assert cell(row_of(page, case.number), "accepted_col") == "2026-05-01 10:00"  # the new grid has not yet
    fake_clock.set(dt.datetime(2026, 5, 4, 8, 15, tzinfo=SH))
    perform(case_id=case.pk, action="grid_accept", actor=people.grid2, data={})
    page = login(people.clerk).get(LIST).content.decode()
    assert cell(row_of(page, case.number), "accepted_col") == "2026-05-04 08:15"
    latest = GridRound.objects.filter(case=case, accepted_at__isnull=False).order_by("-sent_at").first()
    assert when(latest.accepted_at) == "2026-05-04 08:15"


# --- item 8 (a): the leader's columns -------------------------------------------------------------
def test_leader_sees_inspector_amount_closing_time_and_days(people, new_case, case_in, fake_clock):
    """Issue 11 item 8: the leader's list shows the current assignment's
    inspector, the amount (the inspector's handling amount, else the grid's
    mediation amount), the closing time and the days open (to the closing, or
    to now while open)."""
    def walk(case, status):
        for action, who, data in PATHS[status]:
            perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
        return case

    closed = new_case(grid="320404001")  # 2026-06-01 10:00
    resolved = new_case(grid="320404001")
    fake_clock.advance(dt.timedelta(days=2, hours=3))
    walk(closed, "closed")  # 3000, by 张监察
    walk(resolved, "grid_resolved")  # 1200, by the grid
    fake_clock.advance(dt.timedelta(days=3))
    waiting = walk(new_case(grid="320404001"), "awaiting_claim")  # 2026-06-06 13:00, assigned to 张监察
    fake_clock.advance(dt.timedelta(days=1))
    fresh = new_case(grid="320404002")
    fake_clock.advance(dt.timedelta(days=3, hours=1))  # now 2026-06-10 14:00

    page = login(people.leader).get(LIST).content.decode()
    assert headers(page)[-4:] == ["inspector_col", "amount_col", "closed_col", "days_col"]
    row = row_of(page, closed.number)
    assert (cell(row, "inspector_col"), cell(row, "amount_col"), cell(row, "closed_col"), cell(row, "days_col")) == (
        "张监察", "¥3,000.00", "2026-06-03 13:00", "2天")
    row = row_of(page, resolved.number)
    assert (cell(row, "inspector_col"), cell(row, "amount_col"), cell(row, "closed_col"), cell(row, "days_col")) == (
        "—", "¥1,200.00", "2026-06-03 13:00", "2天")
    row = row_of(page, waiting.number)
    assert (cell(row, "inspector_col"), cell(row, "amount_col"), cell(row, "closed_col"), cell(row, "days_col")) == (
        "张监察", "—", "—", "4天")  # open: to now
    assert cell(row_of(page, fresh.number), "days_col") == "3天"


def test_column_chooser_remembers_each_users_columns(people, new_case):
    """Issue 11 item 8: 显示列 — the columns a user ticks stay for their
    session (the number always shows); 恢复默认 forgets them. The clerk's
    default is the list of ui.md, the leader's the handling columns."""
    case = new_case()
    clerk, leader = login(people.clerk), login(people.leader)
    assert headers(clerk.get(LIST).content.decode()) == [
        "number_link", "status_col", "overdue_col", "grid", "reason", "respondent_name", "reporter_col",
        "created_col", "accepted_col"]
    assert headers(leader.get(LIST).content.decode()) == [
        "number_link", "status_col", "overdue_col", "grid", "respondent_name", "created_col", "inspector_col",
        "amount_col", "closed_col", "days_col"]

    response = clerk.post(COLUMNS, {"col": ["days_col", "status_col", "no_such_column", "inspector_col"],
                                    "next": f"{LIST}?status=grid_pending&o=3"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?status=grid_pending"
    page = clerk.get(LIST).content.decode()
    assert headers(page) == ["number_link", "status_col", "inspector_col", "days_col"]
    assert 'name="col" value="days_col" checked' in page and 'name="col" value="reason" checked' not in page
    assert headers(leader.get(LIST).content.decode())[-1] == "days_col"  # the leader's own, untouched
    assert case.number in page

    response = clerk.post(COLUMNS, {"reset": "1", "next": "https://evil.example/"})
    assert response["Location"] == LIST  # never off the list
    assert headers(clerk.get(LIST).content.decode())[-1] == "accepted_col"
    assert clerk.get(COLUMNS).status_code == 405


@pytest.mark.parametrize("who", ["leader", "grid1"])
def test_list_query_count_does_not_grow_with_rows(people, new_case, case_in, who):
    """Issue 11 items 3 and 8: the acceptance, inspector, amount, closing and
    days columns read the page's rows with one query each for the rounds and
    the assignments — a list of 2 or 3 cases and one of 20 cost the same, and
    so do the first pages of 25 and of 45 cases."""
    user = getattr(people, who)
    client = login(user)
    client.post(COLUMNS, {"col": ["status_col", "accepted_col", "inspector_col", "amount_col", "closed_col",
                                  "days_col", "grid", "reason"], "next": LIST})
    case_in("closed")  # returned by the grid: the leader's only
    case_in("grid_resolved")
    new_case()

    def shown() -> int:
        return len(re.findall(r'<td class="field-days_col', client.get(LIST).content.decode()))

    def queries() -> int:
        shown()  # the caches a change of the cases empties (a grid's count) filled again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    kinds = ["closed", "grid_resolved"] if who == "leader" else ["grid_resolved"]
    for n in range(20 - shown()):
        case_in(kinds[n % len(kinds)])
    assert shown() == 20 and queries() == few  # one page: the list read whole
    for _ in range(5):
        new_case()
    first_of_25 = queries()  # several pages: the page read ids first
    for _ in range(20):
        new_case()
    assert shown() == 20 and queries() == first_of_25


# --- item 8 (c): the overdue card ---------------------------------------------------------------
def test_overdue_card_above_the_list_red_only_when_there_are_some(people, new_case, fake_clock):
    """Issue 11 item 8: the 超时事件 card above the list is neutral at 0 and red above 0."""
    def overdue_card(user) -> str:
        page = login(user).get(LIST).content.decode()
        return re.search(r'<a class="([^"]*)" href="\?overdue=true">', page).group(1)

    case = new_case(grid="320404001")
    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    assert overdue_card(people.leader) == "zl-card"
    fake_clock.advance(dt.timedelta(days=16))
    assert overdue_card(people.leader) == "zl-card zl-red"
    assert overdue_card(people.grid2) == "zl-card"  # not theirs
