"""Case export pages, mounted at ``desk/kuaiban/exports/`` (namespace ``kuaiban_export``).

Link from the case list: ``{% url 'kuaiban_export:start' %}?<filters>`` — GET
shows a confirmation page, POST (with the CSRF token) starts the export at
once. Filter names are the API's: status (comma-separated or repeated), grid,
reason, overdue, created_after, created_before, q; plus queue=mine.
"""

from django.urls import path

from zhonglou_hrss.kuaiban import views_export

app_name = "kuaiban_export"

urlpatterns = [
    path("", views_export.start, name="start"),
    path("<int:job_id>/", views_export.job, name="job"),
    path("<int:job_id>/status/", views_export.job_status, name="status"),
    path("<int:job_id>/download/", views_export.download, name="download"),
]
