"""benchmarks/generate.py --petitions: generated petitions look exactly like
petitions ``save_petition`` wrote (R-KB-15) — result and time together, history
rows without personal data, encrypted personal data — and the figures of the
one map count them as the definitions say (R-KB-18)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.utils import timezone
from zhonglou_hrss.core import clock, pii
from zhonglou_hrss.core.models import Grid
from zhonglou_hrss.kuaiban import rules
from zhonglou_hrss.kuaiban.selectors import figures as stats
from zhonglou_hrss.kuaiban.models import Petition, PetitionCompanion, PetitionEvent
from zhonglou_hrss.kuaiban.selectors.petitions import filter_petitions, petition_list_for
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

from tests.bench_generator import gen

pytestmark = pytest.mark.django_db


def test_generated_petitions_are_consistent(people):
    """R-KB-15: 120 generated petitions obey the service's rules."""
    report = gen.generate(enterprises=30, petitions=120, seed=3)

    assert report["petitions"].rows == 120
    petitions = list(Petition.objects.select_related("grid", "respondent", "registered_by"))
    assert len(petitions) == 120
    events = defaultdict(list)
    for e in PetitionEvent.objects.order_by("at", "id"):
        events[e.petition_id].append(e)
    assert PetitionCompanion.objects.count() + sum(len(v) for v in events.values()) == report["petitions"].related_rows
    now = clock.now()
    for p in petitions:
        where = f"petition {p.pk}"
        assert p.created_at <= now, where
        assert bool(p.result) == (p.handled_at is not None), where  # the DB check holds
        if p.handled_at:
            assert p.created_at < p.handled_at <= now, where
        assert p.updated_at == (p.handled_at or p.created_at), where
        assert p.registered_by.has_perm("kuaiban.add_petition"), where
        if p.respondent_uscc:
            assert p.respondent.uscc == p.respondent_uscc, where
        else:
            assert p.respondent_id is None, where
        history = events[p.pk]
        assert [e.action for e in history] == (["create", "update"] if p.handled_at else ["create"]), where
        assert history[0].at == p.created_at and history[0].actor_id == p.registered_by_id, where
        assert "身份证号" in history[0].changes["fields"] and "处置结果" not in history[0].changes["fields"]
        if p.handled_at:
            assert history[1].at == p.handled_at and history[1].changes["处置结果"]["to"] == p.result, where
        # History names what changed, never the personal data itself.
        text = json.dumps([e.changes for e in history], ensure_ascii=False)
        assert p.id_number not in text and p.phone not in text, where

    # A realistic spread: years, grids (区本级 too), mostly handled, some open.
    assert len({timezone.localtime(p.created_at).year for p in petitions}) >= 4
    kinds = Counter(p.grid.kind for p in petitions)
    assert kinds[Grid.Kind.DISTRICT] >= 3 and len({p.grid_id for p in petitions}) >= 6, kinds
    handled = sum(1 for p in petitions if p.handled_at)
    assert 90 <= handled < 120, handled
    assert 10 <= Petition.objects.filter(companions__isnull=False).distinct().count() <= 60

    # Personal data went through the PII field: encrypted at rest, hash filled, found by keyword.
    sample = petitions[0]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, id_number_hash, phone FROM {Petition._meta.db_table} WHERE id = %s",
                       [sample.pk])
        raw_id, raw_hash, raw_phone = cursor.fetchone()
    assert raw_id.startswith("gAAAAA") and pii.decrypt(raw_id) == sample.id_number
    assert raw_hash == pii.pii_hash(pii.ID_CARD, sample.id_number)
    assert pii.decrypt(raw_phone) == sample.phone
    found = filter_petitions(petition_list_for(people.clerk), q=sample.id_number)
    assert sample in found


def test_generated_petitions_continue_through_the_service_and_count_on_the_map(people):
    """R-KB-15, R-KB-18: an open generated petition is completed through the
    service, and the map's petition figures are the SQL counts of the rows."""
    gen.generate(enterprises=20, petitions=60, seed=4)
    open_one = Petition.objects.filter(handled_at__isnull=True).first() or Petition.objects.first()
    before_events = PetitionEvent.objects.filter(petition=open_one).count()
    data = PetitionInput(
        name=open_one.name, id_number=open_one.id_number, phone=open_one.phone,
        respondent_name=open_one.respondent_name, respondent_uscc=open_one.respondent_uscc,
        respondent_uscc_confirmed=True, reason=open_one.reason.code, grid=open_one.grid.code,
        demand=open_one.demand, result="已答复信访人", handled_at=clock.now())
    save_petition(actor=people.clerk, data=data, petition_id=open_one.pk)
    open_one.refresh_from_db()
    assert open_one.is_completed
    assert PetitionEvent.objects.filter(petition=open_one).count() == before_events + 1

    for year in {timezone.localtime(p.created_at).year for p in Petition.objects.all()}:
        start, end = rules.year_bounds(year)
        in_year = Petition.objects.filter(created_at__gte=start, created_at__lt=end)
        figures = stats.map_figures(people.leader, year)
        assert figures["totals"]["petitions"] == in_year.count()
        assert figures["totals"]["petitions_completed"] == in_year.exclude(result="").count()


def test_petitions_step_needs_enterprises(people):
    with pytest.raises(RuntimeError, match="企业库"):
        gen.generate(petitions=5)
