from __future__ import annotations

from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/them/", views.plan_edit, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("ke-hoach/chi-tieu/", views.indicator_list, name="indicator_list"),
    path("ke-hoach/chi-tieu/them/", views.indicator_edit, name="indicator_create"),
    path("ke-hoach/chi-tieu/<str:code>/sua/", views.indicator_edit, name="indicator_edit"),
    path("khu-cum-lang-nghe/", views.place_list, name="place_list"),
    path("khu-cum-lang-nghe/them/", views.place_edit, name="place_create"),
    path("khu-cum-lang-nghe/<int:pk>/sua/", views.place_edit, name="place_edit"),
    path("du-an/", views.project_list, name="project_list"),
    path("du-an/them/", views.project_edit, name="project_create"),
    path("du-an/<int:pk>/sua/", views.project_edit, name="project_edit"),
    path("du-an/<int:pk>/ho-so.pdf", views.project_document, name="project_document"),
    path("dao-tao/", views.course_list, name="course_list"),
    path("dao-tao/them/", views.course_edit, name="course_create"),
    path("dao-tao/<int:pk>/sua/", views.course_edit, name="course_edit"),
    path("can-bo/", views.official_list, name="official_list"),
    path("can-bo/them/", views.official_edit, name="official_create"),
    path("can-bo/<int:pk>/sua/", views.official_edit, name="official_edit"),
    path("khen-thuong/", views.award_list, name="award_list"),
    path("khen-thuong/them/", views.award_edit, name="award_create"),
    path("khen-thuong/<int:pk>/sua/", views.award_edit, name="award_edit"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/them/", views.task_edit, name="task_create"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
]
