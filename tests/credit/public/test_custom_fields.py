"""Issue 17 on 信用申报: the HR company fills the fields the bureau shows on its
form (a draft may leave a required one empty; submitting may not — nothing
saved then), through the portal's form and the API; staff read them on the
declaration's desk page and in the API by their roles."""

from __future__ import annotations

import pytest

from tests.credit.conftest import YEAR, api_as
from tests.credit.desk.conftest import desk
from tests.credit.public.conftest import page_client
from tests.credit.public.test_R_CR_02_portal_declaration import filled, page_of
from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.credit.services import declarations as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(companies, in_window, make_user):
    admin = make_user("cf_admin_cr", roles=["admin"])
    cf.define(actor=admin, data={"object": "declaration", "code": "dispatched", "label": "在派劳动者人数",
                                 "type": "number", "public": True, "required": True})
    cf.define(actor=admin, data={"object": "declaration", "code": "visit", "label": "实地核查意见",
                                 "type": "long_text", "view_roles": ["信用评价管理员"]})
    return services.create_declaration(actor=companies.approved.user, year=YEAR)


def test_the_form_offers_the_field_a_draft_may_leave_it_submitting_may_not(companies, started):
    hr = page_client(companies.approved.user)
    page = hr.get(page_of(started)).content.decode()
    assert "在派劳动者人数" in page and "实地核查意见" not in page
    bad = hr.post(page_of(started), filled(started, **{"custom.dispatched": "很多"})).content.decode()
    assert "在派劳动者人数：应为整数" in bad
    started.refresh_from_db()
    assert started.custom == {} and started.lines.filter(self_points__isnull=False).count() == 0
    assert hr.post(page_of(started), filled(started)).status_code == 302  # a draft without it
    refused = hr.post(page_of(started), filled(started, action="submit", pledge="1")).content.decode()
    assert "请填写在派劳动者人数" in refused
    started.refresh_from_db()
    assert started.status == "draft"
    done = hr.post(page_of(started), filled(started, action="submit", pledge="1", **{"custom.dispatched": "120"}))
    assert done.status_code == 302
    started.refresh_from_db()
    assert started.status == "submitted" and started.custom == {"dispatched": 120}


def test_the_api_and_the_desk_carry_them_by_role(companies, started, credit_staff):
    company = api_as(companies.approved.user)
    saved = company.put(f"/api/v1/credit/declarations/{started.pk}/", {"year": YEAR, "custom": {"dispatched": 80}},
                        format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["custom"] == {"dispatched": 80}
    refused = company.put(f"/api/v1/credit/declarations/{started.pk}/", {"year": YEAR, "custom": {"visit": "x"}},
                          format="json")
    assert refused.status_code == 400 and "custom.visit" in refused.json()["errors"]
    staff = api_as(credit_staff).get(f"/api/v1/credit/declarations/{started.pk}/").json()
    assert staff["custom"] == {"dispatched": 80, "visit": None}
    html = desk(credit_staff).get(f"/desk/credit/declaration/{started.pk}/").content.decode()
    assert "在派劳动者人数" in html and "实地核查意见" in html


def test_while_only_returned_items_may_change_the_fields_stay(companies, started, credit_staff):
    """R-CR-02: a declaration returned for some items keeps everything else, its custom fields too
    (the service's rule: the portal hides them, the API is refused)."""
    company = api_as(companies.approved.user)
    url = f"/api/v1/credit/declarations/{started.pk}/"
    items = [{"item": code, "self_points": 1, "note": ""} for code in
             started.lines.values_list("item__code", flat=True)]
    assert company.put(url, {"year": YEAR, "items": items, "custom": {"dispatched": 80}},
                       format="json").status_code == 200
    assert company.post(url + "submit/").status_code == 200
    returned = api_as(credit_staff).post(url + "return/", {"reason": "请补充材料", "items": [items[0]["item"]]},
                                         format="json")
    assert returned.status_code == 200, returned.json()
    refused = company.put(url, {"year": YEAR, "custom": {"dispatched": 90}}, format="json")
    assert refused.status_code == 400 and "custom" in refused.json()["errors"]
    started.refresh_from_db()
    assert started.custom == {"dispatched": 80}
