"""Routes of kuaiban's desk pages.

- ``case_patterns`` / ``petition_patterns``: the case and petition pages,
  routed by their lists in the desk site (``admin.cases``, ``admin.petitions``)
  so they carry the desk's names (``admin:kuaiban_case_change`` …);
- ``export_patterns`` (namespace ``kuaiban_export``, ``desk/kuaiban/exports/``):
  the export start page (GET confirms, POST starts; filter names are the
  API's: status, grid, reason, overdue, created_after, created_before, q; plus
  queue=mine), the job page, its progress and the download;
- ``figure_patterns`` (namespace ``kuaiban_stats``, ``desk/kuaiban/stats/``):
  the one map, the analysis, their Excel files and the district boundary;
- ``kuaiban_patterns``: desk pages under ``/kuaiban/`` (namespace
  ``kuaiban``): the reporter's photo and the QR posters.

Every view is wrapped by the desk's sign-in (``admin_view`` or ``desk_required``)
and checks its own permission.
"""

from django.contrib import admin
from django.urls import path

from zhonglou_hrss.kuaiban.desk import cases, exports, figures, petitions, posters


def case_patterns(site):
    return [
        path("register/", site.admin_view(cases.register), name="kuaiban_case_register"),
        path("<int:case_id>/", site.admin_view(cases.case_page), name="kuaiban_case_change"),
        path("<int:case_id>/act/<str:action>/", site.admin_view(cases.act), name="kuaiban_case_act"),
    ]


def petition_patterns(site):
    return [
        # Not "…_add": the admin's own add route carries that name and wins.
        path("new/", site.admin_view(petitions.edit), name="kuaiban_petition_new"),
        path("<int:petition_id>/", site.admin_view(petitions.detail), name="kuaiban_petition_change"),
        path("<int:petition_id>/edit/", site.admin_view(petitions.edit), name="kuaiban_petition_edit"),
    ]


export_patterns = [
    path("", exports.start, name="start"),
    path("<int:job_id>/", exports.job, name="job"),
    path("<int:job_id>/status/", exports.job_status, name="status"),
    path("<int:job_id>/download/", exports.download, name="download"),
]


def _desk(view, **kwargs):
    return admin.site.admin_view(view, **kwargs)


figure_patterns = [
    path("map/", _desk(figures.map_page), name="map"),
    path("analysis/", _desk(figures.analysis_page), name="analysis"),
    path("export/<str:table>/", _desk(figures.export_table), name="export"),
    path("boundary.geojson", _desk(figures.boundary_geojson, cacheable=True), name="boundary"),
    path("boundary/", _desk(figures.boundary_page), name="boundary_upload"),
]

kuaiban_patterns = [
    path("cases/<int:case_id>/photo/", cases.case_photo, name="case_photo"),
    path("qr/", posters.qr_posters, name="qr_posters"),
    path("qr/<str:key>.<str:fmt>", posters.qr_poster, name="qr_poster"),
]
