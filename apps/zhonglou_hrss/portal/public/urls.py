"""The portal's pages under ``/portal/`` (namespace ``portal``)."""

from django.urls import path

from zhonglou_hrss.portal.public import views

urlpatterns = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news_list"),
    path("news/<int:news_id>/", views.news_detail, name="news_detail"),
    path("news/<int:news_id>/files/<int:attachment_id>/", views.news_attachment, name="news_attachment"),
    path("jobfairs/<int:fair_id>/files/<int:attachment_id>/", views.jobfair_attachment, name="jobfair_attachment"),
    path("concerns/", views.concern_new, name="concern_new"),
    path("concerns/done/", views.concern_done, name="concern_done"),
    path("concerns/lookup/", views.concern_lookup, name="concern_lookup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
]
