"""Urgent concerns, written: the public's submission (R-PT-11) and staff's
status steps (R-PT-16), each with its timeline row, in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhonglou_hrss.core import clock, custom_fields, pii
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, StateConflict
from zhonglou_hrss.core.validators import clean_name, clean_text, validate_mobile
from zhonglou_hrss.core.models import NumberSequence
from zhonglou_hrss.core.services import numbers
from zhonglou_hrss.portal.models import Concern, ConcernEvent, ConcernStatus
from zhonglou_hrss.portal.rules import CONCERN_DUPLICATE_WINDOW, CONCERN_PREFIX, MAX_DETAILS
from zhonglou_hrss.portal.selectors.concerns import concern_for
from zhonglou_hrss.portal.workflow import HANDLE_PERMISSION, SUBMIT, TARGETS, precondition_error


@dataclass
class ConcernInput:
    name: str = ""
    phone: str = ""
    details: str = ""
    custom: dict | None = None  # the custom fields the bureau shows on the public form


@dataclass
class SubmitResult:
    concern: Concern
    duplicate: bool  # the same words from the same mobile moments ago: that concern


def validate_concern(data: ConcernInput) -> tuple[str, str, str, dict]:
    errors = ErrorCollector()
    name = details = ""
    try:
        name = clean_name(data.name, label="姓名")
    except ValidationError as exc:
        errors.add("name", exc.messages[0])
    try:
        details = clean_text(data.details, label="咨询内容", multiline=True)
    except ValidationError as exc:
        errors.add("details", exc.messages[0])
    if not name and "name" not in errors.errors:
        errors.add("name", "请填写姓名")
    elif len(name) > 50:
        errors.add("name", "姓名不能超过50个字")
    phone = (data.phone or "").strip()
    if not phone:
        errors.add("phone", "请填写手机号")
    else:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors.add("phone", exc.messages[0])
    if not details and "details" not in errors.errors:
        errors.add("details", "请填写咨询内容")
    elif len(details) > MAX_DETAILS:
        errors.add("details", f"咨询内容不能超过{MAX_DETAILS}个字")
    custom = custom_fields.clean_values("concern", data.custom, errors=errors, public=True, creating=True)
    errors.raise_if_any()
    return name, phone, details, custom


def submission_key(phone: str, details: str) -> str:
    parts = [pii.pii_hash(pii.MOBILE, phone), " ".join(details.split())]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def submit_concern(*, data: ConcernInput) -> SubmitResult:
    """A concern from anyone (no sign-in). The same mobile sending the same
    words within minutes gets the first number back."""
    name, phone, details, custom = validate_concern(data)
    key = submission_key(phone, details)
    now = clock.now()
    year = timezone.localtime(now).year
    # The year's counter (core.services.numbers) exists before the transaction, and its row lock
    # is taken first: submissions queue, so the duplicate check and the numbering cannot race.
    numbers.ensure_sequence(CONCERN_PREFIX, year)
    with transaction.atomic():
        NumberSequence.objects.select_for_update().get(prefix=CONCERN_PREFIX, year=year)
        existing = (Concern.objects.filter(submission_key=key, created_at__gte=now - CONCERN_DUPLICATE_WINDOW)
                    .order_by("created_at", "id").first())
        if existing is not None:
            return SubmitResult(existing, duplicate=True)
        concern = Concern.objects.create(number=numbers.next_number(CONCERN_PREFIX, year), name=name, phone=phone,
                                         details=details, submission_key=key, created_at=now, updated_at=now,
                                         custom=custom)
        custom_fields.index("concern", concern.pk, custom)
        ConcernEvent.objects.create(concern=concern, action=SUBMIT, to_status=ConcernStatus.NEW, at=now)
    return SubmitResult(concern, duplicate=False)


def set_status(*, actor, concern_id: int, status: str, note: str = "") -> Concern:
    """Move a concern forward (已查看 / 已联系 / 已完成咨询): one timeline row
    with who and when. Someone else's move a moment earlier makes this one a
    409 when it is no longer a step forward."""
    if status not in TARGETS:
        raise InvalidInput({"status": [precondition_error(ConcernStatus.NEW, status)]})
    if actor is None or not actor.has_perm(HANDLE_PERMISSION):
        concern_for(actor, concern_id)  # 404 first for who cannot even see it
        raise ActionForbidden("您没有处理急难愁盼的权限")
    note = (note or "").strip()
    if len(note) > 500:
        raise InvalidInput({"note": ["备注不能超过500个字"]})
    with transaction.atomic():
        concern = concern_for(actor, concern_id)
        concern = Concern.objects.select_for_update().get(pk=concern.pk)
        problem = precondition_error(concern.status, status)
        if problem:
            raise StateConflict(problem)
        now = clock.now()
        before = concern.status
        concern.status, concern.updated_at = status, now
        concern.save(update_fields=["status", "updated_at"])
        ConcernEvent.objects.create(concern=concern, action=status, from_status=before, to_status=status,
                                    actor=actor, at=now, note=note)
    return concern
