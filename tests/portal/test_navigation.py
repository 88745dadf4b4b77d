from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse

from portal.models import Role
from portal.views import MENU

READER = [
    "dashboard",
    "reporting:facility_list",
    "assessments:assessment_list",
    "facilities:outreach_list",
    "programs:plan_list",
    "reporting:run_list",
]
STAFF = [
    "dashboard",
    "reporting:facility_list",
    "assessments:assessment_list",
    "assessments:selfreport_list",
    "facilities:outreach_list",
    "programs:plan_list",
    "reporting:run_list",
]
# In the main bar; the public pages' management and the admin are in the user's drop-down.
EXPECTED_MENU = {
    Role.DEPARTMENT_ADMIN: STAFF,
    Role.DEPARTMENT_STAFF: STAFF,
    Role.FACILITY_MANAGER: [
        "dashboard",
        "reporting:facility_list",
        "assessments:selfreport_list",
    ],
    Role.AGENCY_OFFICER: READER,
    Role.OFFICIAL: READER,
    Role.CONSULTANT: ["dashboard", "reporting:facility_list", "assessments:assessment_list"],
}


def _menu_links(html: str) -> list[str]:
    menu = re.search(r'data-testid="main-menu">(.*?)</ul>', html, re.S)
    assert menu, "the page has no main menu"
    return re.findall(r'href="([^"]+)"', menu.group(1))


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_menu(role, users, client_for) -> None:
    html = client_for(users[role.value]).get(reverse("dashboard")).content.decode()
    assert _menu_links(html) == [reverse(name) for name in EXPECTED_MENU[role]]


@pytest.mark.parametrize("item", MENU, ids=lambda item: item.url_name)
def test_menu_items_match_who_the_view_lets_in(item) -> None:
    view = resolve(reverse(item.url_name)).func
    allowed = getattr(view, "allowed_roles", None)
    if allowed is not None:  # Django's admin has its own gate, checked in test_permissions
        assert set(item.roles) == set(allowed)


def test_anonymous_visitors_see_no_menu(client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert _menu_links(html) == []


def test_management_pages_sit_in_the_users_drop_down(users, client_for) -> None:
    html = client_for(users["department_admin"]).get(reverse("dashboard")).content.decode()
    secondary = re.findall(r'href="([^"]+)" data-testid="secondary-menu"', html)
    assert secondary == [
        reverse("public:manage_articles"),
        reverse("reporting:energy_list"),
        reverse("admin:index"),
    ]
    html = client_for(users["official"]).get(reverse("dashboard")).content.decode()
    secondary = re.findall(r'href="([^"]+)" data-testid="secondary-menu"', html)
    assert secondary == [reverse("reporting:energy_list")]
