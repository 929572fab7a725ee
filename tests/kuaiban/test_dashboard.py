"""Issue 4 dashboard: the desk home's kuaiban cards agree with the lists they
link to, per role (a grid worker sees their grids only)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.services.transitions import perform
from zhonglou_hrss.kuaiban.stats import dashboard_figures

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


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
    assert 'id="work-cards"' not in html
