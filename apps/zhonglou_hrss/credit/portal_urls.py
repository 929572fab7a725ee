"""The HR company's credit pages on the PC portal, under ``/portal/credit/`` (namespace ``credit_portal``)."""

from zhonglou_hrss.credit.public.urls import urlpatterns as public_patterns

app_name = "credit_portal"

urlpatterns = public_patterns
