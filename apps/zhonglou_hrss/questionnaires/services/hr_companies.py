"""An approved enterprise's list of the HR companies it works with (R-CR-05):
USCC (checked) + full name; the HR company is the registry entry of that
USCC (``core.services.enterprises.ensure_enterprise``: linked to the
registered company when one exists, created otherwise)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput, NotVisible, StateConflict
from zhonglou_hrss.core.services.enterprises import clean_uscc, ensure_enterprise
from zhonglou_hrss.core.validators import clean_name
from zhonglou_hrss.questionnaires.models import ClientHrCompany, Response
from zhonglou_hrss.questionnaires.rules import MAX_HR_COMPANIES
from zhonglou_hrss.questionnaires.selectors.hr_companies import enterprise_of, enterprise_refusal

ALREADY = "该单位已在您的名单中"


def _enterprise(actor):
    refusal = enterprise_refusal(actor)
    if refusal:
        raise ActionForbidden(refusal)
    return enterprise_of(actor)


def add_hr_company(*, actor, uscc: str, name: str, confirm_uscc: bool = False) -> ClientHrCompany:
    enterprise = _enterprise(actor)
    errors = ErrorCollector()
    code = ""
    try:
        code, _ok = clean_uscc(uscc, confirmed=confirm_uscc)
        if not code:
            errors.add("uscc", "请填写统一社会信用代码")
    except ValidationError as exc:
        errors.add("uscc", exc.messages[0])
    try:
        name = clean_name(name, label="单位全称")
        if not name:
            errors.add("name", "请填写单位全称")
        elif len(name) > 200:
            errors.add("name", "单位全称不能超过200个字")
    except ValidationError as exc:
        errors.add("name", exc.messages[0])
    if code and code == enterprise.uscc:
        errors.add("uscc", "不能把本单位加入合作人力资源企业名单")
    errors.raise_if_any()
    with transaction.atomic():
        if ClientHrCompany.objects.filter(enterprise=enterprise).count() >= MAX_HR_COMPANIES:
            raise InvalidInput({"uscc": [f"名单最多{MAX_HR_COMPANIES}家单位"]})
        hr_company = ensure_enterprise(uscc=code, name=name)
        try:
            with transaction.atomic():
                return ClientHrCompany.objects.create(enterprise=enterprise, hr_company=hr_company, name=name)
        except IntegrityError:
            raise StateConflict(ALREADY) from None


@transaction.atomic
def remove_hr_company(*, actor, uscc: str) -> None:
    """Off the list (its evaluations stay). An unknown code is a 404."""
    enterprise = _enterprise(actor)
    row = ClientHrCompany.objects.filter(enterprise=enterprise, hr_company__uscc=(uscc or "").strip().upper()).first()
    if row is None:
        raise NotVisible("名单中没有该单位")
    row.delete()


def has_evaluations(enterprise, hr_company) -> bool:
    return Response.objects.filter(enterprise=enterprise, target=hr_company, user__isnull=False).exists()
