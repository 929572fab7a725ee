"""Paging of the portal API's lists: DRF's page-number contract (``count``,
``next``, ``previous``, ``results``; ``page``, ``page_size`` up to 100), the
page's ids read first (``core.paging``)."""

from rest_framework.pagination import PageNumberPagination

from zhonglou_hrss.core.paging import IdsFirstPaginator


class ListPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = IdsFirstPaginator
