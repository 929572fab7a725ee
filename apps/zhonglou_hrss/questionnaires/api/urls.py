"""The questionnaire API, mounted at ``/api/v1/questionnaires/`` (contract of
issue 14, ``api.views``); ``credit_urlpatterns`` at ``/api/v1/credit/``
(the enterprise's HR-company list, served by this app)."""

from zhonglou_hrss.questionnaires.api.views import credit_urlpatterns, urlpatterns

__all__ = ["credit_urlpatterns", "urlpatterns"]
