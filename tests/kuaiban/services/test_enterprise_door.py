"""A case's respondent names the enterprise registry entry through its one
door (core.services.enterprises.ensure_enterprise): one entry per USCC."""

from __future__ import annotations

import pytest

from zhonglou_hrss.core.models import Enterprise

GOOD = "91350100M000100Y43"


@pytest.mark.django_db
def test_a_case_respondent_goes_through_the_door(people, new_case):
    """R-KB-12: a respondent's USCC names the registry entry (one per code), created when new."""
    first = new_case(respondent_uscc=GOOD, respondent_name="常州甲公司")
    second = new_case(respondent_uscc=GOOD, respondent_name="常州甲公司（分公司）")
    assert first.respondent_id == second.respondent_id
    assert Enterprise.objects.get(uscc=GOOD).name == "常州甲公司"
