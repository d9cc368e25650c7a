"""Factories for pact texts, campaigns and signatures."""

from __future__ import annotations

import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from pledges import actions
from pledges.defaults import DEFAULT_TEXT
from pledges.models import Campaign, PactText, Signature
from tests.satgas.factories import PeriodFactory, pdf_bytes


class PactTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PactText

    key = factory.Sequence(lambda n: f"pakta-uji-{n}")
    version = 1
    title = DEFAULT_TEXT["title"]
    intro = DEFAULT_TEXT["intro"]
    clauses = DEFAULT_TEXT["clauses"]
    closing = DEFAULT_TEXT["closing"]


class CampaignFactory(factory.django.DjangoModelFactory):
    """Open now, for every region, unless told otherwise."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Pakta Netralitas Pemilu 2024 ({n})")
    period = factory.SubFactory(PeriodFactory)
    text = factory.SubFactory(PactTextFactory)
    scope = Campaign.Scope.ALL
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1)),
        )
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10)),
        )


def signature(campaign: Campaign, employee, *, method: str = Signature.Method.ONLINE, **fields) -> Signature:
    """A stored signature as the signing action would write it (without going through a request)."""
    fields.setdefault("signed_at", timezone.now())
    if method == Signature.Method.PAPER and "paper_batch" not in fields:
        raise ValueError("paper signatures come from actions.record_paper_signatures")
    made = actions._new_signature(campaign, employee, method=method, typed_name=employee.name, **fields)
    made.save()
    return made


def pdf_file(title: str = "Lembar pakta", name: str = "lembar.pdf") -> ContentFile:
    return ContentFile(pdf_bytes(title), name=name)


def bulk_signatures(campaign: Campaign, facility, count: int, *, first: int = 200_000) -> list[Signature]:
    """`count` PNS of `facility` who all signed `campaign` online, inserted in bulk (500 in about a second).

    NIPs are numbered from `first`, far above the factories' sequence, so they never collide with it.
    """
    from facilities.models import Employee, EmploymentType
    from tests.factories import make_nip

    staff = [
        Employee(
            name=f"Pegawai Arsip {n:04d}, S.H.",
            employment_type=EmploymentType.PNS,
            identifier=make_nip(first + n),
            rank="III/a",
            position="Petugas Pengamanan",
            facility=facility,
        )
        for n in range(count)
    ]
    Employee.objects.bulk_create(staff)
    signed_at = timezone.now()
    return Signature.objects.bulk_create(
        [
            actions._new_signature(
                campaign, employee, method=Signature.Method.ONLINE, signed_at=signed_at, typed_name=employee.name
            )
            for employee in staff
        ]
    )
