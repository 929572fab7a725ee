"""The HR company's credit pages under ``/portal/credit/`` (namespace ``credit_portal``)."""

from django.urls import path

from zhonglou_hrss.core import paths  # noqa: F401  (the path converters)
from zhonglou_hrss.credit.public import views

urlpatterns = [
    path("", views.home, name="index"),
    path("register/", views.register, name="register"),
    path("login/", views.login_view, name="login"),
    path("profile/", views.profile, name="profile"),
    path("declarations/start/<year4:year>/", views.declaration_start, name="declaration_start"),
    path("declarations/<record_id:pk>/", views.declaration, name="declaration"),
    path("declarations/<record_id:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("declarations/<record_id:pk>/evidence/<record_id:evidence_id>/", views.evidence_file, name="evidence"),
]
