"""Fraud signals (issue 14, beyond the requirements): bursts from one address
or one device cookie, identical answers within a burst, implausibly short
completion — flagged with an explanation, never applied: the responses stay
valid and counted until staff decide (R-PT-15)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.questionnaires.conftest import HR1, HR2, full_answers, this_year
from zhonglou_hrss.core import clock
from zhonglou_hrss.questionnaires.demo import id_number
from zhonglou_hrss.questionnaires.models import Response
from zhonglou_hrss.questionnaires.rules import BURST_COUNT, IDENTICAL_COUNT, MIN_SECONDS
from zhonglou_hrss.questionnaires.selectors.responses import composites
from zhonglou_hrss.questionnaires.services.responses import ResponseInput, submit_response

pytestmark = pytest.mark.django_db


def submit(n, *, target=HR1, ip=None, device="", answers=None, seconds=300, minutes_ago=0):
    moment = clock.now() - dt.timedelta(minutes=minutes_ago)
    with clock.at(moment):
        return submit_response(key="employee", data=ResponseInput(
            year=this_year(), target_uscc=target, answers=answers or full_answers("employee", 1 + n % 5),
            id_number=id_number(n), ip=ip or f"10.0.{n}.1", device=device or f"d{n}",
            started_at=moment - dt.timedelta(seconds=seconds)))


def codes(response):
    response.refresh_from_db()
    return {f["code"] for f in response.flags}


def test_burst_from_one_address_flags_the_whole_burst(world):
    """Five responses about one HR company from one address within 30 minutes: all five flagged, explained."""
    made = [submit(n, ip="10.9.9.9", minutes_ago=20 - n) for n in range(BURST_COUNT)]
    assert all("burst_ip" in codes(r) for r in made)
    assert made[-1].flags[0]["message"] == f"同一网络地址在30分钟内对该单位提交了{BURST_COUNT}份答卷"
    assert all(r.valid for r in Response.objects.all())  # never applied: still valid
    assert composites(made[0].questionnaire, this_year())[0].responses == BURST_COUNT


def test_spread_out_or_other_companies_are_not_a_burst(world):
    """The same address over hours, or for different companies, is not flagged."""
    for n in range(BURST_COUNT):
        submit(n, ip="10.9.9.8", minutes_ago=60 * n)
    for n in range(BURST_COUNT, BURST_COUNT + 3):
        submit(n, ip="10.9.9.7", target=HR2 if n % 2 else HR1)
    assert not Response.objects.filter(flagged=True).exists()


def test_burst_from_one_device_cookie(world):
    made = [submit(n, device="same-phone", minutes_ago=10 - n) for n in range(BURST_COUNT)]
    assert "burst_device" in codes(made[0]) and "burst_ip" not in codes(made[0])


def test_identical_answers_in_a_burst(world):
    """Three identical answer sets for one company within the window, from different addresses."""
    same = full_answers("employee", 5)
    made = [submit(n, answers=same, minutes_ago=5 - n) for n in range(IDENTICAL_COUNT)]
    assert all("identical" in codes(r) for r in made)
    other = submit(50, answers=full_answers("employee", 2))
    assert "identical" not in codes(other)


def test_implausibly_short_completion(world):
    fast = submit(60, seconds=MIN_SECONDS - 35)
    slow = submit(61, seconds=MIN_SECONDS + 60)
    assert codes(fast) == {"too_fast"} and fast.flags[0]["message"] == f"填写用时仅{MIN_SECONDS - 35}秒（少于{MIN_SECONDS}秒）"
    assert codes(slow) == set()
    assert fast.events.filter(action="flagged").exists()
