"""What an app declares for one kind of export: its fields and its rows.

An exporter (one per kind, registered with ``core.exports.registry`` in its
app's ``AppConfig.ready``) knows the kind's fields (key → Chinese label →
value) and yields one dict per record from the user's visible, filtered list,
fetched in keyset chunks (flat memory on every database).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection
from django.db.models import Q, QuerySet

from zhonglou_hrss.core import pii

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportField:
    """One exportable field: ``value(row, ctx)`` turns a fetched row into the cell value.
    ``columns`` are the ``values()`` names it reads; ``loader`` names per-chunk extra data."""

    key: str
    label: str
    value: Callable[[dict, "ExportContext"], object] | None  # None: the value of ``columns[0]`` as it is
    columns: tuple[str, ...] = ()
    loader: str = ""
    personal: bool = False  # masked unless a full export (core.export_pii, with a reason)


@dataclass
class ExportContext:
    masked: bool
    maps: dict = field(default_factory=dict)  # small id → label tables, loaded once per export

    def personal(self, kind: str, value: str | None) -> str:
        return pii.mask(kind, value) if self.masked else (value or "")


class Exporter:
    """Base for an app's exporter. Subclasses set ``kind``, ``label``,
    ``permission``, ``fields`` and implement ``clean_filters``, ``queryset``
    and (optionally) ``loaders``."""

    kind: str = ""
    label: str = ""
    permission: str = ""
    fields: dict[str, ExportField] = {}
    order: tuple[str, ...] = ("-created_at", "-id")  # keyset pagination order (all one direction)
    custom_object: str = ""  # the object's key in core.custom_fields: its fields export as {{custom_<code>}}

    def export_fields(self, user=None) -> dict[str, ExportField]:
        """The kind's own fields, then the active custom fields of its object (issue 17); with
        ``user``, a custom field the user may not see exports empty."""
        if not self.custom_object:
            return self.fields
        return {**self.fields, **{f.key: f for f in custom_export_fields(self.custom_object, user)}}

    def personal_fields(self) -> list[str]:
        return [key for key, f in self.export_fields().items() if f.personal]

    def clean_filters(self, raw: Mapping) -> dict:
        raise NotImplementedError

    def describe_filters(self, filters: dict) -> str:
        return "；".join(f"{k}={v}" for k, v in filters.items()) or "全部"

    def queryset(self, user, filters: dict, *, now) -> QuerySet:
        raise NotImplementedError

    def default_spec(self, filters: dict):
        """A ``TemplateSpec`` built from the filters when no template is chosen (columns that
        depend on the data); None: the shipped default template of the kind."""
        return None

    def loaders(self) -> dict[str, Callable[[list[int]], dict]]:
        """name → function(ids of one chunk) → {id: extra value}."""
        return {}

    def maps(self) -> dict[str, dict]:
        """Small tables (grids, lookup labels) read once per export, for ``ctx.maps``:
        the chunk queries then read the main table alone, without joins."""
        return {}

    def count(self, user, filters: dict, *, now) -> int:
        return self.queryset(user, filters, now=now).count()

    def rows(self, user, filters: dict, *, keys: list[str], masked: bool, now) -> Iterator[dict]:
        """One dict {key: value} per visible, filtered record, fetched in chunks."""
        fields = self.export_fields(user)
        wanted = [fields[k] for k in dict.fromkeys(keys)]
        order_fields = [f.lstrip("-") for f in self.order]
        columns = list(dict.fromkeys([*order_fields, *(c for f in wanted for c in f.columns)]))
        needed_loaders = {f.loader for f in wanted if f.loader}
        loaders = {name: fn for name, fn in self.loaders().items() if name in needed_loaders}
        ctx = ExportContext(masked=masked, maps=self.maps())
        direct = [f for f in wanted if f.value is None]
        computed = [(f.key, f.value) for f in wanted if f.value is not None]
        direct_keys = [f.key for f in direct]
        take = itemgetter(*[f.columns[0] for f in direct]) if direct else None
        if len(direct) == 1:
            take = (lambda get: lambda row: (get(row),))(take)
        # One query per chunk, on the main table alone (labels come from ``maps``,
        # related rows from ``loaders``): with joins, MariaDB was seen (stale
        # statistics after a bulk load) starting from the grid table and sorting
        # the whole remaining range for every chunk instead of walking the index.
        qs = self.queryset(user, filters, now=now).values(*columns)
        chunks = keyset_chunks(qs, self.order)
        if not connection.in_atomic_block:  # a test's transaction: another connection would not see its rows
            chunks = prefetched(chunks)
        for chunk in chunks:
            ids = [r["id"] for r in chunk]
            extra = {name: fn(ids) for name, fn in loaders.items()}
            for row in chunk:
                case_id = row["id"]
                for name, found in extra.items():
                    row[name] = found.get(case_id)
                out = dict(zip(direct_keys, take(row))) if take else {}
                for key, value in computed:
                    out[key] = value(row, ctx)
                yield out



def prefetched(chunks: Iterator[list]) -> Iterator[list]:
    """The same chunks, each next one fetched in a second thread (with its own
    database connection) while the caller turns the current one into rows: the
    database's time and the row conversion overlap instead of adding up. Memory:
    at most two chunks at once. The thread's connection is closed at the end."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def advance():
        return next(chunks, None)

    def finish():
        try:
            chunks.close()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-prefetch") as pool:
        try:
            pending = pool.submit(advance)
            while (chunk := pending.result()) is not None:
                pending = pool.submit(advance)
                yield chunk
        finally:
            pool.submit(finish).result()


def custom_export_fields(object_key: str, user=None) -> list[ExportField]:
    """One export field per active custom field: ``custom_<code>`` (a placeholder's name has no
    dot), its value as people read it; a personal one masked unless the export is full; empty
    for a ``user`` whose roles may not see the field."""
    from zhonglou_hrss.core import custom_fields

    out = []
    for definition in custom_fields.definitions(object_key):
        hidden = user is not None and not custom_fields.may_view(definition, user)

        def value(row, ctx, field=definition, hidden=hidden):
            if hidden:
                return ""
            shown = custom_fields.read_values(row.get("custom"), [field], full=not ctx.masked)
            return custom_fields.labels(object_key, shown, [field]).get(field.code, "")

        out.append(ExportField(f"custom_{definition.code}", definition.label, value, columns=("custom",),
                               personal=definition.personal))
    return out


def keyset_chunks(qs: QuerySet, order: tuple[str, ...], size: int = CHUNK_SIZE) -> Iterator[list]:
    """Chunks of a ``values()`` queryset, by keyset pagination on ``order``
    (e.g. ``("-created_at", "-id")``; the last field must be unique).

    Not ``.iterator()``: MySQLdb buffers a whole result set in the client,
    so on MariaDB memory would grow with the row count; each keyset query
    reads at most ``size`` rows, on every database."""
    names = [o.lstrip("-") for o in order]
    descending = order[0].startswith("-")
    if any(o.startswith("-") != descending for o in order):
        raise ValueError("keyset order fields must share one direction")
    op = "lt" if descending else "gt"
    qs = qs.order_by(*order)
    last = None
    while True:
        page = qs
        if last is not None:
            page = qs.filter(_after(names, last, op))
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:
            return
        last = [chunk[-1][n] for n in names]


def _after(names: list[str], values: list, op: str) -> Q:
    # (a, b) < (x, y)  ⇔  a <= x AND (a < x OR (a = x AND b < y)); the first
    # conjunct lets the database range-scan the index on the leading field.
    q = Q(**{f"{names[-1]}__{op}": values[-1]})
    for name, value in zip(reversed(names[:-1]), reversed(values[:-1])):
        q = Q(**{f"{name}__{op}": value}) | (Q(**{name: value}) & q)
    q = Q(**{f"{names[0]}__{op}e": values[0]}) & q
    return q


