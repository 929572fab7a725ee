"""Issue 19 (fifty staff at once, the cost of a request): what a desk page reads
once instead of many times, and the idle timeout kept without a write per request.
The speed itself is measured in benchmarks/ (bench_lists.py, the load test);
these tests hold the behaviour: the same sidebar, the same definitions, the
same timeout."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhonglou_hrss.core import custom_fields as cf
from zhonglou_hrss.core import memo, sessions

pytestmark = pytest.mark.django_db
LIST = "/desk/kuaiban/case/"


def _queries(client, url, table):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


def test_a_desk_list_reads_the_custom_field_definitions_once(client_as, make_user):
    admin = make_user("cost_admin", roles=["admin"])
    cf.define(actor=admin, data={"object": "case", "code": "people", "label": "涉及人数", "type": "number"})
    client = client_as("leader")
    client.get(LIST)
    reads = [sql for sql in _queries(client, LIST, "core_customfield") if sql.lstrip().startswith("SELECT")]
    # The definitions themselves (not their roles' prefetch), quoted as SQLite or MariaDB quote.
    assert len([sql for sql in reads if 'FROM "core_customfield" ' in sql or "FROM `core_customfield` " in sql]) == 1
    # ... and the page still shows the field as a column to choose.
    assert "涉及人数" in client.get(LIST).content.decode()


def test_a_definition_changed_within_a_request_is_read_again(make_user):
    """``core.memo``: a change in the same request forgets what was remembered (the
    desk's 自定义字段 page saves, then draws the list of definitions)."""
    admin = make_user("cost_admin2", roles=["admin"])
    token = memo.start()
    try:
        assert cf.definitions("case") == []
        cf.define(actor=admin, data={"object": "case", "code": "late", "label": "是否迟报", "type": "boolean"})
        assert [f.code for f in cf.definitions("case")] == ["late"]
        cf.retire(actor=admin, field_id=cf.definitions("case")[0].pk)
        assert cf.definitions("case") == []
    finally:
        memo.end(token)


def _definition_reads(client, url=LIST) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries
             if 'FROM "core_customfield" ' in q["sql"] or "FROM `core_customfield` " in q["sql"]]
    return response.content.decode(), len(reads)


@pytest.mark.django_db(transaction=True)
def test_definitions_are_kept_across_requests_until_one_changes(base_data, make_user):
    """``core.memo.kept``: the next request reads no definitions; a change (here made as another
    process would, outside the page) is read by the next request."""
    admin = make_user("kept_admin", roles=["admin"])
    field = cf.define(actor=admin, data={"object": "case", "code": "people", "label": "涉及人数", "type": "number"})
    client = Client()
    client.force_login(make_user("kept_leader", roles=["leader"]))
    html, reads = _definition_reads(client)
    assert "涉及人数" in html
    html, reads = _definition_reads(client)
    assert reads == 0 and "涉及人数" in html
    cf.change(actor=admin, field_id=field.pk, data={"label": "涉及人员数"})
    html, reads = _definition_reads(client)
    assert reads == 1 and "涉及人员数" in html


@pytest.mark.django_db(transaction=True)
def test_definitions_read_inside_a_transaction_are_not_kept(base_data, make_user):
    """A change rolled back must not stay: what a page read inside the transaction that made
    it (uncommitted) is not kept for later requests."""
    from django.db import transaction

    from zhonglou_hrss.core.models import CustomField

    admin = make_user("kept_admin2", roles=["admin"])
    field = cf.define(actor=admin, data={"object": "case", "code": "people", "label": "涉及人数", "type": "number"})
    client = Client()
    client.force_login(make_user("kept_leader2", roles=["leader"]))
    with pytest.raises(RuntimeError), transaction.atomic():
        changed = CustomField.objects.get(pk=field.pk)
        changed.label = "撤回的名称"
        changed.save()
        assert "撤回的名称" in _definition_reads(client)[0]
        raise RuntimeError("rolled back")
    html, _ = _definition_reads(client)
    assert "撤回的名称" not in html and "涉及人数" in html


def test_outside_a_request_nothing_is_remembered(make_user):
    admin = make_user("cost_admin3", roles=["admin"])
    assert memo.remembered("k", lambda: 1) == 1
    assert memo.remembered("k", lambda: 2) == 2
    assert cf.definitions("petition") == []
    cf.define(actor=admin, data={"object": "petition", "code": "x", "label": "说明", "type": "text"})
    assert len(cf.definitions("petition")) == 1


def _expiry(client) -> float:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date.timestamp()


def test_the_session_is_not_written_on_every_request(client_as):
    client = client_as("clerk")
    client.get("/desk/")  # the first page saves the session with its touch time
    writes = [sql for sql in _queries(client, "/desk/", "django_session") if not sql.lstrip().startswith("SELECT")]
    assert writes == []


def test_the_idle_timeout_still_moves_with_use(client_as, monkeypatch):
    """The session lives SESSION_COOKIE_AGE after the last request, to the minute:
    after TOUCH_SECONDS of use the expiry moves forward."""
    client = client_as("clerk")
    client.get("/desk/")
    before = _expiry(client)
    now = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + sessions.TOUCH_SECONDS + 1)
    client.get("/desk/")
    assert _expiry(client) > before


def test_an_idle_session_ends(client_as):
    client = client_as("clerk")
    assert client.get("/desk/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    from django.utils import timezone

    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    cache.clear()  # a Redis site reads sessions from the cache first (cached_db): it expires there by itself
    response = client.get("/desk/")
    assert response.status_code == 302 and "/desk/login/" in response["Location"]


def test_an_anonymous_visit_creates_no_session():
    client = Client()
    assert client.get("/kuaiban/report/").status_code == 200
    assert not Session.objects.exists()


@pytest.mark.parametrize("url, active", [
    ("/desk/core/enterprise/", "/desk/core/enterprise/"),
    ("/desk/kuaiban/petition/", "/desk/kuaiban/petition/"),
    ("/desk/", "/desk/"),
])
def test_the_sidebar_marks_the_page_it_is_on(client_as, url, active):
    html = client_as("clerk").get(url).content.decode()
    marked = [chunk.split('"')[0] for chunk in html.split('<a href="')[1:] if "dark:text-primary-500 active" in chunk.split(">")[0]]
    assert marked == [active]


def test_the_sidebar_hides_what_the_role_may_not_open(client_as):
    html = client_as("grid_worker").get("/desk/").content.decode()
    assert 'href="/desk/core/enterprise/"' in html
    assert 'href="/desk/core/user/"' not in html


def test_list_headers_are_worked_out_once_per_page(client_as, monkeypatch):
    """unfold's rows each asked for every column header; now the page asks once
    (``core.admin.list_headers``), and every row still carries the headers' text."""
    from unfold.templatetags import unfold_list

    labels = []
    inner = unfold_list.label_for_field

    def counting(name, model, *args, **kwargs):
        labels.append(name)
        return inner(name, model, *args, **kwargs)

    monkeypatch.setattr(unfold_list, "label_for_field", counting)
    html = client_as("admin").get("/desk/core/grid/").content.decode()
    rows = html.count('<tr class="data-row')  # unfold's result rows
    assert rows >= 8  # the district's streets and towns
    columns = len(set(labels))
    assert len(labels) == columns  # once per column, not once per row and column


def test_the_redis_cache_builds_one_client_not_one_per_call():
    """``core.cache``: Django's Redis cache built a redis-py client for every call (five per
    API request); ours keeps one per connection pool. Building needs no running Redis."""
    from zhonglou_hrss.core.cache import ResilientRedisCache

    redis_cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    first = redis_cache._cache.get_client("k", write=True)
    assert redis_cache._cache.get_client("k") is first
    assert redis_cache._cache.get_client("other", write=True) is first



def test_a_desk_list_asks_its_templates_for_nothing_missing_per_row(client_as, monkeypatch):
    """unfold's list and sidebar templates ask every row and entry for ``list_sections``,
    ``badge_callback`` and ``link_callback`` (and the list for ``is_dataset``). Missing, each ask
    failed through Django's template lookup, which then lists the object's attributes (dir()):
    90 failed asks on a case list page, a tenth of its time. The desk says them plainly
    (``core.admin.base``, ``core.desk``)."""
    from django.template import base

    failed = []
    inner = base.Variable._resolve_lookup

    def counting(self, context):
        try:
            return inner(self, context)
        except base.VariableDoesNotExist:
            if "." in self.var:  # an attribute asked of an object (a name missing from the context is cheap)
                failed.append(self.var)
            raise

    monkeypatch.setattr(base.Variable, "_resolve_lookup", counting)
    for user, url in (("leader", LIST), ("grid_worker", LIST), ("clerk", "/desk/kuaiban/petition/"),
                      ("admin", "/desk/core/grid/")):
        failed.clear()
        assert client_as(user).get(url).status_code == 200
        asked = {name.split(".")[-1] for name in failed}
        assert not asked & {"list_sections", "badge_callback", "link_callback", "is_dataset"}, (user, url)
        # What is left is asked once per page (filter widgets, the user menu), not per row.
        assert len(failed) < 40, (user, url, len(failed), sorted(failed))


class _Filter:
    """What unfold's filter template reads of a list filter."""

    def __init__(self, **attrs):
        self.__dict__.update(attrs)


class BooleanFieldListFilter(_Filter):
    """Named as Django's: unfold draws a filter of this class in a row."""


def _unfolds_filter_template():
    from pathlib import Path

    import unfold
    from django.template import engines

    source = (Path(unfold.__file__).parent / "templates" / "admin" / "filter.html").read_text()
    return engines["django"].from_string(source)


def _same_markup(html: str) -> str:
    import re

    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("spec", [
    _Filter(title="状态 <b>&", lookup_kwarg="status__exact", lookup_val=["grid_handling"]),
    _Filter(title="待我处理", lookup_kwarg="queue", lookup_val=None),  # a SimpleListFilter: nothing chosen
    _Filter(title="超时", lookup_kwarg="overdue", horizontal=True, lookup_val=["1"]),
    BooleanFieldListFilter(title="启用", lookup_kwarg="active__exact", lookup_val=["1"]),
])
def test_the_desk_draws_a_filter_as_unfolds_template_did(spec):
    """issue 19: unfold's filter template cost a case list about 5 ms for its seven filters;
    ``templates/admin/filter.html`` draws the same markup in one tag (core.templatetags.desk)."""
    from django.template.loader import get_template
    from django.utils.functional import lazy
    from django.utils.safestring import mark_safe

    choices = [
        {"selected": False, "query_string": "?", "display": "全部"},
        {"selected": True, "query_string": "?status__exact=grid_handling&q=钟楼 区", "display": "网格处置中"},
        {"selected": False, "query_string": "?x=1&y=<2>", "display": "A & B \"引号\" <i>'"},
        {"selected": False, "query_string": "?z=3", "display": mark_safe("<em>已标记</em>")},
        {"selected": False, "query_string": "?w=4", "display": lazy(lambda: "延后 <译文>", str)()},
    ]
    context = {"title": spec.title, "choices": choices, "spec": spec}
    ours = get_template("admin/filter.html").render(context)
    assert 'class="block px-3 py-2' in ours or 'class="block py-2 text-center' in ours  # ours, not a stub
    assert _same_markup(ours) == _same_markup(_unfolds_filter_template().render(context))


def test_the_model_list_is_built_only_for_the_pages_that_show_it(client_as, monkeypatch):
    """issue 19: Django builds the list of every model the user may open for every admin page
    (``available_apps``); the desk's sidebar is the registry's, so only the desk home (its app
    list) builds it."""
    from django.contrib.admin import AdminSite

    built = []
    inner = AdminSite._build_app_dict

    def counting(self, request, label=None):
        built.append(label)
        return inner(self, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counting)
    client = client_as("leader")
    assert client.get(LIST).status_code == 200
    assert built == []
    home = client.get("/desk/")
    assert built == [None]
    assert 'href="/desk/kuaiban/case/"' in home.content.decode()
