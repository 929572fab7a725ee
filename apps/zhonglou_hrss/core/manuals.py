"""The user manuals (issue 18): one Markdown file per audience in docs/manual/,
read once per process and served under /help/ (core.help_views).

The files' contract (docs/manual/*.md, also read by tests/manual):

- first line ``# <title>``;
- sections ``## <task title> {#<section-id>}``, each optionally followed by
  ``<!-- pages: <url name> <url name> ... -->`` naming the Django URL names
  (``admin:kuaiban_case_changelist``) whose 帮助 link opens that section;
- UI labels to click or look for written 【label】;
- pictures ``![说明](images/<manual>/<name>.png)``, served from docs/manual/images.

A manual is for staff (signed-in desk users only) or public (anyone). Which
manual a desk user's 帮助 opens follows their roles (fixture role codes, in
``MANUALS`` order), preferring a manual with a section for the current page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

MANUAL_DIR_NAME = ("docs", "manual")


@dataclass(frozen=True)
class ManualSpec:
    slug: str
    audience: str  # "staff" or "public"
    roles: tuple[str, ...] = ()  # fixture role codes (fixtures/base/roles.toml) whose main manual it is


# The order is the preference when a user holds several roles.
MANUALS: tuple[ManualSpec, ...] = (
    ManualSpec("admin", "staff", ("admin",)),
    ManualSpec("leader", "staff", ("leader",)),
    ManualSpec("clerk", "staff", ("district_clerk",)),
    ManualSpec("inspector", "staff", ("inspector",)),
    ManualSpec("grid", "staff", ("grid_worker",)),
    ManualSpec("portal_staff", "staff", ("portal_staff",)),
    ManualSpec("credit_staff", "staff", ("credit_staff",)),
    ManualSpec("enterprise", "public", ("enterprise_user",)),
    ManualSpec("hr_company", "public", ("hr_company_user",)),
    ManualSpec("public", "public"),
)
SPECS = {spec.slug: spec for spec in MANUALS}

HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[A-Za-z][\w-]*)\}\s*$")
PAGES = re.compile(r"^<!--\s*pages:(?P<names>[^>]*?)-->\s*$")
LABEL = re.compile(r"【([^】\n]+)】")
# Text between tags (never inside an attribute such as a picture's alt).
TEXT_NODE = re.compile(r"(?<=>)[^<]+")
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>images/[^)\s]+)\)")


@dataclass
class Section:
    id: str
    title: str
    pages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    body: str = ""


@dataclass
class Manual:
    slug: str
    title: str
    audience: str
    text: str
    sections: list[Section] = field(default_factory=list)

    @property
    def is_public(self) -> bool:
        return self.audience == "public"


def manual_dir() -> Path:
    return Path(getattr(settings, "MANUAL_DIR", None) or settings.BASE_DIR.joinpath(*MANUAL_DIR_NAME))


def parse(slug: str, text: str) -> Manual:
    """Title, sections, their pages, labels and pictures of one manual's text."""
    lines = text.splitlines()
    title = lines[0][2:].strip() if lines and lines[0].startswith("# ") else slug
    manual = Manual(slug=slug, title=title, audience=SPECS[slug].audience if slug in SPECS else "staff", text=text)
    current: Section | None = None
    body: list[str] = []

    def close():
        if current is not None:
            current.body = "\n".join(body)
            current.labels = tuple(dict.fromkeys(LABEL.findall(current.body)))
            current.images = tuple(dict.fromkeys(m.group("src") for m in IMAGE.finditer(current.body)))

    for line in lines[1:]:
        heading = HEADING.match(line)
        if heading:
            close()
            current = Section(id=heading.group("id"), title=heading.group("title"))
            manual.sections.append(current)
            body = []
            continue
        pages = PAGES.match(line.strip())
        if pages and current is not None and not current.pages:
            current.pages = tuple(pages.group("names").split())
            continue
        body.append(line)
    close()
    return manual


@lru_cache(maxsize=None)
def _load_all() -> dict[str, Manual]:
    # The files are part of the release: read once per process.
    found = {}
    folder = manual_dir()
    for spec in MANUALS:
        path = folder / f"{spec.slug}.md"
        if path.is_file():
            found[spec.slug] = parse(spec.slug, path.read_text(encoding="utf-8"))
    return found


def manuals() -> dict[str, Manual]:
    """The manuals present, in ``MANUALS`` order."""
    return _load_all()


def get(slug: str) -> Manual | None:
    return _load_all().get(slug)


@lru_cache(maxsize=None)
def page_map() -> dict[str, dict[str, str]]:
    """URL name → {manual slug: section id}: the first section of each manual
    naming that page. Built once, then each 帮助 link is dict lookups."""
    out: dict[str, dict[str, str]] = {}
    for slug, manual in _load_all().items():
        for section in manual.sections:
            for name in section.pages:
                out.setdefault(name, {}).setdefault(slug, section.id)
    return out


def reload() -> None:
    """Forget what was read (tests that change the files)."""
    _load_all.cache_clear()
    page_map.cache_clear()
    rendered.cache_clear()


def help_target(role_codes, view_name: str | None, *, fallback: str | None = None) -> tuple[str, str] | None:
    """(manual slug, section id or "") for someone holding these role codes on
    the page ``view_name``: of the manuals of their roles, the first with a
    section for the page, else the first of them at its top. ``fallback`` is
    the manual to use when none of their roles has one."""
    present = _load_all()
    codes = set(role_codes)
    candidates = [s.slug for s in MANUALS if codes.intersection(s.roles) and s.slug in present]
    if not candidates and fallback in present:
        candidates = [fallback]
    if not candidates:
        return None
    sections = page_map().get(view_name or "", {})
    for slug in candidates:
        if slug in sections:
            return slug, sections[slug]
    return candidates[0], ""


def page_target(slug: str, view_name: str | None) -> tuple[str, str] | None:
    """(slug, section id or "") of one given manual for a page (portal, QR pages)."""
    if slug not in _load_all():
        return None
    return slug, page_map().get(view_name or "", {}).get(slug, "")


def user_role_codes(user) -> frozenset[str]:
    """The fixture role codes (roles.toml) of the roles a user holds. Kept in
    the cache under the permissions' version (core.auth), which every change of
    roles or of a user's roles bumps: one cache read per desk page."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    from django.core.cache import cache

    from zhonglou_hrss.core.auth import _version
    from zhonglou_hrss.core.models import FixtureRecord

    version = _version()
    key = f"help:roles:{user.pk}"
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    group_ids = set(user.groups.values_list("pk", flat=True))
    codes = frozenset(record.key for record in FixtureRecord.objects.filter(kind="role")
                      if record.data.get("pk") in group_ids)
    cache.set(key, (version, codes), 3600)
    return codes


# --- rendering -------------------------------------------------------------------------
@lru_cache(maxsize=None)
def rendered(slug: str, image_base: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(HTML body, table of contents as (section id, title)) of a manual.
    ``image_base`` is the URL the pictures' ``images/`` stands for."""
    import markdown

    manual = _load_all()[slug]
    body = manual.text.split("\n", 1)[1] if manual.text.startswith("# ") else manual.text
    # The pictures are served beside the manuals (help_views.image), whatever page shows them.
    body = IMAGE.sub(lambda m: m.group(0).replace("(images/", f"({image_base}", 1), body)
    html = markdown.markdown(body, extensions=["attr_list", "tables", "sane_lists"], output_format="html")
    # Clickable labels stand out on screen and on paper (help.css).
    html = TEXT_NODE.sub(lambda t: LABEL.sub(r'<span class="ui-label">【\1】</span>', t.group(0)), html)
    toc = tuple((s.id, s.title) for s in manual.sections)
    return html, toc
