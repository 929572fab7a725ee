"""Kuaiban pages outside the admin site: the public phone pages (R-KB-01),
the case photo for desk users and the QR posters."""

from django.urls import path

from zhonglou_hrss.kuaiban import views_public

app_name = "kuaiban"

urlpatterns = [
    path("report/", views_public.report, name="report"),
    path("report/done/", views_public.report_done, name="report_done"),
    path("progress/", views_public.progress, name="progress"),
    path("cases/<int:case_id>/photo/", views_public.case_photo, name="case_photo"),
    path("qr/", views_public.qr_posters, name="qr_posters"),
    path("qr/<str:key>.<str:fmt>", views_public.qr_poster, name="qr_poster"),
]
