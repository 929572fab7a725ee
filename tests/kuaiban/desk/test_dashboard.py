"""Issue 4 dashboard: the desk home's kuaiban cards agree with the lists they
link to, per role (a grid worker sees their grids only). Issue 11 item 8: the
year's figures against a month ago, each role's rows, the overdue card's colour."""

import datetime as dt
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tests.kuaiban.conftest import PATHS
from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.services.transitions import perform
from zhonglou_hrss.kuaiban.selectors.figures import (
    dashboard_figures,
    map_figures,
    same_moment_last_month,
    year_figures,
)

pytestmark = pytest.mark.django_db
BACKEND = "zhonglou_hrss.core.auth.CachedModelBackend"


def login(user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


CARD = re.compile(r'<a href="([^"]+)" class="(zl-card[^"]*)"(?: title="[^"]*")?>\s*<div class="zl-card-title">'
                  r'([^<]+)</div>\s*<div class="zl-card-value">([^<]+)</div>'
                  r'(?:\s*<div class="zl-card-title zl-card-change">([^<]*)</div>)?')


def cards(client) -> dict[str, tuple[int, str]]:
    """The work cards that open a case list: title → (value, link)."""
    html = client.get("/desk/").content.decode()
    block = html[html.index('id="work-cards"'):]
    if 'id="desk-cards"' in block:
        block = block[:block.index('id="desk-cards"')]
    return {title: (int(value), href.replace("&amp;", "&")) for href, _, title, value, _ in CARD.findall(block)
            if href.startswith("/desk/kuaiban/case/")}


def home_rows(client) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """The home's rows of kuaiban cards: (heading, [(title, value, change, classes)]), then
    ("系统", the system cards)."""
    html = client.get("/desk/").content.decode()
    rows = []
    if 'id="work-cards"' in html:
        block = html[html.index('id="work-cards"'):]
        block = block[:block.index('id="desk-cards"')] if 'id="desk-cards"' in block else block
        for part in block.split('<h2 class="zl-cards-title">')[1:]:
            heading = part[:part.index("</h2>")]
            rows.append((heading, [(t, v, c, k) for _, k, t, v, c in CARD.findall(part)]))
    if 'id="desk-cards"' in html:
        block = html[html.index('id="desk-cards"'):]
        rows.append(("系统", [(t, v, c, k) for _, k, t, v, c in CARD.findall(block)]))
    return rows


def titles(rows) -> list[tuple[str, list[str]]]:
    return [(heading, [card[0] for card in cards]) for heading, cards in rows]


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


# --- issue 11 item 8 ------------------------------------------------------------------------------
SH = ZoneInfo("Asia/Shanghai")
RESOLVE = {"resolution_way": "mediation", "amount": "100", "notes": "已调解"}


def local(*args):
    return dt.datetime(*args, tzinfo=SH)


def test_same_moment_last_month():
    """Issue 11 item 8: a month before, on the month's last day when it is shorter."""
    assert same_moment_last_month(local(2026, 6, 20, 10)) == local(2026, 5, 20, 10)
    assert same_moment_last_month(local(2026, 3, 31, 23, 59)) == local(2026, 2, 28, 23, 59)
    assert same_moment_last_month(local(2028, 3, 30, 8)) == local(2028, 2, 29, 8)
    assert same_moment_last_month(local(2027, 1, 15, 9)) == local(2026, 12, 15, 9)


def test_completed_last_month_ends_in_last_month(people, new_case, fake_clock):
    """Issue 11 item 8: 本月办结's 上月同期 on 31 March is February up to the 28th —
    not February plus the first days of March."""
    fake_clock.set(local(2026, 2, 27, 9))
    early_march, late_february = new_case(grid="320404001"), new_case(grid="320404001")
    for case, closed_on in ((late_february, local(2026, 2, 27, 10)), (early_march, local(2026, 3, 2, 10))):
        fake_clock.set(closed_on)
        perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
        perform(case_id=case.pk, action="grid_resolve", actor=people.grid1, data=dict(RESOLVE))
    fake_clock.set(local(2026, 3, 31, 12))
    figures = dashboard_figures(people.leader)
    assert (figures["closed_month"], figures["closed_prev_month"]) == (1, 1)


@pytest.fixture
def year_of_cases(people, new_case, fake_clock):
    """Cases of 2025 and 2026 moved at known moments; "now" is 2026-06-20 10:00,
    a month ago 2026-05-20 10:00."""
    def case(registered, grid="320404001"):
        fake_clock.set(registered)
        return new_case(grid=grid)

    def steps(case, at, path):
        fake_clock.set(at)
        for action, who, data in path:
            perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))

    accept = [("grid_accept", "grid1", {})]
    resolve = accept + [("grid_resolve", "grid1", RESOLVE)]
    made = {
        "a": case(local(2026, 3, 10, 9)),  # completed before a month ago
        "b": case(local(2026, 5, 10, 9)),  # registered before, completed after
        "c": case(local(2026, 6, 1, 9), grid="320404002"),  # registered after a month ago
        "d": case(local(2025, 12, 20, 9)),  # last year's, completed this month: in neither year's figure
        "e": case(local(2026, 2, 1, 9)),  # the district's: returned by the grid, closed by an inspector
        "f": case(local(2026, 4, 1, 9)),  # mediation failed, then ended invalid: received, never completed
    }
    steps(made["a"], local(2026, 4, 1, 9), resolve)
    steps(made["b"], local(2026, 6, 10, 9), resolve)
    steps(made["d"], local(2026, 6, 5, 9), resolve)
    steps(made["e"], local(2026, 6, 15, 9), PATHS["closed"])
    steps(made["f"], local(2026, 6, 2, 9), accept + [("grid_fail", "grid1", {"notes": "企业拒绝调解"}),
                                                     ("triage_invalid", "clerk", {"reason": "重复投诉"})])
    fake_clock.set(local(2026, 6, 20, 10))
    return made


def test_year_figures_and_a_month_ago(people, year_of_cases):
    """Issue 11 item 8: this year's received / completed / rate as the one map
    counts them (from the case counts), and the same figures as they stood at
    the same moment last month — per whose figures they are."""
    keys = ("received", "completed", "rate", "received_then", "completed_then", "rate_then")
    expected = {
        people.leader: (5, 3, 60.0, 4, 1, 25.0),  # a b c e f; a b e — then a b e f; a
        people.clerk: (5, 3, 60.0, 4, 1, 25.0),
        people.grid1: (3, 2, 66.7, 3, 1, 33.3),  # a b f (e was returned: not theirs)
        people.grid2: (1, 0, 0.0, 0, 0, None),  # c
    }
    for user, values in expected.items():
        f = year_figures(user)
        assert tuple(f[k] for k in keys) == values, user.username
        totals = map_figures(user, 2026)["totals"]
        assert (f["received"], f["completed"]) == (totals["cases_received"], totals["cases_completed"])
    assert year_figures(people.admin) is None
    # An inspector reads the district's year as numbers (issue 11 item 14), the leader's figures.
    assert year_figures(people.inspector1) == year_figures(people.leader)


def test_each_roles_home(people, year_of_cases):
    """Issue 11 item 8: the leader's first row is the year — received,
    completed, completion rate, overdue — against a month ago, with the
    registry and grid counts gone; clerks and grid workers see their work
    first and the year after; an inspector their work (no overdue card:
    their cases never are); the admin the system cards."""
    year = "2026年概况"
    work = "今日工作"
    leader = home_rows(login(people.leader))
    assert titles(leader) == [
        (year, ["2026年收到事件", "2026年完成事件", "2026年完成率", "超时事件"]),
        (work, ["待我处理", "今日新增事件", "本月办结"]),
    ]
    first = {title: (value, change) for title, value, change, _ in leader[0][1]}
    assert first["2026年收到事件"] == ("5", "上月同日 4（+1）")
    assert first["2026年完成事件"] == ("3", "上月同日 1（+2）")
    assert first["2026年完成率"] == ("60.0%", "上月同日 25.0%（+35.0 个百分点）")
    assert titles(home_rows(login(people.clerk))) == [
        (work, ["今日新增事件", "待我处理", "超时事件", "本月办结"]),
        (year, ["2026年收到事件", "2026年完成事件", "2026年完成率"]),
        ("系统", ["企业库"]),
    ]
    grid2 = home_rows(login(people.grid2))
    assert titles(grid2) == [
        (work, ["今日新增事件", "待我处理", "超时事件", "本月办结"]),
        (year, ["2026年收到事件", "2026年完成事件", "2026年完成率"]),
    ]
    assert [(t, v, c) for t, v, c, _ in grid2[1][1]] == [
        ("2026年收到事件", "1", "上月同日 0（+1）"), ("2026年完成事件", "0", "上月同日 0（持平）"),
        ("2026年完成率", "0.0%", "上月同日 —")]
    assert titles(home_rows(login(people.inspector1))) == [(work, ["今日新增事件", "待我处理", "本月办结"])]
    # 系统管理员: the last good backup first (issue 9; red when older than 2 days), then the system cards.
    assert titles(home_rows(login(people.admin))) == [("系统运行", ["最近一次成功备份"]),
                                                       ("系统", ["企业库", "有效用户", "有效网格", "近24小时登录失败"])]


def test_january_has_no_month_ago(people, new_case, fake_clock):
    """Issue 11 item 8: in January the year has no "a month ago": said so."""
    fake_clock.set(local(2027, 1, 10, 9))
    new_case(grid="320404001")
    f = year_figures(people.leader)
    assert (f["received"], f["received_then"], f["rate_then"]) == (1, None, None)
    rows = home_rows(login(people.leader))
    assert rows[0][0] == "2027年概况"
    assert {change for _, _, change, _ in rows[0][1][:3]} == {"今年首月，暂无上月同日可比"}


def test_overdue_card_red_only_above_zero(people, new_case, fake_clock):
    """Issue 11 item 8: the home's 超时事件 card is neutral at 0, red above 0."""
    def overdue_card(user):
        return next(card for _, cards in home_rows(login(user)) for card in cards if card[0] == "超时事件")

    case = new_case(grid="320404001")
    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    for user in (people.leader, people.grid1, people.clerk):
        assert overdue_card(user)[1:] == ("0", "昨日此时 0（持平）", "zl-card"), user.username
    fake_clock.advance(timedelta(days=16))
    assert overdue_card(people.leader)[3] == "zl-card zl-red"
    assert overdue_card(people.grid1)[3] == "zl-card zl-red"
    assert overdue_card(people.grid2)[3] == "zl-card"
