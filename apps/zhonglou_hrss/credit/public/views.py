"""The HR company's credit pages on the PC portal (``/portal/credit/``,
namespace ``credit_portal``; issue 15, R-CR-01, R-CR-02).

- 信用评价 home: for the public, what it is and where to register or sign
  in; for a portal enterprise without credit access, the application with
  its licence; for an HR company, its status (待审核 / 已通过 / 未通过 with
  the reason), its licence and whether it is rated this year (rules.NOT_RATED),
  the year's declaration and the earlier ones.
- registration (the portal's fields plus the licence) and sign-in (any
  enterprise account: an HR company registered here has no portal access).
- 企业资料: the profile, for accounts without the portal's 我的账号 (a
  rejected company corrects it and is reviewed again).
- 年度申报: the year's form (items by category, the rule in Chinese, self
  points, note, evidence per item), save, submit with a pledge; returned
  items highlighted with the staff's reason; read-only with the timeline
  after submission; the published result (only the company's own).

The rules live in the services and selectors; these views read the form
and show the answer. One multipart form works without JavaScript;
``credit_portal_declaration.js`` uploads a chosen file at once with its progress.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhonglou_hrss.core import captcha, clock, custom_fields
from zhonglou_hrss.core.custom_field_forms import CustomFieldsForm
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.auth import address_limit, lockout_message, safe_next
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.models import LookupEntry, LookupKind, Subsystem
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.core.ratelimit import RateLimit
from zhonglou_hrss.core.selectors import access_of, access_refusal
from zhonglou_hrss.core.services.accounts import (
    PROFILE_FIELDS,
    ProfileInput,
    RegistrationInput,
    account_of,
    profile_input,
    update_profile,
)
from zhonglou_hrss.credit.models import DeclarationStatus
from zhonglou_hrss.credit.rules import NOT_RATED, SUBSYSTEM, licensed_long_enough, window_message
from zhonglou_hrss.credit.selectors.criteria import declaring_scheme
from zhonglou_hrss.credit.selectors.declarations import (
    company_form,
    company_timeline,
    declaration_for,
    declaration_list_for,
    evidence_of,
)
from zhonglou_hrss.credit.selectors.results import own_published_result
from zhonglou_hrss.credit.services import accounts as credit_accounts
from zhonglou_hrss.credit.services import declarations as declaration_services

INVALID = "填写内容有误，请按提示修改"
EDITABLE = (DeclarationStatus.DRAFT, DeclarationStatus.RETURNED)
PLEDGE = "提交前请勾选承诺：申报内容和证明材料真实、有效"


def _page(request, template, context=None, status=200):
    base = {"portal_access": access_of(request.user, Subsystem.PORTAL), "help_phone": settings.PORTAL_HELP_PHONE}
    return render(request, template, {**base, **(context or {})}, status=status)


def _registration_limit() -> RateLimit:
    # The portal's registration allowance per address, counted apart (a credit registration is another door).
    return RateLimit("cr-register-ip", settings.PORTAL_REGISTRATIONS_PER_IP_HOUR, 3600,
                     "您所在的网络在一小时内注册尝试过多，请稍后再试。")


def _choices():
    return {
        "industries": LookupEntry.objects.of(LookupKind.INDUSTRY).selectable().order_by("order", "code"),
        "chains": LookupEntry.objects.of(LookupKind.INDUSTRIAL_CHAIN).selectable().order_by("order", "code"),
    }


def _is_enterprise(user) -> bool:
    try:
        account_of(user)
    except NotVisible:
        return False
    return True


def _min_years(scheme) -> int:
    return int((scheme.eligibility or {}).get("min_licence_years", 1)) if scheme else 1


def _not_rated(account, scheme) -> str:
    """rules.NOT_RATED, when the company's licence is too young for the year."""
    licence = getattr(account, "credit_licence", None)
    if scheme is None or licence is None:
        return ""
    years = _min_years(scheme)
    return "" if licensed_long_enough(licence.licence_date, scheme.year, years) else NOT_RATED.format(years=years)


def _credit_company(view):
    """Signed in, an enterprise account, its credit access approved; else the
    sign-in page, or a refusal saying why (待审核 / 未通过：原因 / 未申请)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(reverse("credit_portal:login") + "?next=" + request.path)
        refusal = access_refusal(request.user, SUBSYSTEM)
        if refusal:
            return _page(request, "credit/public/refused.html",
                         {"refusal": refusal, "enterprise": _is_enterprise(request.user)}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


# --- home, application (R-CR-01) ------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def home(request):
    if not request.user.is_authenticated:
        return _page(request, "credit/public/intro.html")
    if not _is_enterprise(request.user):
        return _page(request, "portal/public/not_enterprise.html", status=403)
    access = access_of(request.user, SUBSYSTEM)
    account = account_of(request.user)
    scheme = declaring_scheme(clock.now().date())
    if access is None:
        return _apply(request, account, scheme)
    if request.method == "POST":
        return redirect("credit_portal:index")
    declarations = list(declaration_list_for(request.user).order_by("-scheme__year"))
    current = next((d for d in declarations if scheme and d.scheme_id == scheme.pk), None)
    today = clock.now().date()
    return _page(request, "credit/public/home.html", {
        "account": account, "access": access, "licence": getattr(account, "credit_licence", None),
        "scheme": scheme, "current": current, "declarations": declarations,
        "window_message": window_message(scheme.window_start, scheme.window_end, today) if scheme else "",
        "not_rated": _not_rated(account, scheme),
        "applied": request.GET.get("applied") == "1", "registered": request.GET.get("registered") == "1",
        "saved": request.GET.get("saved") == "1"})


def _apply(request, account, scheme):
    """A portal enterprise applies for credit with its licence."""
    values, errors, message = {"licence_no": "", "licence_date": ""}, {}, ""
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            credit_accounts.apply_for_credit(actor=request.user, request=request, **values)
        except InvalidInput as exc:
            errors, message = exc.errors, INVALID
        except StateConflict as exc:
            message = str(exc)
        else:
            return redirect(reverse("credit_portal:index") + "?applied=1")
    return _page(request, "credit/public/apply.html", {
        "account": account, "values": values, "errors": errors, "message": message, "scheme": scheme,
        "min_years": _min_years(scheme)})


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    """A new HR company: the portal's registration fields plus the licence."""
    if request.user.is_authenticated and _is_enterprise(request.user):
        return redirect("credit_portal:index")
    fields = ("username", "uscc", "licence_no", "licence_date", *PROFILE_FIELDS)
    values = {k: request.POST.get(k, "") for k in fields} if request.method == "POST" else {}
    context = {"values": values, "errors": {}, "confirm_uscc": request.POST.get("confirm_uscc") == "1",
               **_choices()}
    if request.method == "GET":
        return _page(request, "credit/public/register.html", {**context, "captcha": captcha.new_challenge().as_dict()})

    def refuse(errors, message=INVALID, status=200):
        context.update(errors=errors, message=message, captcha=captcha.new_challenge().as_dict(),
                       uscc_checksum="uscc" in errors and any("校验位" in m for m in errors["uscc"]))
        return _page(request, "credit/public/register.html", context, status=status)

    ip, limit = client_ip(request), _registration_limit()
    if limit.exceeded(ip):
        return refuse({}, limit.message, status=429)
    limit.hit(ip)
    password, again = request.POST.get("password", ""), request.POST.get("password2", "")
    licence = {"licence_no": values.pop("licence_no"), "licence_date": values.pop("licence_date").strip()}
    data = RegistrationInput(**values, password=password, confirm_uscc=context["confirm_uscc"])
    values.update(licence)
    found = ErrorCollector()
    if password and password != again:
        found.add("password2", "两次输入的密码不一致")
    try:
        captcha.check(request.POST.get("captcha_0", ""), request.POST.get("captcha_1", ""))
    except captcha.CaptchaError as exc:
        found.add("captcha", str(exc))
    if found:
        # Every other field's problems too, so one round trip shows them all (nothing is saved).
        try:
            credit_accounts.validate_hr_registration(data=data, errors=found, **licence)
        except InvalidInput as invalid:
            return refuse(invalid.errors)
        return refuse(found.errors)
    try:
        account = credit_accounts.register_hr_company(data=data, request=request, **licence)
    except InvalidInput as exc:
        return refuse(exc.errors)
    user = authenticate(request, username=account.user.username, password=password)
    if user is not None:
        login(request, user)
    return redirect(reverse("credit_portal:index") + "?registered=1")


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    """Any enterprise account signs in here (an HR company registered for
    credit only has no portal access, so the portal's sign-in would refuse it)."""
    context = {"username": "", "error": "", "next": request.GET.get("next", "")[:300]}
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        context.update(username=username, next=request.POST.get("next", "")[:300])
        limit = address_limit()
        if limit.exceeded(client_ip(request)):
            context["error"], status = limit.message, 429
        else:
            user = authenticate(request, username=username, password=request.POST.get("password", ""))
            if getattr(request, "axes_locked_out", False):
                context["error"], status = lockout_message(), 429
            elif user is None:
                context["error"] = "账号或密码不正确。注意：连续输错5次账号将被锁定30分钟。"
            elif not _is_enterprise(user):
                context["error"] = "该账号不是企业账号。工作人员请从工作台登录。"
            else:
                login(request, user)
                return redirect(safe_next(request, reverse("credit_portal:index")))
    return _page(request, "credit/public/login.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    """企业资料 for an HR company (all but the login account, the USCC and the
    licence); a rejected company's corrected profile goes back to review."""
    if not request.user.is_authenticated:
        return redirect(reverse("credit_portal:login") + "?next=" + request.path)
    access = access_of(request.user, SUBSYSTEM)
    if access is None:
        return redirect("credit_portal:index")
    account = account_of(request.user)
    values, errors, message = asdict(profile_input(account)), {}, ""
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in PROFILE_FIELDS}
        try:
            update_profile(actor=request.user, data=replace(ProfileInput(), **values), request=request)
        except InvalidInput as exc:
            errors, message = exc.errors, INVALID
        else:
            request.user.__dict__.pop("_subsystem_access", None)
            return redirect(reverse("credit_portal:index") + "?saved=1")
    return _page(request, "credit/public/profile.html", {
        "account": account, "access": access, "licence": getattr(account, "credit_licence", None),
        "values": values, "errors": errors, "message": message, **_choices()})


# --- 年度申报 (R-CR-02) ------------------------------------------------------------------------
@require_POST
@_credit_company
def declaration_start(request, year):
    try:
        declaration = declaration_services.create_declaration(actor=request.user, year=year)
    except (StateConflict, NotVisible, ActionForbidden) as exc:
        messages.error(request, str(exc))
        return redirect("credit_portal:index")
    return redirect("credit_portal:declaration", pk=declaration.pk)


def _editable_codes(declaration, groups) -> set[str]:
    """Which lines the company may change now: all of a draft; of a returned
    declaration, the returned items (all, when it was returned as a whole)."""
    if declaration.status not in EDITABLE or declaration.scheme.frozen:
        return set()
    lines = [entry["line"] for group in groups for entry in group["lines"]]
    returned = {line.item.code for line in lines if line.returned}
    if declaration.status == DeclarationStatus.RETURNED and returned:
        return returned
    return {line.item.code for line in lines}


def _form_input(request, codes: list[str]) -> tuple[declaration_services.DeclarationInput, dict, list[str]]:
    items, uploads = [], {}
    for code in codes:
        items.append(declaration_services.LineInput(item=code, self_points=request.POST.get(f"points-{code}", ""),
                                                    note=request.POST.get(f"note-{code}", "")))
        files = [f for f in request.FILES.getlist(f"evidence-{code}") if f.name]
        if files:
            uploads[code] = files
    return declaration_services.DeclarationInput(items), uploads, codes


def _errors_by_item(errors: dict, codes: list[str]) -> tuple[dict[str, dict], list[str]]:
    """The service's keys (``items[n].self_points``, ``evidence.<code>``) as
    messages per item and field, so each shows by its field; the rest for the top."""
    by_item: dict[str, dict] = {}
    general = []
    for key, found in errors.items():
        code, field = None, "line"
        if key.startswith("items[") and "]" in key:
            index = key[6:key.index("]")]
            if index.isdigit() and int(index) < len(codes):
                code = codes[int(index)]
                field = key.split(".", 1)[1] if "." in key else "line"
        elif key.startswith("evidence."):
            code, field = key.split(".", 1)[1], "evidence"
        if code is None:
            general.extend(found)
        else:
            by_item.setdefault(code, {}).setdefault(field, []).extend(found)
    return by_item, general


@never_cache
@require_http_methods(["GET", "POST"])
@_credit_company
def declaration(request, pk):
    try:
        declaration = declaration_for(request.user, pk)
    except NotVisible:
        raise Http404 from None
    groups = company_form(declaration)
    editable = _editable_codes(declaration, groups)
    refusal = ""
    if editable and declaration.status == DeclarationStatus.DRAFT:
        scheme = declaration.scheme
        refusal = window_message(scheme.window_start, scheme.window_end, clock.now().date()) or ""
        if refusal:
            editable = set()
    posted, item_errors, general, message = {}, {}, [], ""
    # The bureau's own fields on the company's form (core.custom_fields): editable with the whole form
    # (not while only returned items may change); the company's values in full.
    custom_editable = bool(editable) and editable == {e["item"].code for g in groups for e in g["lines"]}
    custom_form = CustomFieldsForm("declaration", request.POST if request.method == "POST" else None, public=True,
                                   current=declaration.custom, full=True)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        codes = [entry["item"].code for group in groups for entry in group["lines"]
                 if entry["item"].code in editable]
        data, uploads, codes = _form_input(request, codes)
        if custom_editable:
            data.custom = custom_form.raw_values()
        posted = {line.item: line for line in data.items}
        if action == "submit" and request.POST.get("pledge") != "1":
            message = PLEDGE
        else:
            try:
                declaration_services.save_from_form(actor=request.user, declaration_id=declaration.pk, data=data,
                                                    uploads=uploads, then_submit=action == "submit")
            except InvalidInput as exc:
                custom_form.put_errors(exc.errors)
                item_errors, general = _errors_by_item(
                    {k: v for k, v in exc.errors.items() if not k.startswith("custom.")}, codes)
                custom_failed = any(k.startswith("custom.") for k in exc.errors)
                message = INVALID if item_errors or custom_failed else "；".join(general)
                general = [] if not (item_errors or custom_failed) else general
            except (StateConflict, ActionForbidden) as exc:
                message = str(exc)
            else:
                done = "submitted" if action == "submit" else "saved"
                return redirect(reverse("credit_portal:declaration", args=[declaration.pk]) + f"?{done}=1")
        if uploads and message:
            general.append("所选的证明材料没有保存，请改正后重新选择文件。")
    for group in groups:
        for entry in group["lines"]:
            code = entry["item"].code
            entry["editable"] = code in editable
            entry["errors"] = item_errors.get(code, {})
            sent = posted.get(code)
            entry["points"] = sent.self_points if sent else entry["line"].self_points
            entry["note"] = sent.note if sent else entry["line"].note
    result = own_published_result(declaration.account, declaration.scheme.year) if declaration.scheme.frozen else None
    return _page(request, "credit/public/declaration.html", {
        "declaration": declaration, "scheme": declaration.scheme, "groups": groups, "editable": bool(editable),
        "returned_items": declaration.status == DeclarationStatus.RETURNED and len(editable) < sum(
            len(g["lines"]) for g in groups),
        "window_refusal": refusal, "timeline": company_timeline(declaration, request.user), "result": result,
        "message": message, "general": general, "pledged": request.POST.get("pledge") == "1",
        "pledge_error": message == PLEDGE,
        "not_rated": _not_rated(declaration.account, declaration.scheme),
        "saved": request.GET.get("saved") == "1", "submitted": request.GET.get("submitted") == "1",
        "custom_form": custom_form if custom_editable else None,
        "custom_shown": custom_fields.display_rows(
            "declaration", declaration.custom, custom_fields.visible("declaration", None, public=True), full=True)})


@require_POST
@_credit_company
def evidence_upload(request, pk):
    """One file for one item (the page's script sends it with its progress;
    without the script the form's file fields go with 保存)."""
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    try:
        declaration = declaration_for(request.user, pk)
    except NotVisible:
        raise Http404 from None
    item = request.POST.get("item", "")[:20]
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput({f"evidence.{item}": ["请选择要上传的文件"]})
        declaration_services.save_from_form(actor=request.user, declaration_id=declaration.pk,
                                            data=declaration_services.DeclarationInput([]), uploads={item: [upload]})
    except InvalidInput as exc:
        problems = [m for ms in exc.errors.values() for m in ms]
        if wants_json:
            return JsonResponse({"error": "；".join(problems)}, status=400)
        messages.error(request, "；".join(problems))
        return redirect("credit_portal:declaration", pk=pk)
    except (StateConflict, ActionForbidden) as exc:
        if wants_json:
            return JsonResponse({"error": str(exc)}, status=409)
        messages.error(request, str(exc))
        return redirect("credit_portal:declaration", pk=pk)
    evidence = [e for group in company_form(declaration) for entry in group["lines"]
                if entry["item"].code == item for e in entry["evidence"]][-1]
    if wants_json:
        return JsonResponse({"id": evidence.pk, "name": evidence.name, "size": evidence.size,
                             "url": reverse("credit_portal:evidence", args=[pk, evidence.pk])}, status=201)
    messages.success(request, f"已上传证明材料：{evidence.name}")
    return redirect("credit_portal:declaration", pk=pk)


@never_cache
@_credit_company
def evidence_file(request, pk, evidence_id):
    try:
        evidence = evidence_of(declaration_for(request.user, pk), evidence_id)
    except NotVisible:
        raise Http404 from None
    return serve_private(evidence.path, filename=evidence.name, content_type=evidence.content_type)
