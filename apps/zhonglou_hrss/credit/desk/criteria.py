"""评价标准 in the desk (R-CR-04): a rating year's whole scheme — initial score,
floor, window, stages, categories with caps, items with their scoring rule,
veto items, grade bands with conditions, composite weights — and the form
for the year's simple settings (``services.criteria.update_year``: validated,
errors in Chinese beside the field, nothing half-saved). "复制上一年" makes
the next year. A year whose results are published is frozen: read-only, the
page says why. The years list is ``admin.criteria``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from zhonglou_hrss.core.errors import DomainError, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.credit.desk.common import require_any, text_of
from zhonglou_hrss.credit.models import CriteriaYear
from zhonglou_hrss.credit.rules import MANAGE_CRITERIA
from zhonglou_hrss.credit.selectors.criteria import criteria_page, next_year, scheme_of
from zhonglou_hrss.credit.services.criteria import copy_year, update_year

WEIGHTS = (("credit", "信用维度"), ("questionnaire", "问卷维度"), ("hr", "HR评价（问卷维度内）"),
           ("employee", "员工评价（问卷维度内）"))
FIELDS = ("name", "initial_score", "floor", "window_start", "window_end")


def _scheme(request, year) -> CriteriaYear:
    require_any(request, MANAGE_CRITERIA, message="您没有维护信用评价标准的权限")
    try:
        return scheme_of(year)
    except NotVisible:
        raise Http404 from None


def _values(scheme: CriteriaYear) -> dict:
    weights = scheme.weights or {}
    return {"name": scheme.name, "initial_score": f"{scheme.initial_score.normalize():f}",
            "floor": f"{scheme.floor.normalize():f}", "window_start": f"{scheme.window_start:%Y-%m-%d}",
            "window_end": f"{scheme.window_end:%Y-%m-%d}",
            **{f"weight_{k}": "" if weights.get(k) is None else f"{weights[k]:g}" for k, _ in WEIGHTS}}


def _render(request, scheme, *, values=None, errors=None, conflict="", status=200):
    errors = errors or {}
    values = values or _values(scheme)
    weight_errors = errors.get("weights", [])
    return TemplateResponse(request, "credit/desk/criteria_year.html", {
        **admin.site.each_context(request), "opts": CriteriaYear._meta, "title": f"{scheme.year}年度评价标准",
        "scheme": scheme, **criteria_page(scheme), "values": values, "errors": errors,
        "weight_errors": weight_errors,
        "weight_fields": [(k, label, values.get(f"weight_{k}", "")) for k, label in WEIGHTS], "conflict": conflict,
        "next_year": next_year(),
    }, status=status)


def year_page(request, year):
    return _render(request, _scheme(request, year))


@require_POST
def edit_year(request, year):
    scheme = _scheme(request, year)
    values = {key: request.POST.get(key, "").strip() for key in FIELDS}
    values.update({f"weight_{k}": request.POST.get(f"weight_{k}", "").strip() for k, _ in WEIGHTS})
    changes = {key: values[key] for key in FIELDS}
    changes["weights"] = {k: values[f"weight_{k}"] for k, _ in WEIGHTS}
    try:
        update_year(actor=request.user, year=scheme.year, changes=changes, request=request)
    except InvalidInput as exc:
        return _render(request, scheme, values=values, errors=exc.errors, status=400)
    except StateConflict as exc:
        scheme.refresh_from_db()
        return _render(request, scheme, conflict=exc.message, status=409)
    messages.success(request, f"已保存{scheme.year}年度评价标准的设置。")
    return redirect("admin:credit_criteria_year", year=scheme.year)


@require_POST
def copy_next(request):
    require_any(request, MANAGE_CRITERIA, message="您没有维护信用评价标准的权限")
    year = next_year()
    if year is None:
        messages.error(request, "还没有任何年度的评价标准可复制。")
        return redirect("admin:credit_criteriayear_changelist")
    try:
        copy_year(actor=request.user, year=year, request=request)
    except DomainError as exc:
        messages.error(request, f"未能复制：{text_of(exc)}")
        return redirect("admin:credit_criteriayear_changelist")
    messages.success(request, f"已按{year - 1}年度的标准创建{year}年度评价标准，申报期随年度顺延，可在下方修改。")
    return redirect("admin:credit_criteria_year", year=year)
