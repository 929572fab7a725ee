"""The KNOWN set of cases and petitions behind the figures' tests (R-KB-18,
R-KB-19): across grids, years and states, all made through the real services
with the clock moved, and what every figure must be (``EXPECTED``,
``MONTHLY_2026``, ``OVERDUE_AT_NOW``).

Built once per test module (``known`` in tests/kuaiban/conftest.py; the
module's transaction is rolled back at its end) for the tests that only read
it: the figures' API, pages and Excel files. Tests of the definitions at
their edges make their own few cases (``world``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rest_framework.test import APIClient

from tests.kuaiban.conftest import id_number_for, registration
from tests.tokens import authorize
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.timezone.utc
MAP = "/api/v1/kuaiban/stats/map/"
ANALYSIS = "/api/v1/kuaiban/stats/analysis/"
CASES = "/api/v1/kuaiban/cases/"
EXPORT = "/desk/kuaiban/stats/export/{}/"
G0, G1, G2, G3, G4 = "320404", "320404001", "320404002", "320404003", "320404004"
KEYS = ("cases_received", "cases_completed", "cases_invalid", "petitions", "petitions_completed")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


# "Now" for every assertion: after all the known records (the latest is 2027-01-01).
NOW = at(2027, 1, 2, 10, 0)

# --- steps through the one transition door --------------------------------------------------
RESOLVE = {"resolution_way": "mediation", "amount": "1200", "notes": "已调解"}
HANDLING = {"amount": "3000", "notes": "责令支付工资", "respondent_uscc": "91350100M000100Y43"}


def accept(w):
    return [("grid_accept", w, {})]


def resolve(w):
    return accept(w) + [("grid_resolve", w, RESOLVE)]


def fail(w):
    return accept(w) + [("grid_fail", w, {"notes": "企业拒绝调解"})]


def invalid(w):
    return fail(w) + [("triage_invalid", "clerk", {"reason": "重复投诉"})]


def inspect(attributed):
    """From 待领导指派 to a recorded handling with this attributed grid."""
    return [("assign", "leader", {"inspector": "k_inspector1"}), ("claim", "inspector1", {}),
            ("record_handling", "inspector1", {**HANDLING, "attributed_grid": attributed})]


def district_close(w, attributed):
    return fail(w) + [("triage_escalate", "clerk", {})] + inspect(attributed) + [("close", "inspector1", {})]


def regrid(w, new_grid):
    return [("grid_return", w, {"reason": "不属于本网格"}), ("triage_regrid", "clerk", {"grid": new_grid})]


class World:
    """Registers cases and petitions at given moments and moves them through
    steps, all through the real services (the one transition door)."""

    _n = 0

    def __init__(self, people, grid3, grid4):
        self.people = people
        self.grid3, self.grid4 = grid3, grid4
        self.actors = {"grid1": people.grid1, "grid2": people.grid2, "grid3": grid3, "grid4": grid4,
                       "clerk": people.clerk, "leader": people.leader, "inspector1": people.inspector1}

    def case(self, moment, grid, steps=()):
        with clock.at(moment):
            case = register_case(actor=self.people.clerk, data=registration(grid=grid),
                                 source=CaseSource.INTERNAL).case
            for action, who, data in steps:
                perform(case_id=case.pk, action=action, actor=self.actors[who], data=dict(data))
        case.refresh_from_db()
        return case

    def step(self, case, moment, steps):
        with clock.at(moment):
            for action, who, data in steps:
                perform(case_id=case.pk, action=action, actor=self.actors[who], data=dict(data))
        case.refresh_from_db()
        return case

    def petition(self, moment, grid, done=False):
        World._n += 1
        with clock.at(moment):
            return save_petition(actor=self.people.clerk, data=PetitionInput(
                name="李四", id_number=id_number_for(500 + World._n), phone="13900139000",
                respondent_name=f"常州信访测试有限公司{World._n}", reason="wage_arrears", grid=grid,
                demand="要求支付工资", result="已协调支付" if done else "", handled_at=moment if done else None))


def grid_users(create):
    """The grid workers of 北港 (003) and 西林 (004) the known set also needs."""
    return (create("k_grid3", roles=["grid_worker"], grids=[G3], name="北港网格员"),
            create("k_grid4", roles=["grid_worker"], grids=[G4], name="西林网格员"))


# --- the known set ------------------------------------------------------------------------------
# year -> grid -> (received, completed, invalid, petitions, petitions completed), leader's view.
EXPECTED = {
    2025: {G1: (2, 1, 0, 1, 1), G2: (2, 0, 1, 0, 0)},
    2026: {G0: (1, 0, 0, 1, 1), G1: (5, 2, 0, 3, 2), G2: (5, 1, 1, 1, 0), G3: (10, 4, 0, 1, 0),
           G4: (1, 1, 0, 0, 0)},
    2027: {G2: (1, 0, 0, 0, 0), G3: (0, 0, 0, 1, 1)},
}
# 2026 by month (index 0 = January), leader's view: (received, completed).
MONTHLY_2026 = {
    G0: ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], [0] * 12),
    G1: ([0, 0, 1, 1, 0, 3, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    G2: ([0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
    G3: ([0, 0, 0, 0, 0, 0, 4, 6, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0]),
    G4: ([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
}
NO_MONTHS = ([0] * 12, [0] * 12)
OVERDUE_AT_NOW = {G1: 2}


def build_known(w: World) -> World:
    """The known set (see EXPECTED), made through the services; returns the
    World with the notable cases on it."""
    # 2025
    w.case(at(2025, 5, 20), G1, resolve("grid1"))
    w.case(at(2025, 5, 21), G1, accept("grid1"))  # still handling: overdue now
    w.case(at(2025, 5, 22), G2)
    w.case(at(2025, 5, 23), G2, invalid("grid2"))  # 正常结束: received, not completed
    w.petition(at(2025, 6, 1), G1, done=True)
    # 2026
    w.new_year_2026 = w.case(at(2026, 1, 1, 0, 10), G4, resolve("grid4"))  # 2025-12-31 16:10 UTC
    w.case(at(2026, 2, 10), G2, invalid("grid2"))
    w.case(at(2026, 3, 15), G1, resolve("grid1"))
    w.case(at(2026, 4, 8), G1, district_close("grid1", G1))
    w.regridded = w.case(at(2026, 5, 6), G1, regrid("grid1", G2))  # counts for 永红 now
    w.case(at(2026, 6, 1), G1)
    w.case(at(2026, 6, 2), G1)
    w.case(at(2026, 6, 3), G1, accept("grid1"))  # overdue now
    for day in range(1, 5):
        w.case(at(2026, 7, day), G3, resolve("grid3"))
    for day in range(1, 7):
        w.case(at(2026, 8, day), G3)
    w.attributed = w.case(at(2026, 9, 9), G0, inspect(G2))  # 区本级, attributed to 永红
    w.case(at(2026, 10, 10), G2, resolve("grid2"))
    w.district_open = w.case(at(2026, 11, 20), G0)  # 区本级, no attributed grid yet
    w.eve = w.case(at(2026, 12, 31, 23, 30), G2)
    w.petition(at(2026, 3, 1), G1, done=True)
    w.petition(at(2026, 4, 1), G1, done=True)
    w.petition(at(2026, 5, 1), G1)
    w.petition(at(2026, 6, 1), G2)
    w.petition(at(2026, 7, 1), G0, done=True)
    w.petition(at(2026, 12, 31, 23, 50), G3)
    # 2027
    w.new_year_2027 = w.case(at(2027, 1, 1, 0, 10), G2)  # 2026-12-31 16:10 UTC
    w.petition(at(2027, 1, 1, 0, 5), G3, done=True)
    return w


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        authorize(client, user)
    return client


def get(user, url, **params):
    with clock.at(NOW):
        response = api(user).get(url, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def grids_ordered(codes=None) -> list[Grid]:
    qs = Grid.objects.order_by("order", "code")
    return list(qs.filter(code__in=codes) if codes is not None else qs)


def expected_row(year, code, table=EXPECTED) -> dict:
    return dict(zip(KEYS, table.get(year, {}).get(code, (0, 0, 0, 0, 0))))


def rate(completed, received):
    return round(completed * 100 / received, 1) if received else None


def figures(user, year, code) -> dict:
    rows = {r["code"]: r for r in get(user, MAP, year=year)["grids"]}
    return {k: rows[code][k] for k in KEYS} if code in rows else None


def case_numbers(user, **params) -> set[str]:
    with clock.at(NOW):
        response = api(user).get(CASES, {**params, "page_size": 100})
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["count"] <= 100
    return {item["number"] for item in body["results"]}


def list_count(user, **params) -> int:
    with clock.at(NOW):
        response = api(user).get(CASES, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()["count"]
