"""What the domain apps plug into core, so that core names none of them.

Each app fills these in its ``AppConfig.ready()`` (``<app>/apps.py``: one
place to read what an app contributes); core reads them:

- sidebar groups and entries of the desk (``nav_group``, ``nav_item``) —
  ``sidebar(request)`` is unfold's navigation callback;
- cards of the desk home (``dashboard_cards``);
- periodic jobs (``periodic_task``) — the rq cron scheduler
  (``zhonglou_hrss.cron``) registers every one;
- health checks (``health_check``) — the 系统状态 page (``core.health``)
  runs each and shows its result;
- demo data loaders (``demo_loader``) — ``manage.py load_demo`` runs them in
  registration order (core's first);
- default data an app keeps (``fixture_sync``) — ``manage.py sync_fixtures``
  runs them after core's roles, grids and lookups, in the same transaction;
- the role editor's permission groups (``permission_group``,
  ``permission_task``): permissions by subsystem and task, in Chinese —
  ``core.permission_groups`` reads them; a permission in no group is internal
  and not shown there (``core.admin.roles``);
- sections of the desk's enterprise page (``enterprise_section``): what each
  app knows of one company (demands, job-fair registrations, cases, petitions)
  — ``core.admin.enterprise_page`` shows those the user may see;
- sources of the saved reports (``report_source``): what each app offers the
  report builder (its fields and the user's visible rows) — the platform's
  reports reach the apps only through these (``core.reporting``);
- entries of the sidebar computed per request (``nav_entries``): the saved
  reports shared with the user's roles;
- export kinds register with ``core.exports.registry`` in the same place.

URLs are composed by ``zhonglou_hrss.urls`` (the composition root), which
includes each app's ``desk``, ``public`` and ``api`` URLconfs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavGroup:
    title: str
    order: int
    collapsible: bool = False


@dataclass(frozen=True)
class NavItem:
    group: str  # the title of its NavGroup
    title: str
    icon: str  # a Material Symbols name
    link: object  # a URL, a lazy reverse, or a callable(request) -> URL
    permissions: tuple[str, ...]  # shown to a user holding any of these
    order: int = 100
    badge: str = ""  # dotted path of callable(request) -> str


@dataclass(frozen=True)
class PeriodicTask:
    func: str  # dotted path of the job function (run by the rq worker)
    cron: str  # crontab, local time of the server
    label: str  # Chinese, for the operators' pages


@dataclass(frozen=True)
class PermissionGroup:
    title: str  # a subsystem, in Chinese: 工作台与系统设置, 快办事件 …
    order: int
    description: str = ""


@dataclass(frozen=True)
class PermissionTask:
    group: str  # the title of its PermissionGroup
    title: str  # a task people do, in Chinese: 用户, 事件办理 …
    permissions: tuple[str, ...]  # "app_label.codename", in the order shown
    order: int = 100


@dataclass(frozen=True)
class EnterpriseSection:
    title: str  # in Chinese: 人才需求, 快办事件 …
    provider: object  # callable(user, enterprise) -> dict | None, or its dotted path
    order: int = 100


@dataclass(frozen=True)
class ReportSourceEntry:
    key: str  # stable, stored in saved reports: "cases", "petitions" …
    label: str  # in Chinese: 快办事件 …
    provider: str  # dotted path of a core.reporting.ReportSource


@dataclass(frozen=True)
class NavProvider:
    group: str  # the title of its NavGroup
    provider: str  # dotted path of callable(request) -> list of (title, icon, link)
    order: int = 100


@dataclass
class _Registry:
    groups: dict[str, NavGroup] = field(default_factory=dict)
    items: list[NavItem] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)
    tasks: list[PeriodicTask] = field(default_factory=list)
    demos: list[str] = field(default_factory=list)
    fixture_syncs: list[str] = field(default_factory=list)
    permission_groups: dict[str, PermissionGroup] = field(default_factory=dict)
    permission_tasks: list[PermissionTask] = field(default_factory=list)
    enterprise_sections: list[EnterpriseSection] = field(default_factory=list)
    health: dict[str, str] = field(default_factory=dict)
    report_sources: dict[str, "ReportSourceEntry"] = field(default_factory=dict)
    nav_providers: list["NavProvider"] = field(default_factory=list)


_registry = _Registry()


def _append_once(items: list, value) -> None:
    # ready() may run more than once in a process (tests re-populate apps): stay idempotent.
    if value not in items:
        items.append(value)


# --- desk sidebar ---------------------------------------------------------------------------
def nav_group(title: str, *, order: int, collapsible: bool = False) -> None:
    _registry.groups[title] = NavGroup(title, order, collapsible)


def nav_item(group: str, title: str, *, icon: str, link, permissions: tuple[str, ...] | list[str], order: int = 100,
             badge: str = "") -> None:
    """An entry of a group; registering the same group and title again replaces it."""
    _registry.items[:] = [i for i in _registry.items if (i.group, i.title) != (group, title)]
    _registry.items.append(NavItem(group, title, icon, link, tuple(permissions), order, badge))


def _visible_to(permissions: tuple[str, ...]) -> Callable:
    def check(request):
        user = request.user
        return user.is_active and any(user.has_perm(p) for p in permissions)

    return check


def sidebar(request=None) -> list[dict]:
    """The desk's sidebar in unfold's format: groups by their order, entries by
    theirs; unfold hides entries whose permission check fails and groups left empty.
    With a request, the per-request entries (``nav_entries``) are added."""
    return _with_request_entries(_fixed_sidebar(), request)


def _fixed_sidebar() -> list[dict]:
    out = []
    for group in sorted(_registry.groups.values(), key=lambda g: (g.order, g.title)):
        items = sorted((i for i in _registry.items if i.group == group.title), key=lambda i: i.order)
        if not items:
            continue
        entries = []
        for item in items:
            entry = {"title": item.title, "icon": item.icon, "link": _resolved(item.link),
                     "permission": _visible_to(item.permissions)}
            if item.badge:
                entry["badge"] = item.badge
            entries.append(entry)
        out.append({"title": group.title, "separator": bool(out), "collapsible": group.collapsible, "items": entries})
    return out


_links: dict[int, tuple[Promise, str]] = {}  # id → (the lazy link, kept so the id stays its own; its text)


def _resolved(link):
    """An entry's lazy ``reverse_lazy`` link as text, worked out once per process (the URLs do
    not change while it runs) instead of on every desk page, twice (issue 19)."""
    if not isinstance(link, Promise):
        return link
    known = _links.get(id(link))
    if known is None or known[0] is not link:
        known = _links[id(link)] = (link, str(link))
    return known[1]


def nav_entries(group: str, provider: str, *, order: int = 100) -> None:
    """Entries of a group that depend on who is looking (the reports shared with
    the user's roles): ``provider(request)`` returns ``(title, icon, link)``
    tuples, each shown as is (it only returns what the user may open). They
    follow the group's fixed entries of a lower order. The same provider again replaces it."""
    _registry.nav_providers[:] = [p for p in _registry.nav_providers if p.provider != provider]
    _registry.nav_providers.append(NavProvider(group, provider, order))


def _shown(request) -> bool:
    return True


def _with_request_entries(out: list[dict], request) -> list[dict]:
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return out
    groups = {g["title"]: g for g in out}
    for nav in sorted(_registry.nav_providers, key=lambda p: p.order):
        entries = [{"title": title, "icon": icon, "link": link, "permission": _shown}
                   for title, icon, link in import_string(nav.provider)(request)]
        if not entries:
            continue
        if nav.group in groups:
            groups[nav.group]["items"].extend(entries)
        else:  # a group with no fixed entry this user may see still shows what was shared with them
            known = _registry.groups.get(nav.group)
            group = {"title": nav.group, "separator": bool(out),
                     "collapsible": known.collapsible if known else False, "items": entries}
            out.append(group)
            groups[nav.group] = group
    return out


def nav_items() -> list[NavItem]:
    return list(_registry.items)


# --- desk home cards ----------------------------------------------------------------------
def dashboard_cards(provider: str) -> None:
    """``provider``: dotted path of callable(request) -> list of card dicts."""
    _append_once(_registry.cards, provider)


def cards_for(request) -> list[dict]:
    cards = []
    for provider in _registry.cards:
        cards += import_string(provider)(request)
    return cards


# --- periodic jobs ------------------------------------------------------------------------
def periodic_task(func: str, *, cron: str, label: str) -> None:
    """A job run on a schedule; registering the same function again replaces it."""
    _registry.tasks[:] = [t for t in _registry.tasks if t.func != func]
    _registry.tasks.append(PeriodicTask(func, cron, label))


def periodic_tasks() -> list[PeriodicTask]:
    return list(_registry.tasks)


# --- health checks --------------------------------------------------------------------------
def health_check(name: str, func: str) -> None:
    """A line of the 系统状态 page: ``func`` (dotted path of a no-argument
    callable) returns ``(status, detail)`` — status ``"ok"``, ``"warn"`` or
    ``"fail"``, detail a Chinese sentence. The same name again replaces it."""
    _registry.health[name] = func


def health_checks() -> list[tuple[str, str]]:
    return list(_registry.health.items())


# --- demo data ------------------------------------------------------------------------------
def demo_loader(func: str) -> None:
    """``func``: dotted path of a no-argument callable that adds the app's demo data."""
    _append_once(_registry.demos, func)


def demo_loaders() -> list[Callable]:
    return [import_string(path) for path in _registry.demos]


# --- default data an app keeps in step with a release (run by sync_fixtures) ----------------
def fixture_sync(func: str) -> None:
    """``func``: dotted path of a callable(report) run by ``sync_base`` after core's own fixtures,
    in the same transaction: it creates the app's default data once (kept as the admin edits it)."""
    _append_once(_registry.fixture_syncs, func)


def fixture_syncs() -> list[Callable]:
    return [import_string(path) for path in _registry.fixture_syncs]


# --- the role editor's permission groups ----------------------------------------------------
def permission_group(title: str, *, order: int, description: str = "") -> None:
    """A subsystem in the role editor (its tasks come from ``permission_task``)."""
    _registry.permission_groups[title] = PermissionGroup(title, order, description)


def permission_task(group: str, title: str, *, permissions: tuple[str, ...] | list[str], order: int = 100) -> None:
    """A task of a group and the permissions it needs ("app_label.codename");
    registering the same group and title again replaces it. Any app may add a
    task to any group (core's included)."""
    for name in permissions:
        if name.count(".") != 1:
            raise ValueError(f"权限须写成 app_label.codename：{name}")
    _registry.permission_tasks[:] = [t for t in _registry.permission_tasks if (t.group, t.title) != (group, title)]
    _registry.permission_tasks.append(PermissionTask(group, title, tuple(permissions), order))


def permission_layout() -> list[tuple[PermissionGroup, list[PermissionTask]]]:
    """Groups by their order, each with its tasks by theirs; groups without tasks left out."""
    out = []
    for group in sorted(_registry.permission_groups.values(), key=lambda g: (g.order, g.title)):
        tasks = sorted((t for t in _registry.permission_tasks if t.group == group.title), key=lambda t: t.order)
        if tasks:
            out.append((group, tasks))
    return out


# --- the enterprise page's sections ----------------------------------------------------------
def enterprise_section(title: str, provider, order: int = 100) -> None:
    """A part of the desk's page of one enterprise (``core.admin.enterprise_page``).

    ``provider(user, enterprise)`` (a callable or its dotted path) returns None
    when the user may see nothing of it, else a dict: ``template`` (rendered
    in the section's box) and the rest as that template's context. Visibility
    is the provider's: it reads through its app's selectors (``*_list_for``).
    Registering the same title again replaces it."""
    _registry.enterprise_sections[:] = [s for s in _registry.enterprise_sections if s.title != title]
    _registry.enterprise_sections.append(EnterpriseSection(title, provider, order))


def enterprise_sections_for(user, enterprise) -> list[dict]:
    """The sections this user may see, in their order: ``{"title", "template", "context"}``."""
    out = []
    for section in sorted(_registry.enterprise_sections, key=lambda s: (s.order, s.title)):
        provider = import_string(section.provider) if isinstance(section.provider, str) else section.provider
        shown = provider(user, enterprise)
        if shown is None:
            continue
        shown = dict(shown)
        out.append({"title": shown.pop("title", section.title), "template": shown.pop("template"),
                    "context": shown, "key": shown.get("key", "")})
    return out


# --- sources of the saved reports --------------------------------------------------------------
def report_source(key: str, label: str, provider: str) -> None:
    """A source the report builder offers (``provider``: dotted path of a
    ``core.reporting.ReportSource``, built on the app's own list selectors so a
    report never shows a row the user's lists would not). Same key again replaces it."""
    _registry.report_sources[key] = ReportSourceEntry(key, label, provider)


def report_sources() -> list[ReportSourceEntry]:
    return list(_registry.report_sources.values())


def report_source_for(key: str):
    """The ``ReportSource`` registered under ``key``, or None."""
    entry = _registry.report_sources.get(key)
    return import_string(entry.provider) if entry else None


# --- objects that take custom fields (issue 17, core.custom_fields) -------------------------
@dataclass(frozen=True)
class CustomFieldObject:
    key: str  # case, petition, enterprise, demand, registration, concern, declaration
    label: str  # in Chinese: 快办事件 …
    model: str  # "app_label.ModelName": the model whose JSON column ``custom`` holds the values


_custom_field_objects: dict[str, CustomFieldObject] = {}


def custom_field_object(key: str, label: str, model: str) -> None:
    """An object administrators may add fields to; its app validates and stores the
    values through ``core.custom_fields`` in its own services."""
    _custom_field_objects[key] = CustomFieldObject(key, label, model)


def custom_field_objects() -> dict[str, CustomFieldObject]:
    return dict(_custom_field_objects)
