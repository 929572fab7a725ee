"""The PC web portal for enterprises (``/portal/``): server-rendered pages
with a little htmx, responsive down to a phone (ui.md "PC portal").

- home (R-PT-01): the four services, the 5 latest pinned news
- news list with keyword search and paging (R-PT-02), an item, its attachments
- 急难愁盼 (R-PT-11): the form (captcha, limits, duplicates → the first
  number), its confirmation, the look-up by number + mobile
- enterprise accounts (R-PT-03): sign-in, registration, 我的账号 (status,
  reason, profile — editable but for the login account and the USCC), the
  password change, sign-out

Every rule lives in the services and selectors; these views read the form,
check the captcha and the limits, and show the answer.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhonglou_hrss.core import captcha, clock, pii
from zhonglou_hrss.core.audit import client_ip
from zhonglou_hrss.core.auth import address_limit, lockout_message, safe_next
from zhonglou_hrss.core.custom_field_forms import CustomFieldsForm
from zhonglou_hrss.core.errors import InvalidInput, NotVisible
from zhonglou_hrss.core.models import LookupEntry, LookupKind, Subsystem
from zhonglou_hrss.core.paging import IdsFirstPaginator
from zhonglou_hrss.core.private_files import serve_private
from zhonglou_hrss.core.selectors import access_of
from zhonglou_hrss.core.services.accounts import (
    PROFILE_FIELDS,
    ProfileInput,
    RegistrationInput,
    account_of,
    profile_input,
    register_account,
    update_profile,
    validate_registration,
)
from zhonglou_hrss.portal.models import ConcernStatus
from zhonglou_hrss.portal.rules import (
    NEWS_PAGE_SIZE,
    SERVICES,
    SUBSYSTEM,
    concern_ip_limit,
    concern_phone_limit,
    lookup_ip_limit,
    registration_ip_limit,
)
from zhonglou_hrss.portal.selectors.concerns import public_status_of
from zhonglou_hrss.portal.selectors.jobfairs import readable_attachment
from zhonglou_hrss.portal.selectors.news import pinned_for_home, public_news_list, readable_news
from zhonglou_hrss.portal.services.concerns import ConcernInput, submit_concern, validate_concern

SESSION_CONCERN = "portal_concern_number"
LOOKUP_NOT_FOUND = "没有找到对应的咨询，请核对编号和提交时填写的手机号。"
INVALID = "填写内容有误，请按提示修改"


def _page(request, template, context=None, status=200):
    access = access_of(request.user, SUBSYSTEM) if request.user.is_authenticated else None
    base = {"portal_access": access, "help_phone": settings.PORTAL_HELP_PHONE}
    return render(request, template, {**base, **(context or {})}, status=status)


def _captcha() -> dict:
    return captcha.new_challenge().as_dict()


# --- home and news (R-PT-01, 02) --------------------------------------------------------
@never_cache
def home(request):
    return _page(request, "portal/public/home.html", {"pinned": pinned_for_home(), "services": SERVICES})


def news_list(request):
    q = request.GET.get("q", "").strip()[:100]
    # The page's ids first (core.paging): a late page of 20,000 news is read from an index.
    paginator = IdsFirstPaginator(public_news_list(q), NEWS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"q": q, "page": page, "paginator": paginator}
    if request.htmx and request.htmx.target == "news-results":
        return _page(request, "portal/public/_news_results.html", context)
    return _page(request, "portal/public/news_list.html", context)


def news_detail(request, news_id):
    try:
        item = readable_news(request.user, news_id)
    except NotVisible:
        raise Http404 from None
    return _page(request, "portal/public/news_detail.html", {"item": item})


def news_attachment(request, news_id, attachment_id):
    try:
        item = readable_news(request.user, news_id)
    except NotVisible:
        raise Http404 from None
    attachment = item.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = serve_private(attachment.path, filename=attachment.name, content_type=attachment.content_type)
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment")
    return response


def jobfair_attachment(request, fair_id, attachment_id):
    """A job fair's document (R-PT-08, 17): anyone for a fair open for registration,
    staff for any fair, an enterprise for a fair it registered for."""
    try:
        attachment = readable_attachment(request.user, fair_id, attachment_id, timezone.localdate(clock.now()))
    except NotVisible:
        raise Http404 from None
    response = serve_private(attachment.path, filename=attachment.name, content_type=attachment.content_type)
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment")
    return response


# --- 急难愁盼 (R-PT-11) ------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def concern_new(request):
    # The bureau's own fields shown on the public form (core.custom_fields).
    custom_form = CustomFieldsForm("concern", request.POST if request.method == "POST" else None, public=True)
    if request.method == "GET":
        return _page(request, "portal/public/concern_form.html", {"values": {}, "errors": {}, "captcha": _captcha(),
                                                                 "custom_form": custom_form})
    values = {k: request.POST.get(k, "") for k in ("name", "phone", "details")}
    data = ConcernInput(**values, custom=custom_form.raw_values())

    def refuse(errors, message=INVALID, status=200):
        custom_form.put_errors(errors)
        return _page(request, "portal/public/concern_form.html",
                     {"values": values, "errors": errors, "message": message, "captcha": _captcha(),
                      "custom_form": custom_form}, status=status)

    ip = client_ip(request)
    ip_limit, phone_limit = concern_ip_limit(), concern_phone_limit()
    if ip_limit.exceeded(ip):
        return refuse({}, ip_limit.message, status=429)
    phone_key = pii.pii_hash(pii.MOBILE, values["phone"])
    if phone_limit.exceeded(phone_key):
        return refuse({"phone": [phone_limit.message]}, phone_limit.message, status=429)
    try:
        captcha.check(request.POST.get("captcha_0", ""), request.POST.get("captcha_1", ""))
    except captcha.CaptchaError as exc:
        errors = {}
        try:
            validate_concern(data)
        except InvalidInput as invalid:
            errors = invalid.errors
        return refuse({**errors, "captcha": [str(exc)]})
    try:
        result = submit_concern(data=data)
    except InvalidInput as exc:
        return refuse(exc.errors)
    if not result.duplicate:
        ip_limit.hit(ip)
        phone_limit.hit(phone_key)
    request.session[SESSION_CONCERN] = result.concern.number
    return redirect("portal:concern_done")


@never_cache
def concern_done(request):
    number = request.session.get(SESSION_CONCERN)
    if not number:
        return redirect("portal:concern_new")
    return _page(request, "portal/public/concern_done.html", {"number": number})


@never_cache
@require_http_methods(["GET", "POST"])
def concern_lookup(request):
    values = {"number": request.GET.get("number", "")[:20], "phone": ""}
    context = {"result": None, "message": "", "steps": []}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip()[:30] for k in ("number", "phone")}
        ip, limit = client_ip(request), lookup_ip_limit()
        if limit.exceeded(ip):
            context["message"], status = limit.message, 429
        elif not values["number"] or not values["phone"]:
            context["message"] = "请填写咨询编号和手机号"
        else:
            found = public_status_of(values["number"], values["phone"])
            if found is None:
                limit.hit(ip)
                context["message"] = LOOKUP_NOT_FOUND
            else:
                context["result"] = found
                order = [s.value for s in ConcernStatus]
                reached = order.index(found.status)
                context["steps"] = [{"label": s.label, "done": i <= reached} for i, s in enumerate(ConcernStatus)]
    return _page(request, "portal/public/concern_lookup.html", {**context, "values": values}, status=status)


# --- accounts (R-PT-03) ------------------------------------------------------------------
def _choices():
    return {
        "industries": LookupEntry.objects.of(LookupKind.INDUSTRY).selectable().order_by("order", "code"),
        "chains": LookupEntry.objects.of(LookupKind.INDUSTRIAL_CHAIN).selectable().order_by("order", "code"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    context = {"username": "", "error": "", "next": request.GET.get("next", "")}
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        context.update(username=username, next=request.POST.get("next", ""))
        limit = address_limit()
        if limit.exceeded(client_ip(request)):
            context["error"], status = limit.message, 429
        else:
            user = authenticate(request, username=username, password=request.POST.get("password", ""))
            if getattr(request, "axes_locked_out", False):
                context["error"], status = lockout_message(), 429
            elif user is None:
                context["error"] = "账号或密码不正确。注意：连续输错5次账号将被锁定30分钟。"
            elif access_of(user, SUBSYSTEM) is None and access_of(user, Subsystem.CREDIT) is not None:
                # An HR company registered for credit only: its pages are 信用评价's.
                login(request, user)
                return redirect("credit_portal:index")
            elif access_of(user, SUBSYSTEM) is None:
                context["error"] = "该账号不是企业账号。工作人员请从工作台登录。"
            else:
                login(request, user)
                return redirect(safe_next(request, reverse("portal:account")))
    return _page(request, "portal/public/login.html", context, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated and access_of(request.user, SUBSYSTEM) is not None:
        return redirect("portal:account")
    fields = ("username", "uscc", *PROFILE_FIELDS)
    values = {k: request.POST.get(k, "") for k in fields} if request.method == "POST" else {}
    context = {"values": values, "errors": {}, "confirm_uscc": request.POST.get("confirm_uscc") == "1", **_choices()}
    if request.method == "GET":
        return _page(request, "portal/public/register.html", {**context, "captcha": _captcha()})

    def refuse(errors, message=INVALID, status=200):
        context.update(errors=errors, message=message, captcha=_captcha(),
                       uscc_checksum="uscc" in errors and any("校验位" in m for m in errors["uscc"]))
        return _page(request, "portal/public/register.html", context, status=status)

    ip, limit = client_ip(request), registration_ip_limit()
    if limit.exceeded(ip):
        return refuse({}, limit.message, status=429)
    limit.hit(ip)
    password, again = request.POST.get("password", ""), request.POST.get("password2", "")
    data = RegistrationInput(**values, password=password, confirm_uscc=context["confirm_uscc"])
    errors = {}
    if password and password != again:
        errors["password2"] = ["两次输入的密码不一致"]
    try:
        captcha.check(request.POST.get("captcha_0", ""), request.POST.get("captcha_1", ""))
    except captcha.CaptchaError as exc:
        errors["captcha"] = [str(exc)]
    if errors:
        try:
            validate_registration(data)
        except InvalidInput as invalid:
            errors = {**invalid.errors, **errors}
        return refuse(errors)
    try:
        account = register_account(data=data, subsystem=SUBSYSTEM, request=request)
    except InvalidInput as exc:
        return refuse(exc.errors)
    user = authenticate(request, username=account.user.username, password=password)
    if user is not None:
        login(request, user)
    return redirect(reverse("portal:account") + "?registered=1")


def _enterprise_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(reverse("portal:login") + "?next=" + request.path)
        if access_of(request.user, SUBSYSTEM) is None:
            return _page(request, "portal/public/not_enterprise.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@require_http_methods(["GET", "POST"])
@_enterprise_required
def account(request):
    """我的账号: the status (待审核 / 已通过 / 未通过 with the reason) and the
    profile; every field editable but the login account and the USCC."""
    own = account_of(request.user)
    values = asdict(profile_input(own))
    errors, message, saved = {}, "", False
    editing = request.GET.get("edit") == "1"
    if request.method == "POST":
        editing = True
        values = {k: request.POST.get(k, "") for k in PROFILE_FIELDS}
        try:
            update_profile(actor=request.user, data=replace(ProfileInput(), **values),
                           username=request.POST.get("username"), uscc=request.POST.get("uscc"), request=request)
        except InvalidInput as exc:
            errors = exc.errors
            # The login account and the USCC have no input here: their refusals go in the message.
            fixed = [m for key in ("username", "uscc") for m in errors.get(key, [])]
            message = "；".join(fixed) if fixed else INVALID
        else:
            request.user.__dict__.pop("_subsystem_access", None)
            return redirect(reverse("portal:account") + "?saved=1")
    return _page(request, "portal/public/account.html", {
        "account": own, "access": access_of(request.user, SUBSYSTEM), "values": values, "errors": errors,
        "message": message, "editing": editing, "saved": saved or request.GET.get("saved") == "1",
        "registered": request.GET.get("registered") == "1", **_choices()})


@never_cache
@require_http_methods(["GET", "POST"])
@_enterprise_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        return redirect(reverse("portal:account") + "?password=1")
    return _page(request, "portal/public/password.html", {"form": form})
