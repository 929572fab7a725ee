"""External accounts (enterprises, HR companies), written — the one door
(R-PT-03 for the portal, R-CR-01 later for credit).

- ``register_account``: a company registers itself: a ``core.User`` with the
  ``enterprise_user`` role (never the desk), its ``EnterpriseAccount`` linked
  to the registry entry of its USCC (``core.services.enterprises``), and a
  pending request for the subsystem it registered from. One account per USCC
  is the database's rule: of two registrations racing for one code, one wins
  and the other gets a 400 on ``uscc``, with nothing of it saved.
- ``decide_access``: the subsystem's staff approve, or reject with a reason.
- ``update_profile``: the company edits what it registered — never the login
  account or the USCC (a changed value is refused on its field). A rejected
  request goes back to review with the corrected profile (``resubmit``).

Every write is one transaction with its audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhonglou_hrss.core import audit, clock
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import (
    AccessStatus,
    AuditLog,
    EnterpriseAccount,
    LookupEntry,
    LookupKind,
    Subsystem,
    SubsystemAccess,
    User,
)
from zhonglou_hrss.core.services.enterprises import clean_uscc, ensure_enterprise
from zhonglou_hrss.core.validators import clean_name, clean_text, validate_mobile

ENTERPRISE_ROLE = "enterprise_user"
# The role an account gets for each subsystem it registers for or applies to (fixtures/base/roles.toml).
SUBSYSTEM_ROLES = {Subsystem.PORTAL: ENTERPRISE_ROLE, Subsystem.CREDIT: "hr_company_user"}
# Who decides each subsystem's access.
DECIDE_PERMISSIONS = {Subsystem.PORTAL: "core.approve_portal_access", Subsystem.CREDIT: "core.approve_credit_access"}
USCC_TAKEN = "该统一社会信用代码已注册过账号：一个企业只能注册一个账号。如忘记密码，请联系区人社局重置。"
USERNAME_TAKEN = "该登录账号已被使用，请换一个"
USERNAME_FIXED = "登录账号注册后不能修改"
USCC_FIXED = "统一社会信用代码注册后不能修改；如确有错误，请联系区人社局"
MAX_PROFILE = 2000
MAX_REASON = 500
_usernames = UnicodeUsernameValidator()


@dataclass
class ProfileInput:
    """What a company may change after registering (all of it, as typed)."""

    name: str = ""
    industry: str = ""  # lookup code (INDUSTRY)
    address: str = ""
    industrial_chain: str = ""  # lookup code (INDUSTRIAL_CHAIN)
    profile: str = ""
    contact_name: str = ""
    contact_phone: str = ""


PROFILE_FIELDS = tuple(f.name for f in fields(ProfileInput))


@dataclass
class RegistrationInput(ProfileInput):
    username: str = ""
    password: str = ""
    uscc: str = ""
    confirm_uscc: bool = False  # the company confirms a code whose check digit does not match


@dataclass
class _Profile:
    company_name: str
    industry: LookupEntry | None
    address: str
    industrial_chain: LookupEntry | None
    profile: str
    contact_name: str
    contact_phone: str


def _text(errors: ErrorCollector, name: str, value, label: str, max_length: int, *, required: bool = True,
          kind: str = "line") -> str:
    """Typed text by the site's rule (core.validators): ``name`` NFKC and one line, ``line`` one
    line, ``long`` with line breaks; control and invisible characters refused, naming the field."""
    try:
        if kind == "name":
            value = clean_name(value, label=label)
        else:
            value = clean_text(value, label=label, multiline=kind == "long")
    except ValidationError as exc:
        errors.add(name, exc.messages[0])
        return ""
    if not value and required:
        errors.add(name, f"请填写{label}")
    elif len(value) > max_length:
        errors.add(name, f"{label}不能超过{max_length}个字")
    return value


def _lookup(errors: ErrorCollector, name: str, code, kind: str, label: str) -> LookupEntry | None:
    code = (code or "").strip()
    entry = LookupEntry.objects.of(kind).selectable().filter(code=code).first() if code else None
    if entry is None:
        errors.add(name, f"请选择{label}" if not code else f"{label}不存在或已停用")
    return entry


def _clean_profile(errors: ErrorCollector, data: ProfileInput) -> _Profile:
    name = _text(errors, "name", data.name, "企业名称", 200, kind="name")
    industry = _lookup(errors, "industry", data.industry, LookupKind.INDUSTRY, "所属行业")
    address = _text(errors, "address", data.address, "单位地址", 300)
    chain = _lookup(errors, "industrial_chain", data.industrial_chain, LookupKind.INDUSTRIAL_CHAIN,
                    "所属产业链（十大产业链之一或“其他”）")
    profile = _text(errors, "profile", data.profile, "公司简介", MAX_PROFILE, required=False, kind="long")
    contact_name = _text(errors, "contact_name", data.contact_name, "联系人姓名", 50, kind="name")
    phone = (data.contact_phone or "").strip()
    if not phone:
        errors.add("contact_phone", "请填写联系人手机号")
    else:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors.add("contact_phone", exc.messages[0])
    return _Profile(name, industry, address, chain, profile, contact_name, phone)


@dataclass
class _Registration:
    username: str
    password: str
    uscc: str
    checksum_ok: bool
    profile: _Profile


def validate_registration(data: RegistrationInput, *, errors: ErrorCollector | None = None,
                          uscc_taken: str = USCC_TAKEN) -> _Registration:
    """Check every field at once; raise InvalidInput naming each bad one (with
    any the caller already gathered in ``errors``); ``uscc_taken``: what a
    company whose USCC already has an account is told."""
    errors = errors if errors is not None else ErrorCollector()
    username = (data.username or "").strip()
    if not username:
        errors.add("username", "请填写登录账号")
    elif not 4 <= len(username) <= 30:
        errors.add("username", "登录账号应为4至30个字符")
    else:
        try:
            _usernames(username)
        except ValidationError:
            errors.add("username", "登录账号只能包含字母、数字和 @ . + - _")
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors.add("username", USERNAME_TAKEN)
    password = data.password or ""
    if not password:
        errors.add("password", "请填写密码")
    else:
        try:
            password_validation.validate_password(password, user=User(username=username, name=data.name or ""))
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("password", message)
    uscc, checksum_ok = "", True
    if not (data.uscc or "").strip():
        errors.add("uscc", "请填写统一社会信用代码")
    else:
        try:
            uscc, checksum_ok = clean_uscc(data.uscc, confirmed=bool(data.confirm_uscc))
        except ValidationError as exc:
            errors.add("uscc", exc.messages[0])
        else:
            if EnterpriseAccount.objects.filter(enterprise__uscc=uscc).exists():
                errors.add("uscc", uscc_taken)
    profile = _clean_profile(errors, data)
    errors.raise_if_any()
    return _Registration(username, password, uscc, checksum_ok, profile)


def register_account(*, data: RegistrationInput, subsystem: str = Subsystem.PORTAL, actor=None,
                     request=None, errors: ErrorCollector | None = None,
                     uscc_taken: str = USCC_TAKEN) -> EnterpriseAccount:
    """A company registers (``actor`` None: nobody is signed in yet). The
    account can sign in at once and sees its status; it uses ``subsystem``
    once that subsystem's staff approve. It holds that subsystem's role
    (``SUBSYSTEM_ROLES``). A caller registering more than core knows (credit's
    licence) passes the errors it found in ``errors`` and saves its part in
    the same transaction around this call."""
    if subsystem not in Subsystem.values:
        raise InvalidInput({"subsystem": ["子系统不存在"]})
    clean = validate_registration(data, errors=errors, uscc_taken=uscc_taken)
    p = clean.profile
    now = clock.now()
    with transaction.atomic():
        enterprise = ensure_enterprise(uscc=clean.uscc, name=p.company_name)
        user = User(username=clean.username, name=p.company_name[:50], mobile=p.contact_phone)
        user.set_password(clean.password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise InvalidInput({"username": [USERNAME_TAKEN]}) from None
        user.groups.set([role_group(SUBSYSTEM_ROLES[subsystem])])
        try:
            with transaction.atomic():  # the unique constraint on enterprise: one account per USCC
                account = EnterpriseAccount.objects.create(
                    user=user, enterprise=enterprise, company_name=p.company_name,
                    uscc_checksum_confirmed=not clean.checksum_ok, industry=p.industry,
                    industrial_chain=p.industrial_chain, address=p.address, profile=p.profile,
                    contact_name=p.contact_name, contact_phone=p.contact_phone)
        except IntegrityError:
            raise InvalidInput({"uscc": [uscc_taken]}) from None
        SubsystemAccess.objects.create(account=account, subsystem=subsystem, requested_at=now)
        audit.record(AuditLog.Action.ACCOUNT_REGISTER, actor=actor or user, target=account, request=request,
                     detail={"uscc": clean.uscc, "subsystem": subsystem,
                             **({"uscc_checksum_confirmed": True} if not clean.checksum_ok else {})})
    return account


def decide_access(*, actor, account_id: int, subsystem: str, approve: bool, reason: str = "",
                  request=None) -> SubsystemAccess:
    """Approve a pending request, or reject it with a reason. A request
    already decided (by someone else a moment ago) is a 409."""
    permission = DECIDE_PERMISSIONS.get(subsystem)
    if permission is None or actor is None or not actor.has_perm(permission):
        raise ActionForbidden("您没有审核该类企业账号的权限")
    reason = (reason or "").strip()
    if not approve:
        if not reason:
            raise InvalidInput({"reason": ["请填写未通过的原因"]})
        if len(reason) > MAX_REASON:
            raise InvalidInput({"reason": [f"原因不能超过{MAX_REASON}个字"]})
    with transaction.atomic():
        access = (SubsystemAccess.objects.select_for_update().select_related("account__enterprise")
                  .filter(account_id=account_id, subsystem=subsystem).first())
        if access is None:
            raise NotVisible("企业账号不存在，或未申请使用该子系统")
        if access.status != AccessStatus.PENDING:
            raise StateConflict(f"该账号已审核（{access.get_status_display()}），请刷新后查看")
        access.status = AccessStatus.APPROVED if approve else AccessStatus.REJECTED
        access.reason = "" if approve else reason
        access.decided_by = actor
        access.decided_at = clock.now()
        access.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        if approve:
            _sync_registry(access.account)
        audit.record(AuditLog.Action.ACCOUNT_DECISION, actor=actor, target=access.account, request=request,
                     detail={"subsystem": subsystem, "status": access.status, **({"reason": reason} if reason else {})})
    return access


def _sync_registry(account: EnterpriseAccount) -> None:
    """An approved company's own name, address and industry are the registry's
    (core.Enterprise keeps its change history)."""
    enterprise = account.enterprise
    changed = False
    for field, value in (("name", account.company_name), ("address", account.address),
                         ("industry_id", account.industry_id)):
        if getattr(enterprise, field) != value:
            setattr(enterprise, field, value)
            changed = True
    if changed:
        enterprise.save()


def update_profile(*, actor, data: ProfileInput, username: str | None = None, uscc: str | None = None,
                   request=None) -> EnterpriseAccount:
    """The signed-in company changes its profile (every field of ``data``;
    callers that change a few merge them onto ``profile_input(account)``).
    ``username`` / ``uscc``, when sent, must be the registered ones. A rejected
    request goes back to review; an approved company's registry entry follows."""
    account = account_of(actor)
    errors = ErrorCollector()
    if username is not None and username.strip() != account.user.username:
        errors.add("username", USERNAME_FIXED)
    if uscc is not None and (uscc or "").strip().replace(" ", "").upper() != (account.enterprise.uscc or ""):
        errors.add("uscc", USCC_FIXED)
    p = _clean_profile(errors, data)
    errors.raise_if_any()
    with transaction.atomic():
        account = EnterpriseAccount.objects.select_for_update().select_related("enterprise").get(pk=account.pk)
        before = profile_input(account)
        account.company_name, account.industry, account.address = p.company_name, p.industry, p.address
        account.industrial_chain, account.profile = p.industrial_chain, p.profile
        account.contact_name, account.contact_phone = p.contact_name, p.contact_phone
        account.save()
        after = profile_input(account)
        changed = [f for f in PROFILE_FIELDS if getattr(before, f) != getattr(after, f)]
        resubmitted = _resubmit_rejected(account)
        if account.accesses.filter(status=AccessStatus.APPROVED).exists():
            _sync_registry(account)
        if changed or resubmitted:
            audit.record(AuditLog.Action.ACCOUNT_CHANGE, actor=actor, target=account, request=request,
                         detail={"fields": changed, **({"resubmitted": resubmitted} if resubmitted else {})})
    return account


def request_access(*, actor, subsystem: str, request=None) -> SubsystemAccess:
    """The signed-in company applies to use another subsystem with its one
    account (R-CR-01: a portal enterprise applies for credit): a pending
    request for that subsystem's staff, and the subsystem's role. Asking
    again is a 409 saying where the request stands."""
    if subsystem not in Subsystem.values:
        raise InvalidInput({"subsystem": ["子系统不存在"]})
    account = account_of(actor)
    with transaction.atomic():
        EnterpriseAccount.objects.select_for_update().filter(pk=account.pk).first()
        existing = SubsystemAccess.objects.filter(account=account, subsystem=subsystem).first()
        if existing is not None:
            raise StateConflict(f"已申请过{Subsystem(subsystem).label}（{existing.get_status_display()}），无需重复申请")
        access = SubsystemAccess.objects.create(account=account, subsystem=subsystem, requested_at=clock.now())
        actor.groups.add(role_group(SUBSYSTEM_ROLES[subsystem]))
        audit.record(AuditLog.Action.ACCOUNT_CHANGE, actor=actor, target=account, request=request,
                     detail={"fields": [], "applied": subsystem})
    for cached in ("_subsystem_access", "_perm_cache"):
        actor.__dict__.pop(cached, None)
    return access


def resubmit(*, actor, request=None) -> list[str]:
    """Send every rejected request of the signed-in company back to review, as it is."""
    account = account_of(actor)
    with transaction.atomic():
        resubmitted = _resubmit_rejected(account)
        if resubmitted:
            audit.record(AuditLog.Action.ACCOUNT_CHANGE, actor=actor, target=account, request=request,
                         detail={"fields": [], "resubmitted": resubmitted})
    return resubmitted


def _resubmit_rejected(account: EnterpriseAccount) -> list[str]:
    rejected = list(SubsystemAccess.objects.select_for_update()
                    .filter(account=account, status=AccessStatus.REJECTED))
    for access in rejected:
        access.status, access.requested_at = AccessStatus.PENDING, clock.now()
        access.decided_by, access.decided_at = None, None
        # The reason stays until the next decision: the audit trail has it either way.
        access.save(update_fields=["status", "requested_at", "decided_by", "decided_at"])
    return [a.subsystem for a in rejected]


# --- reads the services need (the selectors in core.selectors build on them) ------------------
def account_of(user) -> EnterpriseAccount:
    """The signed-in company's account; NotVisible for anyone else (staff, the public)."""
    if user is None or not user.is_authenticated:
        raise NotVisible("请先以企业账号登录")
    account = (EnterpriseAccount.objects.select_related("enterprise", "industry", "industrial_chain", "user")
               .filter(user=user).first())
    if account is None:
        raise NotVisible("仅企业账号可以使用")
    return account


def profile_input(account: EnterpriseAccount) -> ProfileInput:
    """A stored profile as the input type (the base a partial change merges onto)."""
    return ProfileInput(
        name=account.company_name, industry=account.industry.code if account.industry_id else "",
        address=account.address,
        industrial_chain=account.industrial_chain.code if account.industrial_chain_id else "",
        profile=account.profile, contact_name=account.contact_name, contact_phone=account.contact_phone)
