"""The enterprise's evaluation pages under ``/portal/evaluations/`` (namespace ``evaluations``)."""

from zhonglou_hrss.questionnaires.public.urls import portal_patterns

app_name = "evaluations"

urlpatterns = portal_patterns
