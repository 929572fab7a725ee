"""Desk pages of the figures, mounted at ``desk/kuaiban/stats/`` (namespace
``kuaiban_stats``): the one map, the analysis, their Excel files and the
district boundary. Each view is wrapped by the desk's ``admin_view``
(sign-in with desk access); the views check the figures' permission."""

from django.contrib import admin
from django.urls import path

from zhonglou_hrss.kuaiban import stats_views

app_name = "kuaiban_stats"

urlpatterns = [
    path("map/", admin.site.admin_view(stats_views.map_page), name="map"),
    path("analysis/", admin.site.admin_view(stats_views.analysis_page), name="analysis"),
    path("export/<str:table>/", admin.site.admin_view(stats_views.export_table), name="export"),
    path("boundary.geojson", admin.site.admin_view(stats_views.boundary_geojson, cacheable=True), name="boundary"),
    path("boundary/", admin.site.admin_view(stats_views.boundary_page), name="boundary_upload"),
]
