"""The certificate and the archive read back from their PDFs: inside the page, one page per signature with
its signature block, and titles that do not repeat themselves."""

from __future__ import annotations

import pytest

from core.pdf import html_to_pdf
from pledges import certificates
from tests import factories as base
from tests.pdfcheck import check_pdf
from tests.pledges import factories
from tests.satgas.factories import PeriodFactory

pytestmark = pytest.mark.django_db

# pledges-certificate.css: 15 mm margins at the top and bottom, 18 mm at the sides; a glyph's box may
# start a hair before its pen position.
PAGE_MARGIN_MM = 14

LONG_UPT = "Lembaga Pemasyarakatan Perempuan Kelas IIA Kembangkuning Kabupaten Cilacap Provinsi Jawa Tengah"
LONG_POSITION = "Kepala Seksi Bimbingan Narapidana/Anak Didik dan Kegiatan Kerja"


@pytest.fixture
def long_facility(facility):
    region = facility.regional_office
    region.name = "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Provinsi Nusa Tenggara Timur"
    region.save()
    facility.name = LONG_UPT
    facility.address = (
        "Jl. Pulau Nusakambangan No. 1, Kelurahan Tambakreja, Kecamatan Cilacap Selatan, "
        "Kabupaten Cilacap, Jawa Tengah 53211"
    )
    facility.save()
    return facility


def _signer(facility, n: int = 1):
    return base.EmployeeFactory(
        facility=facility,
        name=f"Dr. Raden Mas Bambang Sutrisno Wicaksono Hadiningrat {n}, S.H., M.H., M.Si.",
        rank="II/b",
        position=LONG_POSITION,
    )


def _signature_block(signature) -> str:
    """The signature block's last lines: the name, then its identifier."""
    return f"{signature.signer_name} {signature.signer_identifier_label} {signature.signer_identifier}"


def test_a_certificate_with_the_longest_names_is_one_page_inside_the_margins(long_facility):
    campaign = factories.CampaignFactory(name="Pakta Netralitas Pilkada Serentak 2024")
    signature = factories.signature(campaign, _signer(long_facility))
    pdf = check_pdf(certificates.render_certificate(signature), margin_mm=PAGE_MARGIN_MM)
    assert len(pdf.pages) == 1
    assert pdf.page_of(_signature_block(signature)) == 0
    assert f"Unit Kerja : {LONG_UPT}" in pdf.text
    assert "Pengatur Muda Tingkat I (II/b)" in pdf.text
    assert signature.verification_url() in pdf.text


def test_the_subtitle_names_the_period_once_when_the_campaign_is_named_after_it(facility):
    campaign = factories.CampaignFactory(name="Pemilu 2024", period=PeriodFactory(name="Pemilu 2024"))
    signature = factories.signature(campaign, base.EmployeeFactory(facility=facility))
    text = check_pdf(certificates.render_certificate(signature), margin_mm=PAGE_MARGIN_MM).text
    title = signature.text.title
    assert f"{title} Pemilu 2024 Saya yang bertanda tangan" in text
    assert "Pemilu 2024 · Pemilu 2024" not in text


def test_the_subtitle_leaves_out_what_the_title_already_says(facility):
    text = factories.PactTextFactory(title="PAKTA INTEGRITAS")
    campaign = factories.CampaignFactory(name="Pakta Integritas", text=text, period=PeriodFactory(name="Pilkada 2024"))
    signature = factories.signature(campaign, base.EmployeeFactory(facility=facility))
    pdf = check_pdf(certificates.render_certificate(signature), margin_mm=PAGE_MARGIN_MM)
    assert "PAKTA INTEGRITAS Pilkada 2024 Saya yang bertanda tangan" in pdf.text


def test_a_campaign_with_its_own_words_keeps_them_beside_the_period(facility):
    campaign = factories.CampaignFactory(name="Apel Siaga Netralitas", period=PeriodFactory(name="Pilkada 2024"))
    signature = factories.signature(campaign, base.EmployeeFactory(facility=facility))
    text = check_pdf(certificates.render_certificate(signature), margin_mm=PAGE_MARGIN_MM).text
    assert "Apel Siaga Netralitas · Pilkada 2024 Saya yang" in text


def test_the_archive_has_one_page_per_signature_with_its_own_signature_block(long_facility):
    campaign = factories.CampaignFactory()
    signatures = [factories.signature(campaign, _signer(long_facility, n)) for n in range(1, 4)]
    # The archive's pages are laid out exactly as pledges.batch lays out each chunk.
    pdf = check_pdf(html_to_pdf(certificates.archive_html(signatures)), margin_mm=PAGE_MARGIN_MM)
    assert len(pdf.pages) == 3
    for index, signature in enumerate(signatures):
        assert pdf.page_of(_signature_block(signature)) == index
        assert pdf.page_of(signature.fingerprint) == index


def test_the_archive_title_does_not_repeat_the_campaigns_words(facility):
    campaign = factories.CampaignFactory(name="Pakta Integritas Netralitas ASN dan PPNPN — Pemilu 2024")
    assert certificates.archive_title(facility, campaign) == (
        f"{facility.name} — Pakta Integritas Netralitas ASN dan PPNPN — Pemilu 2024"
    )
    other = factories.CampaignFactory(name="Apel Siaga Pilkada 2024")
    assert (
        certificates.archive_title(facility, other) == f"Pakta Integritas — {facility.name} — Apel Siaga Pilkada 2024"
    )
