"""The composition root of URLs: core's pages and, for each app, its desk,
public and API URLconfs. The only module (with ``settings`` and ``cron``)
that names the apps."""

from django.contrib import admin
from django.urls import include, path

from zhonglou_hrss.core import api_docs, health_views, help_views
from zhonglou_hrss.core import views as core_views
from zhonglou_hrss.kuaiban.desk import urls as kuaiban_desk
from zhonglou_hrss.portal.public import miniprogram as phone_client
from zhonglou_hrss.questionnaires.api import urls as questionnaires_api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("desk/import-template/<str:kind>/", core_views.import_template, name="import_template"),
    path("desk/kuaiban/exports/", include((kuaiban_desk.export_patterns, "kuaiban_export"))),
    path("desk/kuaiban/stats/", include((kuaiban_desk.figure_patterns, "kuaiban_stats"))),
    path("desk/system/health/", health_views.status_page, name="system_health"),
    path("desk/", admin.site.urls),
    # The user manuals (docs/manual), with the 帮助 links of every page.
    path("help/", include((help_views.urlpatterns, "help"))),
    path("captcha/image/<str:key>/", core_views.captcha_image, name="captcha-image"),
    path("captcha/refresh/", core_views.captcha_refresh, name="captcha-refresh"),
    path("kuaiban/", include("zhonglou_hrss.kuaiban.urls")),
    path("portal/evaluations/", include("zhonglou_hrss.questionnaires.portal_urls")),
    path("portal/credit/", include("zhonglou_hrss.credit.portal_urls")),
    path("portal/", include("zhonglou_hrss.portal.urls")),
    # 码上办's phone client (H5 build of the mini program, issue 16), same origin as the API.
    path("m/", phone_client.phone_client, name="phone-client"),
    path("m/<path:path>", phone_client.phone_client, name="phone-client-file"),
    path("questionnaires/", include("zhonglou_hrss.questionnaires.urls")),
    # Public uploads (news images): re-encoded pictures only; nginx may serve the folder itself.
    path("media/<path:path>", core_views.public_upload, name="public-upload"),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script): no inline script (CSP).
    path("api/docs/", api_docs.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("zhonglou_hrss.core.api_urls")),
    path("api/v1/kuaiban/", include("zhonglou_hrss.kuaiban.api.urls")),
    path("api/v1/portal/", include("zhonglou_hrss.portal.api.urls")),
    path("api/v1/questionnaires/", include(questionnaires_api.urlpatterns)),
    # The enterprise's HR-company list (R-CR-05) is the questionnaires' (credit's own API beside it).
    path("api/v1/credit/", include(questionnaires_api.credit_urlpatterns)),
    path("api/v1/credit/", include("zhonglou_hrss.credit.api.urls")),
    path("api/v1/platform/", include("zhonglou_hrss.platform.api.urls")),
    path("healthz", health_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
]

# Errors: JSON under /api/, Django's pages elsewhere (core.error_views).
handler400 = "zhonglou_hrss.core.error_views.bad_request"
handler403 = "zhonglou_hrss.core.error_views.permission_denied"
handler404 = "zhonglou_hrss.core.error_views.page_not_found"
handler500 = "zhonglou_hrss.core.error_views.server_error"
