"""A saved report over each source (issue 17) with its grouped figures checked
against data built here: petitions, enterprises, talent demands and their
positions, job-fair registrations, concerns, questionnaire responses and
credit results (the cases have their own module). Each source's rows are its
list selector's: a user without the source's permission sees none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from tests.accounts import registration as account_registration
from tests.accounts import uscc
from tests.platform.conftest import api_as, local, rows_of, run, save
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.models import Enterprise, Grid, LookupEntry, LookupKind, Subsystem
from zhonglou_hrss.core.services.accounts import decide_access, register_account

pytestmark = pytest.mark.django_db


def builder(make_user, username: str, role: str, **kw):
    """A user of ``role`` who may also build reports (platform.build_report)."""
    group, _ = Group.objects.get_or_create(name="报表构建")
    group.permissions.add(Permission.objects.get(content_type__app_label="platform", codename="build_report"))
    user = make_user(username, roles=[role], **kw)
    user.groups.add(group)
    return user


def grouped(client, source, group_by, aggregates=None, **extra):
    response = save(client, source=source, group_by=group_by, aggregates=aggregates or [{"op": "count"}], **extra)
    assert response.status_code == 201, response.content.decode()
    return rows_of(run(client, response.json()["id"]))


def test_petitions_by_reason_and_month(people):
    from zhonglou_hrss.kuaiban.models import Petition

    wage = LookupEntry.objects.get(kind=LookupKind.CASE_REASON, code="wage_arrears")
    grid = Grid.objects.get(code="320404001")
    for n, (reason, when) in enumerate([(wage, local(2026, 4, 30, 23, 0)), (wage, local(2026, 5, 1, 8, 0)),
                                        (wage, local(2026, 4, 2, 8, 0))]):
        Petition.objects.create(number=f"XF2026{n:04d}", name="李四", id_number="11010519491231002X",
                                phone="13800138000", respondent_name="某公司", reason=reason, grid=grid,
                                demand="讨薪", created_at=when)
    rows = grouped(api_as(people.leader), "petitions", ["reason__label", "created_at:month"])
    assert rows == [[wage.label, "2026-04", 2], [wage.label, "2026-05", 1]]
    # Whoever may not see petition records gets none in a report shared with them.
    leader = api_as(people.leader)
    report = save(leader, source="petitions", columns=["number", "id_number"], shared_with=["网格员"]).json()
    assert rows_of(run(api_as(people.grid1), report["id"])) == []
    assert {r[1] for r in rows_of(run(leader, report["id"]))} == {"11010519491231002X"}


def test_enterprises_by_industry(people):
    industries = list(LookupEntry.objects.filter(kind=LookupKind.INDUSTRY)[:2])
    before = dict((r[0], r[1]) for r in grouped(api_as(people.leader), "enterprises", ["industry__label"]))
    for n, industry in enumerate([industries[0], industries[0], industries[1]]):
        Enterprise.objects.create(uscc=uscc(700 + n), name=f"报表测试企业{n}", industry=industry)
    rows = dict((r[0], r[1]) for r in grouped(api_as(people.leader), "enterprises", ["industry__label"]))
    assert rows[industries[0].label] - before.get(industries[0].label, 0) == 2
    assert rows[industries[1].label] - before.get(industries[1].label, 0) == 1


def approved_company(n: int, staff):
    account = register_account(data=account_registration(n))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    return account


def test_demands_and_positions_headcount_by_education(make_user):
    from tests.portal.demands import approved_demand, demand_input, demand_position

    staff = builder(make_user, "p_builder", "portal_staff")
    account = approved_company(61, staff)
    approved_demand(account.user, staff, demand_input(positions=[
        demand_position(1, headcount=10, education="senior_high"), demand_position(2, headcount=5, education="bachelor"),
        demand_position(3, headcount=7, education="bachelor")]))
    approved_demand(account.user, staff, demand_input(positions=[demand_position(1, headcount=3, education="bachelor")]))
    client = api_as(staff)
    assert grouped(client, "demands", ["status"]) == [["已通过", 2]]
    labels = dict(LookupEntry.objects.filter(kind=LookupKind.EDUCATION).values_list("code", "label"))
    rows = grouped(client, "demand_positions", ["education__label"],
                   [{"op": "count"}, {"op": "sum", "field": "headcount"}, {"op": "avg", "field": "headcount"}],
                   sort=[{"key": "sum:headcount", "desc": True}])
    assert rows == [[labels["bachelor"], 3, 15, 5.0], [labels["senior_high"], 1, 10, 10.0]]


def test_registrations_by_fair_and_status(make_user):
    from tests.portal.jobfairs import make_fair
    from zhonglou_hrss.portal.models import Registration, RegistrationStatus

    staff = builder(make_user, "p_builder", "portal_staff")
    fair = make_fair(staff, 1)
    for n, status in enumerate([RegistrationStatus.PENDING, RegistrationStatus.APPROVED,
                                RegistrationStatus.APPROVED, RegistrationStatus.DRAFT]):
        account = approved_company(70 + n, staff)
        Registration.objects.create(fair=fair, account=account, enterprise=account.enterprise, company_name=f"公司{n}",
                                    contact_name="周", contact_phone="13912345678", introduction="简介", status=status)
    labels = dict(RegistrationStatus.choices)
    # Drafts are the enterprise's own business: the staff list (and so the report) leaves them out.
    assert grouped(api_as(staff), "registrations", ["fair__name", "status"]) == [
        [fair.name, labels[RegistrationStatus.APPROVED], 2], [fair.name, labels[RegistrationStatus.PENDING], 1]]


def test_concerns_by_status_and_day_edges(make_user):
    from tests.portal.conftest import make_concern

    staff = builder(make_user, "p_builder", "portal_staff")
    for n, when in enumerate([local(2026, 6, 30, 23, 59), local(2026, 7, 1, 0, 1), local(2026, 7, 15, 12, 0)]):
        with clock.at(when):
            make_concern(n + 1)
    client = api_as(staff)
    assert grouped(client, "concerns", ["created_at:month"]) == [["2026-06", 1], ["2026-07", 2]]
    report = save(client, source="concerns", columns=["number", "phone"],
                  filters={"created_at": {"op": "range", "value": ["2026-07-01", "2026-07-01"]}}).json()
    rows = rows_of(run(client, report["id"]))
    assert len(rows) == 1 and rows[0][1] == "13812340002"  # 就业后台 holds core.view_pii


def test_responses_by_target_with_average_score(make_user):
    from zhonglou_hrss.questionnaires.models import Questionnaire, Response

    staff = builder(make_user, "q_builder", "credit_staff")
    questionnaire = Questionnaire.objects.get(key="employee")
    version = questionnaire.versions.first()
    hr1 = Enterprise.objects.create(uscc=uscc(801), name="甲人力")
    hr2 = Enterprise.objects.create(uscc=uscc(802), name="乙人力")
    now = clock.now()
    for n, (target, score, valid) in enumerate([(hr1, "80", True), (hr1, "90", True), (hr2, "70", True),
                                                (hr2, "10", False)]):
        Response.objects.create(questionnaire=questionnaire, version=version, year=2026, target=target,
                                respondent_key=f"k{n}", score=Decimal(score), valid=valid, submitted_at=now,
                                updated_at=now)
    rows = grouped(api_as(staff), "responses", ["target__name"], [{"op": "count"}, {"op": "avg", "field": "score"}],
                   filters={"valid": {"op": "eq", "value": True}})
    # Grouped rows come in the database's order of the names (its collation): compare as a set.
    assert sorted(rows) == sorted([["乙人力", 1, 70.0], ["甲人力", 2, 85.0]])


def test_credit_results_latest_version_by_grade(make_user):
    from tests.credit.conftest import hr_company
    from zhonglou_hrss.credit.models import CriteriaYear, Declaration, ResultRow, ResultVersion

    staff = builder(make_user, "c_builder", "credit_staff")
    scheme = CriteriaYear.objects.order_by("-year").first()
    declarations = []
    for n in range(3):
        account = hr_company(n + 1)
        declarations.append(Declaration.objects.create(scheme=scheme, account=account, status="confirmed"))
    old = ResultVersion.objects.create(scheme=scheme, number=1, generated_by=staff, generated_at=clock.now())
    new = ResultVersion.objects.create(scheme=scheme, number=2, generated_by=staff,
                                       generated_at=clock.now() + dt.timedelta(minutes=1))
    for version, grades in ((old, ["A", "A", "A"]), (new, ["A", "B", "B"])):
        for d, grade in zip(declarations, grades):
            ResultRow.objects.create(version=version, declaration=d, uscc=d.account.enterprise.uscc or "",
                                     name=d.account.enterprise.name, credit_score=Decimal("90"), grade=grade,
                                     credit_norm=Decimal("90"), total=Decimal("88.5"))
    rows = grouped(api_as(staff), "credit_results", ["grade"], [{"op": "count"}, {"op": "sum", "field": "total"}])
    assert rows == [["A", 1, 88.5], ["B", 2, 177.0]]
    # Nobody outside credit staff sees results, even in a report shared with them.
    report = save(api_as(staff), source="credit_results", columns=["name"], shared_with=["领导"]).json()
    leader = make_user("leader_x", roles=["leader"])
    assert rows_of(run(api_as(leader), report["id"])) == []
