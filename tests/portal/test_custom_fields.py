"""Issue 17 on 人才需求: an enterprise fills only the fields the bureau shows on
enterprise forms (API and PC portal, errors next to the field, nothing saved),
reads them back; staff read the fields their roles may see — a personal one
masked until revealed — and filter the staff list by them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.portal.api.test_demands import DEMANDS, body
from tests.portal.conftest import api_as
from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.portal.models import Demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def defined(make_user):
    admin = make_user("cf_admin", roles=["admin"])
    cf.define(actor=admin, data={"object": "demand", "code": "urgent", "label": "是否急招", "type": "boolean",
                                 "public": True, "required": True})
    cf.define(actor=admin, data={"object": "demand", "code": "hr_mobile", "label": "人事经理手机", "type": "text",
                                 "public": True, "personal": True})
    cf.define(actor=admin, data={"object": "demand", "code": "staff_note", "label": "走访记录", "type": "long_text"})


def test_an_enterprise_fills_public_fields_through_the_api(accounts, defined):
    client = api_as(accounts.approved.user)
    refused = client.post(DEMANDS, body(custom={"staff_note": "内部"}), format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"custom.staff_note", "custom.urgent"}
    assert not Demand.objects.exists()
    made = client.post(DEMANDS, body(custom={"urgent": True, "hr_mobile": "13912345678"}), format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["custom"] == {"urgent": True, "hr_mobile": "13912345678"}  # its own: whole
    pk = made.json()["id"]
    client.post(f"{DEMANDS}{pk}/submit/")
    staff = api_as(accounts.staff)
    seen = staff.get(f"{DEMANDS}{pk}/").json()["custom"]
    assert seen == {"urgent": True, "hr_mobile": "1**********", "staff_note": None}
    assert [d["id"] for d in staff.get(DEMANDS, {"custom.urgent": "true"}).json()["results"]] == [pk]
    assert staff.get(DEMANDS, {"custom.urgent": "false"}).json()["results"] == []


def test_the_portal_form_offers_the_public_fields_and_the_desk_page_shows_them(accounts, defined):
    portal = Client()
    portal.force_login(accounts.approved.user)
    page = portal.get("/portal/demands/new/").content.decode()
    assert "是否急招" in page and "人事经理手机" in page and "走访记录" not in page
    form = {"contact_name": "周联系", "contact_phone": "13912345678", "months": ["3"], "workforce_size": "200",
            "services": ["job_fair"], "positions[0].position": "general_worker", "positions[0].description": "装配",
            "positions[0].headcount": "10", "positions[0].gender": "any", "positions[0].employment_type": "contract",
            "positions[0].salary_min": "4500", "positions[0].salary_max": "6000", "positions[0].age_band": "18_25",
            "positions[0].education": "senior_high", "positions[0].skill_level": "any",
            "positions[0].experience": "any", "action": "save", "custom.hr_mobile": "139"}
    bad = portal.post("/portal/demands/new/", form)
    html = bad.content.decode()
    assert "请填写是否急招" in html and 'value="139"' in html
    assert not Demand.objects.exists()
    form.update({"custom.urgent": "true", "custom.hr_mobile": "13912345678"})
    assert portal.post("/portal/demands/new/", form).status_code == 302
    demand = Demand.objects.get()
    assert demand.custom["urgent"] is True
    assert "是否急招" in portal.get(f"/portal/demands/{demand.pk}/").content.decode()
    from zhonglou_hrss.portal.services.demands import submit_demand

    submit_demand(actor=accounts.approved.user, demand_id=demand.pk)  # staff see submitted demands
    desk = Client()
    desk.force_login(accounts.staff)
    from django.urls import reverse

    url = reverse("admin:portal_demand_change", args=[demand.pk])
    response = desk.get(url, follow=True)
    assert response.status_code == 200
    url = response.redirect_chain[-1][0] if response.redirect_chain else url
    shown = response.content.decode()
    assert "是否急招" in shown and "13912345678" not in shown
    revealed = desk.get(url + "?pii=1").content.decode()
    assert "13912345678" in revealed
    assert "custom.hr_mobile" in AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW).latest("id").detail["fields"]


# --- 招聘会报名 and 急难愁盼 ---------------------------------------------------------------------
def test_job_fair_registrations_take_the_enterprise_fields(accounts, make_user):
    from tests.portal.api.test_registrations import URL, body
    from tests.portal.jobfairs import make_fair
    from zhonglou_hrss.portal.models import Registration

    admin = make_user("cf_admin2", roles=["admin"])
    cf.define(actor=admin, data={"object": "registration", "code": "booth", "label": "展位需求", "type": "choice",
                                 "public": True, "required": True,
                                 "choices": [{"code": "std", "label": "标准展位"}, {"code": "big", "label": "特装展位"}]})
    fair = make_fair(accounts.staff)
    client = api_as(accounts.approved.user)
    missing = client.post(URL, body(fair), format="json")
    assert missing.status_code == 400 and missing.json()["errors"]["custom.booth"] == ["请填写展位需求"]
    assert not Registration.objects.exists()
    made = client.post(URL, body(fair, custom={"booth": "big"}), format="json")
    assert made.status_code == 201 and made.json()["custom"] == {"booth": "big"}
    portal = Client()
    portal.force_login(accounts.approved.user)
    page = portal.get(f"/portal/registrations/{made.json()['id']}/?view=1").content.decode()
    assert "展位需求" in page and "特装展位" in page


def test_concerns_take_the_public_fields_on_the_api_and_the_form(db, make_user):
    from tests.portal.api.test_concerns import send
    from zhonglou_hrss.portal.models import Concern

    admin = make_user("cf_admin3", roles=["admin"])
    cf.define(actor=admin, data={"object": "concern", "code": "street", "label": "所在街道", "type": "choice",
                                 "lookup": "industry", "public": True, "required": True})
    cf.define(actor=admin, data={"object": "concern", "code": "follow_up", "label": "回访结果", "type": "text"})
    refused = send({"custom": {"follow_up": "已回访"}})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"custom.street", "custom.follow_up"}
    assert send({"custom": {"street": "C"}}).status_code == 201
    assert Concern.objects.get().custom == {"street": "C"}
    page = Client().get("/portal/concerns/").content.decode()
    assert "所在街道" in page and "回访结果" not in page
