from zhonglou_hrss.credit.api.views import urlpatterns  # noqa: F401
