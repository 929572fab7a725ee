"""R-CR-03: two staff scoring one declaration at once never lose an entry
(the declaration row is locked first). Real threads, real transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from tests.credit.conftest import YEAR, hr_company
from zhonglou_hrss.core.models import Subsystem
from zhonglou_hrss.core.services.accounts import decide_access
from zhonglou_hrss.credit.models import CriteriaYear, Declaration, Deduction
from zhonglou_hrss.credit.services import declarations, scoring


@pytest.mark.django_db(transaction=True)
def test_R_CR_03_concurrent_scoring_and_deductions_keep_every_entry(base_data, make_user):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    CriteriaYear.objects.filter(year=YEAR).update(window_start=today - timedelta(days=1),
                                                  window_end=today + timedelta(days=5))
    first = make_user("c_one", roles=["credit_staff"])
    second = make_user("c_two", roles=["credit_staff"])
    company = hr_company(1)
    decide_access(actor=first, account_id=company.pk, subsystem=Subsystem.CREDIT, approve=True)
    declaration = declarations.create_declaration(actor=company.user, year=YEAR)
    codes = list(declaration.lines.values_list("item__code", flat=True))
    declarations.save_declaration(actor=company.user, declaration_id=declaration.pk, data=declarations.DeclarationInput(
        [declarations.LineInput(code, 0) for code in codes]))
    declarations.submit_declaration(actor=company.user, declaration_id=declaration.pk)

    half = len(codes) // 2
    barrier = threading.Barrier(2)
    failures = []

    def work(user, mine):
        try:
            barrier.wait()
            for code in mine:
                scoring.score_items(actor=user, declaration_id=declaration.pk, stage="initial",
                                    items=[scoring.ScoreInput(code, 1)])
                scoring.add_deduction(actor=user, declaration_id=declaration.pk, item="WF-02", points=-2,
                                      basis=f"{user.username} {code}")
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=work, args=(first, codes[:half])),
               threading.Thread(target=work, args=(second, codes[half:]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures
    fresh = Declaration.objects.get(pk=declaration.pk)
    assert list(fresh.lines.filter(initial_points__isnull=True)) == []
    assert Deduction.objects.filter(declaration=fresh).count() == len(codes)
    done = scoring.confirm_stage(actor=first, declaration_id=declaration.pk, stage="initial")
    assert done.credit_score == 80 + 12 + 9 - 2 * len(codes)
