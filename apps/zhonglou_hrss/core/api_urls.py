"""Core's REST API routes (``/api/v1/``): the token, the lookup lists and captchas. The
apps' routes are included beside these by ``zhonglou_hrss.urls``."""

from django.urls import path

from zhonglou_hrss.core import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", api.LogoutAllView.as_view(), name="api-logout-all"),
    path("lookups/<str:kind>/", api.LookupListView.as_view(), name="api-lookups"),
    path("captcha/", api.CaptchaView.as_view(), name="api-captcha"),
]
