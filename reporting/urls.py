from __future__ import annotations

from django.urls import path

from reporting import catalogue, completeness, energy, exports, registry, views

app_name = "reporting"
urlpatterns = [
    path("co-so/", registry.facility_list, name="facility_list"),
    path("co-so/<int:pk>/", registry.facility_detail, name="facility_detail"),
    path("bao-cao-tong-hop/", views.run_list, name="run_list"),
    path("bao-cao-tong-hop/tao/", views.run_create, name="run_create"),
    path("bao-cao-tong-hop/the-thuc/<str:audience>/", views.settings_edit, name="settings_edit"),
    path("bao-cao-tong-hop/<int:pk>/", views.run_detail, name="run_detail"),
    path("bao-cao-tong-hop/<int:pk>/tien-do/", views.run_status, name="run_status"),
    path("bao-cao-tong-hop/<int:pk>/tao-lai/", views.run_regenerate, name="run_regenerate"),
    path("bao-cao-tong-hop/<int:pk>/tai/<str:fmt>/", views.run_download, name="run_download"),
    path("bao-cao-tong-hop/<int:pk>/noi-dung/", views.run_texts, name="run_texts"),
    path("bao-cao-tong-hop/<int:pk>/ban-hanh/", views.run_issue, name="run_issue"),
    path("bao-cao-tong-hop/<int:pk>/so-sanh/", views.run_restatement, name="run_restatement"),
    path("bao-cao-tong-hop/ky-da-chot/", views.closed_period_list, name="closed_period_list"),
    path("bao-cao-tong-hop/ky-da-chot/<int:pk>/mo-lai/", views.period_reopen, name="period_reopen"),
    *completeness.urlpatterns,
    *exports.urlpatterns,
    *energy.urlpatterns,
    *catalogue.urlpatterns,
]
