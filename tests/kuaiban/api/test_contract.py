"""The API's contract where schemathesis found it broken (issue 10 item 10):
every error under /api/ is JSON, paging is checked and documented, the years'
bounds are in the schema, and personal data sent back masked means unchanged.
The schemathesis run itself: tests/test_api_schemathesis.py."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.conftest import MODEL_BACKEND, PASSWORD
from tests.kuaiban.conftest import VALID_IDS, id_number_for
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.kuaiban.models import PetitionEvent
from zhonglou_hrss.kuaiban.rules import YEAR_MAX, YEAR_MIN
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition

pytestmark = pytest.mark.django_db

CASES = "/api/v1/kuaiban/cases/"
PETITIONS = "/api/v1/kuaiban/petitions/"
LISTS = [CASES, PETITIONS]
ID_MAIN = id_number_for(1012)
ID_COMPANION = VALID_IDS[1]  # born 1960: birth dates before 1900 are refused


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def signed_in(user) -> Client:
    """A client with the token the API hands out for this user's password."""
    token = Client().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                          content_type="application/json").json()["token"]
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert is_chinese(body["detail"]), body
    return body


# --- (a) every error under /api/ in JSON ---------------------------------------------------------
NO_ROUTE = [
    CASES + "abc/",  # an id that is not a number
    PETITIONS + "abc/",
    CASES + "-1/",
    CASES + "1/grid_accept/extra/",
    "/api/v1/nothing/",
    "/api/v2/kuaiban/cases/",
    "/api/",
]


@pytest.mark.parametrize("url", NO_ROUTE)
def test_a_url_no_route_matches_under_api_is_a_json_404(people, url):
    """issue 10 item 10a: non-integer ids and unknown addresses under /api/
    answered Django's HTML 404; now the API's JSON 404, signed in or not."""
    for client in (Client(), signed_in(people.clerk)):
        assert_json_error(client.get(url), 404)
        assert_json_error(client.post(url, {}, content_type="application/json"), 404)


def test_pages_outside_api_keep_their_html_404(db):
    """issue 10 item 10a: elsewhere the site's own Chinese page answers, as before."""
    response = Client().get("/kuaiban/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize(("method", "url"), [("put", CASES), ("delete", CASES), ("patch", CASES + "1/"),
                                             ("delete", PETITIONS + "1/"), ("get", "/api/v1/auth/token/")])
def test_a_method_an_endpoint_lacks_is_a_json_405(people, method, url):
    """issue 10 item 10a: 405 in JSON, in Chinese."""
    assert_json_error(getattr(signed_in(people.clerk), method)(url), 405)


def test_a_failure_under_api_is_a_json_500_elsewhere_html(people, monkeypatch):
    """issue 10 item 10a: a bug answers 500 — JSON under /api/ (never a page a
    client cannot read), Django's page elsewhere."""
    from zhonglou_hrss.core import views as core_views
    from zhonglou_hrss.kuaiban.api import cases

    def broken(*args, **kwargs):
        raise RuntimeError("测试：故意出错")

    monkeypatch.setattr(cases, "case_detail_data", broken)
    monkeypatch.setattr(core_views, "render", broken)
    client = Client(raise_request_exception=False)
    client.force_login(people.clerk, backend=MODEL_BACKEND)
    body = assert_json_error(client.get(CASES + "1/"), 500)
    assert "RuntimeError" not in body["detail"] and "故意" not in body["detail"]
    page = client.get("/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
    assert "系统暂时出错了" in page.content.decode()


# --- (b) paging checked and documented -----------------------------------------------------------
@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("query", "field"), [
    ({"page": "0"}, "page"),
    ({"page": "-1"}, "page"),
    ({"page": "abc"}, "page"),
    ({"page": "1.5"}, "page"),
    ({"page": "last"}, "page"),
    ({"page": "１"}, "page"),  # a full-width digit
    ({"page": "1" * 5000}, "page"),  # more digits than int() reads
    ({"page_size": "0"}, "page_size"),
    ({"page_size": "5e-300"}, "page_size"),
    ({"page_size": "abc"}, "page_size"),
    ({"page_size": "101"}, "page_size"),
    ({"page_size": "-5"}, "page_size"),
])
def test_bad_paging_is_a_400_naming_the_field(people, url, query, field):
    """issue 10 item 10b: page=0, page=abc… answered an undocumented 404 and
    page_size=0, 5e-300, 1000… were quietly replaced; now a 400 naming the field."""
    body = assert_json_error(signed_in(people.clerk).get(url, query), 400)
    assert list(body["errors"]) == [field] and is_chinese(body["errors"][field][0])


@pytest.mark.parametrize("url", LISTS)
def test_both_bad_paging_fields_named_at_once(people, url):
    """issue 10 item 10b: every bad field in one answer."""
    body = assert_json_error(signed_in(people.clerk).get(url, {"page": "0", "page_size": "0"}), 400)
    assert set(body["errors"]) == {"page", "page_size"}


def test_good_paging_still_pages(people, new_case):
    """issue 10 item 10b: in-range values page as before; past the last page a JSON 404."""
    for _ in range(3):
        new_case()
    client = signed_in(people.clerk)
    first = client.get(CASES, {"page": "1", "page_size": "2"}).json()
    second = client.get(CASES, {"page": "2", "page_size": "2"}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and len(second["results"]) == 1
    assert client.get(CASES, {"page_size": "100", "page": ""}).status_code == 200  # blank: the default
    body = assert_json_error(client.get(CASES, {"page": "3", "page_size": "2"}), 404)
    assert "超出总页数" in body["detail"]


def schema(people) -> dict:
    response = signed_in(people.clerk).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(operation: dict) -> dict:
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_paging_and_its_404_are_in_the_schema(people):
    """issue 10 item 10b: page and page_size documented with their bounds, and
    the 404 of a page past the last."""
    paths = schema(people)["paths"]
    for url in LISTS:
        operation = paths[url]["get"]
        found = parameters(operation)
        assert found["page"]["schema"] == {"type": "integer", "minimum": 1}
        assert found["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
        assert is_chinese(found["page"]["description"]) and is_chinese(found["page_size"]["description"])
        assert "404" in operation["responses"]


def test_lookups_document_their_kinds_and_errors(people):
    """issue 10 item 10 (found by schemathesis): the lookup lists answered an
    undocumented 404 (unknown kind) and 401 (a list behind the sign-in); the
    kinds are listed."""
    operation = schema(people)["paths"]["/api/v1/lookups/{kind}/"]["get"]
    assert {"200", "401", "404"} <= set(operation["responses"])
    assert {"grids", "case_reasons", "channels"} <= set(parameters(operation)["kind"]["schema"]["enum"])


# --- (c) the years' bounds ------------------------------------------------------------------------
def test_every_year_parameter_has_the_rules_bounds(people):
    """issue 10 item 10c: the statistics' year had no bounds in the schema."""
    paths = schema(people)["paths"]
    with_year = {path: parameters(op)["year"] for path, ops in paths.items() for op in ops.values()
                 if "year" in parameters(op)}
    kuaiban = [path for path in with_year if not path.startswith(("/api/v1/portal/", "/api/v1/questionnaires/",
                                                                   "/api/v1/credit/"))]
    assert len(kuaiban) == 3, kuaiban  # the case list, the map, the analysis
    for year in with_year.values():  # every app's year parameter keeps the same bounds
        assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (YEAR_MIN, YEAR_MAX)


# --- (d) personal data sent back masked means unchanged ------------------------------------------
@pytest.fixture
def masked_editor(make_user):
    """Sees and changes petitions but lacks core.view_pii: the API shows them masked."""
    group, _ = Group.objects.get_or_create(name="测试：修改信访（无完整个人信息）")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in=["core", "kuaiban"],
        codename__in=["access_desk", "view_petition", "change_petition"]))
    user = make_user("k_masked_editor", name="信访修改员")
    user.groups.add(group)
    return user


@pytest.fixture
def petition(people):
    return save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number=ID_MAIN, phone="13812341234", respondent_name="常州某机械有限公司",
        reason="wage_arrears", grid="320404001", demand="要求支付工资",
        companions=[CompanionInput(name="钱七", id_number=ID_COMPANION, phone="13700001111")]))


def as_input(detail: dict) -> dict:
    """A GET detail turned into a PUT body, field by field as shown."""
    return {"name": detail["name"], "id_number": detail["id_number"], "phone": detail["phone"],
            "companions": [{"name": c["name"], "id_number": c["id_number"], "phone": c["phone"]}
                           for c in detail["companions"]],
            "respondent_name": detail["respondent_name"], "respondent_uscc": detail["respondent_uscc"],
            "reason": detail["reason"]["code"], "grid": detail["grid"]["code"], "demand": detail["demand"],
            "result": detail["result"], "handled_at": detail["handled_at"]}


def stored(petition) -> tuple:
    petition.refresh_from_db()
    return (petition.id_number, petition.phone,
            list(petition.companions.values_list("name", "id_number", "phone")))


def test_put_of_the_masked_detail_changes_nothing(masked_editor, petition):
    """issue 10 item 10d: a PUT re-sending the masked values a GET showed
    ("320404********1234", "138****1234") keeps the stored ones: no change, no history row."""
    client = signed_in(masked_editor)
    detail = client.get(f"{PETITIONS}{petition.pk}/").json()
    assert detail["id_number"] == f"320404********{ID_MAIN[-4:]}" and detail["phone"] == "138****1234"
    before, events = stored(petition), PetitionEvent.objects.filter(petition=petition).count()
    response = client.put(f"{PETITIONS}{petition.pk}/", as_input(detail), content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    assert stored(petition) == before
    assert PetitionEvent.objects.filter(petition=petition).count() == events
    assert response.json()["id_number"] == detail["id_number"]  # still masked for this caller
    assert not AuditLog.objects.filter(action=AuditLog.Action.PII_VIEW, actor=masked_editor).exists()


def test_put_with_one_value_changed_keeps_the_masked_others(masked_editor, petition):
    """issue 10 item 10d: the masked values stay, the one typed anew is saved."""
    client = signed_in(masked_editor)
    body = as_input(client.get(f"{PETITIONS}{petition.pk}/").json())
    body["phone"] = "13900000000"
    assert client.put(f"{PETITIONS}{petition.pk}/", body, content_type="application/json").status_code == 200
    assert stored(petition) == (ID_MAIN, "13900000000", [("钱七", ID_COMPANION, "13700001111")])
    update = PetitionEvent.objects.get(petition=petition, action="update")
    assert set(update.changes) == {"联系电话"}


def test_patch_of_masked_values_changes_nothing(masked_editor, petition):
    """issue 10 item 10d: the same for PATCH, companions included."""
    client = signed_in(masked_editor)
    detail = client.get(f"{PETITIONS}{petition.pk}/").json()
    before = stored(petition)
    body = {key: as_input(detail)[key] for key in ("id_number", "phone", "companions")}
    response = client.patch(f"{PETITIONS}{petition.pk}/", body, content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    assert stored(petition) == before
    assert not PetitionEvent.objects.filter(petition=petition, action="update").exists()


def test_cases_take_no_put_or_patch(people, case_in):
    """issue 10 item 10d: a case changes only through its workflow actions
    (no field is re-sent), so there is nothing masked to send back."""
    case = case_in("grid_pending")
    client = signed_in(people.clerk)
    for method in ("put", "patch"):
        response = getattr(client, method)(f"{CASES}{case.pk}/", {"reporter_id_number": "3204**********1012"},
                                           content_type="application/json")
        assert_json_error(response, 405)
