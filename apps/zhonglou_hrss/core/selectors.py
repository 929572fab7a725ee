"""Core reads: lookup lists and grids as the pages and the API offer them;
external accounts and their access to each subsystem."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, F, Field, ForeignObject, Lookup, Q, Value, When
from django.db.models import Case as SqlCase

from zhonglou_hrss.core.models import AccessStatus, EnterpriseAccount, Grid, LookupEntry, LookupKind, SubsystemAccess

# API kind name (plural, as in the URL) -> LookupKind, plus "grids".
API_LOOKUPS = {
    "case_reasons": LookupKind.CASE_REASON,
    "resolution_ways": LookupKind.RESOLUTION_WAY,
    "channels": LookupKind.CHANNEL,
    "industries": LookupKind.INDUSTRY,
    "industrial_chains": LookupKind.INDUSTRIAL_CHAIN,
    "positions": LookupKind.POSITION,
    "major_categories": LookupKind.MAJOR_CATEGORY,
    "education_levels": LookupKind.EDUCATION,
    "age_bands": LookupKind.AGE_BAND,
    "experience_levels": LookupKind.EXPERIENCE,
    "employment_types": LookupKind.EMPLOYMENT_TYPE,
    "skill_levels": LookupKind.SKILL_LEVEL,
    "skill_requirements": LookupKind.SKILL_REQUIREMENT,
    "demand_services": LookupKind.DEMAND_SERVICE,
}
# Lists a citizen or an enterprise needs before signing in.
PUBLIC_LOOKUPS = {"grids", "street_grids", "case_reasons", "industries", "industrial_chains"}


def lookup_choices(kind: str) -> list[dict] | None:
    """Active entries as ``[{"code", "label"}]``; None for an unknown kind."""
    if kind == "grids":
        return list(Grid.objects.selectable().values("code", label=F("name")))
    if kind == "street_grids":
        return list(Grid.objects.selectable().street_level().values("code", label=F("name")))
    lookup_kind = API_LOOKUPS.get(kind)
    if lookup_kind is None:
        return None
    return list(LookupEntry.objects.of(lookup_kind).selectable().order_by("order", "code").values("code", "label"))


# --- external accounts ------------------------------------------------------------------------
NOT_AN_ENTERPRISE = "仅企业账号可以使用"
PENDING = "账号待审核"
REJECTED = "账号未通过审核：{reason}"


def access_of(user, subsystem: str) -> SubsystemAccess | None:
    """The signed-in account's access to ``subsystem`` (with the account and
    its enterprise), or None for staff, the public and accounts that never
    asked for it. Read once per request (kept on the user object)."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_subsystem_access", {})
    if subsystem not in cache:
        cache[subsystem] = (SubsystemAccess.objects.select_related("account__enterprise")
                            .filter(account__user=user, subsystem=subsystem).first())
    return cache[subsystem]


def access_refusal(user, subsystem: str) -> str | None:
    """Why this user may not use the subsystem's enterprise functions (a
    Chinese sentence: 账号待审核 / 账号未通过审核：<原因>), or None when approved."""
    access = access_of(user, subsystem)
    if access is None:
        return NOT_AN_ENTERPRISE
    if access.status == AccessStatus.PENDING:
        return PENDING
    if access.status == AccessStatus.REJECTED:
        return REJECTED.format(reason=access.reason)
    return None


# Who decides a subsystem's requests sees them too (信用评价管理员 the credit ones only).
DECIDERS = {"portal": "core.approve_portal_access", "credit": "core.approve_credit_access"}


def accounts_for(user):
    """The enterprise accounts a staff user may see at the desk: all with the view permission;
    with only a subsystem's deciding permission, the accounts that asked for that subsystem
    (信用评价管理员 see the HR companies, not every portal enterprise); none otherwise."""
    if not user.is_active:
        return EnterpriseAccount.objects.none()
    if user.has_perm("core.view_enterpriseaccount"):
        return EnterpriseAccount.objects.all()
    decides = [subsystem for subsystem, perm in DECIDERS.items() if user.has_perm(perm)]
    if not decides:
        return EnterpriseAccount.objects.none()
    return EnterpriseAccount.objects.filter(pk__in=SubsystemAccess.objects.filter(subsystem__in=decides)
                                            .values("account_id"))


def access_requests_for(user, subsystem: str):
    """The accounts' requests for ``subsystem`` that a staff user may see
    (the view permission, or that subsystem's deciding one), newest first;
    none for anyone else."""
    decider = DECIDERS.get(subsystem)
    if not (user.is_active and (user.has_perm("core.view_enterpriseaccount")
                                or (decider and user.has_perm(decider)))):
        return SubsystemAccess.objects.none()
    return (SubsystemAccess.objects.filter(subsystem=subsystem)
            .select_related("account__enterprise", "account__industry", "account__industrial_chain",
                            "account__user", "decided_by")
            .order_by("-requested_at", "-id"))


def enterprise_list_for(user):
    """The enterprise library as the desk's list shows it: every enterprise for
    a holder of core.view_enterprise, none for anyone else."""
    from zhonglou_hrss.core.models import Enterprise

    if user is not None and user.is_authenticated and user.is_active and user.has_perm("core.view_enterprise"):
        return Enterprise.objects.all()
    return Enterprise.objects.none()


@Field.register_lookup
class IntsIn(Lookup):
    """``column IN (1, 2, …)`` with the ids written into the SQL as integers (``ids_in``)."""

    lookup_name = "ints_in"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(i) for i in self.rhs]  # only digits reach the SQL

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({','.join(map(str, self.rhs))})", params


ForeignObject.register_lookup(IntsIn)  # related fields keep their own lookups: ``case__ints_in``


def ids_in(model, column: str, ids) -> Q:
    """``<column> IN (1, 2, …)`` as a filter, for the per-chunk loaders of exports and
    lists (thousands of ids). Django's ``column__in=ids`` prepares and escapes every
    id on its own: a fifth of an export's time for three loaders (benchmarks/RESULTS.md).
    A lookup, not a raw boolean expression: Django compares a raw one with ``= 1``,
    and MariaDB then reads the whole table instead of the column's index (a case list's
    page took a second at 1,000,000 cases)."""
    model._meta.get_field(column)  # a wrong name fails here, not in the SQL
    return Q(**{f"{column}__ints_in": [int(i) for i in ids]})


def row_by_row(condition):
    """``condition`` (an ``EXISTS``) as a filter MariaDB tests on each row another condition
    or the list's order picked — stopping at a page, or on a month's few thousand cases —
    instead of turning it into a semi-join that first collects every row it could match
    (all of a grid's rounds ever: 10⁵ at a million cases, 50 ms and more)."""
    return SqlCase(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
