from __future__ import annotations

from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("danh-gia/", views.assessment_list, name="assessment_list"),
    path("danh-gia/them/", views.assessment_create, name="assessment_create"),
    path("danh-gia/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("danh-gia/<int:pk>/sua/", views.assessment_edit, name="assessment_edit"),
    path("danh-gia/<int:pk>/bao-cao.pdf", views.assessment_report, name="assessment_report"),
    path("danh-gia/<int:pk>/nam-co-so/", views.baseline_edit, name="baseline_edit"),
    path("danh-gia/<int:pk>/giai-phap/them/", views.option_create, name="option_create"),
    path("danh-gia/<int:pk>/giai-phap/<int:option_pk>/", views.option_edit, name="option_edit"),
    path("to-chuc-ho-tro/", views.organisation_list, name="organisation_list"),
    path("to-chuc-ho-tro/them/", views.organisation_create, name="organisation_create"),
    path("to-chuc-ho-tro/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("to-chuc-ho-tro/<int:pk>/sua/", views.organisation_edit, name="organisation_edit"),
    path("bao-cao/", views.selfreport_list, name="selfreport_list"),
    path("bao-cao/lap/", views.selfreport_start, name="selfreport_start"),
    path("bao-cao/duyet/", views.review_queue, name="review_queue"),
    path("bao-cao/<int:pk>/", views.selfreport_detail, name="selfreport_detail"),
    path(
        "bao-cao/<int:pk>/duyet/",
        views.selfreport_review,
        {"action": "approve"},
        name="selfreport_approve",
    ),
    path(
        "bao-cao/<int:pk>/tra-lai/",
        views.selfreport_review,
        {"action": "return"},
        name="selfreport_return",
    ),
    path("bao-cao/<int:pk>/sua-doi/", views.selfreport_correct, name="selfreport_correct"),
    path(
        "bao-cao/<int:pk>/dinh-kem/<int:attachment_pk>/",
        views.selfreport_attachment,
        name="selfreport_attachment",
    ),
]
