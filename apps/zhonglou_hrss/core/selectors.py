"""Core reads: lookup lists and grids as the pages and the API offer them."""

from __future__ import annotations

from django.db.models import F

from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind

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
