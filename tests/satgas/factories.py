"""Factories and builders for task forces."""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from satgas.models import Activity, ElectionType, Inauguration, Membership, Period, TaskForce
from tests import factories


def pdf_bytes(text: str = "SK Satgas") -> bytes:
    """A small but real PDF (pypdf, one blank page with a title)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def sk_upload(name: str = "sk.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ["name"]

    name = "Pemilu 2024"
    election_type = ElectionType.PEMILU
    start_date = dt.date(2023, 11, 28)
    end_date = dt.date(2024, 10, 20)


class TaskForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskForce

    facility = factory.SubFactory(factories.FacilityFactory)
    period = factory.SubFactory(PeriodFactory)
    state = TaskForce.State.DRAFT


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    task_force = factory.SubFactory(TaskForceFactory)
    employee = factory.LazyAttribute(lambda o: factories.EmployeeFactory(facility=o.task_force.facility))
    role = Membership.Role.ANGGOTA
    start_date = dt.date(2024, 1, 15)


def appointed(facility, *, size: int = 4, period=None, state: str = TaskForce.State.APPOINTED) -> TaskForce:
    """An appointed task force with a Ketua, a Sekretaris and size-2 Anggota from the facility's roster."""
    period = period or PeriodFactory()
    inauguration = None
    if state == TaskForce.State.INAUGURATED:
        inauguration = Inauguration.objects.create(
            regional_office=facility.regional_office,
            date=dt.date(2024, 1, 29),
            place="Daring (Zoom)",
            official="Kakanwil",
        )
    task_force = TaskForceFactory(
        facility=facility,
        period=period,
        state=state,
        decree_number=f"W.13-SK-{facility.pk}",
        decree_date=dt.date(2024, 1, 15),
        decree_signer="Kepala Lapas",
        inauguration=inauguration,
    )
    task_force.decree_file.save("sk.pdf", ContentFile(pdf_bytes()), save=True)
    roles = [Membership.Role.KETUA, Membership.Role.SEKRETARIS] + [Membership.Role.ANGGOTA] * (size - 2)
    for role in roles:
        MembershipFactory(task_force=task_force, role=role)
    return task_force


def ketua_login(task_force: TaskForce):
    """A staff login for the task force's Ketua (membership is the role)."""
    membership = task_force.memberships.current().get(role=Membership.Role.KETUA)
    return factories.staff_user(membership.employee)


def member_login(task_force: TaskForce, role: str = Membership.Role.ANGGOTA):
    membership = task_force.memberships.current().filter(role=role).first()
    return factories.staff_user(membership.employee)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    task_force = factory.SubFactory(TaskForceFactory)
    date = dt.date(2024, 2, 5)
    kind = Activity.Kind.APEL
    topic = "Apel sosialisasi netralitas"
    place = "Lapangan upacara"
    participant_count = 50
