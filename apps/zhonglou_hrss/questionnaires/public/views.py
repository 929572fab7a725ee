"""The answering pages.

- The employee's phone page (R-CR-08, WeUI look like kuaiban's public
  page), reached from a per-enterprise QR poster or a link: pick the
  enterprise (search), then the HR company from its list, then answer —
  captcha, per-address limit, one response per ID number per HR company and
  year (a second one, even a simultaneous one, gets a clear Chinese message).
- The enterprise's PC portal pages (R-CR-05, portal's base template): its
  list of HR companies, per year one evaluation of each (editable until the
  year's collection closes), its past reports.

Every rule lives in the services and selectors; these views read the form,
check the captcha and the limit, and show the answer."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhonglou_hrss.core import captcha, clock
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.selectors import access_of
from zhonglou_hrss.questionnaires.rules import EMPLOYEE, ENTERPRISE_HR, collection_closes, employee_ip_limit, open_years
from zhonglou_hrss.questionnaires.selectors.definitions import (
    definition_of,
    published_by_key,
    published_version,
    questionnaires_of,
)
from zhonglou_hrss.questionnaires.selectors.forms import answers_from_post, form_sections
from zhonglou_hrss.questionnaires.selectors.hr_companies import (
    enterprise_of,
    enterprise_refusal,
    entry_enterprise,
    entry_hr_companies,
    hr_companies_of,
    search_enterprises,
)
from zhonglou_hrss.questionnaires.selectors.responses import own_response, response_list_for
from zhonglou_hrss.questionnaires.services.hr_companies import add_hr_company, remove_hr_company
from zhonglou_hrss.questionnaires.services.responses import ResponseInput, submit_response, validate_response

WEUI_CSS = "vendor/weui/weui.min.css"
DEVICE_COOKIE = "zlq_device"
STARTED_SALT = "questionnaires.started"
INVALID = "填写内容有误，请按提示修改"
SESSION_DONE = "questionnaire_done"


@lru_cache(maxsize=1)
def weui_css() -> str:
    try:
        found = finders.find(WEUI_CSS)
    except Exception:  # noqa: BLE001 — a storage that cannot tell: do without
        found = False
    return WEUI_CSS if found else ""


def _started_token() -> str:
    return signing.dumps(int(clock.now().timestamp()), salt=STARTED_SALT)


def _started_at(token: str):
    try:
        stamp = signing.loads(token or "", salt=STARTED_SALT, max_age=86400)
    except signing.BadSignature:
        return None
    return timezone.datetime.fromtimestamp(int(stamp), tz=timezone.get_current_timezone())


def _with_device(request, response):
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(DEVICE_COOKIE, secrets.token_hex(16), max_age=365 * 86400, httponly=True,
                            samesite="Lax", secure=request.is_secure())
    return response


def _phone(request, template, context, status=200):
    response = render(request, template, {"weui_css": weui_css(), **context}, status=status)
    return _with_device(request, response)


def _employee_version(key: str):
    try:
        version = published_by_key(key)
    except NotVisible:
        raise Http404 from None
    if version.questionnaire.audience != EMPLOYEE:
        raise Http404
    return version


# --- the employee's phone page (R-CR-08) ----------------------------------------------------------
@never_cache
def employee_entry(request, key):
    """Step 1: the enterprise (search); step 2: the HR company of its list."""
    version = _employee_version(key)
    uscc = (request.GET.get("enterprise") or "").strip().upper()
    enterprise = entry_enterprise(uscc) if uscc else None
    context = {"version": version, "key": key, "definition": definition_of(version)}
    if enterprise is not None:
        context.update(enterprise=enterprise, hr_companies=entry_hr_companies(enterprise.uscc))
        return _phone(request, "questionnaires/public/employee_entry.html", context)
    q = (request.GET.get("q") or "").strip()[:50]
    context.update(q=q, not_found=bool(uscc), results=search_enterprises(q) if q else [])
    return _phone(request, "questionnaires/public/employee_entry.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def employee_answer(request, key):
    """Step 3: the questions, the ID number, the captcha."""
    version = _employee_version(key)
    enterprise = entry_enterprise(request.GET.get("enterprise", ""))
    if enterprise is None:
        return redirect(reverse("questionnaires:employee_entry", args=[key]))
    target_uscc = (request.GET.get("target") or "").strip().upper()
    target = next((c for c in entry_hr_companies(enterprise.uscc) or [] if c["uscc"] == target_uscc), None)
    if target is None:
        return redirect(reverse("questionnaires:employee_entry", args=[key]) + f"?enterprise={enterprise.uscc}")
    definition = definition_of(version)
    answers, errors, message, started = {}, {}, "", _started_token()
    id_number = ""
    status = 200
    if request.method == "POST":
        answers = answers_from_post(definition, request.POST)
        id_number = request.POST.get("id_number", "")
        started = request.POST.get("started") or started
        data = ResponseInput(year=timezone.localtime(clock.now()).year, target_uscc=target_uscc, answers=answers,
                             id_number=id_number, enterprise_uscc=enterprise.uscc, ip=client_ip(request),
                             device=request.COOKIES.get(DEVICE_COOKIE, "")[:64], started_at=_started_at(started))
        limit = employee_ip_limit()
        try:
            if limit.exceeded(data.ip):
                raise StateConflict(limit.message)
            try:
                captcha.check(request.POST.get("captcha_0", ""), request.POST.get("captcha_1", ""))
            except captcha.CaptchaError as exc:
                problems = {"captcha": [str(exc)]}
                try:
                    validate_response(key=key, data=data)
                except InvalidInput as invalid:
                    problems.update(invalid.errors)
                raise InvalidInput(problems) from None
            response = submit_response(key=key, data=data)
        except InvalidInput as exc:
            errors, message = exc.errors, INVALID
        except (StateConflict, ActionForbidden) as exc:
            message, status = exc.message, 409 if isinstance(exc, StateConflict) else 403
        else:
            limit.hit(data.ip)
            request.session[SESSION_DONE] = {"key": key, "target": target["name"], "year": response.year}
            return redirect("questionnaires:employee_done", key=key)
    return _phone(request, "questionnaires/public/employee_form.html", {
        "version": version, "key": key, "definition": definition, "enterprise": enterprise, "target": target,
        "sections": form_sections(definition, answers, errors), "errors": errors, "message": message,
        "id_number": id_number, "id_errors": errors.get("respondent.id_number", []), "started": started, "captcha": captcha.new_challenge().as_dict(),
        "other_errors": [m for k, ms in errors.items() if not k.startswith("answers.")
                         and k not in ("respondent.id_number", "captcha") for m in ms]}, status=status)


@never_cache
def employee_done(request, key):
    done = request.session.get(SESSION_DONE)
    if not done or done.get("key") != key:
        return redirect("questionnaires:employee_entry", key=key)
    return _phone(request, "questionnaires/public/employee_done.html", {"done": done, "key": key})


# --- the enterprise's portal pages (R-CR-05) ------------------------------------------------------
def _portal_page(request, template, context=None, status=200):
    access = access_of(request.user, "portal") if request.user.is_authenticated else None
    base = {"portal_access": access, "help_phone": settings.PORTAL_HELP_PHONE}
    return render(request, template, {**base, **(context or {})}, status=status)


def _enterprise_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(reverse("portal:login") + "?next=" + request.path)
        refusal = enterprise_refusal(request.user)
        if refusal:
            return _portal_page(request, "questionnaires/public/hr_refused.html", {"refusal": refusal}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _last_day(year: int, questionnaire):
    """The last day of the year's collection (its end is that day's midnight)."""
    closes = collection_closes(year, questionnaire.collection_close_month_day)
    return timezone.localtime(closes - dt.timedelta(seconds=1)).date()


def _hr_version():
    for questionnaire in questionnaires_of(ENTERPRISE_HR):
        version = published_version(questionnaire)
        if version is not None:
            return version
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@_enterprise_required
def hr_list(request):
    """合作单位评价: the list (add, remove), this year's evaluations, past reports."""
    enterprise = enterprise_of(request.user)
    errors, values, message = {}, {}, ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                remove_hr_company(actor=request.user, uscc=request.POST.get("uscc", ""))
                return redirect(reverse("evaluations:list") + "?removed=1")
            values = {k: request.POST.get(k, "") for k in ("uscc", "name")}
            add_hr_company(actor=request.user, uscc=values["uscc"], name=values["name"],
                           confirm_uscc=request.POST.get("confirm_uscc") == "1")
            return redirect(reverse("evaluations:list") + "?added=1")
        except InvalidInput as exc:
            errors, message = exc.errors, INVALID
        except (StateConflict, NotVisible, ActionForbidden) as exc:
            message = exc.message
    version = _hr_version()
    now = clock.now()
    companies = hr_companies_of(enterprise)
    years = open_years(now, version.questionnaire.collection_close_month_day) if version else []
    rows = []
    for c in companies:
        cells = []
        for year in years:
            found = own_response(enterprise, version.questionnaire, c.hr_company, year) if version else None
            cells.append({"year": year, "response": found})
        rows.append({"company": c, "years": cells})
    past = response_list_for(request.user).order_by("-year", "target__name")
    return _portal_page(request, "questionnaires/public/hr_list.html", {
        "enterprise": enterprise, "version": version, "rows": rows, "years": years, "past": past,
        "errors": errors, "values": values, "message": message,
        "closes": [(y, _last_day(y, version.questionnaire)) for y in years] if version else []})


@never_cache
@require_http_methods(["GET", "POST"])
@_enterprise_required
def hr_form(request, uscc, year):
    """One evaluation: new, or the earlier one to change until the year's collection closes."""
    enterprise = enterprise_of(request.user)
    version = _hr_version()
    if version is None:
        raise Http404
    company = next((c for c in hr_companies_of(enterprise) if c.hr_company.uscc == uscc), None)
    existing = None
    if company is not None:
        existing = own_response(enterprise, version.questionnaire, company.hr_company, year)
    elif not response_list_for(request.user).filter(target__uscc=uscc, year=year).exists():
        raise Http404
    if company is None:
        existing = response_list_for(request.user).filter(target__uscc=uscc, year=year).first()
    questionnaire = version.questionnaire
    editable = year in open_years(clock.now(), questionnaire.collection_close_month_day) and company is not None
    shown_version = existing.version if existing else version
    definition = definition_of(shown_version)
    answers = dict(existing.answers) if existing else {}
    errors, message = {}, ""
    if request.method == "POST":
        if not editable:
            message = "该年度的问卷收集已截止，不能再修改"
        else:
            answers = answers_from_post(definition, request.POST)
            data = ResponseInput(year=year, target_uscc=uscc, answers=answers, ip=client_ip(request))
            try:
                response = submit_response(key=questionnaire.key, data=data, user=request.user, update=True)
            except InvalidInput as exc:
                errors, message = exc.errors, INVALID
            except (StateConflict, ActionForbidden) as exc:
                message = exc.message
            else:
                return redirect(reverse("evaluations:form", args=[uscc, year]) + f"?saved={response.pk}")
    return _portal_page(request, "questionnaires/public/hr_form.html", {
        "company": company, "target_name": company.name if company else (existing.target.name if existing else ""),
        "uscc": uscc, "year": year, "existing": existing, "editable": editable, "definition": definition,
        "sections": form_sections(definition, answers, errors), "errors": errors, "message": message,
        "saved": request.GET.get("saved"), "last_day": _last_day(year, questionnaire),
        "other_errors": [m for k, ms in errors.items() if not k.startswith("answers.") for m in ms]})
