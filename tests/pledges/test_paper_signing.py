"""Paper signing: the head records the staff present at a briefing, with the scanned sheet."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pledges.models import PaperBatch, Signature
from tests import factories as base
from tests.pledges import factories


def paper_url(campaign, facility) -> str:
    return reverse("pledges:paper_batch_create", args=[campaign.pk, facility.pk])


def scan(content: bytes | None = None, name: str = "lembar.pdf"):
    return SimpleUploadedFile(name, content or factories.pdf_bytes(), content_type="application/pdf")


def post(client, campaign, facility, employees, **extra):
    data = {
        "signed_on": timezone.localdate().isoformat(),
        "place": "Apel pagi",
        "scan": scan(),
        "employee": [e.pk for e in employees],
        **extra,
    }
    return client.post(paper_url(campaign, facility), data)


def test_the_head_records_paper_signatures_in_bulk(client, facility_head, campaign, facility):
    people = [base.EmployeeFactory(facility=facility) for _ in range(3)]
    client.force_login(facility_head)
    content = factories.pdf_bytes("Lembar apel")
    response = post(client, campaign, facility, people[:2], scan=scan(content))
    assert response.status_code == 302
    batch = PaperBatch.objects.get()
    assert batch.scan_sha256 == hashlib.sha256(content).hexdigest()
    signatures = Signature.objects.filter(paper_batch=batch)
    assert {s.employee_id for s in signatures} == {people[0].pk, people[1].pk}
    assert all(s.method == Signature.Method.PAPER for s in signatures)
    assert all(s.fingerprint == s.compute_fingerprint() for s in signatures)
    # They count towards completion and are marked as paper on the list.
    page = client.get(reverse("pledges:facility_completion", args=[campaign.pk, facility.pk]))
    assert page.context["totals"]["signed"] == 2
    assert "kertas" in page.content.decode()


def test_the_scan_must_really_be_a_pdf(client, facility_head, campaign, facility):
    person = base.EmployeeFactory(facility=facility)
    client.force_login(facility_head)
    response = post(client, campaign, facility, [person], scan=scan(b"\x89PNG\r\n\x1a\nnot a pdf", "lembar.pdf"))
    assert response.status_code == 200
    assert "bukan PDF yang sah" in response.content.decode()
    assert not Signature.objects.exists()
    # What was chosen stays chosen.
    assert f'value="{person.pk}" id="emp-{person.pk}" checked' in response.content.decode()


def test_already_signed_staff_are_refused_and_nothing_is_recorded(client, facility_head, campaign, facility, employee):
    factories.signature(campaign, employee)
    other = base.EmployeeFactory(facility=facility)
    client.force_login(facility_head)
    response = post(client, campaign, facility, [employee, other])
    assert response.status_code == 200
    assert "Sudah menandatangani" in response.content.decode()
    assert not PaperBatch.objects.exists()
    assert Signature.objects.count() == 1


def test_the_date_must_be_within_the_campaign(client, facility_head, campaign, facility):
    person = base.EmployeeFactory(facility=facility)
    client.force_login(facility_head)
    response = post(client, campaign, facility, [person], signed_on=(timezone.localdate() - dt.timedelta(days=30)))
    assert "dalam masa kampanye" in response.content.decode()
    assert not Signature.objects.exists()


def test_staff_of_another_facility_cannot_be_recorded(client, facility_head, campaign, facility, sibling_facility):
    stranger = base.EmployeeFactory(facility=sibling_facility)
    client.force_login(facility_head)
    response = post(client, campaign, facility, [stranger])
    assert response.status_code == 200
    assert not Signature.objects.exists()


def test_another_head_cannot_record_or_read_the_scan(client, facility_head, other_facility_head, campaign, facility):
    person = base.EmployeeFactory(facility=facility)
    client.force_login(facility_head)
    post(client, campaign, facility, [person])
    batch = PaperBatch.objects.get()
    assert client.get(reverse("pledges:paper_scan", args=[batch.pk])).status_code == 200
    client.force_login(other_facility_head)
    assert client.get(reverse("pledges:paper_scan", args=[batch.pk])).status_code == 404
    assert post(client, campaign, facility, [person]).status_code == 404


def test_the_scan_is_stored_and_served_as_a_pdf_whatever_its_name(client, facility_head, campaign, facility):
    person = base.EmployeeFactory(facility=facility)
    client.force_login(facility_head)
    post(client, campaign, facility, [person], scan=scan(name="lembar.html"))
    batch = PaperBatch.objects.get()
    assert batch.scan.name.endswith(".pdf")
    response = client.get(reverse("pledges:paper_scan", args=[batch.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="pindaian-pakta-{batch.pk}.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
