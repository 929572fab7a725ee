"""R-PT-01, 02, 12 through the API: the home's 5 latest pinned news, the
list with keyword and paging, an item; future and taken-down items hidden
from the public; staff publish and change (sanitised)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.portal.conftest import api_as, make_news
from zhonglou_hrss.portal.models import News

pytestmark = pytest.mark.django_db


def test_home_shows_the_five_latest_pinned_by_publish_date(staff):
    for i in range(7):
        make_news(staff, i, days_ago=i + 1, pinned=True, title=f"置顶{i}")
    make_news(staff, 10, days_ago=0, pinned=False, title="不置顶")
    make_news(staff, 11, days_ago=-3, pinned=True, title="明天以后")
    make_news(staff, 12, days_ago=0, pinned=True, published=False, title="已下架")
    body = APIClient().get("/api/v1/portal/home/").json()
    assert [n["title"] for n in body["pinned_news"]] == ["置顶0", "置顶1", "置顶2", "置顶3", "置顶4"]
    assert set(body["pinned_news"][0]) == {"id", "title", "published_on", "publisher"}
    assert [s["key"] for s in body["services"]] == ["news", "demands", "concerns", "jobfairs"]


def test_the_list_searches_and_pages(staff):
    for i in range(25):
        make_news(staff, i, days_ago=i, title=f"{'招聘会' if i % 2 else '社保'}通知{i}")
    make_news(staff, 99, days_ago=-1, title="招聘会未来")
    client = APIClient()
    page = client.get("/api/v1/portal/news/").json()
    assert page["count"] == 25 and len(page["results"]) == 20 and page["next"]
    assert set(page["results"][0]) == {"id", "title", "published_on", "publisher", "pinned"}
    found = client.get("/api/v1/portal/news/", {"q": "招聘会"}).json()
    assert found["count"] == 12 and all("招聘会" in n["title"] for n in found["results"])
    assert client.get("/api/v1/portal/news/", {"q": "就业促进科 通知3"}).json()["count"] == 1
    assert client.get("/api/v1/portal/news/?page=2").json()["results"][-1]["title"] == "社保通知24"


def test_an_item_until_its_day_and_after_it_is_taken_down(staff):
    now = make_news(staff, 1, content="<p>全文</p>")
    later = make_news(staff, 2, days_ago=-2)
    down = make_news(staff, 3, published=False)
    client = APIClient()
    detail = client.get(f"/api/v1/portal/news/{now.pk}/").json()
    assert detail["content_html"] == "<p>全文</p>" and detail["attachments"] == [] and detail["is_published"]
    assert client.get(f"/api/v1/portal/news/{later.pk}/").status_code == 404
    assert client.get(f"/api/v1/portal/news/{down.pk}/").status_code == 404
    # Staff who keep the news see them (the desk's preview).
    assert api_as(staff).get(f"/api/v1/portal/news/{down.pk}/").json()["is_published"] is False


def test_staff_publish_sanitised_news(staff):
    body = {"title": "新政策", "published_on": str(timezone.localdate()), "publisher": "就业促进科",
            "content_html": '<p onclick="alert(1)">内容<script>alert(2)</script><img src=x onerror=alert(3)></p>',
            "pinned": True}
    response = api_as(staff).post("/api/v1/portal/news/", body, format="json")
    assert response.status_code == 201, response.json()
    html = response.json()["content_html"]
    assert "script" not in html and "onclick" not in html and "onerror" not in html and "内容" in html
    assert News.objects.get().content_html == html
    shown = APIClient().get(f"/api/v1/portal/news/{response.json()['id']}/").json()["content_html"]
    assert shown == html


def test_publish_errors_are_by_field(staff):
    response = api_as(staff).post("/api/v1/portal/news/", {"title": "", "published_on": "2026-13-01",
                                                           "content_html": "<script>x</script>"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "published_on", "publisher"}
    empty = api_as(staff).post("/api/v1/portal/news/", {"title": "t", "published_on": "2026-01-01", "publisher": "p",
                                                        "content_html": "<script>x</script>"}, format="json")
    assert empty.json()["errors"] == {"content_html": ["请填写资讯内容"]}
    assert not News.objects.exists()


def test_put_replaces_and_takes_down(staff):
    item = make_news(staff, 1)
    body = {"title": "改后的标题", "published_on": str(timezone.localdate() - timedelta(days=3)), "publisher": "科室",
            "content_html": "<p>新内容</p>", "pinned": False, "is_published": False}
    response = api_as(staff).put(f"/api/v1/portal/news/{item.pk}/", body, format="json")
    assert response.status_code == 200 and response.json()["title"] == "改后的标题"
    assert APIClient().get(f"/api/v1/portal/news/{item.pk}/").status_code == 404
    assert api_as(staff).put("/api/v1/portal/news/99999/", body, format="json").status_code == 404


@pytest.mark.parametrize("role", ["clerk", "leader", "credit_staff", "enterprise_user"])
def test_only_news_staff_publish(role_user, staff, role):
    item = make_news(staff, 1)
    client = api_as(role_user(role))
    body = {"title": "x", "published_on": "2026-01-01", "publisher": "p", "content_html": "<p>x</p>"}
    assert client.post("/api/v1/portal/news/", body, format="json").status_code == 403
    assert client.put(f"/api/v1/portal/news/{item.pk}/", body, format="json").status_code == 403
    assert APIClient().post("/api/v1/portal/news/", body, format="json").status_code == 401
