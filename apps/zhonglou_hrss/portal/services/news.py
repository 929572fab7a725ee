"""Policy news, written (R-PT-12) — the one door for the desk's form and the
staff API: every field checked at once (Chinese messages by field), the
content sanitised (``services.richtext``), attachments checked by content and
size, all saved or nothing. Images for the editor go into the site's public
uploads, re-encoded (``core.images``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from zhonglou_hrss.core import audit, clock
from zhonglou_hrss.core.errors import ActionForbidden, ErrorCollector, InvalidInput
from zhonglou_hrss.core.images import PhotoError, sanitize_photo
from zhonglou_hrss.core.models import AuditLog
from zhonglou_hrss.core.private_files import delete_private, save_private
from zhonglou_hrss.core.validators import clean_text
from zhonglou_hrss.portal.models import News, NewsAttachment
from zhonglou_hrss.portal.services.files import StoredFile, check_attachment
from zhonglou_hrss.portal.rules import MAX_ATTACHMENTS, MAX_CONTENT, MAX_TITLE, PUBLISH_NEWS
from zhonglou_hrss.portal.selectors.news import news_for
from zhonglou_hrss.portal.services.richtext import clean_html, has_content

@dataclass
class NewsInput:
    title: str = ""
    published_on: date | None = None
    publisher: str = ""
    content_html: str = ""
    pinned: bool = False
    is_published: bool = True
    add_attachments: list = field(default_factory=list)  # uploaded files
    remove_attachments: list[int] = field(default_factory=list)  # ids of this item's attachments


def _require_publisher(actor):
    if actor is None or not actor.is_active or not actor.has_perm(PUBLISH_NEWS):
        raise ActionForbidden("您没有发布政策资讯的权限")


def validate_news(data: NewsInput, *, current: News | None = None) -> tuple[dict, list[StoredFile]]:
    errors = ErrorCollector()
    title = publisher = ""
    for name, label in (("title", "标题"), ("publisher", "发布人")):
        try:  # one line; control and invisible characters refused (core.validators)
            value = clean_text(getattr(data, name), label=label)
        except ValidationError as exc:
            errors.add(name, exc.messages[0])
        else:
            if name == "title":
                title = value
            else:
                publisher = value
    if not title and "title" not in errors.errors:
        errors.add("title", "请填写标题")
    elif len(title) > MAX_TITLE:
        errors.add("title", f"标题不能超过{MAX_TITLE}个字")
    if not data.published_on:
        errors.add("published_on", "请填写发布日期")
    if not publisher and "publisher" not in errors.errors:
        errors.add("publisher", "请填写发布人")
    elif len(publisher) > 100:
        errors.add("publisher", "发布人不能超过100个字")
    content = clean_html(data.content_html)
    if not has_content(content):
        errors.add("content_html", "请填写资讯内容")
    elif len(content) > MAX_CONTENT:
        errors.add("content_html", "内容过长，请精简或分为多条发布")
    kept = list(current.attachments.exclude(pk__in=data.remove_attachments)) if current else []
    files = []
    for upload in data.add_attachments:
        try:
            files.append(check_attachment(upload))
        except PhotoError as exc:
            errors.add("attachments", str(exc))
    if len(kept) + len(data.add_attachments) > MAX_ATTACHMENTS:
        errors.add("attachments", f"附件最多{MAX_ATTACHMENTS}个")
    errors.raise_if_any()
    values = {"title": title, "published_on": data.published_on, "publisher": publisher, "content_html": content,
              "pinned": bool(data.pinned), "is_published": bool(data.is_published)}
    return values, files


def save_news(*, actor, data: NewsInput, news_id: int | None = None) -> News:
    """Create (``news_id`` None) or replace an item's fields; attachments added and removed as asked."""
    _require_publisher(actor)
    current = news_for(actor, news_id) if news_id is not None else None
    values, files = validate_news(data, current=current)
    stored = []
    try:
        for f in files:
            stored.append((f, save_private("portal/news", f.content, f.suffix)))
        with transaction.atomic():
            if current is None:
                news = News.objects.create(**values, created_by=actor, updated_by=actor)
            else:
                news = News.objects.select_for_update().get(pk=current.pk)
                for name, value in values.items():
                    setattr(news, name, value)
                news.updated_by = actor
                news.save()
            removed = list(news.attachments.filter(pk__in=data.remove_attachments))
            for f, path in stored:
                NewsAttachment.objects.create(news=news, name=f.name, path=path, size=len(f.content),
                                              content_type=f.content_type)
            NewsAttachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    except BaseException:
        for _f, path in stored:
            delete_private(path)
        raise
    for attachment in removed:
        delete_private(attachment.path)
    return news


def set_published(*, actor, news_id: int, published: bool) -> News:
    """Publish again or take down (下架) without deleting."""
    _require_publisher(actor)
    with transaction.atomic():
        news = news_for(actor, news_id)
        News.objects.filter(pk=news.pk).update(is_published=published, updated_by=actor, updated_at=clock.now())
        news.refresh_from_db()
    return news


def save_news_image(*, actor, upload) -> str:
    """An image for the editor: checked by content, re-encoded (no EXIF), kept
    in the public uploads; returns its address."""
    _require_publisher(actor)
    if upload is None:
        raise InvalidInput({"image": ["请选择图片"]})
    try:
        content = sanitize_photo(upload)
    except PhotoError as exc:
        raise InvalidInput({"image": [str(exc).replace("照片", "图片")]}) from None
    today = clock.now()
    relative = f"portal/news/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.jpg"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    audit.record(AuditLog.Action.UPLOAD, actor=actor, target_repr="政策资讯图片",
                 detail={"path": relative, "bytes": len(content)})
    return settings.MEDIA_URL + relative
