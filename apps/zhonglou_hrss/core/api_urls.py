"""REST API v1 (``/api/v1/``). Domain apps add their routes here as they land."""

from django.urls import include, path

from zhonglou_hrss.core import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("lookups/<str:kind>/", api.LookupListView.as_view(), name="api-lookups"),
    path("kuaiban/stats/", include("zhonglou_hrss.kuaiban.stats_api")),
    path("kuaiban/", include("zhonglou_hrss.kuaiban.api")),
    path("kuaiban/petitions/", include("zhonglou_hrss.kuaiban.petition_api")),
]
