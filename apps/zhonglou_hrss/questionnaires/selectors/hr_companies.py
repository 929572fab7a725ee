"""The client enterprises' lists of HR companies (R-CR-05, R-CR-08), read:
an enterprise's own list, and — for the public employee page — the
registered enterprises to pick from and the list of the one picked."""

from __future__ import annotations

from django.db.models import Q

from zhonglou_hrss.core.models import AccessStatus, Enterprise, SubsystemAccess
from zhonglou_hrss.core.selectors import access_of
from zhonglou_hrss.core.selectors import NOT_AN_ENTERPRISE, PENDING, REJECTED
from zhonglou_hrss.questionnaires.models import ClientHrCompany
from zhonglou_hrss.questionnaires.rules import SUBSYSTEMS

SEARCH_LIMIT = 20


def enterprise_refusal(user) -> str | None:
    """Why this user may not evaluate HR companies (None: an approved enterprise account).
    Approved for the portal or for the credit system is enough."""
    accesses = [access_of(user, s) for s in SUBSYSTEMS]
    accesses = [a for a in accesses if a is not None]
    if not accesses:
        return NOT_AN_ENTERPRISE
    if any(a.status == AccessStatus.APPROVED for a in accesses):
        return None
    rejected = [a for a in accesses if a.status == AccessStatus.REJECTED]
    if rejected and len(rejected) == len(accesses):
        return REJECTED.format(reason=rejected[0].reason)
    return PENDING


def enterprise_of(user) -> Enterprise | None:
    """The registry entry of the user's enterprise account (None for staff and the public)."""
    for subsystem in SUBSYSTEMS:
        access = access_of(user, subsystem)
        if access is not None:
            return access.account.enterprise
    return None


def hr_companies_of(enterprise) -> list[ClientHrCompany]:
    if enterprise is None:
        return []
    return list(ClientHrCompany.objects.filter(enterprise=enterprise).select_related("hr_company")
                .order_by("id"))


def approved_enterprises():
    """Registered enterprises (an approved account) that have listed at least one HR company."""
    approved = SubsystemAccess.objects.filter(status=AccessStatus.APPROVED).values("account__enterprise_id")
    listing = ClientHrCompany.objects.values("enterprise_id")
    return Enterprise.objects.filter(pk__in=approved).filter(pk__in=listing)


def search_enterprises(q: str) -> list[dict]:
    """``[{"uscc","name"}]`` of registered enterprises matching a name part or a whole USCC (R-CR-08)."""
    q = " ".join((q or "").split())
    qs = approved_enterprises().exclude(uscc__isnull=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc=q.upper()))
    return list(qs.order_by("name", "id").values("uscc", "name")[:SEARCH_LIMIT])


def entry_enterprise(uscc: str) -> Enterprise | None:
    return approved_enterprises().filter(uscc=(uscc or "").strip().upper()).first()


def entry_hr_companies(uscc: str) -> list[dict] | None:
    """The HR companies of a registered enterprise (None when there is no such enterprise)."""
    enterprise = entry_enterprise(uscc)
    if enterprise is None:
        return None
    return [{"uscc": c.hr_company.uscc, "name": c.name} for c in hr_companies_of(enterprise)]


def client_lists_for(user):
    """Staff with the view permission see every enterprise's list."""
    if user is None or not user.is_active or not user.has_perm("questionnaires.view_clienthrcompany"):
        return ClientHrCompany.objects.none()
    return ClientHrCompany.objects.select_related("enterprise", "hr_company")
