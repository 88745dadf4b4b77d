from __future__ import annotations

from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("dia-ban/", views.unit_list, name="unit_list"),
    path("dia-ban/chuyen-doi/", views.unit_remap, name="unit_remap"),
    path("co-so/them/", views.facility_create, name="facility_create"),
    path("co-so/nhap-excel/", views.import_upload, name="import_upload"),
    path("co-so/nhap-excel/mau/", views.import_template, name="import_template"),
    path("co-so/nhap-excel/<int:pk>/", views.import_preview, name="import_preview"),
    path("co-so/nhap-excel/<int:pk>/tien-do/", views.import_progress, name="import_progress"),
    path("co-so/nhap-excel/<int:pk>/huy/", views.import_cancel, name="import_cancel"),
    path("co-so/nhap-excel/<int:pk>/them-don-vi/", views.import_add_unit, name="import_add_unit"),
    path("co-so/<int:pk>/sua/", views.facility_edit, name="facility_edit"),
    path("co-so/<int:pk>/lien-he/", views.facility_contacts, name="facility_contacts"),
    path("co-so/<int:pk>/moi-quan-ly/", views.facility_invite, name="facility_invite"),
    path("co-so/<int:pk>/nhan-thuc/", views.awareness_add, name="awareness_add"),
    path("co-so/<int:pk>/bo-phan-sxsh/", views.cp_unit_add, name="cp_unit_add"),
    path("tuyen-truyen/", views.outreach_list, name="outreach_list"),
    path("tuyen-truyen/them/", views.outreach_create, name="outreach_create"),
    path("tuyen-truyen/<int:pk>/", views.outreach_detail, name="outreach_detail"),
    path("tuyen-truyen/<int:pk>/sua/", views.outreach_edit, name="outreach_edit"),
]
