"""Case registration (R-KB-01 public, R-KB-02 internal).

One function validates every field (Chinese messages, all errors at once) and
writes the case, its companions, its first grid round or its direct route to
the leader, and the first timeline row — all or nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhonglou_hrss.core import clock, custom_fields, pii
from zhonglou_hrss.core.errors import ErrorCollector
from zhonglou_hrss.core.images import PhotoError, sanitize_photo
from zhonglou_hrss.core.models import Grid, LookupEntry, LookupKind
from zhonglou_hrss.core.private_files import delete_private, save_private
from zhonglou_hrss.core.services.numbers import format_number
from zhonglou_hrss.kuaiban.models import Case, CaseCompanion, CaseNumberSequence, CaseSource, CaseStatus, GridRound
from zhonglou_hrss.kuaiban.selectors.cases import grid_lists_changed
from zhonglou_hrss.kuaiban.selectors.counts import key_of
from zhonglou_hrss.kuaiban.services import case_counts
from zhonglou_hrss.kuaiban.services.events import write_event
from zhonglou_hrss.kuaiban.services.person_input import (
    CompanionInput,
    ComplaintInput,
    clean_complaint,
    clean_id_number,
    clean_mobile,
    required_name,
    respondent_enterprise,
)
from zhonglou_hrss.kuaiban.rules import PUBLIC_ONLY_CHANNEL_MESSAGE, channel_allowed, registration_channel
from zhonglou_hrss.kuaiban.workflow import REGISTER

DUPLICATE_WINDOW = timedelta(minutes=10)


@dataclass
class RegistrationInput(ComplaintInput):
    reporter_name: str = ""
    reporter_id_number: str = ""
    reporter_phone: str = ""
    channel: str = ""  # lookup code (internal only; public is always 群众扫码登记)
    photo: object | None = None  # an uploaded file
    custom: dict | None = None  # {code: value} of the case's custom fields (core.custom_fields)


@dataclass
class RegistrationResult:
    case: Case
    duplicate: bool  # True: the same complaint was filed moments ago; this is that case


@dataclass
class _Clean:
    reporter_name: str
    reporter_id_number: str
    reporter_phone: str
    companions: list[CompanionInput]
    respondent_name: str
    respondent_uscc: str
    respondent_uscc_ok: bool
    reason: LookupEntry
    grid: Grid
    demand: str
    channel: LookupEntry
    photo_bytes: bytes | None
    custom: dict


# What validate_registration refuses when empty (the forms mark these with *).
REQUIRED_FIELDS = ("reporter_name", "reporter_id_number", "reporter_phone", "respondent_name", "reason", "grid",
                   "channel", "demand")


def validate_registration(data: RegistrationInput, *, source: str, actor=None) -> _Clean:
    """Check every field; raise InvalidInput naming each bad one."""
    errors = ErrorCollector()
    reporter_name = required_name(errors, "reporter_name", data.reporter_name, "上报人姓名")
    id_number = clean_id_number(errors, "reporter_id_number", data.reporter_id_number)
    phone = clean_mobile(errors, "reporter_phone", data.reporter_phone)

    complaint = clean_complaint(errors, data, main_id_number=id_number, main_label="上报人")

    reason = LookupEntry.objects.of(LookupKind.CASE_REASON).selectable().filter(code=data.reason).first()
    if reason is None:
        errors.add("reason", "请选择案由" if not data.reason else "案由不存在或已停用")

    grid = Grid.objects.selectable().filter(code=data.grid).first()
    if grid is None:
        errors.add("grid", "请选择所属网格" if not data.grid else "网格不存在或已停用")
    elif source == CaseSource.PUBLIC and grid.kind == Grid.Kind.DISTRICT:
        errors.add("grid", "群众登记只能选择街道（镇）网格")

    channel_code = registration_channel(source, (data.channel or "").strip())
    channel = LookupEntry.objects.of(LookupKind.CHANNEL).filter(code=channel_code).first()
    if channel is not None and not channel_allowed(source, channel_code):
        errors.add("channel", PUBLIC_ONLY_CHANNEL_MESSAGE)
    elif channel is None or (source == CaseSource.INTERNAL and not channel.active):
        errors.add("channel", "请选择来源渠道" if not channel_code else "来源渠道不存在或已停用")

    photo_bytes = None
    if data.photo is not None:
        try:
            photo_bytes = sanitize_photo(data.photo)
        except PhotoError as exc:
            errors.add("photo", str(exc))
    elif source == CaseSource.PUBLIC:
        errors.add("photo", "请上传本人照片")

    custom = custom_fields.clean_values("case", data.custom, errors=errors, user=actor,
                                        public=source == CaseSource.PUBLIC, creating=True)
    errors.raise_if_any()
    return _Clean(reporter_name, id_number, phone, complaint.companions, complaint.respondent_name,
                  complaint.respondent_uscc, complaint.respondent_uscc_ok, reason, grid, complaint.demand, channel,
                  photo_bytes, custom)


def submission_key(clean: _Clean) -> str:
    """Same person, same employer, same reason, same demand → same key."""
    parts = [pii.pii_hash(pii.ID_CARD, clean.reporter_id_number), clean.respondent_name.replace(" ", ""),
             clean.reason.code, clean.grid.code, " ".join(clean.demand.split())]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def ensure_sequence(year: int) -> None:
    """Create the year's counter row if it is missing, committed on its own
    before the registration's transaction. Otherwise the first registrations
    of a year, arriving together, all insert it: on MariaDB the losers of that
    insert hold a shared lock on the winner's row and then all ask for the
    exclusive one — a deadlock. With the row already there they simply queue
    for its lock."""
    CaseNumberSequence.objects.bulk_create([CaseNumberSequence(year=year, last=0)], ignore_conflicts=True)


def lock_sequence(year: int) -> CaseNumberSequence:
    """Lock the year's counter row (created on first use). Registration takes
    this lock first, so concurrent registrations run one after another: the
    duplicate check and the numbering then cannot race."""
    seq = CaseNumberSequence.objects.select_for_update().filter(year=year).first()
    if seq is None:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # created by a concurrent registration
        seq = CaseNumberSequence.objects.select_for_update().get(year=year)
    return seq


def take_number(seq: CaseNumberSequence) -> str:
    """KB2026-000123: the next number of a locked counter."""
    seq.last += 1
    seq.save(update_fields=["last"])
    return format_number("KB", seq.year, seq.last)


def register_case(*, actor, data: RegistrationInput, source: str) -> RegistrationResult:
    """Register a case. ``actor`` is None for the public page."""
    if source == CaseSource.INTERNAL and (actor is None or not actor.has_perm("kuaiban.register_case")):
        from zhonglou_hrss.core.errors import ActionForbidden

        raise ActionForbidden("您没有登记事件的权限")
    clean = validate_registration(data, source=source, actor=actor)
    key = submission_key(clean)
    now = clock.now()
    photo_path = save_private("kuaiban/photos", clean.photo_bytes, ".jpg") if clean.photo_bytes else ""
    year = timezone.localtime(now).year
    try:
        ensure_sequence(year)
        with transaction.atomic():
            seq = lock_sequence(year)
            existing = (Case.objects.select_for_update()
                        .filter(submission_key=key, created_at__gte=now - DUPLICATE_WINDOW).order_by("created_at").first())
            if existing is not None:
                delete_private(photo_path)
                return RegistrationResult(case=existing, duplicate=True)
            to_leader = clean.grid.kind == Grid.Kind.DISTRICT
            case = Case.objects.create(
                number=take_number(seq),
                status=CaseStatus.AWAITING_ASSIGNMENT if to_leader else CaseStatus.GRID_PENDING,
                source=source,
                channel=clean.channel,
                reporter_name=clean.reporter_name,
                reporter_id_number=clean.reporter_id_number,
                reporter_phone=clean.reporter_phone,
                reporter_photo=photo_path,
                respondent_name=clean.respondent_name,
                respondent_uscc=clean.respondent_uscc,
                respondent=respondent_enterprise(clean.respondent_uscc, clean.respondent_name),
                reason=clean.reason,
                demand=clean.demand,
                grid=clean.grid,
                submission_key=key,
                registered_by=actor,
                created_at=now,
                custom=clean.custom,
            )
            custom_fields.index("case", case.pk, clean.custom)
            CaseCompanion.objects.bulk_create([
                CaseCompanion(case=case, name=c.name, id_number=c.id_number, phone=c.phone, order=i)
                for i, c in enumerate(clean.companions)
            ])
            if not to_leader:
                GridRound.objects.create(case=case, grid=clean.grid, open_case=case, sent_at=now)
                grid_lists_changed(clean.grid.pk)
            case_counts.added(key_of(case))
            write_event(case, action=REGISTER, actor=actor, at=now, from_status="", to_status=case.status, payload={
                "source": CaseSource(source).label,
                "channel": clean.channel.label,
                "grid": clean.grid.name,
                "reason": clean.reason.label,
                "respondent": clean.respondent_name,
                "respondent_uscc": clean.respondent_uscc,
                "companions": len(clean.companions),
                "photo": bool(photo_path),
                **({"uscc_checksum_confirmed": True} if clean.respondent_uscc and not clean.respondent_uscc_ok else {}),
            })
    except BaseException:
        delete_private(photo_path)
        raise
    return RegistrationResult(case=case, duplicate=False)
