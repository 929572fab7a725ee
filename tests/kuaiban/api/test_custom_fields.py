"""Issue 17 on 快办事件: the case API carries ``"custom"`` on read (detail and
list, as each role may see it), accepts it on registration (400 under
``errors["custom.<code>"]``, nothing saved), filters the list by it
(``?custom.<code>=``) without widening what a role sees, and keeps a personal
custom value masked in lists and audited when shown in full."""

from __future__ import annotations

import pytest

from tests.kuaiban.api.test_cases import CASES, api, body, counts
from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.core.models import AuditLog, CustomValue
from zhonglou_hrss.kuaiban.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def defined(people):
    """Three case fields: an industry choice the clerk fills, a number, a personal text only leaders see."""
    admin = people.admin
    cf.define(actor=admin, data={"object": "case", "code": "sector", "label": "涉及行业", "type": "choice",
                                 "lookup": "industry", "required": True})
    cf.define(actor=admin, data={"object": "case", "code": "workers", "label": "涉及人数", "type": "number"})
    cf.define(actor=admin, data={"object": "case", "code": "boss_phone", "label": "老板电话", "type": "text",
                                 "personal": True, "view_roles": ["领导", "区后勤人员"]})


def test_registration_checks_custom_values_and_saves_nothing_on_error(people, defined):
    before = counts()
    bad = api(people.clerk).post(CASES, body(custom={"sector": "NOPE", "workers": "很多", "other": 1}), format="json")
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert set(errors) >= {"custom.sector", "custom.workers", "custom.other"}
    assert "涉及人数" in errors["custom.workers"][0]
    missing = api(people.clerk).post(CASES, body(), format="json")
    assert missing.json()["errors"]["custom.sector"] == ["请填写涉及行业"]
    assert counts() == before and not CustomValue.objects.exists()


def test_registration_stores_indexes_and_shows_by_role(people, defined):
    made = api(people.clerk).post(CASES, body(custom={"sector": "C", "workers": 12, "boss_phone": "13912345678"}),
                                  format="json")
    assert made.status_code == 201, made.json()
    case = Case.objects.get(pk=made.json()["id"])
    assert case.custom["sector"] == "C" and case.custom["boss_phone"] != "13912345678"  # encrypted at rest
    assert made.json()["custom"] == {"sector": "C", "workers": 12, "boss_phone": "13912345678"}
    audited = AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW, target_id=str(case.pk))
    assert [r.detail["fields"][-1] for r in audited] == ["custom.boss_phone"]  # one row with the case's own fields
    # the grid worker of the case's grid sees the case but not the leaders' field
    grid = api(people.grid1).get(f"{CASES}{case.pk}/")
    assert grid.json()["custom"] == {"sector": "C", "workers": 12}
    # lists mask the personal value even for those who may see it in full
    listed = {row["id"]: row for row in api(people.leader).get(CASES).json()["results"]}
    assert listed[case.pk]["custom"]["boss_phone"].startswith("1")
    assert "5678" not in listed[case.pk]["custom"]["boss_phone"]


def test_the_list_filters_by_a_custom_field_within_what_the_role_sees(people, defined):
    for grid, sector, workers in (("320404001", "C", 3), ("320404002", "C", 30), ("320404001", "F", 300)):
        made = api(people.clerk).post(CASES, body(grid=grid, custom={"sector": sector, "workers": workers},
                                                  demand=f"诉求{grid}{sector}{workers}"), format="json")
        assert made.status_code == 201, made.json()

    def workers_of(user, **params):
        rows = api(user).get(CASES, {f"custom.{k}": v for k, v in params.items()}).json()["results"]
        return sorted(r["custom"]["workers"] for r in rows)

    assert workers_of(people.leader, sector="C") == [3, 30]
    assert workers_of(people.leader, workers__min="30") == [30, 300]
    assert workers_of(people.grid1, sector="C") == [3]  # the other grid's case stays out
    # The count is the filtered list's, not the whole list's (its fast count ignores custom filters).
    assert api(people.leader).get(CASES, {"custom.sector": "C"}).json()["count"] == 2
    assert api(people.grid1).get(CASES, {"custom.sector": "C"}).json()["count"] == 1
    assert api(people.grid1).get(CASES, {"custom.workers__min": "1"}).json()["count"] == 2
    assert api(people.leader).get(CASES, {"custom.sector": "C"}).json()["count_capped"] is False


def test_a_custom_filter_counts_up_to_the_cap_and_says_so(people, defined, monkeypatch):
    """Issue 17 / 19: a broad custom filter over a million cases is counted up to
    FILTERED_COUNT_CAP (as the desk's filtered lists are), with ``count_capped``."""
    from zhonglou_hrss.kuaiban.api import paging

    for n in range(3):
        made = api(people.clerk).post(CASES, body(custom={"sector": "C", "workers": n + 1}, demand=f"诉求封顶{n}"),
                                      format="json")
        assert made.status_code == 201, made.json()
    monkeypatch.setattr(paging, "FILTERED_COUNT_CAP", 2)
    page = api(people.leader).get(CASES, {"custom.sector": "C", "page_size": 1}).json()
    assert page["count"] == 2 and page["count_capped"] is True
    assert len(page["results"]) == 1 and page["results"][0]["custom"]["sector"] == "C"
    whole = api(people.leader).get(CASES).json()
    assert whole["count"] >= 3 and whole["count_capped"] is False  # unfiltered lists count exactly
    bad = api(people.leader).get(CASES, {"custom.sector": "NOPE", "custom.boss_phone": "139"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"custom.sector", "custom.boss_phone"}  # personal values are not filters


# --- 信访 ------------------------------------------------------------------------------------
def test_petitions_carry_custom_fields_with_their_history(people):
    from tests.kuaiban.api.test_petitions import URL, body as petition_body
    from zhonglou_hrss.kuaiban.models import Petition, PetitionEvent

    cf.define(actor=people.admin, data={"object": "petition", "code": "visits", "label": "来访次数",
                                        "type": "number", "required": True})
    cf.define(actor=people.admin, data={"object": "petition", "code": "agent_phone", "label": "代理人电话",
                                        "type": "text", "personal": True})
    client = api(people.clerk)
    missing = client.post(URL, petition_body(), format="json")
    assert missing.status_code == 400 and missing.json()["errors"]["custom.visits"] == ["请填写来访次数"]
    assert not Petition.objects.exists()
    made = client.post(URL, petition_body(custom={"visits": 2, "agent_phone": "13912345678"}), format="json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["custom"] == {"visits": 2, "agent_phone": "13912345678"}
    stored = Petition.objects.get(pk=pk).custom["agent_phone"]
    # a value sent back masked, as a list shows it, keeps the stored one; a change is a history row
    patched = client.patch(f"{URL}{pk}/", {"custom": {"visits": 3, "agent_phone": "1**********"}}, format="json")
    assert patched.status_code == 200, patched.json()
    petition = Petition.objects.get(pk=pk)
    assert petition.custom["visits"] == 3 and petition.custom["agent_phone"] == stored
    last = PetitionEvent.objects.filter(petition=petition).latest("id")
    assert last.changes == {"来访次数": {"from": "2", "to": "3"}}
    rows = api(people.leader).get(URL, {"custom.visits__min": 3}).json()["results"]
    assert [r["id"] for r in rows] == [pk] and rows[0]["custom"]["agent_phone"] == "1**********"
