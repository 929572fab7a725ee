"""Job fairs, written (R-PT-08, 09, 10, 17, 18) — the one door for the desk,
the PC portal and the API.

- staff: ``save_fair``, ``set_registration_open``, ``add_fair_attachment`` /
  ``remove_fair_attachment``, ``decide_registration`` (approve, or reject with
  a reason);
- an approved enterprise: ``save_registration`` (create or edit: every field
  checked at once, attendees and positions replaced whole), ``set_stamped_form``,
  ``submit_registration``, ``withdraw_registration``.

Every write locks the registration row first (``select_for_update``) and then
checks its status against ``workflow.REGISTRATION_ACTIONS``: an edit racing the
approval either lands before it (and is what gets approved) or finds it
approved and is refused with 409 — never a half-approved registration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhonglou_hrss.core import audit, clock, custom_fields, pii
from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.images import PhotoError
from zhonglou_hrss.core.models import AuditLog, LookupEntry, LookupKind
from zhonglou_hrss.core.private_files import delete_private, save_private
from zhonglou_hrss.core.validators import clean_text, validate_id_number, validate_mobile
from zhonglou_hrss.portal.models import (
    Attendee,
    Gender,
    JobFair,
    JobFairAttachment,
    Position,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from zhonglou_hrss.portal.rules import (
    MANAGE_JOBFAIRS,
    MAX_ATTACHMENTS,
    MAX_ATTENDEES,
    MAX_FAIR_NAME,
    MAX_HEADCOUNT,
    MAX_INTRODUCTION,
    MAX_POSITION_DESCRIPTION,
    MAX_POSITIONS,
    MAX_SALARY,
    REVIEW_REGISTRATIONS,
    fair_accepts_registrations,
)
from zhonglou_hrss.portal.selectors.jobfairs import fair_for_staff, registration_for
from zhonglou_hrss.portal.services.common import (
    approved_enterprise,
    reject_reason,
    require,
    typed_text,
    whole_number,
)
from zhonglou_hrss.portal.services.files import check_attachment, check_stamped_form
from zhonglou_hrss.portal.workflow import REGISTRATION_ACTIONS, registration_error

FILES_FOLDER = "jobfairs"
CLOSED = "该招聘会已停止报名"
ONE_PER_FAIR = "贵单位已报名该招聘会，请在“我的报名”中查看或修改"


# --- fairs (staff, R-PT-17) --------------------------------------------------------------------
@dataclass
class FairInput:
    name: str = ""
    date: dt.date | None = None
    venue: str = ""
    notes: str = ""


def _require_manager(actor):
    require(actor, MANAGE_JOBFAIRS, "您没有管理招聘会的权限")


def validate_fair(data: FairInput) -> dict:
    errors = ErrorCollector()
    values = {}
    for key, label, limit in (("name", "招聘会名称", MAX_FAIR_NAME), ("venue", "举办地点", 200)):
        try:
            values[key] = clean_text(getattr(data, key), label=label)
        except ValidationError as exc:
            errors.add(key, exc.messages[0])
            continue
        if not values[key]:
            errors.add(key, f"请填写{label}")
        elif len(values[key]) > limit:
            errors.add(key, f"{label}不能超过{limit}个字")
    try:
        values["notes"] = clean_text(data.notes, label="说明", multiline=True)
        if len(values["notes"]) > 2000:
            errors.add("notes", "说明不能超过2000个字")
    except ValidationError as exc:
        errors.add("notes", exc.messages[0])
    if data.date is None:
        errors.add("date", "请填写举办日期")
    elif not dt.date(2000, 1, 1) <= data.date <= dt.date(2100, 12, 31):
        errors.add("date", "举办日期不合理，请核对")
    values["date"] = data.date
    errors.raise_if_any()
    return values


def save_fair(*, actor, data: FairInput, fair_id: int | None = None) -> JobFair:
    """Create a fair (registration closed until opened) or change one."""
    _require_manager(actor)
    values = validate_fair(data)
    with transaction.atomic():
        if fair_id is None:
            return JobFair.objects.create(created_by=actor, **values)
        fair = JobFair.objects.select_for_update().filter(pk=fair_for_staff(actor, fair_id).pk).get()
        for key, value in values.items():
            setattr(fair, key, value)
        fair.save()
    return fair


def set_registration_open(*, actor, fair_id: int, is_open: bool) -> JobFair:
    """Open or close a fair's registration (R-PT-17). Opening a fair whose day has passed is refused."""
    _require_manager(actor)
    with transaction.atomic():
        fair = JobFair.objects.select_for_update().get(pk=fair_for_staff(actor, fair_id).pk)
        if is_open and fair.date < timezone.localdate(clock.now()):
            raise StateConflict("该招聘会的举办日期已过，不能开放报名")
        if fair.registration_open != is_open:
            fair.registration_open = is_open
            fair.save(update_fields=["registration_open", "updated_at"])
    return fair


def add_fair_attachment(*, actor, fair_id: int, upload, is_form_template: bool = False) -> JobFairAttachment:
    """Attach a document to a fair (the blank registration form marked as the template)."""
    _require_manager(actor)
    fair = fair_for_staff(actor, fair_id)
    try:
        checked = check_attachment(upload)
    except PhotoError as exc:
        raise InvalidInput({"file": [str(exc)]}) from None
    if fair.attachments.count() >= MAX_ATTACHMENTS:
        raise InvalidInput({"file": [f"每场招聘会最多{MAX_ATTACHMENTS}个附件"]})
    relative = save_private(FILES_FOLDER, checked.content, checked.suffix)
    try:
        with transaction.atomic():
            if is_form_template:  # one template a fair: the new one replaces the mark
                fair.attachments.filter(is_form_template=True).update(is_form_template=False)
            return JobFairAttachment.objects.create(fair=fair, name=checked.name, path=relative,
                                                    size=len(checked.content), content_type=checked.content_type,
                                                    is_form_template=is_form_template)
    except Exception:
        delete_private(relative)
        raise


def remove_fair_attachment(*, actor, fair_id: int, attachment_id: int) -> None:
    _require_manager(actor)
    fair = fair_for_staff(actor, fair_id)
    attachment = fair.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotVisible("附件不存在")
    path = attachment.path
    attachment.delete()
    transaction.on_commit(lambda: delete_private(path))


# --- registrations (an approved enterprise, R-PT-08, 09, 10) --------------------------------------
@dataclass
class AttendeeInput:
    name: str = ""
    gender: str = ""
    title: str = ""
    phone: str = ""
    id_number: str = ""


@dataclass
class PositionInput:
    title: str = ""
    count: int | None = None
    education: str = ""  # lookup code (LookupKind.EDUCATION)
    major: str = ""
    description: str = ""
    salary_min: int | None = None
    salary_max: int | None = None


@dataclass
class RegistrationInput:
    fair_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    introduction: str = ""
    attendees: list[AttendeeInput] = field(default_factory=list)
    positions: list[PositionInput] = field(default_factory=list)
    custom: dict | None = None  # the custom fields the bureau shows on enterprise forms (None: not sent)


REQUIRED_FIELDS = ("fair_id", "contact_name", "contact_phone", "introduction", "attendees", "positions")
GENDERS = {Gender.MALE: Gender.MALE, Gender.FEMALE: Gender.FEMALE, "男": Gender.MALE, "女": Gender.FEMALE}


def _attendees(errors, rows: list[AttendeeInput], current: list[Attendee]) -> list[dict]:
    if not rows:
        errors.add("attendees", "请至少填写一名参会人员")
        return []
    if len(rows) > MAX_ATTENDEES:
        errors.add("attendees", f"参会人员最多{MAX_ATTENDEES}名")
        return []
    out = []
    seen_ids = {}
    for i, row in enumerate(rows):
        key = f"attendees[{i}]"
        before = current[i] if i < len(current) else None
        name = typed_text(errors, f"{key}.name", row.name, "参会人员姓名", limit=50, name=True)
        title = typed_text(errors, f"{key}.title", row.title, "职务", limit=50)
        gender = GENDERS.get((row.gender or "").strip())
        if gender is None:
            errors.add(f"{key}.gender", "请选择性别（男或女）")
        phone = pii.unmasked(pii.MOBILE, row.phone, before.phone if before else None)
        if not phone:
            errors.add(f"{key}.phone", "请填写参会人员手机号")
        else:
            try:
                phone = validate_mobile(phone)
            except ValidationError as exc:
                errors.add(f"{key}.phone", exc.messages[0])
        id_number = pii.unmasked(pii.ID_CARD, row.id_number, before.id_number if before else None)
        if not id_number:
            errors.add(f"{key}.id_number", "请填写参会人员身份证号")
        else:
            try:
                id_number = validate_id_number(id_number)
            except ValidationError as exc:
                errors.add(f"{key}.id_number", exc.messages[0])
            else:
                if id_number in seen_ids:
                    errors.add(f"{key}.id_number", f"与第{seen_ids[id_number] + 1}名参会人员的身份证号相同")
                seen_ids.setdefault(id_number, i)
        out.append({"position": i, "name": name, "gender": gender or "", "title": title, "phone": phone,
                    "id_number": id_number})
    return out


def _positions(errors, rows: list[PositionInput]) -> list[dict]:
    if not rows:
        errors.add("positions", "请至少填写一个招聘岗位")
        return []
    if len(rows) > MAX_POSITIONS:
        errors.add("positions", f"招聘岗位最多{MAX_POSITIONS}个")
        return []
    codes = {(row.education or "").strip() for row in rows}
    educations = {e.code: e for e in LookupEntry.objects.of(LookupKind.EDUCATION).selectable().filter(code__in=codes)}
    out = []
    for i, row in enumerate(rows):
        key = f"positions[{i}]"
        title = typed_text(errors, f"{key}.title", row.title, "岗位名称", limit=100)
        major = typed_text(errors, f"{key}.major", row.major, "专业要求", limit=100, required=False)
        description = typed_text(errors, f"{key}.description", row.description, "岗位描述",
                            limit=MAX_POSITION_DESCRIPTION, required=False, multiline=True)
        education = educations.get((row.education or "").strip())
        if education is None:
            errors.add(f"{key}.education", "请选择学历要求" if not row.education else "学历要求不在可选范围内")
        numbers = {}
        for name, label, low, high in (("count", "招聘人数", 1, MAX_HEADCOUNT),
                                       ("salary_min", "月薪下限", 0, MAX_SALARY),
                                       ("salary_max", "月薪上限", 0, MAX_SALARY)):
            try:
                value = whole_number(getattr(row, name))
            except (ValueError, TypeError):
                errors.add(f"{key}.{name}", f"{label}应为整数")
                continue
            if value is None:
                errors.add(f"{key}.{name}", f"请填写{label}")
            elif not low <= value <= high:
                errors.add(f"{key}.{name}", f"{label}应在{low}到{high}之间" if name != "count"
                           else f"招聘人数至少为1，最多{MAX_HEADCOUNT}")
            else:
                numbers[name] = value
        if "salary_min" in numbers and "salary_max" in numbers and numbers["salary_min"] > numbers["salary_max"]:
            errors.add(f"{key}.salary_max", "月薪上限不能低于月薪下限")
        out.append({"position": i, "title": title, "major": major, "description": description,
                    "education": education, **numbers})
    return out


def validate_registration(data: RegistrationInput, *, current: Registration | None = None) -> dict:
    """Every field checked at once; InvalidInput names each (``attendees[0].id_number`` …,
    as the site's API names rows)."""
    errors = ErrorCollector()
    if data.fair_id in (None, "") and current is None:
        errors.add("fair_id", "请选择招聘会")
    contact_name = typed_text(errors, "contact_name", data.contact_name, "联系人", limit=50, name=True)
    phone = pii.unmasked(pii.MOBILE, data.contact_phone, current.contact_phone if current else None)
    if not phone:
        errors.add("contact_phone", "请填写联系人手机号")
    else:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors.add("contact_phone", exc.messages[0])
    introduction = typed_text(errors, "introduction", data.introduction, "招聘简介", limit=MAX_INTRODUCTION,
                         multiline=True)
    attendees = _attendees(errors, list(data.attendees), list(current.attendees.all()) if current else [])
    positions = _positions(errors, list(data.positions))
    # Enterprises fill only the fields marked for public forms (core.custom_fields).
    custom = custom_fields.clean_values("registration", data.custom, errors=errors, public=True,
                                        current=current.custom if current else None, creating=current is None)
    errors.raise_if_any()
    return {"contact_name": contact_name, "contact_phone": phone, "introduction": introduction,
            "attendees": attendees, "positions": positions, "custom": custom}


def _event(registration, action, *, actor, before="", after=None, note="", at=None):
    RegistrationEvent.objects.create(registration=registration, action=action, from_status=before,
                                     to_status=after or registration.status, actor=actor, at=at or clock.now(),
                                     note=note[:500])


def _locked_own(actor, registration_id) -> Registration:
    """The enterprise's own registration, locked for this transaction."""
    registration = registration_for(actor, registration_id)  # 404 for anyone else's
    return Registration.objects.select_for_update().select_related("fair").get(pk=registration.pk)


def _check_open(fair):
    if not fair_accepts_registrations(fair, timezone.localdate(clock.now())):
        raise StateConflict(CLOSED)


def _replace_rows(registration, values):
    registration.attendees.all().delete()
    registration.positions.all().delete()
    Attendee.objects.bulk_create([Attendee(registration=registration, **row) for row in values["attendees"]])
    Position.objects.bulk_create([Position(registration=registration, **row) for row in values["positions"]])


def save_registration(*, actor, data: RegistrationInput, registration_id: int | None = None) -> Registration:
    """An approved enterprise registers for a fair open for registration (a
    draft until submitted), or changes its registration while not approved."""
    access = approved_enterprise(actor)
    account = access.account
    now = clock.now()
    if registration_id is None:
        values = validate_registration(data)
        fair = JobFair.objects.filter(pk=data.fair_id).first() if str(data.fair_id).isdigit() else None
        if fair is None:
            raise InvalidInput({"fair_id": ["招聘会不存在"]})
        _check_open(fair)
        if Registration.objects.filter(fair=fair, enterprise_id=account.enterprise_id).exists():
            raise InvalidInput({"fair_id": [ONE_PER_FAIR]})
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    fair=fair, account=account, enterprise_id=account.enterprise_id,
                    company_name=account.company_name, contact_name=values["contact_name"],
                    contact_phone=values["contact_phone"], introduction=values["introduction"],
                    custom=values["custom"])
                custom_fields.index("registration", registration.pk, registration.custom)
                _replace_rows(registration, values)
                _event(registration, "create", actor=actor, after=RegistrationStatus.DRAFT, at=now)
        except IntegrityError:  # the same company registering twice at once: one wins
            raise InvalidInput({"fair_id": [ONE_PER_FAIR]}) from None
        return registration
    with transaction.atomic():
        registration = _locked_own(actor, registration_id)
        problem = registration_error("save", registration.status)
        if problem:
            raise StateConflict(problem)
        if data.fair_id not in (None, "") and str(data.fair_id) != str(registration.fair_id):
            raise InvalidInput({"fair_id": ["已报名的招聘会不能更换；如需报名其他招聘会，请新建报名"]})
        _check_open(registration.fair)
        values = validate_registration(data, current=registration)
        registration.contact_name = values["contact_name"]
        registration.contact_phone = values["contact_phone"]
        registration.introduction = values["introduction"]
        registration.company_name = account.company_name
        registration.custom = values["custom"]
        registration.save()
        custom_fields.index("registration", registration.pk, registration.custom)
        _replace_rows(registration, values)
        _event(registration, "save", actor=actor, before=registration.status, at=now)
    return registration


def set_stamped_form(*, actor, registration_id: int, upload) -> Registration:
    """The registration form with the company's seal, scanned (R-PT-10): checked by content
    and size, images re-encoded without EXIF; replaces an earlier one."""
    registration_for(actor, registration_id)
    approved_enterprise(actor)
    if upload is None:
        raise InvalidInput({"file": ["请选择盖章报名表文件"]})
    try:
        checked = check_stamped_form(upload)
    except PhotoError as exc:
        raise InvalidInput({"file": [str(exc)]}) from None
    relative = save_private(FILES_FOLDER, checked.content, checked.suffix)
    old = ""
    try:
        with transaction.atomic():
            registration = _locked_own(actor, registration_id)
            problem = registration_error("save", registration.status)
            if problem:
                raise StateConflict(problem)
            _check_open(registration.fair)
            old = registration.stamped_form_path
            registration.stamped_form_path = relative
            registration.stamped_form_name = checked.name
            registration.stamped_form_type = checked.content_type
            registration.stamped_form_size = len(checked.content)
            registration.save()
            _event(registration, "stamped_form", actor=actor, before=registration.status, note=checked.name)
    except Exception:
        delete_private(relative)
        raise
    if old:
        delete_private(old)
    return registration


def submit_registration(*, actor, registration_id: int) -> Registration:
    """Send a draft or a corrected rejected registration to review: it must be complete."""
    approved_enterprise(actor)
    with transaction.atomic():
        registration = _locked_own(actor, registration_id)
        problem = registration_error("submit", registration.status)
        if problem:
            raise StateConflict(problem)
        _check_open(registration.fair)
        if not registration.stamped_form_path:
            raise InvalidInput({"stamped_form": ["请先上传加盖公章的报名表扫描件"]})
        before = registration.status
        registration.status = RegistrationStatus.PENDING
        registration.submitted_at = clock.now()
        registration.reject_reason = ""
        registration.save()
        _event(registration, "submit", actor=actor, before=before, at=registration.submitted_at)
    return registration


def withdraw_registration(*, actor, registration_id: int) -> None:
    """The enterprise takes back a registration that is not approved: the rows
    and the stamped form go; an audit row keeps that it happened."""
    approved_enterprise(actor)
    with transaction.atomic():
        registration = _locked_own(actor, registration_id)
        problem = registration_error("withdraw", registration.status)
        if problem:
            raise StateConflict(problem)
        path = registration.stamped_form_path
        audit.record(AuditLog.Action.RECORD_WITHDRAW, actor=actor, target=registration,
                     target_repr=f"撤回招聘会报名：{registration.company_name} · {registration.fair.name}",
                     detail={"fair": registration.fair_id, "status": registration.status})
        registration.delete()
        if path:
            transaction.on_commit(lambda: delete_private(path))


# --- review (staff, R-PT-18) ---------------------------------------------------------------------
def decide_registration(*, actor, registration_id: int, approve: bool, reason: str = "") -> Registration:
    """Approve a pending registration, or reject it with a reason the enterprise sees.
    Someone else's decision, or the enterprise's withdrawal, a moment earlier → 409 / 404."""
    require(actor, REVIEW_REGISTRATIONS, "您没有审核招聘会报名的权限")
    reason = "" if approve else reject_reason(reason)
    action = "approve" if approve else "reject"
    with transaction.atomic():
        registration = registration_for(actor, registration_id)
        registration = Registration.objects.select_for_update().select_related("fair").get(pk=registration.pk)
        problem = registration_error(action, registration.status)
        if problem:
            raise StateConflict(problem)
        before, now = registration.status, clock.now()
        registration.status = REGISTRATION_ACTIONS[action][2]
        registration.reject_reason = "" if approve else reason
        registration.decided_by, registration.decided_at = actor, now
        registration.save()
        _event(registration, action, actor=actor, before=before, at=now, note=reason)
    return registration
