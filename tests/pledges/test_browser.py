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
