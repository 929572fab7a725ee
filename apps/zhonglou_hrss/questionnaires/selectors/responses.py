"""Responses, read. Visibility starts here (``response_list_for``): staff
holding ``questionnaires.view_response`` see every response; an approved
enterprise sees only the HR evaluations it gave itself; nobody else sees any.
Composites per HR company and year (R-CR-07, R-CR-09) count valid responses
only, each at its corrected score when staff corrected it (R-CR-06)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.questionnaires.models import Questionnaire, Response, ResponseEvent
from zhonglou_hrss.questionnaires.rules import ENTERPRISE_HR, VIEW_RESPONSES, aggregation_formula
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


# The composite of each HR company in SQL (one grouped query; the trimmed mean with window functions,
# which SQLite ≥ 3.25 and MariaDB ≥ 10.2 have). ``rules.aggregate`` is the same rule in Python, the
# reference the tests compare this with. With k = min(⌊n·p/100⌋, ⌊(n−1)/2⌋) dropped at each end, a row of
# rank r (1…n) is kept when r > k and n − r + 1 > k; for whole numbers m, m > ⌊x⌋ ⇔ m > x, so
# both tests are plain arithmetic on r, n and p (no FLOOR, which SQLite may lack).
_SCORES = """SELECT target_id, COALESCE(corrected_score, score) AS s, headcount AS h
               FROM questionnaires_response
              WHERE questionnaire_id = %s AND year = %s AND valid = %s
                AND COALESCE(corrected_score, score) IS NOT NULL{target}"""
_MEAN = "SELECT target_id, COUNT(*), AVG(s) FROM ({scores}) t GROUP BY target_id"
_HEADCOUNT = """SELECT target_id, COUNT(*),
                       SUM(CASE WHEN h > 0 THEN s * h END) * 1.0 / SUM(CASE WHEN h > 0 THEN h END)
                  FROM ({scores}) t GROUP BY target_id"""
_TRIMMED = """SELECT target_id, MAX(n), AVG(CASE WHEN (r * 100 > n * %s OR 2 * r > n - 1)
                                               AND ((n - r + 1) * 100 > n * %s OR 2 * (n - r + 1) > n - 1)
                                              THEN s END)
                FROM (SELECT target_id, s,
                             ROW_NUMBER() OVER (PARTITION BY target_id ORDER BY s) AS r,
                             COUNT(*) OVER (PARTITION BY target_id) AS n
                        FROM ({scores}) t) w
               GROUP BY target_id"""


def _composite_rows(questionnaire: Questionnaire, year: int, target_id: int | None) -> list[tuple]:
    scores = _SCORES.format(target=" AND target_id = %s" if target_id else "")
    params = [questionnaire.pk, year, True] + ([target_id] if target_id else [])
    if questionnaire.aggregation == "trimmed":
        percent = float(questionnaire.trim_percent)
        sql, params = _TRIMMED.format(scores=scores), [percent, percent, *params]
    elif questionnaire.aggregation == "headcount":
        sql = _HEADCOUNT.format(scores=scores)
    else:
        sql = _MEAN.format(scores=scores)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _two_places(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def composites(questionnaire: Questionnaire, year: int, *, with_rows: bool = False,
               target_uscc: str | None = None) -> list[Composite]:
    """Per HR company: the composite of its valid responses of the year by the questionnaire's rule
    (``rules.aggregate``), the number of responses behind it, and — ``with_rows`` — each of them
    as (id, score counted, headcount)."""
    target_id = None
    if target_uscc:
        target_id = Enterprise.objects.filter(uscc=target_uscc.strip().upper()).values_list("id", flat=True).first()
        if target_id is None:
            return []
    found = _composite_rows(questionnaire, year, target_id)
    names = dict((pk, (uscc, name)) for pk, uscc, name in
                 Enterprise.objects.filter(pk__in=[row[0] for row in found]).values_list("id", "uscc", "name"))
    behind: dict[int, list] = defaultdict(list)
    if with_rows:
        qs = Response.objects.filter(questionnaire=questionnaire, year=year, valid=True)
        if target_id:
            qs = qs.filter(target_id=target_id)
        for pk, target, score, corrected, headcount in qs.order_by("target_id", "id").values_list(
                "id", "target_id", "score", "corrected_score", "headcount"):
            if (corrected if corrected is not None else score) is not None:
                behind[target].append((pk, corrected if corrected is not None else score, headcount))
    out = []
    for target, count, value in found:
        uscc, name = names.get(target, ("", ""))
        out.append(Composite(target, uscc or "", name, _two_places(value), int(count), behind.get(target, [])))
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
