"""Routes of the saved reports' desk pages, routed by the reports' list in the
desk site (``admin.reports``) so they carry the desk's names
(``admin:platform_report_page`` …). Every view is wrapped by the desk's
sign-in (``admin_view``) and checks its own permission."""

from django.urls import path

from zhonglou_hrss.platform.desk import reports


def report_patterns(site):
    return [
        path("new/", site.admin_view(reports.builder), name="platform_report_builder"),
        path("<int:report_id>/view/", site.admin_view(reports.report_page), name="platform_report_page"),
        path("<int:report_id>/export/", site.admin_view(reports.export_start), name="platform_report_export"),
        path("exports/<int:job_id>/", site.admin_view(reports.export_job), name="platform_report_export_job"),
        path("exports/<int:job_id>/download/", site.admin_view(reports.export_download),
             name="platform_report_export_download"),
    ]
