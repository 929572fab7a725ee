"""Paging long lists fast (benchmarks/RESULTS.md: a million cases, 200,000
petitions on MariaDB): the page is read in two steps — its ids alone, a narrow
query the database answers from an index, then those rows with what the list
selects and joins.

In one query with small tables joined (grid, reason), MariaDB starts from the
small table and sorts every visible row before taking the first 20: seconds at
a million rows.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def page_of(qs: QuerySet, start: int, stop: int, *, ids_from: QuerySet | None = None) -> list:
    """Rows ``start:stop`` of an ordered list: the ids first, then those rows
    with what ``qs`` selects and joins. ``ids_from``: the same rows written
    another way (a form the database pages faster), read in ``qs``'s order."""
    source = qs if ids_from is None else ids_from.order_by(*(qs.query.order_by or qs.model._meta.ordering))
    ids = list(source.values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    rows = {row.pk: row for row in qs.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]  # one changed in between drops out, as on a refresh


class IdsFirstPaginator(Paginator):
    """Django's paginator, with the page read by ``page_of`` and, when given,
    a count computed elsewhere (a cheaper form of the same count) and the page
    ids read from another form of the same list.

    ``count_cap``: count at most this many (``capped`` tells when there were
    more): a broad filter over a million rows is counted in milliseconds up
    to the cap instead of seconds to the end, and the list says to narrow it."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, ids_from=None,
                 count_cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.ids_from = ids_from
        self.count_cap = count_cap
        self.capped = False
        if count is not None:
            self.count = count  # replaces the cached_property

    @cached_property
    def count(self):
        if not self.count_cap or not hasattr(self.object_list, "query"):
            return super().count
        # In the list's own order: the database walks that index and stops at
        # the cap (without it, MariaDB reads the whole filtered range first).
        n = self.object_list[: self.count_cap + 1].count()
        self.capped = n > self.count_cap
        return min(n, self.count_cap)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_of(self.object_list, bottom, top, ids_from=self.ids_from), number, self)
