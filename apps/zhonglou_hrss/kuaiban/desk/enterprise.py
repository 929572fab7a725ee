"""Kuaiban's sections of the desk's enterprise page (``core.registry.enterprise_section``,
registered in ``KuaibanConfig.ready``): the cases and petitions whose respondent
USCC is this enterprise — only those the user may see (``case_list_for``,
``petition_list_for``, R-KB-16): a grid worker sees their grids' cases, a user
without kuaiban permissions no section at all."""

from __future__ import annotations

from django.urls import reverse

from zhonglou_hrss.kuaiban.models import CaseStatus
from zhonglou_hrss.kuaiban.rules import VIEW_PETITIONS
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for
from zhonglou_hrss.kuaiban.selectors.petitions import petition_list_for
from zhonglou_hrss.kuaiban.workflow import STATUS_TONE

LIMIT = 50
VIEW_CASES = "kuaiban.view_case"


def cases_section(user, enterprise) -> dict | None:
    if not enterprise.uscc or not user.has_perm(VIEW_CASES):
        return None
    qs = case_list_for(user).filter(respondent_uscc=enterprise.uscc)
    rows = list(qs.select_related("grid", "reason").order_by("-created_at", "-id")[:LIMIT])
    for case in rows:
        case.tone = STATUS_TONE.get(case.status, "grey")
        case.status_label = CaseStatus(case.status).label
        case.link = reverse("admin:kuaiban_case_change", kwargs={"case_id": case.pk})
    return {"template": "kuaiban/desk/enterprise_cases.html", "key": "cases", "cases": rows, "total": qs.count(),
            "limit": LIMIT, "list_link": reverse("admin:kuaiban_case_changelist") + f"?q={enterprise.uscc}"}


def petitions_section(user, enterprise) -> dict | None:
    if not enterprise.uscc or not user.has_perm(VIEW_PETITIONS):
        return None
    qs = petition_list_for(user).filter(respondent_uscc=enterprise.uscc)
    rows = list(qs.select_related("grid", "reason").order_by("-created_at", "-id")[:LIMIT])
    for p in rows:
        p.link = reverse("admin:kuaiban_petition_change", kwargs={"petition_id": p.pk})
    return {"template": "kuaiban/desk/enterprise_petitions.html", "key": "petitions", "petitions": rows,
            "total": qs.count(), "limit": LIMIT}
