"""Kuaiban's public phone pages (no login): 群众登记 (R-KB-01) from a QR code
or link, its confirmation, and the progress look-up."""

from django.urls import path

from zhonglou_hrss.kuaiban.public import views

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/done/", views.report_done, name="report_done"),
    path("progress/", views.progress, name="progress"),
]
