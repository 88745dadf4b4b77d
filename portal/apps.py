from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Tài khoản và phân quyền")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on PortalAdminSite (portal/lib/admin.py), so third-party ModelAdmins get
    the same checks of posted ids as the project's own."""

    default = False  # portal.apps.PortalConfig stays the app "portal"
    default_site = "portal.lib.admin.PortalAdminSite"
