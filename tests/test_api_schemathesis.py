"""The API against its own OpenAPI schema, by schemathesis (issue 10 item 10).

Every operation of ``/api/schema/`` is called as every role (the base roles'
users, and no one) with requests schemathesis generates from the schema — ones
that fit it (positive) and ones that do not (negative) — through the site's
WSGI application, in the test's transaction. A response fails the run when it
is a 5xx, has a status the operation does not document, or a body or content
type that does not match what is documented, or when a request the schema
calls invalid is accepted. (That a request the schema allows may still be
refused is not checked: the schema cannot say everything — an ID number's
check digit, a wrong password.)

Real records are there to be found: cases in every status and petitions; the
``{id}`` of a path is drawn from them half of the time. The run is
deterministic (``derandomize``, a fixed schemathesis seed) and small (a few
examples per operation and mode), so it runs in the normal suite: a few seconds
of one core per role.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import PASSWORD, create_user
from tests.kuaiban.conftest import PATHS, VALID_IDS, make_people, registration
from zhonglou_hrss.core import clock
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

# Every base role (fixtures/base/roles.toml) and no one. The kuaiban roles are
# the people the cases below were moved by (their grid, their assignments).
ROLES = ["anonymous", "admin", "district_clerk", "leader", "inspector", "grid_worker", "portal_staff",
         "credit_staff", "enterprise_user", "hr_company_user"]
PEOPLE = {"admin": "admin", "district_clerk": "clerk", "leader": "leader", "inspector": "inspector1",
          "grid_worker": "grid1"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}
# Sign-in answers the same whoever asks (no authentication): called once, by no one.
SIGN_IN = "/api/v1/auth/"


@pytest.fixture(scope="module")
def world(module_db):
    """Cases in every status, petitions, and a token per role (from the sign-in endpoint)."""
    cache.clear()
    people = make_people(create_user)
    ids = {"cases": [], "petitions": []}
    for status, steps in PATHS.items():
        with clock.at(clock.now() - dt.timedelta(days=1)):
            case = register_case(actor=people.clerk, data=registration(), source=CaseSource.INTERNAL).case
        for action, who, data in steps:
            perform(case_id=case.pk, action=action, actor=getattr(people, who), data=dict(data))
        ids["cases"].append(case.pk)
    for n, done in enumerate((False, True)):
        petition = save_petition(actor=people.clerk, data=PetitionInput(
            name="赵六", id_number=registration().reporter_id_number, phone="13800138000",
            respondent_name=f"常州某机械有限公司{n}", reason="wage_arrears", grid="320404001",
            demand="要求支付工资", companions=[CompanionInput(name="钱七", id_number=VALID_IDS[1])],
            result="已协调支付" if done else "", handled_at=clock.now() - dt.timedelta(hours=1) if done else None))
        ids["petitions"].append(petition.pk)
    headers = {"anonymous": {}}
    for role in ROLES[1:]:
        user = getattr(people, PEOPLE[role]) if role in PEOPLE else create_user(f"st_{role}", roles=[role])
        response = Client().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                                 content_type="application/json")
        assert response.status_code == 200, response.content
        headers[role] = {"Authorization": f"Token {response.json()['token']}"}
    yield ids, headers
    cache.clear()  # sign-in failures, permission sets of users rolled back


@pytest.fixture(scope="module")
def wsgi_app():
    """The site's WSGI application, called in the test's thread and transaction
    (as Django's test client does, requests do not close the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(wsgi_app, world):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app,
                                          config=schemathesis.Config.from_dict({"seed": 2026}))


def strategy(operation, mode, ids):
    """Requests for one operation; a path's ``{id}`` is a real record's half of the time."""
    generated = operation.as_strategy(mode)
    if "{id}" not in operation.path:
        return generated
    known = ids["petitions"] if "/petitions/" in operation.path else ids["cases"]
    return st.one_of(generated, st.sampled_from(known).flatmap(
        lambda pk: operation.as_strategy(mode, path_parameters={"id": pk})))


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(role, world, api_schema):
    """issue 10 item 10: every operation, as every role, positive and negative
    requests: no 5xx, no undocumented status, body or content type."""
    ids, headers = world
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Sign-in and sign-out last: signing out would end this role's token.
    operations.sort(key=lambda op: op.path.startswith(SIGN_IN))
    assert len(operations) >= 27
    failures = []
    for operation in operations:
        if operation.path.startswith(SIGN_IN + "token/") and role != "anonymous":
            continue
        for mode, examples in EXAMPLES.items():

            @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=strategy(operation, mode, ids))
            def call(case):
                case.call_and_validate(headers=headers[role], checks=CHECKS)

            try:
                call()
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 — every operation's, then fail
                if type(failure).__name__ == "Unsatisfiable" and mode is GenerationMode.NEGATIVE:
                    continue  # nothing can break this operation's schema (e.g. a path of any text)
                failures.append(f"{operation.label} ({mode.value}, {role}):\n{failure}")
    assert not failures, "\n\n".join(failures)
