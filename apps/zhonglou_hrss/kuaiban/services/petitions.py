"""Petitions (信访, R-KB-15): entered and maintained by district clerks.

One function creates or updates a petition with all its companions, checks
every field at once (same checks as case registration) and writes one history
row naming what changed — all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from zhonglou_hrss.core import clock, custom_fields, pii
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, NotVisible
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.core.services.numbers import ensure_sequence, next_number
from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion, PetitionEvent
from zhonglou_hrss.kuaiban.models.petitions import PETITION_PREFIX
from zhonglou_hrss.kuaiban.selectors.petitions import petition_list_for
from zhonglou_hrss.kuaiban.services.events import to_json
from zhonglou_hrss.kuaiban.services.person_input import (
    CompanionInput,
    ComplaintInput,
    clean_complaint,
    clean_id_number,
    clean_mobile,
    optional_text,
    required_name,
    respondent_enterprise,
)

FUTURE_TOLERANCE = timedelta(minutes=5)
# Fields whose values may appear in the history; personal data only as "changed".
PLAIN_FIELDS = ("name", "respondent_name", "respondent_uscc", "reason", "grid", "demand", "result", "handled_at")
PII_FIELDS = ("id_number", "phone")
FIELD_LABELS = {
    "name": "姓名", "id_number": "身份证号", "phone": "联系电话", "respondent_name": "对方单位",
    "respondent_uscc": "统一社会信用代码", "reason": "案由", "grid": "所属网格", "demand": "具体诉求",
    "result": "处置结果", "handled_at": "处置时间", "companions": "同行人员",
}


@dataclass
class PetitionInput(ComplaintInput):
    """A petition as typed; its grid may be 区本级."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    result: str = ""
    handled_at: datetime | None = None
    custom: dict | None = None  # {code: value} of custom fields sent (None: not sent, the stored stay)


def _unmasked(data: PetitionInput, petition: Petition | None) -> PetitionInput:
    """A change sent by someone who was shown the personal data masked (the
    desk form, an API ``GET`` then ``PUT``): a masked value sent back as it was
    shown keeps the stored value (``pii.unmasked``). A companion keeps its
    stored numbers when its name and masked numbers are those shown."""
    if petition is None:
        return data
    stored = list(petition.companions.all())

    def match(c: CompanionInput):
        return next((s for s in stored if s.name == (c.name or "").strip()
                     and pii.mask(pii.ID_CARD, s.id_number) == (c.id_number or "").strip()), None)

    companions = []
    for c in data.companions:
        found = match(c)
        companions.append(CompanionInput(
            name=c.name, id_number=pii.unmasked(pii.ID_CARD, c.id_number, found.id_number if found else ""),
            phone=pii.unmasked(pii.MOBILE, c.phone, found.phone if found else "")))
    return replace(data, id_number=pii.unmasked(pii.ID_CARD, data.id_number, petition.id_number),
                   phone=pii.unmasked(pii.MOBILE, data.phone, petition.phone), companions=companions)


# What _check refuses when empty (the form marks these with *).
REQUIRED_FIELDS = ("name", "id_number", "phone", "respondent_name", "reason", "grid", "demand")


def _check(data: PetitionInput, petition: Petition | None, actor=None) -> dict:
    data = _unmasked(data, petition)
    errors = ErrorCollector()
    clean = {
        "name": required_name(errors, "name", data.name, "姓名"),
        "id_number": clean_id_number(errors, "id_number", data.id_number),
        "phone": clean_mobile(errors, "phone", data.phone, "联系电话"),
        "result": optional_text(errors, "result", data.result, "处置结果", 2000),
        "handled_at": data.handled_at,
    }
    complaint = clean_complaint(errors, data, main_id_number=clean["id_number"], main_label="信访人")
    clean.update(companions=complaint.companions, respondent_name=complaint.respondent_name,
                 respondent_uscc=complaint.respondent_uscc, demand=complaint.demand)
    clean["reason"] = LookupEntry.objects.of(LookupKind.CASE_REASON).filter(code=data.reason).first()
    current_reason = petition.reason if petition else None
    if clean["reason"] is None or (not clean["reason"].active and clean["reason"] != current_reason):
        errors.add("reason", "请选择案由" if not data.reason else "案由不存在或已停用")
    clean["grid"] = Grid.objects.filter(code=data.grid).first()
    current_grid = petition.grid if petition else None
    if clean["grid"] is None or (not clean["grid"].active and clean["grid"] != current_grid):
        errors.add("grid", "请选择所属网格" if not data.grid else "网格不存在或已停用")
    if clean["result"] and not clean["handled_at"]:
        errors.add("handled_at", "填写了处置结果，请同时填写处置时间")
    if clean["handled_at"] and not clean["result"] and "result" not in errors.errors:
        errors.add("result", "填写了处置时间，请同时填写处置结果")
    if clean["handled_at"] and clean["handled_at"] > clock.now() + FUTURE_TOLERANCE:
        errors.add("handled_at", "处置时间不能晚于现在")
    clean["custom"] = custom_fields.clean_values("petition", data.custom, errors=errors, user=actor,
                                                 current=petition.custom if petition else None,
                                                 creating=petition is None)
    errors.raise_if_any()
    return clean


def validate_petition(data: PetitionInput, petition: Petition | None = None, actor=None) -> None:
    """Check every field without saving (InvalidInput names each bad one), so
    an API can name them alongside its own type errors."""
    _check(data, petition, actor)


def _changes(petition: Petition | None, clean: dict) -> dict:
    if petition is None:
        return {"fields": [FIELD_LABELS[f] for f in (*PLAIN_FIELDS, *PII_FIELDS) if clean.get(f)]
                + list(custom_fields.changes("petition", {}, clean["custom"]))}
    changed = custom_fields.changes("petition", petition.custom, clean["custom"])
    for name in PLAIN_FIELDS:
        before, after = getattr(petition, name), clean[name]
        if (before or None) != (after or None):
            changed[FIELD_LABELS[name]] = {"from": to_json(before) or "", "to": to_json(after) or ""}
    for name in PII_FIELDS:
        if getattr(petition, name) != clean[name]:
            changed[FIELD_LABELS[name]] = {"from": "（已修改）", "to": ""}
    before = [(c.name, c.id_number, c.phone) for c in petition.companions.all()]
    after = [(c.name, c.id_number, c.phone) for c in clean["companions"]]
    if before != after:
        changed[FIELD_LABELS["companions"]] = {"from": f"{len(before)}人", "to": f"{len(after)}人"}
    return changed


def save_petition(*, actor, data: PetitionInput, petition_id: int | None = None) -> Petition:
    """Create (petition_id None) or update a petition. Returns it."""
    needed = "kuaiban.change_petition" if petition_id else "kuaiban.add_petition"
    if actor is None or not actor.has_perm(needed):
        raise ActionForbidden("您没有录入或修改信访记录的权限")
    if petition_id is None:
        ensure_sequence(PETITION_PREFIX, timezone.localtime(clock.now()).year)
    with transaction.atomic():
        petition = None
        if petition_id is not None:
            petition = petition_list_for(actor).select_for_update().filter(pk=petition_id).first()
            if petition is None:
                raise NotVisible()
        clean = _check(data, petition, actor)
        changes = _changes(petition, clean)
        if petition is not None and not changes:
            return petition  # nothing changed: no history row
        now = clock.now()
        if petition is None:
            number = next_number(PETITION_PREFIX, timezone.localtime(now).year)
            petition = Petition(registered_by=actor, created_at=now, number=number)
        for name in ("name", "id_number", "phone", "respondent_name", "respondent_uscc", "reason", "grid",
                     "demand", "result", "handled_at"):
            setattr(petition, name, clean[name])
        petition.respondent = respondent_enterprise(clean["respondent_uscc"], clean["respondent_name"])
        petition.custom = clean["custom"]
        created = petition.pk is None
        petition.save()
        custom_fields.index("petition", petition.pk, petition.custom)
        petition.companions.all().delete()
        PetitionCompanion.objects.bulk_create([
            PetitionCompanion(petition=petition, name=c.name, id_number=c.id_number, phone=c.phone, order=i)
            for i, c in enumerate(clean["companions"])
        ])
        PetitionEvent.objects.create(
            petition=petition, action="create" if created else "update", actor=actor,
            actor_name=actor.display_name, at=now, changes=changes,
        )
    return petition
