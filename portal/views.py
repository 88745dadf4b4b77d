from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.access import ALL_ROLES, DEPARTMENT
from portal.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[Role]
    # Management pages few people open daily sit in the user's drop-down, not the main bar.
    secondary: bool = False


# The whole navigation. A role sees an item only if the view behind it lets that role in;
# tests/portal/test_navigation.py holds the two to each other.
MENU = [
    MenuItem(_("Tổng quan"), "dashboard", "speedometer2", ALL_ROLES),
    MenuItem(
        _("Cơ sở"),
        "reporting:facility_list",
        "buildings",
        access.REGISTRY_READERS,
    ),
    MenuItem(
        _("Đánh giá"),
        "assessments:assessment_list",
        "clipboard-check",
        access.ASSESSMENT_READERS,
    ),
    MenuItem(
        _("Báo cáo định kỳ"),
        "assessments:selfreport_list",
        "journal-text",
        access.SELF_REPORT_WRITERS,
    ),
    MenuItem(
        _("Tuyên truyền"),
        "facilities:outreach_list",
        "megaphone",
        access.PROGRAMME_READERS,
    ),
    MenuItem(
        _("Chương trình"),
        "programs:plan_list",
        "flag",
        access.PROGRAMME_READERS,
    ),
    MenuItem(_("Trang thông tin"), "public:manage_articles", "globe2", DEPARTMENT, secondary=True),
    # In the drop-down: the main bar is full at 1280 px.
    MenuItem(
        _("Năng lượng trọng điểm"),
        "reporting:energy_list",
        "lightning-charge",
        access.PROGRAMME_READERS,
        secondary=True,
    ),
    MenuItem(
        _("Báo cáo tổng hợp"),
        "reporting:run_list",
        "file-earmark-bar-graph",
        access.PROGRAMME_READERS,
    ),
    MenuItem(
        _("Quản trị hệ thống"),
        "admin:index",
        "gear",
        access.ADMINS,
        secondary=True,
    ),
]


def menu_for(user: Any) -> list[dict[str, str]]:
    role = access.role_of(user)
    return [
        {
            "label": str(item.label),
            "url": reverse(item.url_name),
            "icon": item.icon,
            "secondary": item.secondary,
        }
        for item in MENU
        if role in item.roles
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu of the signed-in user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    role = access.role_of(user)
    return {
        "menu": menu_for(user),
        "user_role_label": Role(role).label if role else "",
    }


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the container health check: the app is up and its database
    answers. Public, and says nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
