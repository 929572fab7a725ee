"""R-KB-16 case visibility, as a matrix: one fixed set of cases in various
states, grids and assignments, and for every kind of user EXACTLY the cases
``selectors.case_list_for`` returns — the ones in and, by that, the ones out.
The same sets through HTTP (API list and detail, desk case page), "待我处理"
(``queue_for``) per role, several roles adding up, inactive users seeing
nothing (house rule 3: fail closed).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND
from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.kuaiban.selectors.cases import case_for, case_list_for, is_visible, queue_for

from tests.kuaiban.conftest import FAIL_PATHS, PATHS

pytestmark = pytest.mark.django_db

G1, G2, DISTRICT = "320404001", "320404002", "320404"
RETURN = ("grid_return", "grid1", {"reason": "不属于本网格"})
FAIL = [("grid_accept", "grid1", {}), ("grid_fail", "grid1", {"notes": "企业拒绝调解"})]

# label -> (registration grid, steps). "grid1" is a worker of 五星 (001), "grid2" of 永红 (002).
WORLD = {
    "A_g1_pending": (G1, []),
    "B_g1_handling": (G1, FAIL_PATHS["grid_handling"]),
    "C_g1_resolved": (G1, FAIL_PATHS["grid_resolved"]),
    "D_g1_failed_triage": (G1, FAIL_PATHS["district_triage"]),  # R-KB-06: 五星 keeps seeing it
    "E_g1_returned_triage": (G1, [RETURN]),  # R-KB-07: 五星 no longer sees it
    "F_g2_pending": (G2, []),
    "G_g1_failed_regrid_g2": (G1, FAIL + [("triage_regrid", "clerk", {"grid": G2})]),
    "H_g1_returned_regrid_g2": (G1, [RETURN, ("triage_regrid", "clerk", {"grid": G2})]),
    "I_district_awaiting": (DISTRICT, []),  # R-KB-02: no grid ever had it
    "J_i1_awaiting_claim": (G1, PATHS["awaiting_claim"]),  # via a return: 五星 out
    "K_i1_inspecting_failed_g1": (G1, FAIL_PATHS["inspecting"]),  # via a failure: 五星 in
    "L_i1_closed": (G1, PATHS["closed"]),
    "M_reassigned_i1_to_i2": (G1, PATHS["awaiting_claim"] + [("assign", "leader", {"inspector": "k_inspector2"})]),
    "N_i2_returned_to_leader": (G1, PATHS["awaiting_assignment"] + [
        ("assign", "leader", {"inspector": "k_inspector2"}), ("return_to_leader", "inspector2", {"reason": "回避"})]),
    "O_ended_after_return": (G1, PATHS["ended_invalid"]),
    "P_ended_after_failure": (G1, FAIL_PATHS["ended_invalid"]),
    "Q_assigned_to_grid2_inspector": (G1, PATHS["awaiting_assignment"] + [
        ("assign", "leader", {"inspector": "k_grid2_inspector"})]),
    "R_district_i1_inspecting": (DISTRICT, [("assign", "leader", {"inspector": "k_inspector1"}),
                                            ("claim", "inspector1", {})]),
}
ALL = set(WORLD)
GRID1 = {"A_g1_pending", "B_g1_handling", "C_g1_resolved", "D_g1_failed_triage", "G_g1_failed_regrid_g2",
         "K_i1_inspecting_failed_g1", "P_ended_after_failure"}
GRID2 = {"F_g2_pending", "G_g1_failed_regrid_g2", "H_g1_returned_regrid_g2"}
INSPECTOR1 = {"J_i1_awaiting_claim", "K_i1_inspecting_failed_g1", "L_i1_closed", "R_district_i1_inspecting"}
INSPECTOR2 = {"M_reassigned_i1_to_i2"}
GRID2_INSPECTOR = GRID2 | {"Q_assigned_to_grid2_inspector"}

EXPECTED = {
    "clerk": ALL,
    "leader": ALL,
    "inspector1": INSPECTOR1,
    "inspector2": INSPECTOR2,
    "grid1": GRID1,
    "grid2": GRID2,
    "admin": set(),
    "portal_staff": set(),
    "credit_staff": set(),
    "enterprise_user": set(),
    "hr_company_user": set(),
    "grid_worker_without_grid": set(),
    "anonymous": set(),
    "nobody": set(),
    # several roles add up
    "grid2_and_inspector": GRID2_INSPECTOR,
    "grid1_and_grid2": GRID1 | GRID2,
    "grid1_and_inspector1_roles": GRID1 | {"S_assigned_to_grid1_inspector"},
    "clerk_and_grid1": ALL,
    # inactive: nothing, whatever the roles
    "inactive_clerk": set(),
    "inactive_grid1": set(),
    "inactive_inspector1": set(),
}
# "待我处理": waiting for an action of this user.
QUEUE = {
    "clerk": {"D_g1_failed_triage", "E_g1_returned_triage"},
    "leader": {"I_district_awaiting", "N_i2_returned_to_leader"},
    "inspector1": {"J_i1_awaiting_claim", "K_i1_inspecting_failed_g1", "R_district_i1_inspecting"},
    "inspector2": {"M_reassigned_i1_to_i2"},
    "grid1": {"A_g1_pending", "B_g1_handling"},
    "grid2": {"F_g2_pending", "G_g1_failed_regrid_g2", "H_g1_returned_regrid_g2"},
    "grid2_and_inspector": {"F_g2_pending", "G_g1_failed_regrid_g2", "H_g1_returned_regrid_g2",
                            "Q_assigned_to_grid2_inspector"},
    "grid1_and_inspector1_roles": {"A_g1_pending", "B_g1_handling", "S_assigned_to_grid1_inspector"},
    "admin": set(),
    "portal_staff": set(),
    "enterprise_user": set(),
    "anonymous": set(),
    "inactive_clerk": set(),
}


USERS = {
    # name -> (username, roles, grids); the kuaiban ``people`` have the same usernames
    "clerk": ("k_clerk", ["district_clerk"], []),
    "leader": ("k_leader", ["leader"], []),
    "inspector1": ("k_inspector1", ["inspector"], []),
    "inspector2": ("k_inspector2", ["inspector"], []),
    "grid1": ("k_grid1", ["grid_worker"], [G1]),
    "grid2": ("k_grid2", ["grid_worker"], [G2]),
    "admin": ("k_admin", ["admin"], []),
    "portal_staff": ("v_portal", ["portal_staff"], []),
    "credit_staff": ("v_credit", ["credit_staff"], []),
    "enterprise_user": ("v_enterprise", ["enterprise_user"], []),
    "hr_company_user": ("v_hr", ["hr_company_user"], []),
    "grid_worker_without_grid": ("v_gridless", ["grid_worker"], []),
    "grid2_and_inspector": ("k_grid2_inspector", ["grid_worker", "inspector"], [G2]),
    "grid1_and_grid2": ("v_g12", ["grid_worker"], [G1, G2]),
    "grid1_and_inspector1_roles": ("k_grid1_inspector", ["grid_worker", "inspector"], [G1]),
    "clerk_and_grid1": ("v_clerk_g1", ["district_clerk", "grid_worker"], [G1]),
    "inactive_clerk": ("v_off_clerk", ["district_clerk"], []),
    "inactive_grid1": ("v_off_grid1", ["grid_worker"], [G1]),
    "inactive_inspector1": ("v_off_insp", ["inspector"], []),
}


def _build_world():
    from zhonglou_hrss.core.fixtures_sync import role_group
    from zhonglou_hrss.core.models import Grid, User
    from zhonglou_hrss.kuaiban.models import CaseSource
    from zhonglou_hrss.kuaiban.services.registration import register_case
    from zhonglou_hrss.kuaiban.services.transitions import perform

    from tests.kuaiban.conftest import registration

    users = {}
    for name, (username, roles, grids) in USERS.items():
        user = User.objects.create(username=username, name=username)
        user.set_unusable_password()
        user.save()
        user.groups.set([role_group(code) for code in roles])
        user.grids.set(Grid.objects.filter(code__in=grids))
        users[name] = user
    world_spec = {
        **WORLD,
        # via a return: 五星 out — but assigned to this grid worker who is also an inspector
        "S_assigned_to_grid1_inspector": (G1, PATHS["awaiting_assignment"] + [
            ("assign", "leader", {"inspector": "k_grid1_inspector"})]),
        # assigned while active; the inspector then leaves
        "T_assigned_to_inactive_inspector": (G1, PATHS["awaiting_assignment"] + [
            ("assign", "leader", {"inspector": "v_off_insp"})]),
    }
    cases = {}
    for label, (grid, steps) in world_spec.items():
        case = register_case(actor=users["clerk"], data=registration(grid=grid), source=CaseSource.INTERNAL).case
        for action, who, data in steps:
            perform(case_id=case.pk, action=action, actor=users[who], data=dict(data))
        case.refresh_from_db()
        cases[label] = case
    for name in ("inactive_clerk", "inactive_grid1", "inactive_inspector1"):
        users[name].is_active = False
        users[name].save()
    users["anonymous"] = AnonymousUser()
    users["nobody"] = None
    return users, cases


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for this module inside a transaction that is rolled back at its
    end; each test runs in a savepoint within it, as usual."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _fresh(user):
    """A user object without cached permissions (each test gets its own)."""
    if user is None or isinstance(user, AnonymousUser):
        return user
    from zhonglou_hrss.core.models import User

    return User.objects.get(pk=user.pk)


def test_world_is_what_it_says(world):
    """The fixture's cases are in the states their labels name (else the matrix proves nothing)."""
    _, cases = world
    status = {label: case.status for label, case in cases.items()}
    assert status["A_g1_pending"] == status["F_g2_pending"] == "grid_pending"
    assert status["G_g1_failed_regrid_g2"] == status["H_g1_returned_regrid_g2"] == "grid_pending"
    assert status["C_g1_resolved"] == "grid_resolved"
    assert status["D_g1_failed_triage"] == status["E_g1_returned_triage"] == "district_triage"
    assert status["I_district_awaiting"] == status["N_i2_returned_to_leader"] == "awaiting_assignment"
    assert status["K_i1_inspecting_failed_g1"] == status["R_district_i1_inspecting"] == "inspecting"
    assert status["L_i1_closed"] == "closed"
    assert status["O_ended_after_return"] == status["P_ended_after_failure"] == "ended_invalid"
    assert {status[k] for k in ("J_i1_awaiting_claim", "M_reassigned_i1_to_i2", "Q_assigned_to_grid2_inspector",
                                "S_assigned_to_grid1_inspector", "T_assigned_to_inactive_inspector")} == {
        "awaiting_claim"}


def _labels(cases, qs) -> set[str]:
    by_pk = {case.pk: label for label, case in cases.items()}
    return {by_pk[pk] for pk in qs.values_list("pk", flat=True)}


def _expected(who, cases):
    expected = set(EXPECTED[who])
    if who in ("clerk", "leader", "clerk_and_grid1"):
        expected = set(cases)  # all, the extra fixture cases included
    return expected


@pytest.mark.parametrize("who", list(EXPECTED))
def test_r_kb_16_case_list_for_each_user(who, world):
    users, cases = world
    user = _fresh(users[who])
    expected = _expected(who, cases)
    qs = case_list_for(user)
    assert _labels(cases, qs) == expected
    assert qs.count() == len(expected)  # no duplicates from the joins
    for label, case in cases.items():
        assert is_visible(user, case) == (label in expected)
        if label in expected:
            assert case_for(user, case.pk) == case
        else:
            with pytest.raises(NotVisible):
                case_for(user, case.pk)


@pytest.mark.parametrize("who", list(QUEUE))
def test_queue_for_each_user(who, world):
    """"待我处理": the cases waiting for this user's action — a part of what they see."""
    users, cases = world
    user = _fresh(users[who])
    if user is None or isinstance(user, AnonymousUser):
        assert _labels(cases, case_list_for(user)) == set()
        return
    queue = _labels(cases, queue_for(user))
    assert queue == QUEUE[who]
    assert queue <= _labels(cases, case_list_for(user))
    assert queue_for(user).count() == len(queue)


# Optional actions that do not make a case wait for the user: the leader's reassignment
# before and after a claim (the case waits for the inspector) and a late execution record.
OPTIONAL = {("awaiting_claim", "assign"), ("inspecting", "reassign"), ("closed", "record_execution")}


def test_queue_holds_exactly_the_cases_with_a_task_for_the_user(world):
    """The queue and the buttons agree: a case waits for me iff I may (and should) act on it now."""
    from zhonglou_hrss.kuaiban.services.transitions import allowed_actions

    users, cases = world
    for who in ("clerk", "leader", "inspector1", "inspector2", "grid1", "grid2", "grid2_and_inspector",
                "grid1_and_inspector1_roles"):
        user = _fresh(users[who])
        actionable = {label for label, case in cases.items()
                      if is_visible(user, case) and {(case.status, a.name) for a in allowed_actions(case, user)}
                      - OPTIONAL}
        assert actionable == _labels(cases, queue_for(user)), who


# --- through HTTP: the API and the desk use the same selector ------------------------------
API_USERS = ["clerk", "leader", "inspector1", "inspector2", "grid1", "grid2", "admin", "portal_staff",
             "enterprise_user", "grid2_and_inspector", "grid1_and_grid2"]


@pytest.mark.parametrize("who", API_USERS)
def test_r_kb_16_api_list_and_detail(who, world):
    users, cases = world
    client = APIClient()
    client.force_authenticate(_fresh(users[who]))
    response = client.get("/api/v1/kuaiban/cases/", {"page_size": 100})
    assert response.status_code == 200
    by_number = {case.number: label for label, case in cases.items()}
    assert {by_number[item["number"]] for item in response.json()["results"]} == _expected(who, cases)
    assert response.json()["count"] == len(_expected(who, cases))
    for label, case in cases.items():
        status = client.get(f"/api/v1/kuaiban/cases/{case.pk}/").status_code
        assert status == (200 if label in _expected(who, cases) else 404), (label, status)


@pytest.mark.parametrize("who", ["grid1", "inspector1", "inspector2", "grid2_and_inspector"])
def test_r_kb_16_desk_case_page(who, world):
    users, cases = world
    client = Client()
    client.force_login(_fresh(users[who]), backend=MODEL_BACKEND)
    for label, case in cases.items():
        status = client.get(f"/desk/kuaiban/case/{case.pk}/").status_code
        assert status == (200 if label in _expected(who, cases) else 404), (label, status)


def test_anonymous_api_gets_no_cases(world):
    _, cases = world
    client = APIClient()
    assert client.get("/api/v1/kuaiban/cases/").status_code in (401, 403)
    assert client.get(f"/api/v1/kuaiban/cases/{cases['A_g1_pending'].pk}/").status_code in (401, 403, 404)
