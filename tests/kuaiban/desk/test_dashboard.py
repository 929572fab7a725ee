"""Issue 4 dashboard: the desk home's kuaiban cards agree with the lists they
link to, per role (a grid worker sees their grids only)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.services.transitions import perform
from zhonglou_hrss.kuaiban.selectors.figures import dashboard_figures

pytestmark = pytest.mark.django_db
BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"


def login(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def cards(client) -> dict[str, tuple[int, str]]:
    html = client.get("/desk/").content.decode()
    block = html[html.index('id="work-cards"'):]
    if 'id="desk-cards"' in block:
        block = block[:block.index('id="desk-cards"')]
    found = re.findall(r'<a href="([^"]+)" class="zl-card[^"]*">\s*<div class="zl-card-title">([^<]+)</div>\s*'
                       r'<div class="zl-card-value">(\d+)</div>', block)
    return {title: (int(value), href.replace("&amp;", "&")) for href, title, value in found}


def list_count(client, href) -> int:
    html = client.get(href).content.decode()
    return len(re.findall(r'/desk/kuaiban/case/\d+/|href="\d+/"', html))


def test_cards_agree_with_linked_lists(people, new_case, case_in):
    long_ago = timezone.now() - timedelta(days=20)
    with clock.at(long_ago):
        overdue = new_case(grid="320404001")
        perform(case_id=overdue.pk, action="grid_accept", actor=people.grid1, data={})
    new_case(grid="320404001")
    new_case(grid="320404002")
    case_in("grid_resolved")
    for user in (people.leader, people.grid1, people.grid2):
        client = login(user)
        shown = cards(client)
        assert set(shown) == {"今日新增事件", "待我处理", "超时事件", "本月办结"}
        for title, (value, href) in shown.items():
            assert list_count(client, href) == value, (user.username, title)


def test_grid_worker_figures_cover_their_grids_only(people, new_case):
    new_case(grid="320404001")
    new_case(grid="320404002")
    new_case(grid="320404002")
    assert dashboard_figures(people.grid1)["new_today"] == 1
    assert dashboard_figures(people.grid2)["new_today"] == 2
    assert dashboard_figures(people.leader)["new_today"] == 3


def test_overdue_change_against_yesterday(people, new_case):
    start = timezone.now() - timedelta(days=15, hours=12)
    with clock.at(start):
        case = new_case(grid="320404001")
        perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    figures = dashboard_figures(people.leader)
    assert figures["overdue"] == 1 and figures["overdue_yesterday"] == 0


def test_no_kuaiban_cards_for_portal_staff(client_as):
    html = client_as("portal_staff").get("/desk/").content.decode()
    for title in ("今日新增事件", "待我处理", "超时事件", "本月办结"):  # (their own portal cards are there)
        assert title not in html


def test_every_card_and_its_previous_period_per_role(people, new_case, fake_clock):
    """Issue 4 dashboard: each card and the value it is compared with — new
    today / yesterday (Shanghai days), overdue now / this time yesterday (from
    the rounds, so a case resolved since still counts for yesterday), completed
    this month / last month up to the same point — for the leader and per grid."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    now = dt.datetime(2026, 6, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    resolve = {"resolution_way": "mediation", "amount": "100", "notes": "已调解"}

    def accepted(grid, worker, at, resolved_at=None):
        fake_clock.set(at - timedelta(hours=1))
        case = new_case(grid=grid)
        fake_clock.set(at)
        perform(case_id=case.pk, action="grid_accept", actor=worker, data={})
        if resolved_at:
            fake_clock.set(resolved_at)
            perform(case_id=case.pk, action="grid_resolve", actor=worker, data=dict(resolve))
        return case

    g1, g2 = "320404001", "320404002"
    accepted(g1, people.grid1, now - timedelta(days=20))  # overdue now and yesterday
    accepted(g1, people.grid1, now - timedelta(days=17), now - timedelta(hours=9))  # overdue yesterday only
    accepted(g1, people.grid1, now - timedelta(days=15, hours=12))  # overdue now only
    accepted(g2, people.grid2, now - timedelta(days=20))  # 永红: overdue now and yesterday
    accepted(g1, people.grid1, now - timedelta(days=20), now - timedelta(days=3))  # completed this month
    accepted(g1, people.grid1, dt.datetime(2026, 5, 5, 10, tzinfo=now.tzinfo),
             dt.datetime(2026, 5, 10, 10, tzinfo=now.tzinfo))  # completed last month, before the same point
    accepted(g2, people.grid2, dt.datetime(2026, 5, 5, 10, tzinfo=now.tzinfo),
             dt.datetime(2026, 5, 25, 10, tzinfo=now.tzinfo))  # completed last month, after the same point
    fake_clock.set(dt.datetime(2026, 6, 19, 15, 0, tzinfo=now.tzinfo))
    new_case(grid=g1)  # new yesterday
    fake_clock.set(dt.datetime(2026, 6, 20, 9, 0, tzinfo=now.tzinfo))
    new_case(grid=g2)  # new today
    fake_clock.set(now)

    keys = ("new_today", "new_yesterday", "overdue", "overdue_yesterday", "closed_month", "closed_prev_month")
    expected = {
        people.leader: (1, 1, 3, 3, 2, 1),
        people.grid1: (0, 1, 2, 2, 2, 1),
        people.grid2: (1, 0, 1, 1, 0, 0),
    }
    for user, values in expected.items():
        figures = dashboard_figures(user)
        assert tuple(figures[k] for k in keys) == values, (user.username, figures)
