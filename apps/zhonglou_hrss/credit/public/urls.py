"""The HR company's credit pages under ``/portal/credit/`` (namespace ``credit_portal``)."""

from django.urls import path, register_converter

from zhonglou_hrss.credit.public import views


class RecordId:
    """At most 18 digits: a longer number is a 404, not a database overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RecordId, "crp_id")
register_converter(Year, "crp_year")

urlpatterns = [
    path("", views.home, name="index"),
    path("register/", views.register, name="register"),
    path("login/", views.login_view, name="login"),
    path("profile/", views.profile, name="profile"),
    path("declarations/start/<crp_year:year>/", views.declaration_start, name="declaration_start"),
    path("declarations/<crp_id:pk>/", views.declaration, name="declaration"),
    path("declarations/<crp_id:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("declarations/<crp_id:pk>/evidence/<crp_id:evidence_id>/", views.evidence_file, name="evidence"),
]
