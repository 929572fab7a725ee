"""The portal's pages under ``/portal/`` (namespace ``portal``)."""

from django.urls import path

from zhonglou_hrss.portal.public import demands, jobfairs, views

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
    # job fairs (R-PT-08, 09, 10)
    path("jobfairs/", jobfairs.fair_list, name="jobfair_list"),
    path("jobfairs/<int:fair_id>/register/", jobfairs.registration_new, name="jobfair_register"),
    path("registrations/", jobfairs.registration_list, name="registrations"),
    path("registrations/<int:registration_id>/", jobfairs.registration_detail, name="registration_detail"),
    path("registrations/<int:registration_id>/withdraw/", jobfairs.registration_withdraw,
         name="registration_withdraw"),
    path("registrations/<int:registration_id>/stamped-form/", jobfairs.registration_stamped_form,
         name="registration_stamped_form"),
    # 我的人才需求 (R-PT-04, 05, 06, 07)
    path("demands/", demands.demand_list, name="demand_list"),
    path("demands/new/", demands.demand_form, name="demand_new"),
    path("demands/<int:demand_id>/", demands.demand_detail, name="demand_detail"),
    path("demands/<int:demand_id>/edit/", demands.demand_form, name="demand_edit"),
    path("demands/<int:demand_id>/submit/", demands.demand_submit, name="demand_submit"),
    path("demands/<int:demand_id>/withdraw/", demands.demand_withdraw, name="demand_withdraw"),
    path("demands/<int:demand_id>/outcome/", demands.demand_outcome, name="demand_outcome"),
]
