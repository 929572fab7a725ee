"""The portal's REST API, mounted at ``/api/v1/portal/`` (contract of issue 12):
home and news (``api.news``), urgent concerns (``api.concerns``), enterprise
accounts (``api.accounts``), talent demands and their statistics (``api.demands``),
job fairs (``api.jobfairs``) and their registrations (``api.registrations``)."""

from django.urls import include, path

from zhonglou_hrss.portal.api import accounts, concerns, demands, jobfairs, news, registrations

urlpatterns = [
    path("", include(news.urlpatterns)),
    path("concerns/", include(concerns.urlpatterns)),
    path("", include(accounts.urlpatterns)),
    path("", include(demands.urlpatterns)),
    path("jobfairs/", include(jobfairs.urlpatterns)),
    path("registrations/", include(registrations.urlpatterns)),
]
