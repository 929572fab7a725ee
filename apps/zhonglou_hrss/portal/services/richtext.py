"""Rich text from the desk's editor (and from API clients), made safe on the
server with nh3 (the Ammonia sanitiser): an allow-list of tags and
attributes, links only to http(s)/mailto/tel, images only from this site's
public uploads. Whatever a client sends, no script, no event handler, no
style and no foreign resource survives (R-PT-12)."""

from __future__ import annotations

import re

import nh3
from django.conf import settings

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "pre", "code",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    # Quill's alignment and indent classes only (checked below).
    "p": {"class"}, "h2": {"class"}, "h3": {"class"}, "h4": {"class"}, "li": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EDITOR_CLASS = re.compile(r"^ql-(align-(center|right|justify)|indent-[1-8])$")
NBSP = re.compile(r"(&nbsp;|\u00a0)")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [c for c in value.split() if EDITOR_CLASS.match(c)]
        return " ".join(kept) or None
    if tag == "img" and attribute == "src":
        # Only our own uploads: nothing fetched from elsewhere, no data: URLs.
        return value if value.startswith(settings.MEDIA_URL) and ".." not in value else None
    if attribute in ("width", "height"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def clean_html(html: str) -> str:
    """The safe form of ``html``: allowed tags and attributes only, everything else dropped."""
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     attribute_filter=_filter, link_rel="noopener noreferrer", strip_comments=True).strip()


def text_of(html: str) -> str:
    """The words of sanitised HTML (to tell an empty editor from content)."""
    return NBSP.sub(" ", nh3.clean(html or "", tags=set())).strip()


def has_content(html: str) -> bool:
    return bool(text_of(html)) or "<img" in (html or "")
