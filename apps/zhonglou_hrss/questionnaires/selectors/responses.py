"""Responses, read. Visibility starts here (``response_list_for``): staff
holding ``questionnaires.view_response`` see every response; an approved
enterprise sees only the HR evaluations it gave itself; nobody else sees any.
Composites per HR company and year (R-CR-07, R-CR-09) count valid responses
only, each at its corrected score when staff corrected it (R-CR-06)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.questionnaires.models import Questionnaire, Response, ResponseEvent
from zhonglou_hrss.questionnaires.rules import ENTERPRISE_HR, VIEW_RESPONSES, aggregate, aggregation_formula
from zhonglou_hrss.questionnaires.selectors.hr_companies import enterprise_of, enterprise_refusal


def sees_all(user) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(VIEW_RESPONSES))


def response_list_for(user):
    base = Response.objects.select_related("questionnaire", "version", "target", "enterprise")
    if user is None or not user.is_authenticated:
        return base.none()
    if sees_all(user):
        return base
    if enterprise_refusal(user) is None:
        return base.filter(enterprise=enterprise_of(user), questionnaire__audience=ENTERPRISE_HR,
                           user__isnull=False)
    return base.none()


def filter_responses(qs, *, questionnaire: str | None = None, year: int | None = None,
                     target_uscc: str | None = None, enterprise_uscc: str | None = None,
                     valid: bool | None = None, flagged: bool | None = None, q: str | None = None):
    if questionnaire:
        qs = qs.filter(questionnaire__key=questionnaire)
    if year:
        qs = qs.filter(year=year)
    if target_uscc:
        qs = qs.filter(target__uscc=target_uscc.strip().upper())
    if enterprise_uscc:
        qs = qs.filter(enterprise__uscc=enterprise_uscc.strip().upper())
    if valid is not None:
        qs = qs.filter(valid=valid)
    if flagged is not None:
        qs = qs.filter(flagged=flagged)
    if q:
        q = q.strip()
        qs = qs.filter(Q(target__name__icontains=q) | Q(enterprise__name__icontains=q) | Q(target__uscc=q.upper()))
    return qs.order_by("-submitted_at", "-id")


def response_for(user, pk) -> Response:
    found = response_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible()
    return found


def timeline_of(response: Response) -> list[ResponseEvent]:
    return list(ResponseEvent.objects.filter(response=response).select_related("actor").order_by("at", "id"))


def own_response(enterprise, questionnaire: Questionnaire, target, year: int) -> Response | None:
    if enterprise is None:
        return None
    return Response.objects.filter(questionnaire=questionnaire, year=year, target=target,
                                   respondent_key=f"e{enterprise.pk}").first()


@dataclass
class Composite:
    target_id: int
    uscc: str
    name: str
    score: Decimal | None
    responses: int
    rows: list = field(default_factory=list)  # (response id, score, headcount) behind it


def composites(questionnaire: Questionnaire, year: int, *, with_rows: bool = False,
               target_uscc: str | None = None) -> list[Composite]:
    """Per HR company: the composite of its valid responses of the year by the questionnaire's rule."""
    qs = Response.objects.filter(questionnaire=questionnaire, year=year, valid=True)
    if target_uscc:
        qs = qs.filter(target__uscc=target_uscc.strip().upper())
    grouped: dict[int, list] = defaultdict(list)
    for pk, target_id, score, corrected, headcount in qs.values_list(
            "id", "target_id", "score", "corrected_score", "headcount").iterator(chunk_size=5000):
        grouped[target_id].append((pk, corrected if corrected is not None else score, headcount))
    names = dict((pk, (uscc, name)) for pk, uscc, name in
                 Enterprise.objects.filter(pk__in=list(grouped)).values_list("id", "uscc", "name").iterator())
    out = []
    for target_id, rows in grouped.items():
        uscc, name = names.get(target_id, ("", ""))
        score = aggregate(questionnaire.aggregation, [(s, h) for _, s, h in rows],
                          trim_percent=float(questionnaire.trim_percent))
        out.append(Composite(target_id, uscc or "", name, score, len(rows), rows if with_rows else []))
    out.sort(key=lambda c: (c.score is None, -(c.score or 0), c.name))
    return out


def formula_of(questionnaire: Questionnaire) -> str:
    return aggregation_formula(questionnaire.aggregation, questionnaire.trim_percent,
                               questionnaire.headcount_question)


def years_with_responses(questionnaire: Questionnaire | None = None) -> list[int]:
    qs = Response.objects.all()
    if questionnaire is not None:
        qs = qs.filter(questionnaire=questionnaire)
    return sorted(set(qs.values_list("year", flat=True).distinct()), reverse=True)
