"""Writes to the registry. Each is atomic and keeps the derived search keys in step."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from facilities.geography import move_facility
from facilities.models import Facility, OutreachActivity, OutreachParticipation
from portal.forms import QueuedPasswordResetForm
from portal.lib.closing import check_delete
from portal.models import Role, User


@transaction.atomic
def save_facility_and_location(facility: Facility, *, changed: list[str], actor: Any) -> Facility:
    """Save an edited facility; a new unit is a move from today, kept in its dated locations
    (`geography.move_facility`) so figures for earlier dates keep the unit it had then."""
    if "administrative_unit" in changed:
        move_facility(
            facility, unit=facility.administrative_unit, on=timezone.localdate(), actor=actor
        )
    return save_facility(facility)


@transaction.atomic
def save_facility(facility: Facility) -> Facility:
    """Validate and save a new or changed facility (forms, the admin and imports all use this)."""
    facility.full_clean()
    facility.refresh_search_keys()
    facility.save()
    return facility


CONTACT_FIELDS = ["contact_name", "contact_phone", "contact_email"]


@transaction.atomic
def update_facility_contacts(
    facility: Facility, *, contact_name: str, contact_phone: str, contact_email: str
) -> Facility:
    """The part of the record a facility manager may change, and only that part: the rest of
    the record is neither validated nor written here, so a rule it breaks is staff's to mend."""
    facility.contact_name = contact_name
    facility.contact_phone = contact_phone
    facility.contact_email = contact_email
    others = [f.name for f in Facility._meta.fields if f.name not in CONTACT_FIELDS]
    facility.clean_fields(exclude=others)
    facility.save(update_fields=CONTACT_FIELDS)
    return facility


@transaction.atomic
def invite_facility_manager(
    facility: Facility, *, email: str, full_name: str, request: HttpRequest
) -> User:
    """Give `email` a manager account on `facility` and mail a link to choose a password.

    An existing facility manager with that address is linked to this facility too; an address
    that belongs to another role is refused, so a staff account never turns into a manager's.
    """
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and user.role != Role.FACILITY_MANAGER:
        raise ValidationError(
            _("Địa chỉ %(email)s đã thuộc một tài khoản có vai trò khác."), params={"email": email}
        )
    if user is None:
        user = User(
            username=_unique_username(email),
            email=email,
            full_name=full_name,
            role=Role.FACILITY_MANAGER,
        )
        user.set_unusable_password()
        user.apply_role_flags()
        user.full_clean()
        user.save()
    facility.managers.add(user)
    _send_invitation(user, request)
    return user


def _unique_username(email: str) -> str:
    # Usernames allow letters, digits and @.+-_ only; an address may hold more (o'brien@...).
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "coso"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _send_invitation(user: User, request: HttpRequest) -> None:
    # The invitation is a password-reset link: one mechanism, one expiry, one mail queue. Django's
    # reset form skips users with unusable passwords, so the mail is sent for this user directly.
    context: dict[str, Any] = {
        "email": user.email,
        "domain": request.get_host(),
        "site_name": _("Cổng SXSH Nghệ An"),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "invitation": True,
    }
    QueuedPasswordResetForm().send_mail(
        "registration/invitation_subject.txt",
        "registration/password_reset_email.html",
        context,
        None,
        user.email,
    )


@transaction.atomic
def save_outreach_activity(
    activity: OutreachActivity, *, participants: list[Facility]
) -> OutreachActivity:
    """Save an activity and make its participants exactly `participants`.

    Each participation added or removed is checked against the closed periods like any other
    write (`portal.lib.closing`): a participant added to an activity held in a closed period
    changes T1 there."""
    activity.full_clean()
    activity.save()
    wanted = {facility.pk for facility in participants}
    for leaving in activity.participations.exclude(facility__in=wanted):
        check_delete(leaving)
        leaving.delete()
    present = set(activity.participations.values_list("facility_id", flat=True))
    for facility_pk in sorted(wanted - present):
        joining = OutreachParticipation(activity=activity, facility_id=facility_pk)
        joining.full_clean()
        joining.save()
    return activity
