"""Routes of the questionnaires' desk pages, routed by their lists in the desk
site (``admin.definitions``, ``admin.responses``) so they carry the desk's
names (``admin:questionnaires_version_preview`` …). Every view is wrapped by
the desk's sign-in (``admin_view``) and checks its own permission."""

from django.urls import path

from zhonglou_hrss.questionnaires.desk import definitions, outputs, responses


def questionnaire_patterns(site):
    return [
        path("<int:questionnaire_id>/new-draft/", site.admin_view(definitions.new_draft),
             name="questionnaires_questionnaire_new_draft"),
        path("<int:questionnaire_id>/import/", site.admin_view(definitions.import_excel),
             name="questionnaires_questionnaire_import"),
        path("composites/", site.admin_view(outputs.composites_page), name="questionnaires_composites"),
        path("posters/", site.admin_view(outputs.posters_page), name="questionnaires_posters"),
        path("posters/<str:uscc>/<str:fmt>/", site.admin_view(outputs.poster), name="questionnaires_poster"),
        path("exports/start/", site.admin_view(outputs.export_start), name="questionnaires_export_start"),
        path("exports/<int:job_id>/", site.admin_view(outputs.export_job), name="questionnaires_export_job"),
        path("exports/<int:job_id>/download/", site.admin_view(outputs.export_download),
             name="questionnaires_export_download"),
    ]


def version_patterns(site):
    return [
        path("<int:version_id>/preview/", site.admin_view(definitions.preview), name="questionnaires_version_preview"),
        path("<int:version_id>/publish/", site.admin_view(definitions.publish), name="questionnaires_version_publish"),
        path("<int:version_id>/export/", site.admin_view(definitions.export_excel),
             name="questionnaires_version_export"),
    ]


def response_patterns(site):
    return [
        path("<int:response_id>/view/", site.admin_view(responses.page), name="questionnaires_response_page"),
        path("<int:response_id>/as-seen/", site.admin_view(responses.as_seen), name="questionnaires_response_as_seen"),
        path("<int:response_id>/review/", site.admin_view(responses.review_view), name="questionnaires_response_review"),
        path("<int:response_id>/correct/", site.admin_view(responses.correct_view),
             name="questionnaires_response_correct"),
    ]
