"""Paging the kuaiban case list so that it stays fast at a million cases
(benchmarks/bench_case_list.py, results in benchmarks/RESULTS.md).

Same contract as DRF's ``PageNumberPagination`` (``count``, ``next``,
``previous``, ``results``; ``page`` and ``page_size``); two things differ
inside:

- the page is read in two steps (``selectors.page_of``): its ids from an
  index, then those rows with their grid and reason;
- the whole, unfiltered list of a user who sees cases only through their
  grids is counted from the grid rounds (``selectors.visible_count``) — the
  same number — and its page ids are read with the grid test checked case by
  case (``selectors.visible_case_by_case``) — the same cases;
- the list behind a figure (filtered by statistics grid and year, and
  status, only) is counted from the case counts
  (``stats.figure_list_count``), like the figure it opens from.
"""

from __future__ import annotations

from functools import partial

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

from zhonglou_hrss.kuaiban import selectors, stats


class IdsFirstPaginator(Paginator):
    """Django's paginator, with the page read by ``selectors.page_of`` (ids
    from an index first, then those rows: the case and petition lists) and,
    when given, a count computed elsewhere and the page ids read from another
    form of the same list."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, ids_from=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.ids_from = ids_from
        if count is not None:
            self.count = count  # replaces the cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(selectors.page_of(self.object_list, bottom, top, ids_from=self.ids_from), number, self)


FIGURE_LIST_PARAMS = {"stat_grid", "year", "status__in"}  # the desk list's parameters behind a figure


def desk_list_count(request) -> int | None:
    """The desk case list's count when it is the list behind a figure (the
    one map's and the analysis's links: ``?stat_grid=…&year=…[&status__in=…]``)."""
    params = {k: v for k, v in request.GET.items() if k not in ("p", "o")}
    if not (params.get("stat_grid") and params.get("year", "").isdigit() and set(params) <= FIGURE_LIST_PARAMS):
        return None
    statuses = [s for s in params.get("status__in", "").split(",") if s]
    return stats.figure_list_count(request.user, stat_grid=params["stat_grid"], year=int(params["year"]),
                                       statuses=statuses or None)


class CaseListPagination(PageNumberPagination):
    """For ``GET /api/v1/kuaiban/cases/`` only (its queryset is the caller's
    visible cases filtered by ``CaseFilterSerializer``): 20 a page, ``page_size``
    up to 100, as ``api.CasePagination``."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        from zhonglou_hrss.kuaiban.serializers import CaseFilterSerializer

        params = CaseFilterSerializer(data=request.query_params)
        given = ({k: v for k, v in params.validated_data.items() if v not in (None, "", [])}
                 if params.is_valid() else None)
        figure_count = None
        if given and given.get("stat_grid") and given.get("year") and set(given) <= {"stat_grid", "year", "status"}:
            # The list behind a figure of the map or the analysis.
            figure_count = stats.figure_list_count(request.user, stat_grid=given["stat_grid"],
                                                       year=int(given["year"]), statuses=given.get("status"))
        if given == {}:  # the queryset is exactly case_list_for(user)
            paginator = partial(IdsFirstPaginator, count=selectors.visible_count(request.user),
                                ids_from=selectors.visible_case_by_case(request.user))
        elif figure_count is not None:
            paginator = partial(IdsFirstPaginator, count=figure_count)
        else:
            paginator = IdsFirstPaginator
        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)
