"""Public verification: valid or revoked, minimal data, not-found, rate limit, file check."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledges import actions, views
from tests.pledges.factories import pdf_bytes


def verify_url(signature) -> str:
    return reverse("pledges:verify", args=[signature.verification_code])


def test_a_valid_pact_shows_name_facility_campaign_and_date_without_login(client, signed):
    response = client.get(verify_url(signed))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pakta SAH" in page
    assert signed.signer_name in page
    assert signed.facility_name in page
    assert signed.campaign.name in page


def test_it_shows_no_other_personal_data(client, signed):
    page = client.get(verify_url(signed)).content.decode()
    assert signed.signer_identifier not in page
    assert signed.signer_identifier[:8] not in page
    assert signed.signer_position not in page
    assert signed.fingerprint not in page
    assert str(signed.ip_address) not in page


def test_a_revoked_pact_shows_as_revoked(client, signed, regional_admin):
    actions.revoke(regional_admin, signed, "Ditandatangani oleh orang yang salah")
    page = client.get(verify_url(signed)).content.decode()
    assert "DICABUT" in page
    assert "Pakta SAH" not in page
    assert "orang yang salah" not in page  # the reason is internal


def test_an_unknown_code_gives_a_plain_not_found_page(client, signed):
    response = client.get(reverse("pledges:verify", args=["tidak-ada-kode-seperti-ini"]))
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.content.decode()
    assert signed.signer_name not in response.content.decode()


def test_the_page_is_rate_limited_per_client(client, signed, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_LIMIT", 3)
    statuses = [client.get(verify_url(signed), REMOTE_ADDR="10.9.9.9").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Unknown codes count too: guessing is what the limit is for.
    assert client.get(reverse("pledges:verify", args=["x"]), REMOTE_ADDR="10.9.9.9").status_code == 429
    # Another client is not affected.
    assert client.get(verify_url(signed), REMOTE_ADDR="10.9.9.10").status_code == 200


def _issued_pdf(staff_client, signed) -> bytes:
    return staff_client.get(reverse("pledges:certificate", args=[signed.pk])).getvalue()


def _upload(client, content: bytes, name: str = "sertifikat.pdf", **extra):
    return client.post(
        reverse("pledges:verify_index"),
        {"certificate": SimpleUploadedFile(name, content, content_type="application/pdf")},
        **extra,
    )


def test_an_issued_unchanged_pdf_is_recognised(staff_client, client, signed):
    pdf = _issued_pdf(staff_client, signed)
    client.logout()
    page = _upload(client, pdf).content.decode()
    assert "asli dan tidak diubah" in page
    assert signed.signer_name in page


def test_a_tampered_pdf_is_reported_as_altered_or_unknown(staff_client, client, signed):
    pdf = _issued_pdf(staff_client, signed)
    tampered = pdf.replace(b"/Producer", b"/Producer ", 1) if b"/Producer" in pdf else pdf + b"\n% edited\n"
    assert tampered != pdf
    page = _upload(client, tampered).content.decode()
    assert "tidak dikenal atau telah diubah" in page
    assert "asli dan tidak diubah" not in page


def test_a_pdf_the_system_never_issued_is_unknown(client, signed):
    page = _upload(client, pdf_bytes("Sertifikat palsu")).content.decode()
    assert "tidak dikenal atau telah diubah" in page


def test_a_revoked_pact_file_is_genuine_but_marked_revoked(staff_client, client, signed, regional_admin):
    pdf = _issued_pdf(staff_client, signed)
    actions.revoke(regional_admin, signed, "Salah orang")
    page = _upload(client, pdf).content.decode()
    assert "asli dan tidak diubah" in page
    assert "DICABUT" in page


def test_a_file_that_is_not_a_pdf_is_refused_by_content(client, db):
    page = _upload(client, b"MZ\x90\x00 this is an executable", name="sertifikat.pdf").content.decode()
    assert "bukan PDF yang sah" in page


def test_uploads_are_rate_limited(client, db, monkeypatch):
    monkeypatch.setattr(views, "UPLOAD_LIMIT", 2)
    statuses = [_upload(client, pdf_bytes(), REMOTE_ADDR="10.7.7.7").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_typed_code_leads_to_its_page(client, signed):
    response = client.get(reverse("pledges:verify_index"), {"code": f"  {signed.verification_code} "})
    assert response.status_code == 302
    assert response.url == verify_url(signed)


@pytest.mark.parametrize("path", ["/", "/verifikasi/"])
def test_the_public_pages_link_to_verification(client, db, path):
    assert 'href="/verifikasi/"' in client.get(path).content.decode()
