"""Public phone pages of kuaiban (no login).

- ``report``: 群众登记 (R-KB-01), opened from a QR code; ``?grid=<code>``
  pre-selects the street grid of a per-grid poster.
- ``report_done``: the confirmation (POST-redirect-GET; the number sits in the
  visitor's own session, so nobody sees another person's case).
- ``progress``: look a case up by its number plus the reporter's phone;
  status and dates only.

Every rule about a case is the registration service's; these views read what
was posted, check the captcha and the rate limits, and show the service's
answer.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhonglou_hrss.core import captcha, pii
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.errors import InvalidInput
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.core.ratelimit import RateLimit
from zhonglou_hrss.kuaiban.public.forms import (
    MAX_COMPANIONS_ON_PAGE,
    TEXT_FIELDS,
    CaptchaForm,
    ProgressForm,
    read_report,
)
from zhonglou_hrss.kuaiban.models import CaseSource, CaseStatus
from zhonglou_hrss.kuaiban.selectors.cases import PublicProgress, public_progress_of
from zhonglou_hrss.kuaiban.services.person_input import MAX_DEMAND
from zhonglou_hrss.kuaiban.services.registration import register_case, validate_registration

SESSION_CASE = "kuaiban_public_case"
PHOTO_AGAIN = "提交未成功，照片需要重新选择"
HOTLINE = "12333"
WEUI_CSS = "vendor/weui/weui.min.css"


# --- limits (core.ratelimit; numbers overridable in settings) -------------------------
def report_ip_limit() -> RateLimit:
    return RateLimit("kb-report-ip", getattr(settings, "KUAIBAN_PUBLIC_REPORTS_PER_IP_HOUR", 10), 3600,
                     "您所在的网络在一小时内提交的登记过多，请稍后再试。"
                     f"如情况紧急，请拨打{HOTLINE}或到区人社局窗口登记。")


def report_id_limit() -> RateLimit:
    return RateLimit("kb-report-id", getattr(settings, "KUAIBAN_PUBLIC_REPORTS_PER_ID_DAY", 5), 86400,
                     "该身份证号今天已提交多次登记，请勿重复提交。"
                     f"如需补充情况，请拨打{HOTLINE}或到区人社局窗口。")


def progress_ip_limit() -> RateLimit:
    return RateLimit("kb-progress-ip", getattr(settings, "KUAIBAN_PROGRESS_FAILURES_PER_IP_HOUR", 10), 3600,
                     "查询失败次数过多，请一小时后再试。")


# --- registration (R-KB-01) ---------------------------------------------------------
def _street_grids():
    return Grid.objects.selectable().street_level()


def _reasons():
    return LookupEntry.objects.of(LookupKind.CASE_REASON).selectable()


def _new_captcha() -> dict:
    return captcha.new_challenge().as_dict()


def _companion_rows(posted, errors):
    """Rows to show again: what was typed, each with its own errors."""
    rows = []
    for i, c in enumerate(posted.companions):
        prefix = f"companions[{i}]."
        rows.append({"name": c.name, "id_number": c.id_number, "phone": c.phone,
                     "errors": {f: errors.get(prefix + f, []) for f in ("name", "id_number", "phone")}})
    return rows


PLACED = {*TEXT_FIELDS, "photo", "captcha", "companions"}


@lru_cache(maxsize=1)
def weui_css() -> str:
    """WeUI's stylesheet when the npm package is installed or collected (pages work without it)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        found = finders.find(WEUI_CSS) or staticfiles_storage.exists(WEUI_CSS)
    except Exception:  # a storage that cannot tell: do without
        found = False
    return WEUI_CSS if found else ""


def _page(request, template, context, status=200):
    return render(request, template, {"weui_css": weui_css(), **context}, status=status)


def _render_report(request, *, values=None, companions=None, errors=None, message="", status=200):
    grids = list(_street_grids())
    values = dict(values or {})
    if "grid" not in values:
        wanted = request.GET.get("grid", "")
        values["grid"] = wanted if any(g.code == wanted for g in grids) else ""
    errors = errors or {}
    context = {
        "values": values,
        "companions": companions or [],
        "errors": errors,
        # Errors with no place on the page (none expected) still get shown.
        "other_errors": [m for k, msgs in errors.items() if k not in PLACED and not k.startswith("companions[")
                         for m in msgs],
        "message": message,
        "grids": grids,
        "reasons": _reasons(),
        "captcha": _new_captcha(),
        "max_companions": MAX_COMPANIONS_ON_PAGE,
        "max_demand": MAX_DEMAND,
        "from_qr": bool(values.get("grid")) and values.get("grid") == request.GET.get("grid"),
    }
    return _page(request, "kuaiban/public/report.html", context, status=status)


def _is_xhr(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _refuse(request, posted, errors: dict, *, message: str = "", status: int = 200):
    """Show the form again (or answer the page's script) with every error."""
    if _is_xhr(request):
        # The page keeps its fields and the chosen photo; it places the errors.
        # (200: a refused form is an answer, not a failed request.)
        return JsonResponse({"ok": False, "message": message or "填写内容有误，请按提示修改",
                             "errors": posted.page_errors(errors), "captcha": _new_captcha()}, status=status)
    errors = {k: list(v) for k, v in errors.items()}
    if posted.photo is not None and "photo" not in errors:
        errors["photo"] = [PHOTO_AGAIN]
    return _render_report(request, values=posted.values, companions=_companion_rows(posted, errors), errors=errors,
                          message=message or "填写内容有误，请按提示修改", status=status)


def _edit_rows(request, posted):
    """Without JavaScript, "添加同行人员" / "删除" are submit buttons: redraw
    the form with the rows changed, validating nothing."""
    rows = _companion_rows(posted, {})
    remove = request.POST.get("_remove_companion")
    if remove is not None:
        try:
            del rows[int(remove)]
        except (ValueError, IndexError):
            pass
    if "_add_companion" in request.POST and len(rows) < MAX_COMPANIONS_ON_PAGE:
        rows.append({"name": "", "id_number": "", "phone": "", "errors": {}})
    errors = {"photo": [PHOTO_AGAIN]} if posted.photo is not None else {}
    return _render_report(request, values=posted.values, companions=rows, errors=errors)


@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        return _render_report(request)

    posted = read_report(request.POST, request.FILES)
    if "_add_companion" in request.POST or "_remove_companion" in request.POST:
        return _edit_rows(request, posted)

    ip = client_ip(request)
    ip_limit, id_limit = report_ip_limit(), report_id_limit()
    if ip_limit.exceeded(ip):
        return _refuse(request, posted, {}, message=ip_limit.message, status=429)
    id_key = pii.pii_hash(pii.ID_CARD, posted.values["reporter_id_number"])
    if id_limit.exceeded(id_key):
        return _refuse(request, posted, {"reporter_id_number": [id_limit.message]}, message=id_limit.message,
                       status=429)

    captcha_form = CaptchaForm(request.POST)
    if not captcha_form.is_valid():
        # Check the rest too (without the photo: that costs work and the
        # captcha is what keeps robots out), so every error shows at once.
        errors = {"captcha": list(captcha_form.errors["captcha"])}
        try:
            validate_registration(posted.registration_input(with_photo=False), source=CaseSource.PUBLIC)
        except InvalidInput as exc:
            errors.update({k: v for k, v in exc.errors.items() if k != "photo" or posted.photo is None})
        return _refuse(request, posted, errors)

    try:
        result = register_case(actor=None, data=posted.registration_input(), source=CaseSource.PUBLIC)
    except InvalidInput as exc:
        return _refuse(request, posted, exc.errors)

    if not result.duplicate:
        ip_limit.hit(ip)
        id_limit.hit(id_key)
    request.session[SESSION_CASE] = result.case.number
    done = reverse("kuaiban:report_done")
    if _is_xhr(request):
        return JsonResponse({"ok": True, "redirect": done})
    return redirect(done)


@never_cache
def report_done(request):
    number = request.session.get(SESSION_CASE)
    if not number:
        return redirect("kuaiban:report")
    return _page(request, "kuaiban/public/done.html", {"number": number})


# --- progress look-up -----------------------------------------------------------------
PUBLIC_STATUS = {
    CaseStatus.GRID_PENDING: "已登记，等待街道（镇）网格受理",
    CaseStatus.GRID_HANDLING: "街道（镇）网格正在调解处理",
    CaseStatus.GRID_RESOLVED: "已办结（网格调解成功）",
    CaseStatus.DISTRICT_TRIAGE: "区劳动保障监察平台正在审核",
    CaseStatus.AWAITING_ASSIGNMENT: "正在安排劳动保障监察员",
    CaseStatus.AWAITING_CLAIM: "正在安排劳动保障监察员",
    CaseStatus.INSPECTING: "劳动保障监察员正在处理",
    CaseStatus.CLOSED: "已办结",
    CaseStatus.ENDED_INVALID: "已结束",
}
DONE = {CaseStatus.GRID_RESOLVED, CaseStatus.CLOSED, CaseStatus.ENDED_INVALID}
NOT_FOUND = "没有找到对应的事件，请核对事件编号和登记时填写的手机号。"


def public_progress(found: PublicProgress) -> dict:
    """What the public page shows of a case: its status and dates, nothing else."""
    done = found.status in DONE
    steps = [
        {"label": "已登记", "at": found.registered_at, "done": True},
        {"label": "已受理", "at": found.accepted_at, "done": bool(found.accepted_at) or done},
        {"label": "处理中", "at": None, "done": done, "current": not done and bool(found.accepted_at)},
        {"label": "已办结" if found.status != CaseStatus.ENDED_INVALID else "已结束", "at": found.finished_at,
         "done": done},
    ]
    return {
        "number": found.number,
        "status_label": PUBLIC_STATUS.get(found.status, CaseStatus(found.status).label),
        "done": done,
        "registered_at": found.registered_at,
        "accepted_at": found.accepted_at,
        "finished_at": found.finished_at,
        "steps": steps,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request):
    form = ProgressForm(request.POST or None)
    context = {"form": form, "result": None, "message": ""}
    status = 200
    if request.method == "POST":
        ip = client_ip(request)
        limit = progress_ip_limit()
        if limit.exceeded(ip):
            context["message"], status = limit.message, 429
        elif form.is_valid():
            found = public_progress_of(form.cleaned_data["number"], form.cleaned_data["phone"])
            if found is None:
                limit.hit(ip)
                context["message"] = NOT_FOUND
            else:
                context["result"] = public_progress(found)
    elif "number" in request.GET:  # from the confirmation page: the number filled in
        form = ProgressForm(initial={"number": request.GET["number"][:20]})
        context["form"] = form
    return _page(request, "kuaiban/public/progress.html", context, status=status)
