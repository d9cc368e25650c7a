"""The certificate PDF: its contents, its QR code, stored once, and who may download it."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pledges.models import Signature
from tests import factories as base


def download(client, signature):
    return client.get(reverse("pledges:certificate", args=[signature.pk]))


def test_the_certificate_text_holds_name_nip_facility_and_fingerprint(staff_client, signed):
    from pypdf import PdfReader

    response = download(staff_client, signed)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.streaming  # served from storage in chunks, not read into memory
    reader = PdfReader(io.BytesIO(response.getvalue()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    flat = " ".join(text.split())
    assert signed.signer_name in flat
    assert signed.signer_identifier in flat
    assert signed.facility_name in flat
    assert signed.fingerprint in text.replace("\n", "").replace(" ", "")
    assert "WIB" in flat
    assert signed.text.clause_list[0].split()[0] in flat
    assert settings.SITE_URL  # printed verification link
    assert "MediaBox" in str(reader.pages[0])  # a real page
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_qr_code_decoded_from_the_page_image_is_the_verification_url(staff_client, signed):
    import pypdfium2
    import zxingcpp

    pdf = download(staff_client, signed).getvalue()
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=2).to_pil()
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    document.close()
    expected = settings.SITE_URL + reverse("pledges:verify", args=[signed.verification_code])
    assert decoded == [expected]


def test_it_is_rendered_once_and_later_downloads_serve_the_stored_file(staff_client, signed, monkeypatch):
    first = download(staff_client, signed).getvalue()
    signed.refresh_from_db()
    assert signed.certificate
    assert signed.certificate_sha256 == hashlib.sha256(first).hexdigest()

    from pledges import certificates

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered twice")

    monkeypatch.setattr(certificates, "render_certificate", must_not_render)
    again = download(staff_client, signed).getvalue()
    assert again == first


def test_the_stored_file_lives_under_the_private_media_root(staff_client, signed):
    download(staff_client, signed)
    signed.refresh_from_db()
    path = signed.certificate.path
    assert str(path).startswith(str(settings.MEDIA_ROOT))
    assert signed.verification_code not in path  # random file name


def test_another_staff_member_cannot_download_it(client, signed, other_employee):
    client.force_login(other_employee.user)
    assert download(client, signed).status_code == 404
    assert client.get(reverse("pledges:signature_detail", args=[signed.pk])).status_code == 404
    assert not Signature.objects.get(pk=signed.pk).certificate


@pytest.mark.parametrize("who", ["facility_head", "regional_admin", "national_admin"])
def test_the_signers_managers_can_download_it(request, client, signed, who):
    client.force_login(request.getfixturevalue(who))
    assert download(client, signed).status_code == 200


@pytest.mark.parametrize("who", ["other_facility_head", "other_regional_admin"])
def test_managers_elsewhere_cannot(request, client, signed, who):
    client.force_login(request.getfixturevalue(who))
    assert download(client, signed).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, signed):
    response = download(client, signed)
    assert response.status_code == 302
    assert "/akun/masuk/" in response.url


def test_a_paper_signature_certificate_says_so(client, facility_head, campaign, facility):
    from pledges import actions
    from tests.pledges.factories import pdf_file

    worker = base.EmployeeFactory(facility=facility)
    batch = actions.record_paper_signatures(
        facility_head,
        campaign,
        facility,
        [worker],
        signed_on=timezone.localdate(),
        place="Apel pagi",
        scan=pdf_file(),
    )
    signature = batch.signatures.get()
    client.force_login(facility_head)
    from pypdf import PdfReader

    text = " ".join(PdfReader(io.BytesIO(download(client, signature).getvalue())).pages[0].extract_text().split())
    assert "kertas" in text
    assert worker.identifier in text
