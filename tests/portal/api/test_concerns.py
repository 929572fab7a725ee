"""R-PT-11, 16 through the API: anyone sends a concern (captcha, limits, a
duplicate answers the first number), looks its status up by number +
mobile; 就业后台 list, open and move it forward, each step on the timeline.
Others see nothing of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.portal.conftest import api_as, make_concern
from zhonglou_hrss.core import captcha, clock
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.portal.models import Concern, ConcernEvent

pytestmark = pytest.mark.django_db
BODY = {"name": "王建国", "phone": "13812345678", "details": "公司拖欠工资怎么办？"}


def solved() -> dict:
    """A real captcha, answered (the API's clients do GET /api/v1/captcha/ first)."""
    challenge = APIClient().get("/api/v1/captcha/").json()
    assert set(challenge) == {"key", "image_url"} and challenge["image_url"].startswith("http")
    assert APIClient().get(challenge["image_url"]).status_code == 200
    return {"captcha_key": challenge["key"], "captcha_value": captcha.answer_for(challenge["key"])}


def send(body=None, **kwargs):
    return APIClient(**kwargs).post("/api/v1/portal/concerns/", {**BODY, **solved(), **(body or {})}, format="json")


def test_anyone_sends_a_concern_and_gets_its_number(db):
    response = send()
    assert response.status_code == 201
    number = response.json()["number"]
    assert number == f"JN{timezone.localdate().year}-000001"
    concern = Concern.objects.get()
    assert (concern.name, concern.phone, concern.status) == ("王建国", "13812345678", "new")
    assert ConcernEvent.objects.get().to_status == "new"
    assert send({"details": "另一件事"}).json()["number"].endswith("000002")


def test_the_captcha_is_required_and_spent(db):
    missing = APIClient().post("/api/v1/portal/concerns/", BODY, format="json")
    assert missing.status_code == 400 and missing.json()["errors"]["captcha_value"] == ["请输入验证码"]
    answer = solved()
    wrong = APIClient().post("/api/v1/portal/concerns/", {**BODY, **answer, "captcha_value": "AAAA"}, format="json")
    assert wrong.json()["errors"]["captcha_value"] == ["验证码不正确，请重新输入"]
    replay = APIClient().post("/api/v1/portal/concerns/", {**BODY, **answer}, format="json")
    assert replay.status_code == 400  # one try per key
    both = APIClient().post("/api/v1/portal/concerns/", {"phone": "1"}, format="json").json()["errors"]
    assert set(both) == {"name", "phone", "details", "captcha_value"}  # every error at once
    assert not Concern.objects.exists()


def test_a_duplicate_within_minutes_returns_the_first_number(db):
    first = send().json()["number"]
    assert send({"name": "王建国 ", "details": " 公司拖欠工资怎么办？ "}).json()["number"] == first
    assert Concern.objects.count() == 1
    with clock.at(timezone.now() + timedelta(minutes=11)):
        later = send().json()["number"]
    assert later != first and Concern.objects.count() == 2


def test_limits_per_address_and_per_mobile(db, settings):
    settings.PORTAL_CONCERNS_PER_IP_HOUR = 2
    settings.PORTAL_CONCERNS_PER_PHONE_DAY = 3
    for i in range(2):
        assert send({"details": f"事{i}"}, REMOTE_ADDR="10.1.1.1").status_code == 201
    refused = send({"details": "第三件"}, REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429 and "网络" in refused.json()["detail"]
    assert send({"details": "第三件"}, REMOTE_ADDR="10.1.1.2").status_code == 201
    phone = send({"details": "第四件"}, REMOTE_ADDR="10.1.1.3")
    assert phone.status_code == 429 and "手机号" in phone.json()["detail"]
    assert Concern.objects.count() == 3


def test_look_up_by_number_and_mobile(db, settings):
    settings.PORTAL_LOOKUP_FAILURES_PER_IP_HOUR = 2
    number = send().json()["number"]
    client = APIClient(REMOTE_ADDR="10.2.2.2")
    found = client.get("/api/v1/portal/concerns/lookup/", {"number": number, "phone": "138 1234 5678"})
    assert found.status_code == 200
    assert set(found.json()) == {"number", "status", "status_label", "updated_at"}
    assert found.json()["status_label"] == "新提交"
    assert client.get("/api/v1/portal/concerns/lookup/", {"number": number, "phone": "13800000000"}).status_code == 404
    assert client.get("/api/v1/portal/concerns/lookup/", {"number": "JN2000-000001", "phone": BODY["phone"]}
                      ).status_code == 404
    assert client.get("/api/v1/portal/concerns/lookup/", {"number": number, "phone": BODY["phone"]}).status_code == 429


def test_staff_list_filter_and_see_masked_phones(staff):
    a = make_concern(1, details="拖欠工资")
    make_concern(2, details="社保补贴")
    client = api_as(staff)
    page = client.get("/api/v1/portal/concerns/").json()
    assert page["count"] == 2 and page["results"][0]["phone"] == "138****0002"
    assert client.get("/api/v1/portal/concerns/", {"q": "工资"}).json()["results"][0]["id"] == a.pk
    assert client.get("/api/v1/portal/concerns/", {"q": a.number}).json()["count"] == 1
    assert client.get("/api/v1/portal/concerns/", {"q": "13812340001"}).json()["count"] == 1
    assert client.get("/api/v1/portal/concerns/", {"status": "viewed"}).json()["count"] == 0
    today = str(timezone.localdate())
    assert client.get("/api/v1/portal/concerns/", {"date_from": today, "date_to": today}).json()["count"] == 2
    assert client.get("/api/v1/portal/concerns/", {"status": "x"}).status_code == 400


def test_staff_move_a_concern_forward_with_who_and_when(staff):
    concern = make_concern(1)
    client = api_as(staff)
    viewed = client.post(f"/api/v1/portal/concerns/{concern.pk}/status/", {"status": "viewed"}, format="json")
    assert viewed.status_code == 200 and viewed.json()["status"] == "viewed"
    assert viewed.json()["phone"] == "13812340001"  # portal staff may see it whole: audited
    assert AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW, target_id=str(concern.pk)).exists()
    back = client.post(f"/api/v1/portal/concerns/{concern.pk}/status/", {"status": "viewed"}, format="json")
    assert back.status_code == 409
    done = client.post(f"/api/v1/portal/concerns/{concern.pk}/status/", {"status": "completed"}, format="json")
    assert done.status_code == 200
    events = done.json()["events"]
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in events] == [
        ("viewed", "completed", "王就业"), ("new", "viewed", "王就业"), ("", "new", "提交人")]
    assert client.post(f"/api/v1/portal/concerns/{concern.pk}/status/", {"status": "contacted"},
                       format="json").status_code == 409
    assert client.post(f"/api/v1/portal/concerns/{concern.pk}/status/", {"status": "new"},
                       format="json").status_code == 400
    lookup = APIClient().get("/api/v1/portal/concerns/lookup/", {"number": concern.number, "phone": concern.phone})
    assert lookup.json()["status"] == "completed"


@pytest.mark.parametrize("role", ["clerk", "leader", "inspector", "grid_worker", "credit_staff", "enterprise_user"])
def test_nobody_else_sees_concerns(role_user, role):
    concern = make_concern(1)
    client = api_as(role_user(role))
    assert client.get("/api/v1/portal/concerns/").status_code == 403
    assert client.get(f"/api/v1/portal/concerns/{concern.pk}/").status_code == 403
    assert client.post(f"/api/v1/portal/concerns/{concern.pk}/status/", {"status": "viewed"},
                       format="json").status_code == 403
    assert APIClient().get("/api/v1/portal/concerns/").status_code == 401
    assert Concern.objects.get().status == "new"


def test_an_approved_enterprise_sees_no_concerns(accounts):
    make_concern(1)
    assert api_as(accounts.approved.user).get("/api/v1/portal/concerns/").status_code == 403


def test_typed_text_follows_the_sites_rule(db):
    """Names and details as core.validators writes them: control and invisible characters refused,
    naming the field; full-width letters in a name made plain."""
    refused = send({"name": "王\u0007建国", "details": "工资\u200b拖欠"})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"name", "details"}
    assert send({"name": "ＷＡＮＧ　建国"}).status_code == 201
    assert Concern.objects.get().name == "WANG 建国"
