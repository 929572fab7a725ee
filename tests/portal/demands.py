"""Talent-demand helpers of the portal tests: complete inputs, a demand taken
through its life by the services."""

from __future__ import annotations

from zhonglou_hrss.portal.services.demands import (
    DemandInput,
    DemandPositionInput,
    MajorInput,
    OutcomeInput,
    decide_demand,
    report_outcome,
    save_demand,
    submit_demand,
)


def demand_position(n: int = 1, **overrides) -> DemandPositionInput:
    values = dict(position="general_worker", description="流水线装配", headcount=10, gender="any",
                  employment_type="contract", salary_min=4500, salary_max=6000, age_band="18_25",
                  education="senior_high", skill_level="any", experience="any",
                  majors=[MajorInput(category="08", headcount=2)])
    values.update(overrides)
    return DemandPositionInput(**values)


def demand_input(*, positions: int | list = 1, **overrides) -> DemandInput:
    values = dict(contact_name="周联系", contact_phone="13912345678", months=[3, 4], workforce_size=200,
                  services=["job_fair"], services_other="",
                  positions=positions if isinstance(positions, list) else [demand_position(i + 1)
                                                                          for i in range(positions)])
    values.update(overrides)
    return DemandInput(**values)


def approved_demand(user, staff, data: DemandInput | None = None, *, outcome: str = "", hired: int | None = None):
    """A demand saved, submitted and approved; with ``outcome``, its result reported
    (``hired`` per position, default its headcount)."""
    demand = save_demand(actor=user, data=data or demand_input())
    submit_demand(actor=user, demand_id=demand.pk)
    demand = decide_demand(actor=staff, demand_id=demand.pk, approve=True)
    if outcome:
        demand = report_outcome(actor=user, demand_id=demand.pk, data=OutcomeInput(
            hired={p.pk: p.headcount if hired is None else hired for p in demand.positions.all()}, result=outcome))
    return demand
