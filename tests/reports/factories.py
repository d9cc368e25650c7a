"""Factories for violation reports and the task forces that handle them."""

from __future__ import annotations

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Category, Report, ReportEvent, State, generate_receipt_code, hash_receipt_code
from satgas.models import ElectionType, Membership, TaskForce
from tests import factories
from tests.satgas.factories import PeriodFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report
        exclude = ["code"]
        skip_postgeneration_save = True

    code = factory.LazyFunction(generate_receipt_code)
    facility = factory.SubFactory(factories.FacilityFactory)
    reported_description = "Pegawai berseragam di bagian registrasi"
    category = Category.MEDSOS_KAMPANYE
    election_type = ElectionType.PILKADA
    occurred_on = dt.date(2024, 10, 1)
    occurred_place = "Facebook"
    description = "Mengunggah ajakan memilih pasangan calon nomor 2."
    receipt_hash = factory.LazyAttribute(lambda o: hash_receipt_code(o.code))

    @factory.post_generation
    def received_event(self, create, extracted, **kwargs):
        if create:
            ReportEvent.objects.create(report=self, created_at=self.created_at, to_state=State.RECEIVED)


def report_with_code(**kwargs) -> tuple[Report, str]:
    code = generate_receipt_code()
    return ReportFactory(code=code, **kwargs), code


def task_force(facility, *, state: str = TaskForce.State.APPOINTED) -> TaskForce:
    # A period that is still running, so that it is the default one pages open on.
    period = PeriodFactory(
        name="Pilkada 2024",
        election_type=ElectionType.PILKADA,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2030, 12, 31),
    )
    return TaskForce.objects.create(
        facility=facility,
        period=period,
        state=state,
        decree_number=f"W.{facility.pk}-PAS/SK/2024",
        decree_date=dt.date(2024, 6, 1),
    )


def member(task_force: TaskForce, employee, role: str = Membership.Role.ANGGOTA) -> Membership:
    return Membership.objects.create(
        task_force=task_force, employee=employee, role=role, start_date=dt.date(2024, 6, 1)
    )


def member_user(task_force: TaskForce, *, role: str = Membership.Role.ANGGOTA, **employee_kwargs):
    """A staff login that is a current member of `task_force`."""
    employee = factories.EmployeeFactory(facility=task_force.facility, **employee_kwargs)
    user = factories.staff_user(employee)
    member(task_force, employee, role)
    return user


def jpeg_bytes(*, gps: bool = False, size=(64, 48), color="red") -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "Model X"  # Model
        exif[0x0112] = 6  # orientation: rotate 90° to display
        gps_ifd = {1: "S", 2: (7.0, 44.0, 0.0), 3: "E", 4: (109.0, 0.0, 0.0)}
        exif[0x8825] = gps_ifd
        image.save(out, "JPEG", exif=exif.tobytes())
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def jpeg_upload(name: str = "foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf_bytes(*, author: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if author:
        writer.add_metadata({"/Author": author, "/Title": "Bukti"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
