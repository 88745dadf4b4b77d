from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import views
from portal.forms import QueuedPasswordResetForm
from public import views as public_views
from reporting import dashboards

admin.site.site_header = _("Quản trị Cổng SXSH Nghệ An")
admin.site.site_title = _("Cổng SXSH Nghệ An")
admin.site.index_title = _("Quản trị hệ thống")

accounts = [
    path(
        "dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", public_views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("tong-quan/", dashboards.dashboard, name="dashboard"),
    path("tong-quan/bieu-do/", dashboards.dashboard_charts, name="dashboard_charts"),
    path("tai-khoan/", include(accounts)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("facilities.urls")),
    path("", include("assessments.urls")),
    path("", include("programs.urls")),
    path("", include("reporting.urls")),
    path("", include("public.urls")),
    path("quan-tri/", admin.site.urls),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
