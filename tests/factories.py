from __future__ import annotations

import factory
from stdnum.vn import mst

from assessments.models import SupportOrganisation
from facilities import services
from facilities.models import AdministrativeUnit, Facility, Sector, SizeClass
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


def tax_code(n: int) -> str:
    """A valid Nghệ An tax code (prefix 29) for sequence number n.

    Some 9-digit prefixes have no valid check digit (the remainder is 10); the next one is used.
    """
    while len(check := mst.calc_check_digit(first9 := f"29{n:07d}")) != 1:
        n += 1
    return first9 + check


class FacilityFactory(factory.django.DjangoModelFactory):
    """Facilities go through services.save_facility, as every write path does."""

    class Meta:
        model = Facility

    name = factory.Sequence(lambda n: f"Công ty TNHH Sản xuất Thử nghiệm số {n}")
    tax_code = factory.Sequence(lambda n: tax_code(5_000_000 + 10 * n))
    legal_form = Facility.LegalForm.LIMITED
    address = "Khối 1, thị trấn Diễn Châu"
    administrative_unit = factory.LazyFunction(
        lambda: AdministrativeUnit.objects.get(code="425", level="district")
    )
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="239"))
    size_class = factory.LazyFunction(lambda: SizeClass.objects.get(code="small"))
    employees = 45

    @classmethod
    def _create(cls, model_class: type[Facility], *args: object, **kwargs: object) -> Facility:
        managers = kwargs.pop("managers", [])
        facility = services.save_facility(model_class(*args, **kwargs))
        facility.managers.set(managers)
        return facility
