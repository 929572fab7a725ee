"""Responses, written: an approved enterprise's HR evaluation (R-CR-05), an
employee's evaluation (R-CR-08), staff's review (R-PT-15: valid / invalid
with a reason) and score corrections (R-CR-06: the original stays), each
with its timeline row, in one transaction.

One response per respondent, HR company and year is the database's
``q_response_once_uniq``: a second one — even at the same instant from
another request — is a ``StateConflict`` (409). The employee's ID number is
checked and kept only as ``pii_hash`` + ``mask``. Fraud signals
(``rules.FLAG_TEXTS``) only flag a response for staff; they change nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhonglou_hrss.core import clock, pii
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, StateConflict
from zhonglou_hrss.core.validators import clean_text, validate_id_number
from zhonglou_hrss.questionnaires.models import ClientHrCompany, Response, ResponseEvent
from zhonglou_hrss.questionnaires.rules import (
    BURST_COUNT,
    BURST_WINDOW,
    EMPLOYEE,
    ENTERPRISE_HR,
    IDENTICAL_COUNT,
    MAX_REASON,
    MIN_SECONDS,
    REVIEW,
    answers_fingerprint,
    clean_answers,
    flag,
    open_years,
    response_score,
)
from zhonglou_hrss.questionnaires.selectors.definitions import definition_of, published_by_key
from zhonglou_hrss.questionnaires.selectors.hr_companies import enterprise_of, enterprise_refusal, entry_enterprise
from zhonglou_hrss.questionnaires.selectors.responses import response_for

DUPLICATE_HR = "您本年度已评价过该单位；如需修改，请在“我的评价”中打开原评价修改（截止收集前可修改）"
DUPLICATE_EMPLOYEE = "该身份证号本年度已评价过该单位，每人每年对同一单位只能评价一次"
CLOSED = "该年度的问卷收集已截止，不能再提交或修改"


@dataclass
class ResponseInput:
    year: object = None
    target_uscc: str = ""
    answers: dict = field(default_factory=dict)
    id_number: str = ""  # employee only
    enterprise_uscc: str = ""  # employee: the enterprise they work at (optional in the API)
    ip: str | None = None
    device: str = ""
    started_at: dt.datetime | None = None


def _year(errors: dict, value, month_day: str, now) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        errors["year"] = ["请填写评价年度"]
        return None
    if year not in open_years(now, month_day):
        errors["year"] = [CLOSED if year < max(open_years(now, month_day)) else "评价年度不正确"]
        return None
    return year


def _headcount(definition_key: str, answers: dict) -> int | None:
    value = answers.get(definition_key) if definition_key else None
    try:
        return max(0, int(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _flags(response: Response, definition: dict) -> list[dict]:
    """The signals for one new response; earlier responses of the same burst get them too."""
    found = []
    recent = Response.objects.filter(questionnaire_id=response.questionnaire_id, target_id=response.target_id,
                                     submitted_at__gte=response.submitted_at - BURST_WINDOW,
                                     submitted_at__lte=response.submitted_at + BURST_WINDOW).exclude(pk=response.pk)
    minutes = int(BURST_WINDOW.total_seconds() // 60)
    for code, name, value in (("burst_ip", "ip", response.ip), ("burst_device", "device", response.device)):
        if not value:
            continue
        same = list(recent.filter(**{name: value}).values_list("pk", flat=True))
        if len(same) + 1 >= BURST_COUNT:
            found.append((flag(code, minutes=minutes, n=len(same) + 1), same))
    same = list(recent.filter(fingerprint=response.fingerprint).values_list("pk", flat=True))
    if len(same) + 1 >= IDENTICAL_COUNT:
        found.append((flag("identical", minutes=minutes, n=len(same) + 1), same))
    if response.started_at:
        seconds = int((response.submitted_at - response.started_at).total_seconds())
        if 0 <= seconds < MIN_SECONDS:
            found.append((flag("too_fast", seconds=seconds, minimum=MIN_SECONDS), []))
    flags = []
    for item, others in found:
        flags.append(item)
        for other in Response.objects.select_for_update().filter(pk__in=others):
            if item["code"] not in {f["code"] for f in other.flags}:
                other.flags = [*other.flags, item]
                other.flagged = True
                other.save(update_fields=["flags", "flagged"])
                ResponseEvent.objects.create(response=other, action="flagged", at=response.submitted_at,
                                             note=item["message"])
    return flags


def _target(errors: dict, definition, data: ResponseInput, enterprise):
    uscc = (data.target_uscc or "").strip().upper()
    if not uscc:
        errors["target_uscc"] = ["请选择被评价的劳务派遣（人力资源）单位"]
        return None
    rows = ClientHrCompany.objects.filter(hr_company__uscc=uscc).select_related("hr_company")
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    row = rows.first()
    if row is None:
        errors["target_uscc"] = ["该单位不在所选用工单位的合作人力资源企业名单中"]
        return None
    return row.hr_company


@dataclass
class _Prepared:
    version: object
    questionnaire: object
    enterprise: object
    target: object
    year: int
    respondent_key: str
    id_hash: str
    id_masked: str
    existing: Response | None
    answers: dict
    score: Decimal | None
    headcount: int | None
    fingerprint: str
    now: dt.datetime


def _prepare(key: str, data: ResponseInput, user, update: bool) -> _Prepared:
    """Every check of a response, all errors at once (``InvalidInput``), nothing written."""
    version = published_by_key(key)
    questionnaire = version.questionnaire
    now = clock.now()
    errors: dict[str, list[str]] = {}
    enterprise, id_hash, id_masked = None, "", ""
    if questionnaire.audience == ENTERPRISE_HR:
        refusal = enterprise_refusal(user)
        if refusal:
            raise ActionForbidden(refusal)
        enterprise = enterprise_of(user)
    else:
        try:
            number = validate_id_number(data.id_number or "")
            id_hash, id_masked = pii.pii_hash(pii.ID_CARD, number), pii.mask(pii.ID_CARD, number)
        except ValidationError as exc:
            errors["respondent.id_number"] = ["请填写身份证号"] if not (data.id_number or "").strip() else exc.messages
        if data.enterprise_uscc:
            enterprise = entry_enterprise(data.enterprise_uscc)
            if enterprise is None:
                errors["respondent.enterprise_uscc"] = ["请从列表中选择您所在的用工单位"]
    year = _year(errors, data.year, questionnaire.collection_close_month_day, now)
    target = _target(errors, None, data, enterprise) if "respondent.enterprise_uscc" not in errors else None
    respondent_key = f"e{enterprise.pk}" if questionnaire.audience == ENTERPRISE_HR else f"i{id_hash}"
    existing = None
    if update and questionnaire.audience == ENTERPRISE_HR and target is not None and year is not None:
        existing = Response.objects.filter(questionnaire=questionnaire, year=year, target=target,
                                           respondent_key=respondent_key).select_related("version").first()
    definition = definition_of(existing.version if existing else version)
    answers, answer_errors = clean_answers(definition, data.answers)
    errors.update({f"answers.{code}": msgs for code, msgs in answer_errors.items()})
    if errors:
        raise InvalidInput(errors)
    return _Prepared(version=version, questionnaire=questionnaire, enterprise=enterprise, target=target, year=year,
                     respondent_key=respondent_key, id_hash=id_hash, id_masked=id_masked, existing=existing,
                     answers=answers, score=response_score(definition, answers),
                     headcount=_headcount(questionnaire.headcount_question, answers),
                     fingerprint=answers_fingerprint(answers, definition), now=now)


def validate_response(*, key: str, data: ResponseInput, user=None) -> None:
    """The checks alone (a page showing every problem with a wrong captcha)."""
    _prepare(key, data, user, update=False)


def submit_response(*, key: str, data: ResponseInput, user=None, update: bool = False) -> Response:
    """A response to the published version of questionnaire ``key``. With
    ``update`` (the enterprise's own page), the enterprise's earlier response of
    the same HR company and year is changed instead (until the year closes),
    in the version it was given in."""
    p = _prepare(key, data, user, update)
    questionnaire, version, now = p.questionnaire, p.version, p.now
    existing, answers, score, headcount, fingerprint = p.existing, p.answers, p.score, p.headcount, p.fingerprint
    enterprise, target, year, respondent_key = p.enterprise, p.target, p.year, p.respondent_key
    id_hash, id_masked = p.id_hash, p.id_masked
    definition = definition_of(existing.version if existing else version)
    with transaction.atomic():
        if existing is not None:
            response = Response.objects.select_for_update().get(pk=existing.pk)
            before = response.score
            response.answers, response.score, response.headcount = answers, score, headcount
            response.fingerprint, response.updated_at = fingerprint, now
            response.save(update_fields=["answers", "score", "headcount", "fingerprint", "updated_at"])
            ResponseEvent.objects.create(response=response, action="updated", actor=user, at=now,
                                         note="企业修改了评价", data={"score_before": str(before)})
            return response
        response = Response(questionnaire=questionnaire, version=version, year=year, target=target,
                            enterprise=enterprise, user=user if questionnaire.audience == ENTERPRISE_HR else None,
                            respondent_key=respondent_key, id_number_hash=id_hash or "",
                            id_number_masked=id_masked or "", answers=answers, headcount=headcount, score=score,
                            ip=data.ip, device=(data.device or "")[:64], fingerprint=fingerprint,
                            started_at=data.started_at if data.started_at and data.started_at <= now else None,
                            submitted_at=now, updated_at=now)
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError:
            raise StateConflict(DUPLICATE_HR if questionnaire.audience == ENTERPRISE_HR
                                else DUPLICATE_EMPLOYEE) from None
        ResponseEvent.objects.create(response=response, action="submitted", actor=user, at=now,
                                     note="提交答卷", data={"score": str(score)})
        if questionnaire.audience == EMPLOYEE or data.ip or data.device:
            flags = _flags(response, definition)
            if flags:
                response.flags, response.flagged = flags, True
                response.save(update_fields=["flags", "flagged"])
                for item in flags:
                    ResponseEvent.objects.create(response=response, action="flagged", at=now, note=item["message"])
    return response


def _reason(value, *, required: bool) -> str:
    try:
        reason = clean_text(value or "", label="理由", multiline=True)
    except ValidationError as exc:
        raise InvalidInput({"reason": exc.messages}) from None
    if required and not reason:
        raise InvalidInput({"reason": ["请填写理由"]})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": [f"理由不能超过{MAX_REASON}个字"]})
    return reason


def _check_reviewer(actor, response_id):
    response_for(actor, response_id)  # 404 for who cannot see it
    if not actor.has_perm(REVIEW):
        raise ActionForbidden("您没有审核问卷答卷的权限")


def review(*, actor, response_id: int, valid, reason: str = "") -> Response:
    """有效 / 无效 with a reason (R-PT-15; a reason is required for 无效): a timeline row.
    Invalid responses leave every score and count."""
    _check_reviewer(actor, response_id)
    if not isinstance(valid, bool):
        raise InvalidInput({"valid": ["请选择有效或无效"]})
    reason = _reason(reason, required=not valid)
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response_id)
        before = response.valid
        response.valid, response.reviewed, response.review_reason = valid, True, reason
        response.save(update_fields=["valid", "reviewed", "review_reason"])
        ResponseEvent.objects.create(response=response, action="valid" if valid else "invalid", actor=actor,
                                     at=clock.now(), note=reason, data={"before": before})
    return response


def correct(*, actor, response_id: int, score, reason: str) -> Response:
    """A corrected score with its reason (R-CR-06); the questionnaire's own score stays."""
    _check_reviewer(actor, response_id)
    try:
        value = Decimal(str(score))
        if not value.is_finite() or isinstance(score, bool):
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput({"score": ["得分应为0到100之间的数字"]}) from None
    if not 0 <= value <= 100:
        raise InvalidInput({"score": ["得分应为0到100之间的数字"]})
    value = value.quantize(Decimal("0.01"))
    reason = _reason(reason, required=True)
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response_id)
        before = response.corrected_score
        response.corrected_score, response.correction_reason = value, reason
        response.save(update_fields=["corrected_score", "correction_reason"])
        ResponseEvent.objects.create(response=response, action="corrected", actor=actor, at=clock.now(), note=reason,
                                     data={"score": str(response.score), "before": str(before), "after": str(value)})
    return response
