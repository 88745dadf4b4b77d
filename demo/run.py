"""Demo data: a living programme to look at, never to be loaded into a real deployment.

`seed_demo` calls `seed()`; each app that grows demo data adds a step here, so one command
builds the whole demo. Every step is idempotent (keyed on natural keys) and deterministic for a
given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from assessments import flags
from assessments.models import SupportOrganisation
from assessments.services import ensure_reminder_schedule
from demo.assessments import seed_assessments
from demo.energy import seed_energy
from demo.facilities import seed_facilities
from demo.geography import commune_agency, remap_registry
from demo.kit import check_scale
from demo.places import seed_places
from demo.programs import seed_programme
from demo.public import seed_public_page
from portal.models import OfficialBody, Role, User
from programs.models import Agency
from reporting import kept
from reporting.services import ensure_report_schedules

DEMO_PASSWORD = "SxshDemo@2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role_label: str
    full_name: str
    password: str


def _demo_user(username: str, *, full_name: str, role: Role, **links: object) -> User:
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "email": f"{username}@demo.sxsh.local",
            "role": role,
            **links,
        },
    )
    user.apply_role_flags()
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed_users() -> list[User]:
    organisation, _ = SupportOrganisation.objects.get_or_create(
        name="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Nghệ An",
        defaults={"kind": SupportOrganisation.Kind.CENTRE, "phone": "0238 3844 000"},
    )
    district_agency = Agency.objects.get(code="ubnd-425")  # Diễn Châu: a district with industry
    provincial_agency = Agency.objects.get(code="so-tai-nguyen-moi-truong")
    return [
        _demo_user("quantri", full_name="Nguyễn Văn Quang", role=Role.DEPARTMENT_ADMIN),
        _demo_user("canbo", full_name="Trần Thị Hương", role=Role.DEPARTMENT_STAFF),
        _demo_user("coso", full_name="Lê Văn Minh", role=Role.FACILITY_MANAGER),
        _demo_user(
            "dienchau",
            full_name="Phạm Thị Lan",
            role=Role.AGENCY_OFFICER,
            agency=district_agency,
        ),
        _demo_user(
            "sotnmt",
            full_name="Đặng Quốc Hùng",
            role=Role.AGENCY_OFFICER,
            agency=provincial_agency,
        ),
        _demo_user(
            "ubndtinh",
            full_name="Hoàng Văn Thắng",
            role=Role.OFFICIAL,
            official_body=OfficialBody.PROVINCIAL_COMMITTEE,
        ),
        _demo_user(
            "bocongthuong",
            full_name="Vũ Thị Mai",
            role=Role.OFFICIAL,
            official_body=OfficialBody.MINISTRY,
        ),
        _demo_user(
            "tuvan",
            full_name="Bùi Đức Anh",
            role=Role.CONSULTANT,
            support_organisation=organisation,
        ),
    ]


@transaction.atomic
def seed(*, scale: str = "demo", seed: int = 2016) -> list[DemoLogin]:
    check_scale(scale)
    users = seed_users()
    # Each step draws from its own generator seeded alike, so adding a step never reshuffles
    # the data of the steps before it.
    by_username = {user.username: user for user in users}
    seed_facilities(scale=scale, rng=random.Random(seed), manager=by_username["coso"])
    seed_places()
    seed_assessments(
        scale=scale,
        rng=random.Random(seed),
        consultant=by_username["tuvan"],
        reviewer=by_username["canbo"],
        manager=by_username["coso"],
        clerk=by_username["quantri"],
    )
    seed_energy(clerk=by_username["quantri"])
    seed_programme(
        scale=scale,
        rng=random.Random(seed),
        officers=[by_username["dienchau"], by_username["sotnmt"]],
    )
    # Last, so that every step before draws on the plan-era districts as the plan did.
    remap_registry(clerk=by_username["quantri"])
    users.insert(
        users.index(by_username["dienchau"]) + 1,
        _demo_user(
            "xadienchau",
            full_name="Ngô Thị Thảo",
            role=Role.AGENCY_OFFICER,
            agency=commune_agency(),
        ),
    )
    ensure_reminder_schedule()
    ensure_report_schedules()
    seed_public_page()
    # The demo writes in bulk, past the receivers that keep the figures: build them once.
    kept.rebuild()
    flags.rebuild()
    return [
        DemoLogin(user.username, Role(user.role).label, user.full_name, DEMO_PASSWORD)
        for user in users
    ]
