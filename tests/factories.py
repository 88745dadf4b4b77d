from __future__ import annotations

import factory

from assessments.models import SupportOrganisation
from portal.models import OfficialBody, Role, User
from programs.models import Agency

PASSWORD = "Kiem-tra@2026"


class SupportOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportOrganisation

    name = factory.Sequence(lambda n: f"Trung tâm tư vấn số {n}")
    kind = SupportOrganisation.Kind.CENTRE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    role = Role.DEPARTMENT_STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def flags(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        user.apply_role_flags()
        if create:
            user.save()

    @classmethod
    def for_role(cls, role: Role, **kwargs: object) -> User:
        """A user of `role` with the link that role needs (agency, organisation, body)."""
        if role == Role.AGENCY_OFFICER:
            kwargs.setdefault("agency", Agency.objects.get(code="ubnd-425"))
        elif role == Role.CONSULTANT:
            kwargs.setdefault("support_organisation", SupportOrganisationFactory())
        elif role == Role.OFFICIAL:
            kwargs.setdefault("official_body", OfficialBody.PROVINCIAL_COMMITTEE)
        return cls(role=role, **kwargs)
