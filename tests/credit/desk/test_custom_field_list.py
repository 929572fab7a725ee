"""Issue 17: custom fields in the desk's 信用申报 list — the marked columns,
the choice, number and date filters, a bad value in Chinese, a personal value
masked and a leaders' field absent for credit staff (tests/custom_lists.py)."""

from __future__ import annotations

import pytest

from tests.credit.desk.conftest import approved_company, desk, submitted_declaration
from tests.custom_lists import A, B, check_list, define_fields, give

pytestmark = pytest.mark.django_db


def test_issue_17_the_declaration_list(companies, in_window, credit_staff, make_user):
    define_fields(make_user("cf_cr_admin", roles=["admin"]), "declaration")
    other = approved_company(credit_staff, 41)
    for account, values in ((companies.approved, A), (other, B)):
        give(submitted_declaration(account), "declaration", values)
    names = [companies.approved.company_name, other.company_name]
    assert names[0] not in names[1] and names[1] not in names[0]
    check_list(desk(credit_staff), "/desk/credit/declaration/", *names)
