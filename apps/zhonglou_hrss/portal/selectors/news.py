"""Reads of policy news: what the public sees (published, date come), the
portal's home and list, and the desk's list for 就业后台."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhonglou_hrss.core.errors import NotVisible
from zhonglou_hrss.portal.models import News
from zhonglou_hrss.portal.rules import HOME_PINNED, PUBLISH_NEWS, VIEW_NEWS, news_public_q

LIST_COLUMNS = ("id", "title", "published_on", "publisher", "pinned")


def public_news() -> QuerySet:
    """Published news whose date has come, newest first (local date, Asia/Shanghai)."""
    return News.objects.filter(news_public_q(timezone.localdate())).order_by("-published_on", "-id")


def pinned_for_home() -> list[dict]:
    """The home's 5 latest pinned news by publish date (R-PT-01)."""
    return list(public_news().filter(pinned=True).values("id", "title", "published_on", "publisher")[:HOME_PINNED])


def search_news(qs: QuerySet, q: str) -> QuerySet:
    """Keyword filter: every word in the title or the publisher."""
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(publisher__icontains=word))
    return qs


def public_news_list(q: str = "") -> QuerySet:
    return search_news(public_news(), q).only(*LIST_COLUMNS)


def public_news_item(news_id) -> News:
    """One item the public may read, with its attachments; NotVisible otherwise."""
    item = public_news().prefetch_related("attachments").filter(pk=news_id).first()
    if item is None:
        raise NotVisible("资讯不存在或尚未发布")
    return item


def news_list_for(user) -> QuerySet:
    """The desk's list: every item (unpublished and future ones too) for staff who may see them."""
    if not (user.is_active and (user.has_perm(VIEW_NEWS) or user.has_perm(PUBLISH_NEWS))):
        return News.objects.none()
    return News.objects.order_by("-published_on", "-id")


def news_for(user, news_id) -> News:
    item = news_list_for(user).prefetch_related("attachments").filter(pk=news_id).first()
    if item is None:
        raise NotVisible()
    return item


def readable_news(user, news_id) -> News:
    """An item as a reader meets it: staff who may see the desk's list read any;
    everyone else only published ones."""
    item = news_list_for(user).prefetch_related("attachments").filter(pk=news_id).first()
    return item if item is not None else public_news_item(news_id)
