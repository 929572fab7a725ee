"""The desk case list's columns (issue 11 item 3): the grid's acceptance as
the rounds and the export say it."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.kuaiban.conftest import HANDLING
from zhonglou_hrss.core.display import when
from zhonglou_hrss.kuaiban.models import GridRound
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.django_db

BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"
LIST = "/desk/kuaiban/case/"
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
