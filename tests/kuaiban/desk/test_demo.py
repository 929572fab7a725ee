"""Demo petitions (R-KB-15, shown on the one map R-KB-18 and the analysis
R-KB-19): ``manage.py load_demo`` on a demo site enters petitions through the
real service, as the demo clerk, spread over the year(s), street grids and
区本级, about two thirds completed — and a second run adds nothing."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.tokens import authorize
from zhonglou_hrss.core.models import Grid, User
from zhonglou_hrss.kuaiban import rules as stats
from zhonglou_hrss.kuaiban.models import Case, Petition, PetitionEvent
from zhonglou_hrss.kuaiban.rules import PETITION_COMPLETED_Q as COMPLETED_Q

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(settings):
    """The test site, marked ``demo = true`` as a demo site's config is (load_demo refuses otherwise)."""
    site = settings.SITE
    settings.SITE = dataclasses.replace(site, raw={**site.raw, "site": {**site.site, "demo": True}})


def api(username: str) -> APIClient:
    client = APIClient()
    authorize(client, User.objects.get(username=username))
    return client


def test_load_demo_enters_petitions_seen_in_the_list_and_on_the_map_once(demo_site):
    """R-KB-15/R-KB-18: demo petitions exist, are complete records with history,
    show in the clerk's list and the map's totals, and load_demo is idempotent."""
    call_command("load_demo", stdout=io.StringIO())

    petitions = Petition.objects.all()
    total = petitions.count()
    assert total >= 20
    completed = petitions.filter(COMPLETED_Q)
    assert 0 < completed.count() < total  # both completed and open ones
    assert petitions.filter(grid__kind=Grid.Kind.DISTRICT).exists()  # 区本级
    assert petitions.exclude(grid__kind=Grid.Kind.DISTRICT).exists()
    assert petitions.filter(companions__isnull=False).exists()
    assert all(p.registered_by.username == "clerk" for p in petitions.select_related("registered_by"))

    # Every petition was entered ('create' at its entry time); every completed one
    # was completed later by an update naming the result and time.
    for petition in petitions:
        events = list(PetitionEvent.objects.filter(petition=petition).order_by("at", "id"))
        assert events[0].action == "create" and events[0].at == petition.created_at, petition.pk
        if petition.is_completed:
            assert [e.action for e in events] == ["create", "update"], petition.pk
            update = events[1]
            assert update.at == petition.handled_at > petition.created_at, petition.pk
            assert {"处置结果", "处置时间"} <= set(update.changes), update.changes
        else:
            assert [e.action for e in events] == ["create"], petition.pk

    # The petition list: all of them for the demo clerk, none for a demo grid worker.
    response = api("clerk").get("/api/v1/kuaiban/petitions/")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == total
    worker = User.objects.filter(username__startswith="grid_").order_by("username").first()
    response = api(worker.username).get("/api/v1/kuaiban/petitions/")
    assert response.status_code == 200 and response.json()["count"] == 0

    # The map's petition totals are the year's petitions (Beijing time): this
    # year's, and those of every year the demo spans.
    years = {timezone.localtime(p.created_at).year for p in petitions} | {stats.this_year()}
    for year in sorted(years):
        of_year = [p for p in petitions if timezone.localtime(p.created_at).year == year]
        response = api("clerk").get(f"/api/v1/kuaiban/stats/map/?year={year}")
        assert response.status_code == 200, response.content
        totals = response.json()["totals"]
        assert totals["petitions"] == len(of_year), year
        assert totals["petitions_completed"] == sum(p.is_completed for p in of_year), year

    # A second run adds nothing: neither petitions, nor history, nor cases.
    before = (Petition.objects.count(), PetitionEvent.objects.count(), Case.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Petition.objects.count(), PetitionEvent.objects.count(), Case.objects.count()) == before


def test_a_demo_site_with_cases_but_no_petitions_gets_petitions(demo_site):
    """An existing demo site (cases loaded before petitions were in the demo)
    gets its petitions on the next load_demo; its cases are left alone."""
    call_command("load_demo", stdout=io.StringIO())
    Petition.objects.all().delete()  # events and companions go with them (CASCADE)
    cases = Case.objects.count()
    assert cases > 0 and not PetitionEvent.objects.exists()

    call_command("load_demo", stdout=io.StringIO())
    assert Petition.objects.count() >= 20
    assert Case.objects.count() == cases
