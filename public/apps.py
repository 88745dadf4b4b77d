from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    # The name the portal's menu already gives these pages.
    verbose_name = _("Trang thông tin")
