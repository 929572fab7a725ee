"""The API lists' paging (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``):
DRF's page numbers, with the query checked and documented (issue 10 item 10b).

``page`` is an integer from 1, ``page_size`` an integer from 1 to
``max_page_size`` (100); anything else — ``page=0``, ``page=abc``,
``page_size=0``, ``page_size=5e-300``, ``page_size=1000`` — is a 400 naming the
field (DRF answered 404, or quietly used 20 or 100). Both are in the OpenAPI
schema with their bounds. A page past the last is a 404 (documented by the
list views with ``PAGE_NOT_FOUND``).
"""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiResponse
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from zhonglou_hrss.core.api_errors import ErrorSerializer

_DIGITS = re.compile(r"[0-9]+")


def _positive(raw: str) -> int | None:
    """A positive integer written in ASCII digits, else None."""
    if not _DIGITS.fullmatch(raw):
        return None
    try:
        number = int(raw)
    except ValueError:  # more digits than Python converts
        return None
    return number or None


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()
    page_query_description = "页码，从 1 开始"
    invalid_page_message = "第 {page_number} 页不存在（超出总页数）"
    page_message = "页码须为不小于 1 的整数"

    @property
    def page_size_query_description(self):
        return f"每页条数，1—{self.max_page_size}，默认 {self.page_size}"

    @property
    def page_size_message(self):
        return f"每页条数须为 1 至 {self.max_page_size} 之间的整数"

    def _asked(self, request) -> tuple[int | None, int | None]:
        """(page, page size) as asked, None when not given; 400 naming each bad one."""
        errors: dict[str, list[str]] = {}
        asked = []
        for name, message, most in ((self.page_query_param, self.page_message, None),
                                    (self.page_size_query_param, self.page_size_message, self.max_page_size)):
            raw = request.query_params.get(name, "")
            number = _positive(raw) if raw != "" else None
            if raw != "" and (number is None or (most is not None and number > most)):
                errors[name] = [message]
            asked.append(number)
        if errors:
            raise ValidationError(errors)
        return asked[0], asked[1]

    def paginate_queryset(self, queryset, request, view=None):
        self._asked(request)  # before anything is counted or read
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        return self._asked(request)[0] or 1

    def get_page_size(self, request):
        return self._asked(request)[1] or self.page_size

    def get_schema_operation_parameters(self, view):
        bounds = {self.page_query_param: {"minimum": 1},
                  self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size}}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters


# For a list view's extend_schema(responses=...): the page past the last.
PAGE_NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="页码超出范围（大于总页数）")}
