from __future__ import annotations

from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("dia-ban/", views.unit_list, name="unit_list"),
]
