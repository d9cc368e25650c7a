"""The activation slips read back from their PDF: inside the page, and a slip never split over two pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.pdfcheck import check_pdf

# slips.css: 10 mm margins all round; a glyph's box may start a hair before its pen position.
PAGE_MARGIN_MM = 9
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


@pytest.mark.django_db
def test_nine_slips_with_long_names_stay_inside_the_page_and_whole(client, facility, facility_head):
    facility.name = "Lembaga Pemasyarakatan Perempuan Kelas IIA Kembangkuning Kabupaten Cilacap Provinsi Jawa Tengah"
    facility.save()
    staff = [
        factories.EmployeeFactory(
            facility=facility, name=f"Dr. Raden Mas Bambang Sutrisno Wicaksono Hadiningrat {n}, S.H., M.H., M.Si."
        )
        for n in range(1, 10)
    ]
    client.force_login(facility_head)
    response = client.post(reverse("facilities:issue_codes", args=[facility.pk]), {"employee": [e.pk for e in staff]})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = check_pdf(response.content, margin_mm=PAGE_MARGIN_MM)
    assert len(pdf.pages) == 3  # four slips to a page
    for employee in staff:
        employee.refresh_from_db()
        # The whole slip, from the name to the warning under the code, is on one page.
        page = pdf.pages[pdf.page_of(f"{employee.name} Nama pengguna {employee.user.username} Kode aktivasi")]
        slip = re.escape(f"{employee.name} Nama pengguna {employee.user.username} Kode aktivasi ")
        found = re.search(slip + r"(?P<code>[A-Z0-9 -]+?) Buka .+? Jangan berikan kode ini kepada siapa pun\.", page)
        # pdfium reads the widely letter-spaced code with a space here and there.
        assert found and CODE.fullmatch(found["code"].replace(" ", ""))
