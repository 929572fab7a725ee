"""The platform API, mounted at ``/api/v1/platform/``: custom field definitions
(``fields/``) and saved reports (``reports/``)."""

from zhonglou_hrss.platform.api import fields, reports

urlpatterns = [*fields.urlpatterns, *reports.urlpatterns]
