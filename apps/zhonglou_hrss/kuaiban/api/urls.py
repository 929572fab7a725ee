"""Kuaiban's REST API, mounted at ``/api/v1/kuaiban/``: cases and their
workflow actions (``api.cases``), petitions (``api.petitions``) and the
figures (``api.figures``)."""

from django.urls import include, path

from zhonglou_hrss.kuaiban.api import cases, figures, petitions

urlpatterns = [
    path("stats/", include(figures.urlpatterns)),
    path("", include(cases.urlpatterns)),
    path("petitions/", include(petitions.urlpatterns)),
]
