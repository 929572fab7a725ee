"""Reads of a year's results (R-CR-10, R-CR-11): a version (the published one
for companies; any for credit staff), its rows with their ranks, filtered by grade."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.credit.models import ResultRow, ResultVersion
from zhonglou_hrss.credit.rules import MANAGE_RESULTS, REVIEW, SCORE


def _num(value):
    return None if value is None else float(value)


def sees_results(user) -> bool:
    """Credit staff (any credit permission) see every version; nobody else any."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and any(user.has_perm(p) for p in (MANAGE_RESULTS, REVIEW, SCORE)))


def result_document(user, year: int, *, number: int | None = None, grade: str = "") -> dict:
    version = version_for(user, year, number)
    rows = version.rows.all()
    if grade:
        rows = rows.filter(grade=grade)
    return {
        "year": year, "version": version.number, "generated_at": version.generated_at,
        "generated_by": version.generated_by.display_name, "published": version.published_at is not None,
        "published_at": version.published_at, "inputs": version.inputs, "weights": version.weights,
        "formula": version.formula,
        "rows": [{"uscc": r.uscc, "name": r.name, "credit_score": _num(r.credit_score), "grade": r.grade,
                  "credit_norm": _num(r.credit_norm), "hr_score": _num(r.hr_score), "hr_n": r.hr_n,
                  "employee_score": _num(r.employee_score), "employee_n": r.employee_n,
                  "questionnaire_score": _num(r.questionnaire_score), "total": _num(r.total),
                  "rank_total": r.rank_total, "rank_credit": r.rank_credit, "rank_hr": r.rank_hr,
                  "rank_employee": r.rank_employee, "flags": r.flags} for r in rows],
    }


def version_for(user, year: int, number: int | None = None) -> ResultVersion:
    """A year's version (the latest unless ``number``) for credit staff, as ``result_document``
    sees it; NotVisible otherwise. The desk pages its rows in the database (``ranked_rows``)."""
    if not sees_results(user):
        raise NotVisible("结果不存在或您无权查看")
    versions = ResultVersion.objects.filter(scheme__year=year).select_related("generated_by", "published_by")
    version = versions.filter(number=number).first() if number else versions.order_by("-number").first()
    if version is None:
        raise NotVisible("该年度尚未生成结果")
    return version


RANK_FIELDS = ("rank_total", "rank_credit", "rank_hr", "rank_employee")


def ranked_rows(version: ResultVersion, *, grade: str = "", sort: str = "rank_total"):
    """A version's rows by one of its ranks (unranked ones last, then by the total rank), a grade's only."""
    sort = sort if sort in RANK_FIELDS else "rank_total"
    rows = version.rows.all()
    if grade:
        rows = rows.filter(grade=grade)
    return rows.order_by(F(sort).asc(nulls_last=True), F("rank_total").asc(nulls_last=True), "id")


def versions_of(year: int):
    """A year's result versions, newest first, with who generated and published them."""
    # Rows per version: one counting subquery (a join of every version's rows grows with each generation).
    rows = (ResultRow.objects.filter(version=OuterRef("pk")).order_by().values("version")
            .annotate(n=Count("pk")).values("n")[:1])
    return (ResultVersion.objects.filter(scheme__year=year).select_related("generated_by", "published_by")
            .annotate(row_count=Coalesce(Subquery(rows), 0)).order_by("-number"))


def latest_year_with_results() -> int | None:
    return ResultVersion.objects.order_by("-scheme__year").values_list("scheme__year", flat=True).first()


HISTOGRAM_WIDTH = 10


def version_charts(year: int, number: int) -> dict:
    """The figures of a version's charts, over all its rows: companies per grade (in the year's
    band order) and the total scores in bins of ten (0–9.99 … 90–100)."""
    version = ResultVersion.objects.filter(scheme__year=year, number=number).select_related("scheme").first()
    if version is None:
        return {"grades": [], "grade_counts": [], "bins": [], "bin_counts": []}
    counts = dict(version.rows.order_by().values_list("grade").annotate(n=Count("id")))
    order = [b.grade for b in version.scheme.grades.all()]
    grades = order + sorted(g for g in counts if g not in order)
    bins = [0] * (100 // HISTOGRAM_WIDTH)
    for total in version.rows.values_list("total", flat=True):
        index = min(int(total // HISTOGRAM_WIDTH), len(bins) - 1) if total > 0 else 0
        bins[index] += 1
    labels = [f"{n * HISTOGRAM_WIDTH}–{n * HISTOGRAM_WIDTH + HISTOGRAM_WIDTH}" for n in range(len(bins))]
    return {"grades": [g or "无等级" for g in grades], "grade_counts": [counts.get(g, 0) for g in grades],
            "bins": labels, "bin_counts": bins}


def own_published_result(account, year: int) -> dict | None:
    """The company's own row of the year's published version (R-CR-11: each
    company sees only its own score, grade and ranks, with how many were
    ranked), or None while nothing is published or the company is not in it."""
    version = (ResultVersion.objects.filter(scheme__year=year, published_at__isnull=False)
               .order_by("-number").first())
    if version is None:
        return None
    row = version.rows.filter(uscc=account.enterprise.uscc).first()
    if row is None:
        return None
    return {"year": year, "version": version.number, "published_at": version.published_at,
            "ranked": version.rows.count(), "credit_score": row.credit_score, "grade": row.grade,
            "credit_norm": row.credit_norm, "hr_score": row.hr_score, "employee_score": row.employee_score,
            "questionnaire_score": row.questionnaire_score, "total": row.total, "rank_total": row.rank_total,
            "rank_credit": row.rank_credit, "rank_hr": row.rank_hr, "rank_employee": row.rank_employee,
            "flags": row.flags, "formula": version.formula}


def result_row_list_for(user):
    """The rows of each year's latest result version, for credit staff (as
    ``result_document`` shows them by default); nothing for anyone else."""
    if not sees_results(user):
        return ResultRow.objects.none()
    latest = ResultVersion.objects.filter(scheme=OuterRef("version__scheme")).order_by("-number").values("pk")[:1]
    return ResultRow.objects.filter(version=Subquery(latest))
