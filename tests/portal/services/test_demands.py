"""Talent demands through the services (R-PT-04, 05, 06, 07, 13): every field
checked at once, the life draft → pending → approved / rejected, the lock on
approval, the outcome and its correction window, visibility."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.portal.demands import approved_demand, demand_input, demand_position
from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.portal.models import Demand, DemandEvent, DemandOutcome, DemandStatus
from zhonglou_hrss.portal.selectors.demands import demand_for, demand_list_for
from zhonglou_hrss.portal.services import demands as service
from zhonglou_hrss.portal.services.demands import MajorInput, OutcomeInput

pytestmark = pytest.mark.django_db


def test_R_PT_05_a_complete_demand_is_saved_with_its_rows_and_the_profile_industry(accounts):
    data = demand_input(positions=[demand_position(1), demand_position(2, position="数控编程员", gender="male",
                                                                      employment_type="other",
                                                                      employment_type_other="项目制", majors=[])],
                        services=["job_fair", "other"], services_other="对接技工院校")
    demand = service.save_demand(actor=accounts.approved.user, data=data)
    assert demand.status == DemandStatus.DRAFT
    assert demand.industry_id == accounts.approved.industry_id
    assert demand.industrial_chain_id == accounts.approved.industrial_chain_id
    first, second = demand.positions.order_by("order")
    assert (first.position_entry.code, first.position_text) == ("general_worker", "普工")
    assert (second.position_entry, second.position_text) == (None, "数控编程员")  # typed, not in the list
    assert second.employment_type_other == "项目制"
    assert first.majors.get().headcount == 2
    assert sorted(demand.services.values_list("service__code", flat=True)) == ["job_fair", "other"]
    assert demand.months == [3, 4]


def test_R_PT_05_every_error_names_its_row_and_field_and_nothing_is_saved(accounts):
    data = demand_input(contact_phone="12", months=[13], workforce_size=0, services=["nope"],
                        positions=[demand_position(1),
                                   demand_position(2, headcount=0, salary_min=9000, salary_max=100, gender="x",
                                                   education="", employment_type="other",
                                                   majors=[MajorInput("08", 1), MajorInput("08", 1),
                                                           MajorInput("zz", None)])])
    with pytest.raises(InvalidInput) as exc:
        service.save_demand(actor=accounts.approved.user, data=data)
    errors = exc.value.errors
    assert {"contact_phone", "months", "workforce_size", "services", "positions[1].headcount",
            "positions[1].salary_max", "positions[1].gender", "positions[1].education",
            "positions[1].employment_type_other", "positions[1].majors[1].category", "positions[1].majors[2].category",
            "positions[1].majors[2].headcount"} <= set(errors)
    assert "positions[0].headcount" not in errors
    assert not Demand.objects.exists()


def test_R_PT_05_majors_cannot_ask_for_more_people_than_the_position(accounts):
    data = demand_input(positions=[demand_position(1, headcount=3, majors=[MajorInput("08", 2), MajorInput("12", 2)])])
    with pytest.raises(InvalidInput) as exc:
        service.save_demand(actor=accounts.approved.user, data=data)
    assert exc.value.errors == {"positions[0].majors": ["各专业人数之和不能超过该岗位的需求人数"]}


def test_R_PT_06_pending_and_rejected_accounts_cannot_file_demands(accounts):
    for account, word in ((accounts.pending, "账号待审核"), (accounts.rejected, "营业执照名称不一致")):
        with pytest.raises(ActionForbidden, match=word):
            service.save_demand(actor=account.user, data=demand_input())


def test_R_PT_06_life_of_a_demand_with_its_timeline(accounts):
    user, staff = accounts.approved.user, accounts.staff
    demand = service.save_demand(actor=user, data=demand_input())
    service.submit_demand(actor=user, demand_id=demand.pk)
    with pytest.raises(StateConflict, match="已提交"):
        service.submit_demand(actor=user, demand_id=demand.pk)
    with pytest.raises(InvalidInput):
        service.decide_demand(actor=staff, demand_id=demand.pk, approve=False, reason="")
    service.decide_demand(actor=staff, demand_id=demand.pk, approve=False, reason="岗位薪资与招聘月份不符")
    demand.refresh_from_db()
    assert (demand.status, demand.reject_reason) == (DemandStatus.REJECTED, "岗位薪资与招聘月份不符")
    service.save_demand(actor=user, demand_id=demand.pk, data=demand_input(positions=2))
    service.submit_demand(actor=user, demand_id=demand.pk)
    service.decide_demand(actor=staff, demand_id=demand.pk, approve=True)
    assert list(DemandEvent.objects.filter(demand=demand).order_by("at", "id").values_list("action", flat=True)) == [
        "create", "submit", "reject", "save", "submit", "approve"]


def test_R_PT_06_an_approved_demand_is_neither_edited_nor_withdrawn(accounts):
    demand = approved_demand(accounts.approved.user, accounts.staff)
    with pytest.raises(StateConflict, match="已审核通过"):
        service.save_demand(actor=accounts.approved.user, demand_id=demand.pk, data=demand_input())
    with pytest.raises(StateConflict, match="已审核通过"):
        service.withdraw_demand(actor=accounts.approved.user, demand_id=demand.pk)
    with pytest.raises(StateConflict):
        service.decide_demand(actor=accounts.staff, demand_id=demand.pk, approve=False, reason="x")


def test_R_PT_07_outcome_after_approval_correctable_for_30_days(accounts):
    user = accounts.approved.user
    demand = service.save_demand(actor=user, data=demand_input(positions=2))
    with pytest.raises(StateConflict, match="审核通过后"):
        service.report_outcome(actor=user, demand_id=demand.pk, data=OutcomeInput(result="completed"))
    demand = approved_demand(user, accounts.staff)
    position = demand.positions.get()
    with pytest.raises(InvalidInput) as exc:
        service.report_outcome(actor=user, demand_id=demand.pk, data=OutcomeInput(hired={position.pk: -1},
                                                                                  result="done"))
    assert set(exc.value.errors) == {"positions[0].hired", "result"}
    service.report_outcome(actor=user, demand_id=demand.pk,
                           data=OutcomeInput(hired={position.pk: 4}, result="partial"))
    with clock.at(timezone.now() + timedelta(days=29)):
        service.report_outcome(actor=user, demand_id=demand.pk,
                               data=OutcomeInput(hired={str(position.pk): 10}, result="completed"))
    demand.refresh_from_db()
    position.refresh_from_db()
    assert (demand.outcome, position.hired) == (DemandOutcome.COMPLETED, 10)
    with clock.at(timezone.now() + timedelta(days=31)), pytest.raises(StateConflict, match="30天"):
        service.report_outcome(actor=user, demand_id=demand.pk,
                               data=OutcomeInput(hired={position.pk: 1}, result="partial"))


def test_R_PT_04_visibility_own_demands_staff_see_submitted_only(accounts, make_user):
    mine = service.save_demand(actor=accounts.approved.user, data=demand_input())
    assert list(demand_list_for(accounts.approved.user)) == [mine]
    assert not demand_list_for(accounts.staff).exists()  # a draft is the enterprise's own
    service.submit_demand(actor=accounts.approved.user, demand_id=mine.pk)
    assert list(demand_list_for(accounts.staff)) == [mine]
    for outsider in (accounts.pending.user, make_user("k_clerk_d", roles=["district_clerk"])):
        with pytest.raises(NotVisible):
            demand_for(outsider, mine.pk)
    with pytest.raises(ActionForbidden):
        service.decide_demand(actor=make_user("k_leader_d", roles=["leader"]), demand_id=mine.pk, approve=True)


def test_R_PT_06_withdraw_a_pending_demand(accounts):
    demand = service.save_demand(actor=accounts.approved.user, data=demand_input())
    service.submit_demand(actor=accounts.approved.user, demand_id=demand.pk)
    service.withdraw_demand(actor=accounts.approved.user, demand_id=demand.pk)
    assert not Demand.objects.exists()
