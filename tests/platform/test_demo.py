"""The platform demo data loads through the services (after core's demo users): two custom
fields and a saved report a leader shares; the report runs for a clerk it is shared with."""

import pytest
from rest_framework.test import APIClient

from tests.tokens import authorize


@pytest.mark.django_db
def test_platform_demo_defines_fields_and_a_shared_report():
    from zhonglou_hrss.core.demo import load_core_demo
    from zhonglou_hrss.core.models import CustomField, User
    from zhonglou_hrss.platform.demo import load_demo
    from zhonglou_hrss.platform.models import SavedReport

    load_core_demo()
    load_demo()
    load_demo()  # a second run adds nothing
    assert sorted(CustomField.objects.values_list("object", "code")) == [("case", "workers"), ("demand", "urgent")]
    report = SavedReport.objects.get()
    clerk = User.objects.filter(groups__name="区后勤人员").first()
    client = APIClient()
    authorize(client, clerk)
    ran = client.get(f"/api/v1/platform/reports/{report.pk}/run/")
    assert ran.status_code == 200 and [c["label"] for c in ran.json()["columns"]][:1] == ["所属网格"]
