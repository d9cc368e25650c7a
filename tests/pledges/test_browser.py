"""In a real browser: the demo staff member of Lapas Kayu Agung signs, sees the certificate being
prepared until the queue has made it, downloads the PDF and verifies it."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from facilities import demo as facilities_demo
from pledges import demo
from pledges.models import Signature
from tests.tasks import queued, run_queued_tasks

pytestmark = pytest.mark.browser


def test_demo_staff_of_kayu_agung_signs_waits_for_the_certificate_downloads_and_verifies(
    page, browser_login, transactional_db, tmp_path
):
    result = facilities_demo.seed(log=lambda *_: None)
    demo.seed(log=lambda *_: None)
    seeded = len(queued("render_certificate"))  # the demo's paper signatures
    username = next(u for u, who in result["staff_logins"] if demo.KAYU_AGUNG in who)
    browser_login(username, facilities_demo.DEMO_PASSWORD)

    page.click("text=Tanda tangani sekarang")
    page.wait_for_selector("#sign-form")
    name = page.locator(".pact-identity dd").first.inner_text().strip()
    assert username in page.locator(".pact-identity").inner_text()
    page.check("input[name=consent]")
    page.fill("input[name=typed_name]", name.lower())
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector("#signature-status")
    assert "Berlaku" in page.inner_text("#signature-status")
    signature = Signature.objects.get(employee__user__username=username)
    # The signing request rendered nothing: the page says so and reloads itself.
    assert "Sertifikat sedang disiapkan" in page.inner_text("#certificate-preparing")
    assert page.locator("#download-certificate").count() == 0
    assert not signature.certificate

    assert run_queued_tasks() == seeded + 1  # what a db_worker does, in this process
    page.wait_for_selector("#download-certificate", timeout=10_000)  # the page's own refresh
    assert page.locator("#certificate-preparing").count() == 0
    with page.expect_download() as info:
        page.click("#download-certificate")
    target = tmp_path / "pakta.pdf"
    info.value.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    signature.refresh_from_db()
    assert hashlib.sha256(content).hexdigest() == signature.certificate_sha256
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert signature.signer_name in text and name in text

    page.click("#verification-link")
    page.wait_for_selector("#verify-status")
    assert page.url.endswith(f"/verifikasi/{signature.verification_code}/")
    assert "Pakta SAH" in page.inner_text("#verify-status")
    assert name in page.inner_text("#verify-details")
    assert demo.KAYU_AGUNG in page.inner_text("#verify-details")

    # The downloaded file, dropped onto the verification page, is recognised as issued and unchanged.
    page.set_input_files("input[name=certificate]", str(target))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#upload-result")
    assert "asli dan tidak diubah" in page.inner_text("#upload-result")


def test_the_archive_page_follows_its_job_through_a_failure_and_try_again(
    page, browser_login, transactional_db, facility, campaign, facility_head, monkeypatch, tmp_path
):
    """The status page updates itself from the queue's state (pledges-batch.js, no inline script)."""
    from django.urls import reverse
    from pypdf import PdfReader

    from pledges import batch
    from tests.pledges import factories
    from tests.tasks import run_queued_tasks

    factories.bulk_signatures(campaign, facility, 3)
    browser_login(facility_head.username)
    page.goto(reverse("pledges:facility_completion", args=[campaign.pk, facility.pk]))
    page.click("text=Cetak semua (PDF)")
    page.wait_for_selector("#batch-state")
    assert page.inner_text("#batch-state") == "Menunggu giliran dalam antrean."

    def broken_layout(html):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(batch, "html_to_layout", broken_layout)
    run_queued_tasks()
    # The script sees the failure and reloads: the reason and the button come from the server.
    page.wait_for_selector("form[action$='/coba-lagi/'] button")
    assert "Terjadi kesalahan saat memproses (RuntimeError)." in page.inner_text("#batch-state")

    monkeypatch.undo()
    page.click("form[action$='/coba-lagi/'] button")
    page.wait_for_selector("#batch-state:has-text('Menunggu giliran dalam antrean.')")
    run_queued_tasks()
    page.wait_for_selector("#batch-download:not(.d-none)")
    assert page.inner_text("#batch-state") == "Selesai."
    assert page.get_attribute("#batch-progress", "value") == "100"
    with page.expect_download() as info:
        page.click("#batch-download")
    target = tmp_path / "arsip.pdf"
    info.value.save_as(target)
    assert len(PdfReader(target).pages) == 3
