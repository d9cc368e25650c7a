"""factory_boy factories. Identifiers are generated valid by construction."""

from __future__ import annotations

import datetime as dt

import factory

from accounts.models import Role, User
from facilities.models import Employee, EmploymentType, Facility, Ministry, Placement, RegionalOffice

PASSWORD = "Rahasia-uji-2024!"


# The sequence keeps growing over a whole test session, so birth dates wrap
# around (and TMT follows the 18-year rule): without that, employee number
# ~470 of a run was born too late for its TMT and its NIP was invalid. The
# rule compares dates (TMT month vs. birthday), so the TMT year is kept at
# least 19 years after the birth year whatever the month.
def make_nip(n: int, *, female: bool = False) -> str:
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=(n % 1500) * 7)  # 1975–2003
    tmt_year = max(2000 + n % 10, birth.year + 19)
    return f"{birth:%Y%m%d}{tmt_year}0{(n % 9) + 1}{2 if female else 1}{(n % 999) + 1:03d}"


def make_ni_pppk(n: int) -> str:
    birth = dt.date(1985, 1, 1) + dt.timedelta(days=(n % 1400) * 5)  # 1985–2004
    return f"{birth:%Y%m%d}2023011{(n % 999) + 1:03d}"


def make_nik(n: int) -> str:
    birth = dt.date(1980, 1, 1) + dt.timedelta(days=(n % 3000) * 3)  # 1980–2004
    return f"330105{birth:%d%m%y}{(n % 9999) + 1:04d}"


class MinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ministry
        django_get_or_create = ["name"]

    name = "Kementerian Imigrasi dan Pemasyarakatan"
    directorate = "Direktorat Jenderal Pemasyarakatan"


class RegionalOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalOffice

    ministry = factory.SubFactory(MinistryFactory)
    province = factory.Sequence(lambda n: f"Provinsi {n}")
    name = factory.LazyAttribute(lambda o: f"Kanwil Ditjenpas {o.province}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    regional_office = factory.SubFactory(RegionalOfficeFactory)
    name = factory.Sequence(lambda n: f"Lapas Kelas IIA Uji {n}")
    type = Facility.Type.LAPAS
    facility_class = Facility.Class.IIA
    city = "Cilacap"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pegawai Uji {n}, S.H.")
    employment_type = EmploymentType.PNS
    identifier = factory.Sequence(make_nip)
    rank = "III/a"
    position = "Petugas Pengamanan"
    facility = factory.SubFactory(FacilityFactory)

    class Params:
        pppk = factory.Trait(employment_type=EmploymentType.PPPK, identifier=factory.Sequence(make_ni_pppk), rank="VII")
        ppnpn = factory.Trait(employment_type=EmploymentType.PPNPN, identifier=factory.Sequence(make_nik), rank="")

    @factory.post_generation
    def placement(self, create, extracted, **kwargs):
        if create:
            Placement.objects.create(employee=self, facility=self.facility, start_date=dt.date(2023, 1, 2))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


def national_admin(**kwargs) -> User:
    return UserFactory(role=Role.NATIONAL_ADMIN, **kwargs)


def regional_admin(region: RegionalOffice, **kwargs) -> User:
    return UserFactory(role=Role.REGIONAL_ADMIN, regional_office=region, **kwargs)


def facility_head(facility: Facility, **kwargs) -> User:
    return UserFactory(role=Role.FACILITY_HEAD, facility=facility, **kwargs)


def staff_user(employee: Employee) -> User:
    user = UserFactory(username=employee.identifier, role=Role.STAFF)
    employee.user = user
    employee.save(update_fields=["user"])
    return user
