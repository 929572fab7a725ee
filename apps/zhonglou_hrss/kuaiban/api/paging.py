"""Paging of the kuaiban API lists, fast at a million cases
(benchmarks/bench_case_list.py, results in benchmarks/RESULTS.md).

Same contract as DRF's ``PageNumberPagination`` (``count``, ``next``,
``previous``, ``results``), with ``page`` and ``page_size`` (1 to 100) checked
and documented by ``core.api_paging``; inside:

- the page is read in two steps (``core.paging.IdsFirstPaginator``): its ids
  from an index, then those rows with their grid and reason;
- the whole, unfiltered case list is counted and paged by the faster forms of
  the visibility rule (``selectors.cases.visible_count`` and
  ``visible_case_by_case``) — the same number, the same cases;
- the list behind a figure (filtered by statistics grid and year, and status,
  only) is counted from the case counts (``selectors.cases.figure_list_count``),
  like the figure it opens from.
"""

from __future__ import annotations

from functools import partial

from zhonglou_hrss.core import custom_fields
from zhonglou_hrss.core.api_paging import PageNumberPagination
from zhonglou_hrss.core.paging import IdsFirstPaginator
from zhonglou_hrss.kuaiban.rules import FILTERED_COUNT_CAP
from zhonglou_hrss.kuaiban.selectors.filters import CaseFilterSerializer
from zhonglou_hrss.kuaiban.selectors.cases import figure_list_count, visible_case_by_case, visible_count


class ListPagination(PageNumberPagination):
    """20 a page, ``page_size`` up to 100; the page's ids read first (with the
    grid and reason joined, MariaDB sorted all 200,000 petitions for one page — 10 s)."""

    django_paginator_class = IdsFirstPaginator


class CaseListPagination(ListPagination):
    """For ``GET /api/v1/kuaiban/cases/`` only (its queryset is the caller's
    visible cases filtered by ``CaseFilterSerializer``)."""

    def paginate_queryset(self, queryset, request, view=None):
        params = CaseFilterSerializer(data=request.query_params)
        given = ({k: v for k, v in params.validated_data.items() if v not in (None, "", [])}
                 if params.is_valid() else None)
        # Filtered by a custom field: neither the whole list nor a figure's (counted up to the cap).
        custom = bool(custom_fields.filter_params(request.query_params))
        figure_count = None
        if given and not custom and given.get("stat_grid") and given.get("year") and set(given) <= {"stat_grid", "year", "status"}:
            # The list behind a figure of the map or the analysis.
            figure_count = figure_list_count(request.user, stat_grid=given["stat_grid"], year=int(given["year"]),
                                             statuses=given.get("status"))
        if given == {} and not custom:  # the queryset is exactly case_list_for(user)
            paginator = partial(IdsFirstPaginator, count=visible_count(request.user),
                                ids_from=visible_case_by_case(request.user))
        elif figure_count is not None:
            paginator = partial(IdsFirstPaginator, count=figure_count)
        elif custom:
            # Counted up to the cap, in the list's order (a fifth of a million cases matched one
            # option: counting them to the end took seconds); ``count_capped`` says so.
            paginator = partial(IdsFirstPaginator, count_cap=FILTERED_COUNT_CAP)
        else:
            paginator = IdsFirstPaginator
        self.django_paginator_class = paginator
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = bool(getattr(self.page.paginator, "capped", False))
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean", "description": f"按自定义字段筛选时最多计数 {FILTERED_COUNT_CAP} 条："
                                              f"为 true 表示实际多于 count，请缩小筛选范围"}
        return schema
