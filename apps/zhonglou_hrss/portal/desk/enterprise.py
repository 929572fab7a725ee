"""The portal's sections of the desk's enterprise page (``core.registry.enterprise_section``,
registered in ``PortalConfig.ready``): the company's talent demands with their
outcomes, and its job-fair registrations — each only for staff who may see
that list (``demand_list_for`` / ``registration_list_for``: drafts never)."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import NoReverseMatch, reverse

from zhonglou_hrss.portal.models import DemandStatus, RegistrationStatus
from zhonglou_hrss.portal.selectors.demands import demand_list_for, is_demand_staff
from zhonglou_hrss.portal.selectors.jobfairs import is_jobfair_staff, registration_list_for
from zhonglou_hrss.portal.workflow import DEMAND_TONES, REGISTRATION_TONES

LIMIT = 50
OUTCOME_TONES = {"completed": "green", "partial": "amber"}


def _link(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page not built (yet)
        return ""


def demands_section(user, enterprise) -> dict | None:
    if not is_demand_staff(user):
        return None
    qs = demand_list_for(user).filter(enterprise=enterprise)
    rows = list(qs.annotate(requested=Sum("positions__headcount"), hired=Sum("positions__hired"))
                .order_by("-submitted_at", "-id")[:LIMIT])
    for d in rows:
        d.tone = DEMAND_TONES.get(d.status, "grey")
        d.outcome_tone = OUTCOME_TONES.get(d.outcome, "grey")
        d.link = _link("admin:portal_demand_change", demand_id=d.pk)
    approved = [d for d in rows if d.status == DemandStatus.APPROVED]
    return {"template": "portal/desk/enterprise_demands.html", "key": "demands", "demands": rows,
            "total": qs.count(), "limit": LIMIT,
            "requested": sum(d.requested or 0 for d in approved), "hired": sum(d.hired or 0 for d in approved),
            "list_link": _link("admin:portal_demand_changelist") + f"?uscc={enterprise.uscc}"}


def registrations_section(user, enterprise) -> dict | None:
    if not is_jobfair_staff(user):
        return None
    rows = list(registration_list_for(user).filter(enterprise=enterprise).exclude(status=RegistrationStatus.DRAFT)
                .select_related("fair").order_by("-fair__date", "-id")[:LIMIT])
    for r in rows:
        r.tone = REGISTRATION_TONES.get(r.status, "grey")
        r.link = _link("admin:portal_registration_change", registration_id=r.pk)
    return {"template": "portal/desk/enterprise_registrations.html", "key": "registrations", "registrations": rows}
