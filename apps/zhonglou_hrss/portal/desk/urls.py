"""Routes of the portal's desk pages, routed by their lists in the desk site
(``admin.news``, ``admin.concerns``, ``admin.jobfairs``) so they carry the desk's names
(``admin:portal_news_new`` …). Every view is wrapped by the desk's sign-in
(``admin_view``) and checks its own permission."""

from django.urls import path

from zhonglou_hrss.portal.desk import concerns, demands, jobfairs, news


def news_patterns(site):
    return [
        path("new/", site.admin_view(news.edit), name="portal_news_new"),
        path("upload-image/", site.admin_view(news.upload_image), name="portal_news_upload_image"),
        path("<int:news_id>/", site.admin_view(news.edit), name="portal_news_change"),
        path("<int:news_id>/publish/", site.admin_view(news.publish), name="portal_news_publish"),
    ]


def concern_patterns(site):
    return [
        path("<int:concern_id>/", site.admin_view(concerns.detail), name="portal_concern_change"),
        path("<int:concern_id>/act/", site.admin_view(concerns.act), name="portal_concern_act"),
    ]


def fair_patterns(site):
    return [
        path("new/", site.admin_view(jobfairs.fair_edit), name="portal_jobfair_new"),
        path("<int:fair_id>/", site.admin_view(jobfairs.fair_edit), name="portal_jobfair_change"),
        path("<int:fair_id>/open/", site.admin_view(jobfairs.fair_open), name="portal_jobfair_open"),
        path("<int:fair_id>/files/", site.admin_view(jobfairs.attachment_add), name="portal_jobfair_attachment_add"),
        path("<int:fair_id>/files/<int:attachment_id>/", site.admin_view(jobfairs.attachment_file),
             name="portal_jobfair_attachment"),
        path("<int:fair_id>/files/<int:attachment_id>/remove/", site.admin_view(jobfairs.attachment_remove),
             name="portal_jobfair_attachment_remove"),
    ]


def registration_patterns(site):
    return [
        path("export/", site.admin_view(jobfairs.export), name="portal_registration_export"),
        path("<int:registration_id>/", site.admin_view(jobfairs.registration_page),
             name="portal_registration_change"),
        path("<int:registration_id>/decide/", site.admin_view(jobfairs.decide), name="portal_registration_decide"),
        path("<int:registration_id>/stamped-form/", site.admin_view(jobfairs.stamped_form),
             name="portal_registration_stamped_form"),
    ]


def demand_patterns(site):
    return [
        path("stats/", site.admin_view(demands.stats_page), name="portal_demand_stats"),
        path("stats/export/", site.admin_view(demands.stats_export), name="portal_demand_stats_export"),
        path("<int:demand_id>/", site.admin_view(demands.detail), name="portal_demand_change"),
        path("<int:demand_id>/decide/", site.admin_view(demands.decide), name="portal_demand_decide"),
    ]
