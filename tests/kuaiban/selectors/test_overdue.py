"""R-KB-05 overdue (超时): N natural days (site setting, 15 by default) after the
grid accepted the case without an outcome. Derived in the database query
(``selectors.with_overdue`` / ``overdue_q``), never stored, so it cannot go
stale. The clock is the one clock (``zhonglou_hrss.core.clock.now``), moved
by the ``fake_clock`` fixture.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from zhonglou_hrss.kuaiban.models import Case
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for, filter_cases, with_overdue
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


def overdue_views(user, case) -> tuple[bool, bool, bool]:
    """(badge, in the overdue filter, out of the not-overdue filter) — they must agree."""
    base = case_list_for(user)
    badge = with_overdue(base).get(pk=case.pk).is_overdue
    in_filter = filter_cases(base, overdue=True).filter(pk=case.pk).exists()
    out_of_rest = not filter_cases(base, overdue=False).filter(pk=case.pk).exists()
    return badge, in_filter, out_of_rest


def is_overdue(user, case) -> bool:
    views = overdue_views(user, case)
    assert len(set(views)) == 1, f"annotation and filters disagree: {views}"
    return views[0]


@pytest.fixture
def accepted(people, new_case, fake_clock):
    """A case accepted by grid 五星 at T (fake_clock's start): returns (case, T)."""
    case = new_case()
    fake_clock.advance(timedelta(hours=2))
    accepted_at = fake_clock()
    perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    return case, accepted_at


@pytest.mark.parametrize("offset,expected", [
    (timedelta(0), False),
    (14 * DAY, False),
    (15 * DAY - SECOND, False),
    (15 * DAY, True),
    (15 * DAY + SECOND, True),
    (40 * DAY, True),
])
def test_r_kb_05_overdue_at_fifteen_natural_days(offset, expected, people, accepted, fake_clock):
    case, accepted_at = accepted
    fake_clock.set(accepted_at + offset)
    for user in (people.grid1, people.clerk, people.leader):  # the same for everyone who sees it
        assert is_overdue(user, case) is expected


def test_r_kb_05_pending_case_is_never_overdue(people, new_case, fake_clock):
    """Not accepted yet: the 15 days have not started, however old the case."""
    case = new_case()
    fake_clock.advance(60 * DAY)
    assert is_overdue(people.grid1, case) is False


@pytest.mark.parametrize("action,data", [
    ("grid_resolve", {"resolution_way": "mediation", "amount": "100", "notes": "已调解"}),
    ("grid_fail", {"notes": "企业拒绝调解"}),
    ("grid_return", {"reason": "不属于本网格"}),
])
def test_r_kb_05_an_outcome_ends_overdue(action, data, people, accepted, fake_clock):
    case, accepted_at = accepted
    fake_clock.set(accepted_at + 16 * DAY)
    assert is_overdue(people.clerk, case) is True
    perform(case_id=case.pk, action=action, actor=people.grid1, data=data)
    assert is_overdue(people.clerk, case) is False
    fake_clock.advance(30 * DAY)
    assert is_overdue(people.clerk, case) is False
    if action != "grid_return":  # returned: grid 五星 no longer sees it at all (R-KB-07)
        assert is_overdue(people.grid1, case) is False


def test_r_kb_05_a_new_grid_counts_from_its_own_acceptance(people, accepted, fake_clock):
    case, first_accepted = accepted
    fake_clock.set(first_accepted + 20 * DAY)
    perform(case_id=case.pk, action="grid_fail", actor=people.grid1, data={"notes": "企业拒绝调解"})
    perform(case_id=case.pk, action="triage_regrid", actor=people.clerk, data={"grid": "320404002"})
    fake_clock.advance(DAY)
    assert is_overdue(people.grid2, case) is False  # pending at the new grid
    second_accepted = fake_clock()
    perform(case_id=case.pk, action="grid_accept", actor=people.grid2, data={})
    fake_clock.set(second_accepted + 15 * DAY - SECOND)
    assert is_overdue(people.grid2, case) is False
    fake_clock.set(second_accepted + 15 * DAY)
    assert is_overdue(people.grid2, case) is True
    assert is_overdue(people.grid1, case) is True  # the failed grid still sees it (R-KB-06), with the badge


@pytest.mark.parametrize("days", [10, 1, 30])
def test_r_kb_05_the_days_are_a_site_setting(days, settings, people, accepted, fake_clock):
    settings.KUAIBAN_OVERDUE_DAYS = days
    case, accepted_at = accepted
    fake_clock.set(accepted_at + days * DAY - SECOND)
    assert is_overdue(people.grid1, case) is False
    fake_clock.set(accepted_at + days * DAY)
    assert is_overdue(people.grid1, case) is True


def test_r_kb_05_derived_in_the_query_not_stored(people, accepted, fake_clock):
    case, accepted_at = accepted
    assert "is_overdue" not in {f.name for f in Case._meta.get_fields()}
    qs = with_overdue(case_list_for(people.grid1))
    assert "is_overdue" in qs.query.annotations
    row = list(Case.objects.filter(pk=case.pk).values())
    fake_clock.set(accepted_at + 15 * DAY)
    # nothing is written when the case becomes overdue, yet the query sees it
    assert is_overdue(people.grid1, case) is True
    assert list(Case.objects.filter(pk=case.pk).values()) == row


def test_r_kb_05_only_the_overdue_ones_among_many(people, new_case, fake_clock):
    start = fake_clock()
    cases = {}
    for day in range(0, 20, 2):  # accepted on day 0, 2, …, 18
        fake_clock.set(start + day * DAY)
        case = new_case()
        perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
        cases[day] = case
    pending = new_case()  # registered on day 18, never accepted
    fake_clock.set(start + 20 * DAY)  # day 20: accepted on day 0…5 are overdue
    expected = {cases[d].pk for d in (0, 2, 4)}
    base = case_list_for(people.grid1)
    assert set(filter_cases(base, overdue=True).values_list("pk", flat=True)) == expected
    badges = dict(with_overdue(base).values_list("pk", "is_overdue"))
    assert {pk for pk, flag in badges.items() if flag} == expected
    assert badges[pending.pk] is False
    assert set(filter_cases(base, overdue=False).values_list("pk", flat=True)) == set(badges) - expected


def test_r_kb_05_api_badge_and_filter_agree(people, accepted, fake_clock):
    """The API list shows the badge and filters with the same rule (one "now" for both)."""
    case, accepted_at = accepted
    client = APIClient()
    client.force_authenticate(people.grid1)

    def api_view():
        items = {i["number"]: i["is_overdue"] for i in client.get("/api/v1/kuaiban/cases/").json()["results"]}
        filtered = {i["number"] for i in
                    client.get("/api/v1/kuaiban/cases/", {"overdue": "true"}).json()["results"]}
        return items[case.number], case.number in filtered

    fake_clock.set(accepted_at + 15 * DAY - SECOND)
    assert api_view() == (False, False)
    fake_clock.set(accepted_at + 15 * DAY)
    assert api_view() == (True, True)
