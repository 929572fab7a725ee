"""Results of a rating year (R-CR-10, R-CR-11), written: ``generate_results``
makes a new version from every declaration confirmed at 终评 (companies
licensed for less than the year's minimum are not rated), the questionnaire
composites (``selectors.questionnaire_scores``: the questionnaires app) and
the year's weights — never overwriting an earlier version; ``publish_results``
publishes one version and freezes the year. One transaction each."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import NotVisible, StateConflict
from zhonglou_hrss.credit.models import CriteriaYear, Declaration, DeclarationStatus, ResultRow, ResultVersion
from zhonglou_hrss.credit.rules import (
    MANAGE_RESULTS,
    combine,
    competition_ranks,
    credit_max,
    licensed_long_enough,
    min_samples,
    quota_grades,
)
from zhonglou_hrss.credit.selectors.criteria import scheme_data
from zhonglou_hrss.credit.selectors.questionnaire_scores import composite_scores
from zhonglou_hrss.credit.services.common import require
from zhonglou_hrss.credit.services.criteria import freeze_year


def generate_results(*, actor, year: int) -> ResultVersion:
    require(actor, MANAGE_RESULTS, "您没有生成信用评价结果的权限")
    with transaction.atomic():
        scheme = CriteriaYear.objects.select_for_update().filter(year=year).first()
        if scheme is None:
            raise NotVisible(f"{year}年度的评价标准尚未建立")
        if scheme.frozen:
            raise StateConflict(f"{year}年度的评价结果已发布，不能再生成")
        data = scheme_data(scheme)
        top = credit_max(data)
        min_years = int(scheme.eligibility.get("min_licence_years", 1))
        hr_min = min_samples(scheme.aggregation, "hr", 1)
        employee_min = min_samples(scheme.aggregation, "employee", 5)
        declarations = list(Declaration.objects.filter(scheme=scheme, status=DeclarationStatus.FINAL_DONE)
                            .select_related("account__enterprise", "account__credit_licence")
                            .prefetch_related("vetoes"))
        scores = composite_scores(year)
        rows, not_rated, formula = [], 0, ""
        for d in declarations:
            licence = getattr(d.account, "credit_licence", None)
            if not licensed_long_enough(licence.licence_date if licence else None, year, min_years):
                not_rated += 1
                continue
            q = scores.get(d.account.enterprise.uscc, {})
            c = combine(d.credit_score, top, q.get("hr"), q.get("employee"), scheme.weights,
                        hr_ok=q.get("hr_n", 0) >= hr_min, employee_ok=q.get("employee_n", 0) >= employee_min)
            rows.append(ResultRow(
                declaration=d, uscc=d.account.enterprise.uscc, name=d.account.company_name,
                credit_score=d.credit_score, grade=d.grade, vetoed=d.vetoes.exists(), credit_norm=c.credit_norm,
                hr_score=c.hr, hr_n=q.get("hr_n", 0), employee_score=c.employee, employee_n=q.get("employee_n", 0),
                questionnaire_score=c.questionnaire, total=c.total, flags=c.flags))
            formula = c.formula
        # A company with a veto item ranks after every company without one (aggregation.veto_in_ranking).
        for field, key in (("rank_total", lambda r: (not r.vetoed, r.total)),
                           ("rank_credit", lambda r: (not r.vetoed, r.credit_score)),
                           ("rank_hr", lambda r: r.hr_score), ("rank_employee", lambda r: r.employee_score)):
            for row, rank in zip(rows, competition_ranks([key(r) for r in rows]), strict=True):
                setattr(row, field, rank)
        quota = scheme.extra.get("quota_rule") or {}
        quotaed = quota_grades([(r.rank_credit, r.grade) for r in rows], [b.grade for b in data.bands], quota)
        for row, grade in zip(rows, quotaed, strict=True):
            if grade != row.grade:
                row.flags = [*row.flags, f"等级比例限制：{row.grade}调为{grade}"]
                row.grade = grade
        number = (ResultVersion.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
        version = ResultVersion.objects.create(
            scheme=scheme, number=number, generated_by=actor, generated_at=clock.now(), weights=scheme.weights,
            formula=formula,
            inputs={"declarations": len(declarations), "rated": len(rows), "not_rated": not_rated,
                    "hr_responses": sum(s.get("hr_n", 0) for s in scores.values()),
                    "employee_responses": sum(s.get("employee_n", 0) for s in scores.values()),
                    **({"quota_rule": quota} if quota.get("enabled") else {})})
        for row in rows:
            row.version = version
        ResultRow.objects.bulk_create(rows)
    return version


def publish_results(*, actor, year: int, number: int | None = None) -> ResultVersion:
    require(actor, MANAGE_RESULTS, "您没有发布信用评价结果的权限")
    with transaction.atomic():
        scheme = CriteriaYear.objects.select_for_update().filter(year=year).first()
        if scheme is None:
            raise NotVisible(f"{year}年度的评价标准尚未建立")
        if scheme.frozen:
            raise StateConflict(f"{year}年度的评价结果已发布")
        versions = ResultVersion.objects.select_for_update().filter(scheme=scheme)
        version = versions.filter(number=number).first() if number else versions.order_by("-number").first()
        if version is None:
            raise NotVisible("该年度尚未生成结果" if not number else f"没有第{number}版结果")
        version.published_at, version.published_by = clock.now(), actor
        version.save(update_fields=["published_at", "published_by"])
        freeze_year(scheme)
    return version
