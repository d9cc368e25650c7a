"""Archive printing: all signed pacts of a UPT as one PDF, made in a background thread with progress."""

from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse

from pledges.models import BatchExport
from tests import factories as base
from tests.pledges import factories


def wait_until_finished(client, export: BatchExport, timeout: float = 60) -> dict:
    url = reverse("pledges:batch_status_json", args=[export.pk])
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        data = client.get(url).json()
        seen.append(data["percent"])
        if data["finished"]:
            data["seen"] = seen
            return data
        time.sleep(0.2)
    raise AssertionError(f"export not finished after {timeout}s: {seen[-5:]}")


def test_the_head_gets_all_signed_pacts_as_one_pdf(client, transactional_db):
    from pypdf import PdfReader

    facility = base.FacilityFactory()
    head = base.facility_head(facility)
    campaign = factories.CampaignFactory()
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "ABCD"]
    for person in people[:3]:
        factories.signature(campaign, person)
    client.force_login(head)

    response = client.post(reverse("pledges:batch_create", args=[campaign.pk, facility.pk]))
    export = BatchExport.objects.get()
    assert response.url == reverse("pledges:batch_status", args=[export.pk])
    status_page = client.get(response.url).content.decode()
    assert "js/pledges-batch.js" in status_page
    assert 'http-equiv="refresh"' in status_page or export.status == "done"

    data = wait_until_finished(client, export)
    assert data["status"] == "done", data
    assert data["percent"] == 100
    pdf = client.get(data["download_url"])
    assert pdf.status_code == 200
    assert pdf.streaming  # the archive can be large: streamed from storage, not read into memory
    reader = PdfReader(io.BytesIO(pdf.getvalue()))
    assert len(reader.pages) == 3
    texts = [page.extract_text() for page in reader.pages]
    for person, text in zip(people[:3], texts, strict=True):
        assert person.identifier in text
    assert people[3].identifier not in "".join(texts)
    # The finished page offers the download without refreshing.
    finished_page = client.get(reverse("pledges:batch_status", args=[export.pk])).content.decode()
    assert 'http-equiv="refresh"' not in finished_page
    assert data["download_url"] in finished_page


def test_a_running_export_is_reused_instead_of_started_twice(client, facility_head, campaign, facility, signed):
    client.force_login(facility_head)
    url = reverse("pledges:batch_create", args=[campaign.pk, facility.pk])
    first = client.post(url)
    second = client.post(url)
    assert first.url == second.url
    assert BatchExport.objects.count() == 1


def test_nothing_to_print_says_so(client, facility_head, campaign, facility):
    client.force_login(facility_head)
    response = client.post(reverse("pledges:batch_create", args=[campaign.pk, facility.pk]), follow=True)
    assert "Belum ada pakta" in response.content.decode()
    assert not BatchExport.objects.exists()


def test_chunks_are_joined_into_one_pdf_in_name_order(facility_head, campaign, facility, monkeypatch):
    """The archive is laid out in multi-page chunks (bounded memory) and joined; nothing lost at the seams."""
    from pypdf import PdfReader

    from pledges import actions, batch

    monkeypatch.setattr(batch, "CHUNK_PAGES", 2)
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "CAB"]
    for person in people:
        factories.signature(campaign, person)
    export = actions.request_batch_export(facility_head, campaign, facility)
    reader = PdfReader(io.BytesIO(batch.build(export)))
    assert len(reader.pages) == 3
    by_name = sorted(people, key=lambda p: p.name)
    assert [p.identifier in page.extract_text() for p, page in zip(by_name, reader.pages, strict=True)] == [True] * 3
    export.refresh_from_db()
    assert export.done == 3


@pytest.mark.parametrize("who", ["other_facility_head", "staff"])
def test_others_cannot_see_or_download_an_export(request, client, facility_head, campaign, facility, signed, who):
    from pledges import actions

    export = actions.request_batch_export(facility_head, campaign, facility)
    client.force_login(request.getfixturevalue(who))
    for name in ("pledges:batch_status", "pledges:batch_status_json", "pledges:batch_download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    assert client.post(reverse("pledges:batch_create", args=[campaign.pk, facility.pk])).status_code == 404


def test_an_export_whose_thread_died_is_marked_failed_and_replaced(client, facility_head, campaign, facility, signed):
    import datetime as dt

    from django.utils import timezone

    stale = BatchExport.objects.create(
        campaign=campaign,
        facility=facility,
        requested_by=facility_head,
        total=1,
        status=BatchExport.Status.RUNNING,
        created_at=timezone.now() - dt.timedelta(hours=1),
    )
    client.force_login(facility_head)
    response = client.post(reverse("pledges:batch_create", args=[campaign.pk, facility.pk]))
    stale.refresh_from_db()
    assert stale.status == BatchExport.Status.FAILED
    fresh = BatchExport.objects.exclude(pk=stale.pk).get()
    assert response.url == reverse("pledges:batch_status", args=[fresh.pk])
