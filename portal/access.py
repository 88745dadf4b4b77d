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
from django.shortcuts import get_object_or_404

from portal.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from assessments.models import Assessment, SelfReportQuerySet
    from facilities.models import AdministrativeUnit, Facility, FacilityQuerySet
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


def facilities_for(user: User | AnonymousUser) -> FacilityQuerySet:
    """The facilities `user` may see. Every facility view and export starts here."""
    from facilities.models import Facility

    role = role_of(user)
    if role in DEPARTMENT or role == Role.OFFICIAL:
        return Facility.objects.all()
    if role == Role.AGENCY_OFFICER:
        area = area_for(user)  # type: ignore[arg-type]
        if area is None:
            return Facility.objects.all()  # a provincial agency follows the whole province
        return Facility.objects.filter(administrative_unit__in=area.subtree_ids())
    if role == Role.FACILITY_MANAGER:
        return Facility.objects.filter(managers=user)
    if role == Role.CONSULTANT and user.support_organisation_id:
        return Facility.objects.filter(support_organisations=user.support_organisation_id)
    return Facility.objects.none()


def facility_for(user: User | AnonymousUser, pk: int) -> Facility:
    """One facility `user` may see, or 404 (never 403: an id must not reveal that it exists)."""
    return get_object_or_404(facilities_for(user), pk=pk)


def assessments_for(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Assessments of the facilities `user` may see."""
    from assessments.models import Assessment

    return Assessment.objects.filter(facility__in=facilities_for(user).values("pk"))


def assessments_editable_by(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """Assessments `user` may change: the Department any it may see, a consultant only their own
    organisation's (an assigned facility may also have been assessed by someone else)."""
    assessments = assessments_for(user)
    if role_of(user) == Role.CONSULTANT:
        return assessments.filter(organisation=user.support_organisation_id)
    return assessments


def self_reports_for(user: User | AnonymousUser) -> SelfReportQuerySet:
    """Self-reports of the facilities `user` may see."""
    from assessments.models import SelfReport

    return SelfReport.objects.filter(facility__in=facilities_for(user).values("pk"))


def can_edit_facility(user: User | AnonymousUser) -> bool:
    """Department staff edit the whole record; a manager edits only contacts (can_edit_contacts)."""
    return role_of(user) in DEPARTMENT


def can_edit_contacts(user: User | AnonymousUser, facility: Facility) -> bool:
    if role_of(user) in DEPARTMENT:
        return True
    return role_of(user) == Role.FACILITY_MANAGER and facility.managers.filter(pk=user.pk).exists()


def area_for(user: User) -> AdministrativeUnit | None:
    """The area a user sees first: a district agency's own district, else the whole province."""
    if role_of(user) == Role.AGENCY_OFFICER and user.agency_id:
        return user.agency.area
    return None
