"""Who may see what: the one place that answers it.

Every view declares its audience with `@allow(...)`, and every role set is named here once. The
rows a user may touch are scoped by the app that owns them, from the roles defined here
(`Facility.objects.visible_to(user)`, `Assessment.objects.editable_by(user)`, …): this module
imports no app. An object outside a user's reach answers 404, not 403, so guessing ids tells a
facility manager nothing about other facilities.
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

    from portal.models import User

DEPARTMENT = frozenset({Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_STAFF})
ALL_ROLES = frozenset(Role)
# Who reads the programme-wide dashboards and reports.
PROGRAMME_READERS = DEPARTMENT | {Role.AGENCY_OFFICER, Role.OFFICIAL}
# Who opens the facility registry; each sees the rows `Facility.objects.visible_to()` gives.
REGISTRY_READERS = PROGRAMME_READERS | {Role.FACILITY_MANAGER, Role.CONSULTANT}
# Assessments: read by the programme's readers and the consultants who carry them out.
ASSESSMENT_READERS = PROGRAMME_READERS | {Role.CONSULTANT}
ASSESSMENT_WRITERS = DEPARTMENT | {Role.CONSULTANT}
# Self-reports: written by a facility's managers, and by the Department on their behalf.
SELF_REPORT_WRITERS = DEPARTMENT | {Role.FACILITY_MANAGER}
# Who requests a quarterly or annual report: the Department, and officials for the report
# addressed to their own body (`reporting.models.Audience.for_user`).
REPORT_REQUESTERS = DEPARTMENT | {Role.OFFICIAL}
# Who compares an issued report with its figures recomputed today: the Department, and the
# officials it is addressed to (`ReportRun.objects.visible_to`).
RESTATEMENT_READERS = DEPARTMENT | {Role.OFFICIAL}
# Django's admin and the settings only department admins change.
ADMINS = frozenset({Role.DEPARTMENT_ADMIN})

View = Callable[..., HttpResponse]


def role_of(user: User | AnonymousUser) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    # An account made with `createsuperuser` has no role yet: it is the department's admin.
    if user.is_superuser and not user.role:
        return Role.DEPARTMENT_ADMIN
    return Role(user.role) if user.role else None


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


def can_edit_facility(user: User | AnonymousUser) -> bool:
    """Department staff edit the whole record; a manager edits only contacts
    (`Facility.contacts_editable_by`)."""
    return role_of(user) in DEPARTMENT


def area_for(user: User) -> Any:
    """The area a user sees first: a district agency's own district, else the whole province."""
    if role_of(user) == Role.AGENCY_OFFICER and user.agency_id:
        return user.agency.area
    return None
