"""Paging of the portal API's lists: the site's checked page numbers
(``core.api_paging``: ``page`` and ``page_size`` up to 100 validated and
documented, a 400 naming a bad one), the page's ids read first (``core.paging``)."""

from zhonglou_hrss.core.api_paging import PageNumberPagination
from zhonglou_hrss.core.paging import IdsFirstPaginator


class ListPagination(PageNumberPagination):
    page_size = 20
    django_paginator_class = IdsFirstPaginator
