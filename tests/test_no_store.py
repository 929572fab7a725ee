"""Responses carrying personal data are never stored by a browser or a proxy
(issue 10 item 9): ``Cache-Control: no-store`` on the API's case and
petition lists and details (session or token), the desk's lists, case and
petition pages (revealed too) and edit forms, export downloads and the
public page answering a report with what was typed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import MODEL_BACKEND, PASSWORD
from tests.kuaiban.conftest import make_people, registration
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def records(people):
    case = register_case(actor=people.clerk, data=registration(), source=CaseSource.INTERNAL).case
    petition = save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number="11010519491231002X", phone="13800138000", respondent_name="常州某公司",
        reason="wage_arrears", grid="320404001", demand="讨薪"))
    return case, petition


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_issue_10_item_9_api_lists_and_details_are_not_stored(people, records):
    """issue 10 item 9: the API's case and petition lists and details, by
    session and by token; an error answer too."""
    case, petition = records
    session = APIClient()
    session.force_login(people.clerk, backend=MODEL_BACKEND)
    token = APIClient().post("/api/v1/auth/token/", {"username": people.clerk.username, "password": PASSWORD},
                             format="json").json()["token"]
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    for client in (session, by_token):
        for url in ("/api/v1/kuaiban/cases/", f"/api/v1/kuaiban/cases/{case.pk}/",
                    "/api/v1/kuaiban/petitions/", f"/api/v1/kuaiban/petitions/{petition.pk}/",
                    "/api/v1/kuaiban/cases/?q=11010519491231002X", "/api/v1/kuaiban/cases/999999/"):
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            assert no_store(response), (url, response.get("Cache-Control"))
        response = client.post("/api/v1/kuaiban/cases/", {}, format="json")
        assert response.status_code == 400 and no_store(response)


def test_issue_10_item_9_desk_pages_reveal_and_forms_are_not_stored(people, records):
    """issue 10 item 9: the desk's lists, case and petition pages (revealed
    too), the petition edit form and the registration form with what was typed."""
    case, petition = records
    client = Client()
    client.force_login(people.clerk, backend=MODEL_BACKEND)
    for url in ("/desk/kuaiban/case/", f"/desk/kuaiban/case/{case.pk}/", f"/desk/kuaiban/case/{case.pk}/?pii=1",
                "/desk/kuaiban/petition/", f"/desk/kuaiban/petition/{petition.pk}/",
                f"/desk/kuaiban/petition/{petition.pk}/?pii=1", f"/desk/kuaiban/petition/{petition.pk}/edit/",
                "/desk/", reverse("kuaiban_export:start")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))
    response = client.post("/desk/kuaiban/case/register/", {
        "reporter_id_number": "11010519491231002X", "companions-TOTAL_FORMS": "0", "companions-INITIAL_FORMS": "0"})
    assert response.status_code == 400 and no_store(response)


def test_issue_10_item_9_export_downloads_are_not_stored(people, records):
    """issue 10 item 9: an export's file and its job page."""
    job = jobs.start_export(user=people.clerk, kind="kuaiban_case", filters={}, full=True, reason="核对")
    client = Client()
    client.force_login(people.clerk, backend=MODEL_BACKEND)
    for name in ("download", "job", "status"):
        response = client.get(reverse(f"kuaiban_export:{name}", args=[job.pk]))
        assert response.status_code == 200 and no_store(response), (name, response.get("Cache-Control"))


def test_issue_10_item_9_public_report_answer_is_not_stored(settings):
    """issue 10 item 9: the public page showing back a refused report (the
    typed ID number and phone in its fields) and the progress look-up."""
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()
    client = Client()
    response = client.post("/kuaiban/report/", {"reporter_name": "李四", "reporter_id_number": "11010519491231002X",
                                                "reporter_phone": "13912345678", "captcha_0": "k",
                                                "captcha_1": "PASSED"})
    assert response.status_code == 200 and "11010519491231002X" in response.content.decode()
    assert no_store(response)
    response = client.post("/kuaiban/progress/", {"number": "KB2026-000001", "phone": "13912345678",
                                                  "captcha_0": "k2", "captcha_1": "PASSED"})
    assert no_store(response)
    cache.clear()
