"""The grid's acceptance in the API's case list and detail (issue 11 item 3):
``grid_accepted_at`` keeps its meaning (the open round's, cleared when the grid
is done); ``last_grid_accepted_at`` is the latest acceptance, kept after — the
same time as the desk list and the export (``selectors.handling``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from tests.tokens import authorize
from zhonglou_hrss.kuaiban.exports.cases import _load_rounds
from zhonglou_hrss.kuaiban.selectors.handling import NOT_HANDLED, current_inspectors_of, grid_handling_of
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.django_db

CASES = "/api/v1/kuaiban/cases/"
SH = ZoneInfo("Asia/Shanghai")
RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}


def api(user) -> APIClient:
    client = APIClient()
    authorize(client, user)
    return client


def moment(value):
    return parse_datetime(value) if value else None


def test_list_and_detail_keep_the_grids_acceptance(people, new_case, fake_clock):
    """Issue 11 item 3: after the grid resolved the case, grid_accepted_at is
    null (its meaning: the open round's) and last_grid_accepted_at is when
    the grid accepted it, in the list and the detail; documented in the schema."""
    accepted_at = dt.datetime(2026, 5, 20, 9, 30, tzinfo=SH)
    fake_clock.set(accepted_at - dt.timedelta(days=1))
    resolved, handling, pending = (new_case(grid="320404001") for _ in range(3))
    fake_clock.set(accepted_at)
    for case in (resolved, handling):
        perform(case_id=case.pk, action="grid_accept", actor=people.grid1, data={})
    fake_clock.advance(dt.timedelta(days=1))
    perform(case_id=resolved.pk, action="grid_resolve", actor=people.grid1, data=dict(RESOLVE))

    for client in (api(people.grid1), api(people.leader)):
        items = {item["number"]: item for item in client.get(CASES).json()["results"]}
        got = {number: (moment(item["grid_accepted_at"]), moment(item["last_grid_accepted_at"]))
               for number, item in items.items()}
        assert got == {resolved.number: (None, accepted_at), handling.number: (accepted_at, accepted_at),
                       pending.number: (None, None)}
        detail = client.get(f"{CASES}{resolved.pk}/").json()
        assert detail["grid_accepted_at"] is None and moment(detail["last_grid_accepted_at"]) == accepted_at

    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["CaseListItem"]["properties"]["last_grid_accepted_at"]
    assert "网格处置结束后仍保留" in field["description"]


def test_one_selector_for_the_lists_and_the_export(people, case_in, new_case):
    """Issue 11 item 3: the export's 网格接收时间, 调解金额 and 监察员 come from the
    same selector as the lists (selectors.handling), one query for many cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cases = [case_in("grid_resolved"), case_in("closed"), case_in("district_triage"), new_case()]
    ids = [c.pk for c in cases]
    with CaptureQueriesContext(connection) as ctx:
        handling = grid_handling_of(ids)
        inspectors = current_inspectors_of(ids)
    assert len(ctx.captured_queries) == 2
    exported = _load_rounds(ids)
    for case in cases:
        known = handling.get(case.pk, NOT_HANDLED)
        row = exported.get(case.pk, {"accepted_at": None, "resolution_way": None, "amount": None})
        assert (row["accepted_at"], row["resolution_way"], row["amount"]) == (
            known.accepted_at, known.resolution_way_id, known.amount)
    resolved, closed, failed, pending = cases
    assert handling[resolved.pk].amount == 1200 and handling[resolved.pk].accepted_at is not None
    assert handling[failed.pk].accepted_at is not None and handling[failed.pk].amount is None
    assert handling[closed.pk].accepted_at is None  # returned without being accepted
    assert handling[pending.pk] == NOT_HANDLED
    assert inspectors == {closed.pk: "张监察"}
