"""The receipt PDF read back: the Kanwil's letterhead, the code, the address where the report is checked,
and nothing outside the page."""

from __future__ import annotations

import pytest
from django.conf import settings

from reports.models import format_receipt_code
from tests import factories
from tests.pdfcheck import check_pdf
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db

# reports-pdf.css: A5 landscape, 12 mm margins all round; a glyph's box may start a hair before its pen.
PAGE_MARGIN_MM = 11


def _receipt(client, code: str):
    response = client.post("/lapor/tanda-terima.pdf", {"code": code})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_receipt_has_the_letterhead_the_code_and_the_check_address(client, report_and_code):
    report, code = report_and_code
    content = _receipt(client, code)
    pdf = check_pdf(content, margin_mm=PAGE_MARGIN_MM)
    assert len(pdf.pages) == 1
    region = report.facility.regional_office
    text = pdf.text
    assert text.startswith(
        f"{region.ministry.name.upper()} {region.ministry.directorate.upper()} {region.name.upper()} "
        "Tanda Terima Laporan Pelanggaran Netralitas ASN"
    )
    # The UPT is named in the body, not in the letterhead: the Kanwil may be the one handling the report.
    assert text.count(report.facility.name) == 1
    assert format_receipt_code(code) in text
    check_url = f"{settings.SITE_URL}/lapor/cek/"
    assert f"Cek perkembangan di {check_url}" in text
    # The address is printed, not linked, and never carries the code.
    assert b"/URI" not in content
    assert format_receipt_code(code) not in check_url


def test_the_kanwil_address_is_printed_under_its_name(client, region):
    region.address = "Jl. Dr. Cipto No. 64, Semarang"
    region.save()
    facility = factories.FacilityFactory(regional_office=region)
    _report, code = rf.report_with_code(facility=facility)
    text = check_pdf(_receipt(client, code), margin_mm=PAGE_MARGIN_MM).text
    assert f"{region.name.upper()} Jl. Dr. Cipto No. 64, Semarang Tanda Terima" in text


def test_the_longest_names_stay_inside_the_page(client, region):
    region.name = "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Provinsi Nusa Tenggara Timur"
    region.save()
    facility = factories.FacilityFactory(
        regional_office=region,
        name="Lembaga Pemasyarakatan Perempuan Kelas IIA Kembangkuning Kabupaten Cilacap Provinsi Jawa Tengah",
    )
    _report, code = rf.report_with_code(facility=facility)
    pdf = check_pdf(_receipt(client, code), margin_mm=PAGE_MARGIN_MM)
    assert len(pdf.pages) == 1
    assert facility.name in pdf.text
    assert region.name.upper() in pdf.text
