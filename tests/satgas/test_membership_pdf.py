"""The membership list attached to the SK, read back from the PDF: its content, and its layout as a decree's
attachment (nothing past the page margins, ranks whole, the signature on the page of the table's end)."""

import datetime as dt
import re

import pytest
from django.template import Context, Template

from satgas.models import Membership, TaskForce
from tests import factories
from tests.pdfcheck import CheckedPdf, check_pdf
from tests.satgas.factories import MembershipFactory, PeriodFactory, TaskForceFactory, appointed

# pdf.css: 18 mm page margins left, right and top, 20 mm at the bottom. A glyph's box may start a
# fraction of a millimetre before its pen position, hence 17.
PAGE_MARGIN_MM = 17

# The longest names the SK has to carry, as written on real Ditjenpas decrees.
LONG_UPT = "Lembaga Pemasyarakatan Perempuan Kelas IIA Kembangkuning Kabupaten Cilacap Provinsi Jawa Tengah"
LONG_REGION = "Kantor Wilayah Direktorat Jenderal Pemasyarakatan Provinsi Nusa Tenggara Timur"
LONG_ADDRESS = (
    "Jl. Pulau Nusakambangan No. 1, Kelurahan Tambakreja, Kecamatan Cilacap Selatan, "
    "Kabupaten Cilacap, Jawa Tengah 53211"
)
LONG_DECREE = "W.13.PAS.PAS.1-UM.01.01-0123/SK/SATGAS-NETRALITAS TAHUN 2024"
LONG_NAME = "Dr. Raden Mas Bambang Sutrisno Wicaksono Hadiningrat {n}, S.H., M.H., M.Si."
LONG_POSITION = "Kepala Seksi Bimbingan Narapidana/Anak Didik dan Kegiatan Kerja"
# (rank, what the PDF must show unbroken): the longest pangkat names, a PPPK grade, and a PPNPN (none).
RANKS = [
    ({"rank": "III/c"}, "Penata (III/c)"),
    ({"rank": "II/b"}, "Pengatur Muda Tingkat I (II/b)"),
    ({"rank": "IV/d"}, "Pembina Utama Madya (IV/d)"),
    ({"pppk": True}, "Golongan VII"),
    ({"ppnpn": True}, None),
]


def _pdf(client, task_force) -> CheckedPdf:
    response = client.get(f"/satgas/{task_force.pk}/lampiran-sk.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return check_pdf(response.content, margin_mm=PAGE_MARGIN_MM)


def test_the_pdf_holds_every_members_name_and_nip(client, facility_head, facility, period):
    task_force = appointed(facility, period=period, size=12)
    client.force_login(facility_head)
    text = _pdf(client, task_force).text
    members = task_force.memberships.current().select_related("employee")
    assert members.count() == 12
    for membership in members:
        assert membership.employee.name in text
        assert membership.employee.identifier in text
    assert task_force.decree_number in text
    assert period.name.upper() in text
    assert facility.regional_office.name.upper() in text
    assert facility.regional_office.ministry.name.upper() in text


def test_the_pdf_lists_current_members_only(client, facility_head, task_force, facility):
    gone = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    gone_nip = gone.employee.identifier
    from satgas import actions

    newcomer = factories.EmployeeFactory(facility=facility)
    actions.replace_member(
        facility_head, gone, newcomer, date=gone.start_date, reason="Pensiun", decree_reference="SK-2"
    )
    client.force_login(facility_head)
    text = _pdf(client, task_force).text
    assert newcomer.identifier in text
    assert gone_nip not in text


def test_another_region_cannot_print_it(client, other_regional_admin, task_force):
    client.force_login(other_regional_admin)
    assert client.get(f"/satgas/{task_force.pk}/lampiran-sk.pdf").status_code == 404


# --- Layout -------------------------------------------------------------------------------------


@pytest.fixture
def long_facility(facility):
    """The fixture UPT renamed to the longest realistic names, with its head (who signs) on the roster."""
    region = facility.regional_office
    region.name = LONG_REGION
    region.save()
    region.ministry.name = "Kementerian Imigrasi dan Pemasyarakatan Republik Indonesia"
    region.ministry.save()
    head = factories.EmployeeFactory(facility=facility, name="Drs. Bambang Hadi Prasetyo, S.H., M.Si.", rank="IV/b")
    facility.name = LONG_UPT
    facility.address = LONG_ADDRESS
    facility.head = head
    facility.save()
    return facility


def long_task_force(facility, size: int, *, period=None) -> TaskForce:
    """An appointed task force of `size` members with long names, long positions and every kind of rank."""
    task_force = TaskForceFactory(
        facility=facility,
        period=period or PeriodFactory(),
        state=TaskForce.State.APPOINTED,
        decree_number=LONG_DECREE,
        decree_date=dt.date(2024, 1, 15),
        decree_signer=facility.head.name,
    )
    for n in range(size):
        rank, _shown = RANKS[n % len(RANKS)]
        employee = factories.EmployeeFactory(
            facility=facility, name=LONG_NAME.format(n=n + 1), position=LONG_POSITION, **rank
        )
        role = [Membership.Role.KETUA, Membership.Role.SEKRETARIS][n] if n < 2 else Membership.Role.ANGGOTA
        MembershipFactory(task_force=task_force, employee=employee, role=role)
    return task_force


def _rows(task_force) -> list[Membership]:
    """The members in the order the PDF lists them (Ketua, Sekretaris, then Anggota by name)."""
    order = {Membership.Role.KETUA: 0, Membership.Role.SEKRETARIS: 1, Membership.Role.ANGGOTA: 2}
    members = task_force.memberships.current().select_related("employee")
    return sorted(members, key=lambda m: (order[m.role], m.employee.name))


def test_twelve_members_and_the_longest_names_stay_inside_the_page(client, facility_head, long_facility, period):
    task_force = long_task_force(long_facility, 12, period=period)
    client.force_login(facility_head)
    pdf = _pdf(client, task_force)  # fails on any character less than 17 mm from the paper's edge

    assert len(pdf.pages) == 2
    header = pdf.pages[0]
    # Every header line is there whole, wrapped inside the page rather than cut at its edge.
    assert f"Keputusan Kepala {LONG_UPT}" in header
    # A decree number longer than its column wraps (at a slash or a dash) instead of running off the page.
    assert "Nomor : W.13.PAS.PAS.1-UM.01.01-" in header
    assert LONG_DECREE.replace(" ", "") in header.replace(" ", "")
    assert LONG_UPT.upper() in header
    assert LONG_REGION.upper() in header
    assert LONG_ADDRESS in header
    # A golongan never breaks after its slash ("(III/ c)"), nor a PPPK grade after "Golongan".
    members = _rows(task_force)
    for shown in {shown for _rank, shown in RANKS if shown}:
        expected = sum(1 for n in range(12) if RANKS[n % len(RANKS)][1] == shown)
        assert pdf.text.count(shown) == expected, shown
    assert not re.search(r"\([IV]+/\s", pdf.text)  # no golongan broken anywhere
    # The signature block (place and date, the head's title, name and NIP) is on the page of the table's
    # last rows, never alone on a page of its own.
    signature_page = pdf.page_of(f"{long_facility.head.name} NIP {long_facility.head.identifier}")
    assert pdf.page_of("Cilacap, 15 Januari 2024") == signature_page
    assert pdf.page_of(members[-1].employee.identifier) == signature_page
    assert pdf.page_of(members[-2].employee.identifier) == signature_page
    assert pdf.page_of(members[0].employee.identifier) == 0


def test_the_signature_always_shares_a_page_with_the_last_two_rows(client, facility_head, long_facility):
    """Whatever the number of members (the SK has at most SATGAS_MAX_MEMBERS), the page never breaks
    between the table's last two rows or between the table and the signature."""
    client.force_login(facility_head)
    split_tables = 0
    for size in range(1, 13):
        task_force = long_task_force(long_facility, size, period=PeriodFactory(name=f"Pilkada 2024 ({size})"))
        pdf = _pdf(client, task_force)
        members = _rows(task_force)
        signature_page = pdf.page_of(f"NIP {long_facility.head.identifier}")
        assert signature_page == len(pdf.pages) - 1
        assert pdf.page_of(members[-1].employee.identifier) == signature_page, size
        if size > 1:
            assert pdf.page_of(members[-2].employee.identifier) == signature_page, size
        if pdf.page_of(members[0].employee.identifier) != signature_page:
            split_tables += 1
            # The column headings are repeated on the page the table continues on.
            assert pdf.pages[signature_page].startswith("No. Nama / NIP Pangkat/Gol. Jabatan Kedudukan")
    assert split_tables  # the longest lists do run onto a second page: the rule above was put to the test


def test_another_signer_is_printed_without_the_heads_nip(client, facility_head, long_facility, period):
    task_force = long_task_force(long_facility, 3, period=period)
    TaskForce.objects.filter(pk=task_force.pk).update(decree_signer="Plh. Kepala Lapas, Andi Wijaya")
    client.force_login(facility_head)
    pdf = _pdf(client, task_force)
    assert "Plh. Kepala Lapas, Andi Wijaya" in pdf.text
    assert long_facility.head.identifier not in pdf.text


@pytest.mark.parametrize(
    ("rank", "html"),
    [
        ("Penata (III/c)", 'Penata <span class="golongan">(III/c)</span>'),
        ("Pengatur Muda Tingkat I (II/b)", 'Pengatur Muda Tingkat I <span class="golongan">(II/b)</span>'),
        ("Golongan IX", '<span class="golongan">Golongan IX</span>'),
        ("<b>", '<span class="golongan">&lt;b&gt;</span>'),
        ("", "–"),
    ],
)
def test_the_rank_filter_keeps_the_golongan_in_one_piece(rank, html):
    template = Template('{% load facilities_tags %}{{ rank|rank_unbroken|default:"–" }}')
    assert template.render(Context({"rank": rank})) == html
