"""The credit demo data loads through the services (after core's demo users)."""

import pytest


@pytest.mark.django_db
def test_credit_demo_loads_declarations_in_several_stages():
    from zhonglou_hrss.core.demo import load_core_demo
    from zhonglou_hrss.credit.demo import load_demo
    from zhonglou_hrss.credit.models import Declaration

    load_core_demo()
    load_demo()
    load_demo()  # a second run adds nothing
    rows = {d.account.user.username: (d.status, d.credit_score, d.grade) for d in Declaration.objects.all()}
    # 21 bonus items at 1 point: 80 + 12 + 9 = 101 (AA); hr_demo1 has a −2 deduction: 99 (A)
    assert rows == {"hr_demo3": ("final_done", 101, "AA"), "hr_demo1": ("initial_done", 99, "A")}
