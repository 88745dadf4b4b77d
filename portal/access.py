"""Who may see what: the one place that answers it.

Every view declares its audience with `@allow(...)`; every query for rows a user may touch goes
through a `*_for(user)` function here. An object outside a user's reach answers 404, not 403, so
guessing ids tells a facility manager nothing about other facilities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from portal.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from facilities.models import AdministrativeUnit
    from portal.models import User

DEPARTMENT = frozenset({Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_STAFF})
ALL_ROLES = frozenset(Role)
# Who reads the programme-wide dashboards and reports.
PROGRAMME_READERS = DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL}

View = Callable[..., HttpResponse]


def role_of(user: User | AnonymousUser) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    # An account made with `createsuperuser` has no role yet: it is the department's admin.
    if user.is_superuser and not user.role:
        return Role.DEPARTMENT_ADMIN
    return Role(user.role) if user.role else None


def has_role(user: User | AnonymousUser, roles: Iterable[Role]) -> bool:
    return role_of(user) in set(roles)


def allow(*roles: Role | Iterable[Role]) -> Callable[[View], View]:
    """Let signed-in users with one of `roles` in; send others to login (anonymous) or 403."""
    allowed: set[Role] = set()
    for item in roles:
        allowed |= {item} if isinstance(item, Role) else set(item)

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request.user) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def area_for(user: User) -> AdministrativeUnit | None:
    """The area a user sees first: a district agency's own district, else the whole province."""
    if role_of(user) == Role.AGENCY_OFFICER and user.agency_id:
        return user.agency.area
    return None
