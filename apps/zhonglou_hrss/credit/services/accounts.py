"""HR-company accounts (R-CR-01) through core's one door for external
accounts (``core.services.accounts``), plus what credit keeps: the licence
number and date (fixed after registration, like the USCC)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhonglou_hrss.core import clock
from zhonglou_hrss.core.errors import ErrorCollector, InvalidInput
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services import accounts as core_accounts
from zhonglou_hrss.credit.models import HRCompanyLicence
from zhonglou_hrss.credit.services.common import typed_text

USCC_TAKEN = ("该统一社会信用代码已注册过账号：请用该账号登录，在“信用评价”中申请使用"
              "（POST /api/v1/credit/accounts/apply/），无需重新注册。")
LICENCE_FIXED = "许可证编号和取得日期注册后不能修改；如确有错误，请联系区人社局"


def _licence(errors: ErrorCollector, licence_no, licence_date) -> tuple[str, date | None]:
    number = typed_text(errors, "licence_no", licence_no, "劳务派遣经营许可证编号", limit=60)
    when = None
    if licence_date in (None, ""):
        errors.add("licence_date", "请填写首次取得劳务派遣经营许可的日期")
    else:
        try:
            when = licence_date if isinstance(licence_date, date) else date.fromisoformat(str(licence_date))
        except ValueError:
            errors.add("licence_date", "日期格式应为 YYYY-MM-DD")
        else:
            if when > clock.now().date():
                errors.add("licence_date", "取得许可日期不能晚于今天")
                when = None
    return number, when


def register_hr_company(*, data: core_accounts.RegistrationInput, licence_no, licence_date, request=None):
    """A company registers for credit: the account (role hr_company_user, a
    pending credit request) and its licence in one transaction."""
    errors = ErrorCollector()
    number, when = _licence(errors, licence_no, licence_date)
    with transaction.atomic():
        account = core_accounts.register_account(data=data, subsystem=Subsystem.CREDIT, request=request,
                                                 errors=errors, uscc_taken=USCC_TAKEN)
        HRCompanyLicence.objects.create(account=account, licence_no=number, licence_date=when)
    return account


def validate_hr_registration(*, data: core_accounts.RegistrationInput, licence_no, licence_date,
                             errors: ErrorCollector | None = None) -> None:
    """Every field of a credit registration checked at once, with what the
    caller found (``errors``: the portal's password repeat and captcha), so a
    refused form names all of its problems; raises InvalidInput, saves nothing."""
    errors = errors if errors is not None else ErrorCollector()
    _licence(errors, licence_no, licence_date)
    core_accounts.validate_registration(data, errors=errors, uscc_taken=USCC_TAKEN)


def apply_for_credit(*, actor, licence_no, licence_date, request=None):
    """An existing account (registered in the portal) applies for credit with its licence."""
    errors = ErrorCollector()
    number, when = _licence(errors, licence_no, licence_date)
    errors.raise_if_any()
    with transaction.atomic():
        access = core_accounts.request_access(actor=actor, subsystem=Subsystem.CREDIT, request=request)
        HRCompanyLicence.objects.update_or_create(account=access.account,
                                                  defaults={"licence_no": number, "licence_date": when})
    return access


def check_licence_unchanged(account, licence_no=None, licence_date=None):
    licence = getattr(account, "credit_licence", None)
    errors = ErrorCollector()
    if licence_no is not None and licence and licence_no.strip() != licence.licence_no:
        errors.add("licence_no", LICENCE_FIXED)
    if licence_date is not None and licence and str(licence_date) != licence.licence_date.isoformat():
        errors.add("licence_date", LICENCE_FIXED)
    if errors:
        raise InvalidInput(errors.errors)
