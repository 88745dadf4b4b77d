"""Every URL of the project, for every kind of visitor, answers as this table says.

A URL pattern without an entry fails `test_every_url_pattern_has_an_expected_outcome`, so each
new view must state who may see it here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import Role

ANON = "anonymous"
ACTORS = [ANON, *[role.value for role in Role], "other_district_officer"]
LOGIN = "login"  # a redirect to the login page
EVERYONE_SIGNED_IN = {actor: 200 for actor in ACTORS if actor != ANON}


def outcomes(anonymous: int | str, **by_actor: int | str) -> dict[str, int | str]:
    return {ANON: anonymous, **by_actor}


def only(allowed: set[str], status: int = 200) -> dict[str, int | str]:
    """Signed-in actors in `allowed` get `status`, other signed-in actors 403, anonymous login."""
    table: dict[str, int | str] = {ANON: LOGIN}
    for actor in ACTORS[1:]:
        role = "agency_officer" if actor == "other_district_officer" else actor
        table[actor] = status if role in allowed else 403
    return table


DEPARTMENT = {"department_admin", "department_staff"}


@dataclass
class Case:
    name: str
    expected: dict[str, int | str]
    kwargs: dict[str, str] = field(default_factory=dict)
    method: str = "get"


CASES = [
    Case("home", outcomes(302, **{a: 302 for a in ACTORS[1:]})),
    Case("dashboard", outcomes(LOGIN, **EVERYONE_SIGNED_IN)),
    Case(
        "facilities:unit_list",
        only(DEPARTMENT | {"agency_officer", "official"}),
    ),
    Case("login", outcomes(200, **{a: 302 for a in ACTORS[1:]})),
    Case("logout", outcomes(302, **{a: 302 for a in ACTORS[1:]}), method="post"),
    Case("password_change", outcomes(LOGIN, **EVERYONE_SIGNED_IN)),
    Case("password_change_done", outcomes(LOGIN, **EVERYONE_SIGNED_IN)),
    Case("password_reset", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("password_reset_done", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case(
        "password_reset_confirm",
        # A wrong token renders the "invalid link" page to anyone.
        outcomes(200, **EVERYONE_SIGNED_IN),
        kwargs={"uidb64": "MQ", "token": "set-password"},
    ),
    Case("password_reset_complete", outcomes(200, **EVERYONE_SIGNED_IN)),
    Case("set_language", outcomes(302, **{a: 302 for a in ACTORS[1:]}), method="post"),
    Case(
        "admin:index",
        # Django's admin sends everyone but department admins to its own login page.
        {**{a: 302 for a in ACTORS}, "department_admin": 200},
    ),
]

# Django's admin guards each of its pages with the same check as its index (admin_view), so the
# index stands for the whole namespace.
DELEGATED_NAMESPACES = {"admin"}


def _pattern_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _pattern_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_an_expected_outcome() -> None:
    names = {
        name
        for name in _pattern_names(get_resolver())
        if name.split(":")[0] not in DELEGATED_NAMESPACES
    }
    listed = {case.name for case in CASES}
    assert names - listed == set(), "add these URLs to CASES with who may see them"
    assert listed - names - {"admin:index"} == set(), "CASES names URLs that no longer exist"


def test_every_url_pattern_is_named() -> None:
    def unnamed(resolver: URLResolver) -> list[str]:
        found = []
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace not in DELEGATED_NAMESPACES:
                    found += unnamed(entry)
            elif not entry.name:
                found.append(str(entry.pattern))
        return found

    assert unnamed(get_resolver()) == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_actor_gets_the_expected_answer(case: Case, users, client_for) -> None:
    url = reverse(case.name, kwargs=case.kwargs or None)
    assert set(case.expected) == set(ACTORS), f"{case.name}: give an outcome for every actor"
    seen = {}
    for actor in ACTORS:
        client = client_for(None if actor == ANON else users[actor])
        response = getattr(client, case.method)(url)
        if case.expected[actor] == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
            seen[actor] = f"{response.status_code} {response.get('Location', '')}"
        else:
            ok = response.status_code == case.expected[actor]
            seen[actor] = response.status_code
        assert ok, f"{case.name} as {actor}: expected {case.expected[actor]}, got {seen[actor]}"
