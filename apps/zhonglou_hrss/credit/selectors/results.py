"""Reads of a year's results (R-CR-10, R-CR-11): a version (the published one
for companies; any for credit staff), its rows with their ranks, filtered by grade."""

from __future__ import annotations

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.credit.models import ResultVersion
from zhonglou_hrss.credit.rules import MANAGE_RESULTS, REVIEW, SCORE


def _num(value):
    return None if value is None else float(value)


def result_document(user, year: int, *, number: int | None = None, grade: str = "") -> dict:
    staff = user.is_active and any(user.has_perm(p) for p in (MANAGE_RESULTS, REVIEW, SCORE))
    versions = ResultVersion.objects.filter(scheme__year=year)
    if not staff:
        raise NotVisible("结果不存在或您无权查看")
    version = versions.filter(number=number).first() if number else versions.order_by("-number").first()
    if version is None:
        raise NotVisible("该年度尚未生成结果")
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


def result_row_list_for(user):
    """The rows of each year's latest result version, for credit staff (as
    ``result_document`` shows them by default); nothing for anyone else."""
    from django.db.models import OuterRef, Subquery

    from zhonglou_hrss.credit.models import ResultRow

    staff = user is not None and user.is_authenticated and user.is_active and any(
        user.has_perm(p) for p in (MANAGE_RESULTS, REVIEW, SCORE))
    if not staff:
        return ResultRow.objects.none()
    latest = ResultVersion.objects.filter(scheme=OuterRef("version__scheme")).order_by("-number").values("pk")[:1]
    return ResultRow.objects.filter(version=Subquery(latest))
