"""Deduction candidates (issue 15, beyond the requirements): for a company's
USCC and a rating year, the kuaiban cases and petitions naming it as the
respondent — only those the user may see (through kuaiban's selectors, the
app's reading door) — each with whether it was already taken as a deduction
or dismissed, so no complaint against a rated company is missed."""

from __future__ import annotations

from zhonglou_hrss.credit.models import CandidateDismissal, CriteriaYear, Deduction
from zhonglou_hrss.kuaiban.selectors.cases import case_list_for
from zhonglou_hrss.kuaiban.selectors.petitions import petition_list_for


def candidates_for(user, *, uscc: str, scheme: CriteriaYear) -> list[dict]:
    year = scheme.year
    taken = {(d.source, d.source_id): d.pk for d in Deduction.objects.filter(
        declaration__scheme=scheme, declaration__account__enterprise__uscc=uscc).exclude(source="")}
    dismissed = {(d.source, d.source_id): d.reason for d in CandidateDismissal.objects.filter(scheme=scheme,
                                                                                             uscc=uscc)}
    rows = []
    cases = (case_list_for(user).filter(respondent_uscc=uscc, created_at__year=year)
             .select_related("reason").order_by("created_at", "id"))
    for case in cases:
        rows.append({"source": "case", "id": case.pk, "number": case.number, "respondent": case.respondent_name,
                     "reason": case.reason.label, "status": case.get_status_display(),
                     "penalty": bool(case.penalty_decided_at), "created_at": case.created_at,
                     "link": f"/desk/kuaiban/cases/{case.pk}/"})
    petitions = (petition_list_for(user).filter(respondent_uscc=uscc, created_at__year=year)
                 .select_related("reason").order_by("created_at", "id"))
    for petition in petitions:
        rows.append({"source": "petition", "id": petition.pk, "number": petition.number,
                     "respondent": petition.respondent_name, "reason": petition.reason.label,
                     "status": "已处置" if petition.handled_at else "处置中", "penalty": False,
                     "created_at": petition.created_at, "link": f"/desk/kuaiban/petitions/{petition.pk}/"})
    for row in rows:
        key = (row["source"], row["id"])
        row["deduction_id"] = taken.get(key)
        row["dismissed_reason"] = dismissed.get(key, "")
    return rows


def candidate_visible(user, source: str, source_id: int, uscc: str) -> str | None:
    """The case's or petition's number when the user may see it and it names ``uscc``; else None."""
    if source == "case":
        record = case_list_for(user).filter(pk=source_id, respondent_uscc=uscc).first()
    elif source == "petition":
        record = petition_list_for(user).filter(pk=source_id, respondent_uscc=uscc).first()
    else:
        return None
    return record.number if record else None
