"""Demo pacts for `manage.py seed_demo`: the default text, an open campaign, some signatures.

Idempotent and deterministic: the campaign is found by name, signatures by
(campaign, employee); a run after the campaign window has passed re-opens it
around today so that demo signing keeps working. Staff with a login (the
demo staff of each UPT, the heads) are left unsigned so they can sign; the
staff who signed online get a login of their own (NIP, the demo password).
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from facilities.demo import DEMO_PASSWORD
from facilities.models import Employee, Facility
from pledges import actions
from pledges.defaults import DEFAULT_KEY, DEFAULT_TEXT
from pledges.models import Campaign, PactText, PaperBatch, Signature
from satgas.models import Period

CAMPAIGN_NAME = "Pakta Integritas Netralitas ASN dan PPNPN — Pemilu 2024"
KAYU_AGUNG = "Lapas Kelas IIA Kayu Agung"
KEMBANGKUNING = "Lapas Kelas IIA Kembangkuning"
# (facility, online signatures, paper signatures, briefing place)
PLAN = [
    (KEMBANGKUNING, 18, 10, "Apel pagi, lapangan Lapas Kembangkuning"),
    (KAYU_AGUNG, 6, 20, "Apel sosialisasi netralitas ASN, aula Lapas Kayu Agung"),
]


def _period() -> Period:
    try:
        from satgas.demo import PERIODS
    except ImportError:
        PERIODS = []
    for name, election_type, start, end in PERIODS:
        if name == "Pemilu 2024":
            defaults = {"election_type": election_type, "start_date": start, "end_date": end}
            break
    else:
        defaults = {"election_type": "PEMILU", "start_date": dt.date(2023, 6, 1), "end_date": dt.date(2024, 12, 31)}
    period, _created = Period.objects.get_or_create(name="Pemilu 2024", defaults=defaults)
    return period


def _text() -> PactText:
    text = PactText.objects.filter(key=DEFAULT_KEY).order_by("-version").first()
    if text is None:
        text = PactText.objects.create(key=DEFAULT_KEY, version=1, **DEFAULT_TEXT)
    return text


def _window() -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate()
    opens = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=7), dt.time(7, 0)))
    closes = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=30), dt.time(23, 59)))
    return opens, closes


def _campaign(admin: User | None) -> Campaign:
    opens, closes = _window()
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        campaign = actions.create_campaign(
            admin,
            Campaign(
                name=CAMPAIGN_NAME,
                period=_period(),
                text=_text(),
                scope=Campaign.Scope.ALL,
                opens_at=opens,
                closes_at=closes,
            ),
        )
    elif not campaign.is_open():
        # The demo must stay signable: move a lapsed window to around today.
        Campaign.objects.filter(pk=campaign.pk).update(opens_at=min(campaign.opens_at, opens), closes_at=closes)
        campaign.refresh_from_db()
    return campaign


def _scan_pdf(title: str) -> ContentFile:
    """A one-page stand-in for the scanned, signed sheet (a real, parseable PDF)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name="lembar-pakta.pdf")


def _unsigned_without_login(campaign: Campaign, facility: Facility) -> list[Employee]:
    signed = Signature.objects.filter(campaign=campaign, revoked_at__isnull=True).values("employee_id")
    return list(facility.employees.active().filter(user__isnull=True).exclude(pk__in=signed).select_related("facility"))


def _give_logins(employees: list[Employee]) -> None:
    """Online signers signed through a login of their own: give them one (NIP, the demo password)."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is deliberately slow
    for employee in employees:
        employee.user, _created = User.objects.get_or_create(
            username=employee.identifier, defaults={"role": Role.STAFF, "password": password}
        )
        employee.save(update_fields=["user"])


@transaction.atomic
def seed(log=print) -> dict:
    admin = User.objects.filter(username="pusat").first()
    campaign = _campaign(admin)
    created_online = created_paper = 0
    for facility_name, online, paper, place in PLAN:
        facility = Facility.objects.filter(name=facility_name).first()
        if facility is None:
            continue
        already = Signature.objects.filter(campaign=campaign, facility=facility).exists()
        if already:
            continue
        staff = _unsigned_without_login(campaign, facility)
        if facility.head_id:
            staff = [e for e in staff if e.pk != facility.head_id]
        online_staff, paper_staff = staff[:online], staff[online : online + paper]
        _give_logins(online_staff)
        for index, employee in enumerate(online_staff):
            signature = actions._new_signature(
                campaign,
                employee,
                method=Signature.Method.ONLINE,
                signed_at=campaign.opens_at + dt.timedelta(hours=2, minutes=37 * index),
                typed_name=employee.name,
                ip_address=f"10.20.0.{10 + index}",
                user_agent="Mozilla/5.0 (Linux; Android 13) seed_demo",
            )
            signature.save()
            created_online += 1
        if paper_staff:
            signed_on = timezone.localtime(campaign.opens_at).date() + dt.timedelta(days=1)
            actions.record_paper_signatures(
                admin,
                campaign,
                facility,
                paper_staff,
                signed_on=signed_on,
                place=place,
                scan=_scan_pdf(f"Lembar pakta integritas {facility.name} {signed_on:%d-%m-%Y}"),
            )
            created_paper += len(paper_staff)
    log(
        f"  pakta: teks '{DEFAULT_KEY}', kampanye '{campaign.name}' dibuka sampai "
        f"{timezone.localtime(campaign.closes_at):%d-%m-%Y %H:%M} WIB; "
        f"{Signature.objects.filter(campaign=campaign).count()} tanda tangan "
        f"({created_online} daring dan {created_paper} kertas baru), "
        f"{PaperBatch.objects.filter(campaign=campaign).count()} lembar kertas"
    )
    return {}
