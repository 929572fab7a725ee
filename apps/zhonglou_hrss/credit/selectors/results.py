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
