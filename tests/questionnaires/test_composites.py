"""R-CR-07 / R-CR-09: the composites the database computes (one grouped
query; the trimmed mean with window functions) equal the rule in Python
(``rules.aggregate``) on many random years of responses — every aggregation,
corrections counted, invalid responses left out."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.questionnaires.conftest import this_year
from zhonglou_hrss.core.models import Enterprise
from zhonglou_hrss.questionnaires.models import Questionnaire, Response
from zhonglou_hrss.questionnaires.rules import aggregate
from zhonglou_hrss.questionnaires.selectors.responses import composites

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rule,percent", [("mean", 10), ("trimmed", 10), ("trimmed", 25), ("trimmed", 0),
                                          ("headcount", 10)])
def test_database_composites_equal_the_python_rule(world, rule, percent):
    questionnaire = Questionnaire.objects.get(key="employee")
    questionnaire.aggregation, questionnaire.trim_percent = rule, percent
    questionnaire.save()
    version = questionnaire.versions.get()
    rng = random.Random(f"{rule}{percent}")
    targets = [Enterprise.objects.create(uscc=None, name=f"随机单位{i}") for i in range(12)]
    expected_rows = defaultdict(list)
    rows = []
    for n in range(400):
        target = rng.choice(targets)
        score = Decimal(rng.randint(0, 10000)) / 100 if rng.random() > 0.05 else None
        corrected = Decimal(rng.randint(0, 100)) if rng.random() < 0.1 else None
        headcount = rng.choice([None, 0, 1, 5, 30, 200])
        valid = rng.random() > 0.1
        rows.append(Response(questionnaire=questionnaire, version=version, year=this_year(), target=target,
                             respondent_key=f"r{n}", answers={}, score=score, corrected_score=corrected,
                             headcount=headcount, valid=valid, submitted_at=version.published_at,
                             updated_at=version.published_at))
        final = corrected if corrected is not None else score
        if valid and final is not None:
            expected_rows[target.pk].append((final, headcount))
    Response.objects.bulk_create(rows)
    found = {c.target_id: c for c in composites(questionnaire, this_year())}
    assert set(found) == set(expected_rows)
    for target_id, pairs in expected_rows.items():
        expected = aggregate(rule, pairs, trim_percent=percent)
        assert found[target_id].responses == len(pairs)
        assert found[target_id].score == expected, (rule, percent, len(pairs), found[target_id].score, expected)
