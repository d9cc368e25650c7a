"""Filing a report at /lapor/, with and without an account."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from reports.models import Evidence, Message, Report, ReportEvent, hash_receipt_code
from tests import factories
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def test_it_asks_for_the_facility_first_and_finds_it_by_search_without_javascript(client, facility, other_facility):
    response = client.get("/lapor/", {"q": "kembang"})
    html = response.content.decode()
    assert response.status_code == 200
    assert facility.name in html
    assert other_facility.name not in html


def upt_options(html: str) -> int:
    import re

    select = re.search(r'<select name="upt".*?</select>', html, re.S)
    return select.group(0).count("<option ") if select else 0


def test_step_one_lists_no_upt_before_a_search_and_only_the_first_matches_after(client, region, facility):
    """Issue 13: never every UPT of the country in one select; a search shows at most INTAKE_MATCHES."""
    from reports.views import INTAKE_MATCHES

    for n in range(INTAKE_MATCHES + 5):
        factories.FacilityFactory(regional_office=region, name=f"Rutan Kelas IIB Uji {n:02d}", city="Kota Uji")
    closed = factories.FacilityFactory(regional_office=region, name="Rutan Kelas IIB Uji Tutup", is_active=False)
    html = client.get("/lapor/").content.decode()
    assert 'name="upt"' not in html and "Rutan Kelas IIB Uji" not in html and 'id="upt-hint"' in html

    response = client.get("/lapor/", {"q": "uji"})
    html = response.content.decode()
    assert upt_options(html) == INTAKE_MATCHES
    assert f"{INTAKE_MATCHES} dari {INTAKE_MATCHES + 5} UPT yang cocok" in html
    assert closed.name not in html and facility.name not in html
    assert '<input type="hidden" name="q" value="uji">' in html

    response = client.get("/lapor/", {"q": "kembang"})
    assert upt_options(response.content.decode()) == 1 and facility.name in response.content.decode()


@pytest.mark.parametrize("upt", ["999999", "abc", "１２", "closed"])
def test_a_upt_that_cannot_be_picked_is_refused_with_the_search_kept(client, region, facility, upt):
    closed = factories.FacilityFactory(regional_office=region, name="Rutan Tutup", is_active=False)
    response = client.get("/lapor/", {"q": "kembang", "upt": closed.pk if upt == "closed" else upt})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "reports/intake_facility.html"
    assert "UPT yang dipilih tidak ditemukan" in html
    assert 'value="kembang"' in html and facility.name in html


def test_step_one_makes_the_same_queries_for_few_and_many_upts(client, region, facility):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/lapor/", params).status_code == 200
        return len(captured)

    small = queries({}), queries({"q": "lapas"})
    for n in range(40):
        factories.FacilityFactory(regional_office=region, name=f"Lapas Kelas IIA Uji {n:02d}")
    assert (queries({}), queries({"q": "lapas"})) == small


def test_the_public_form_lists_no_one(client, facility, roster_employee):
    response = client.get("/lapor/", {"upt": facility.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dedi Terlapor" not in html and "Komandan Jaga" not in html
    assert 'name="reported_employee"' not in html
    assert 'name="reported_description"' in html and "Siapa yang dilaporkan" in html


def test_staff_pick_from_their_own_facility_roster_with_names_and_positions_but_no_nip(
    client, staff, facility, roster_employee
):
    client.force_login(staff)
    html = client.get("/lapor/", {"upt": facility.pk}).content.decode()
    assert "Dedi Terlapor — Komandan Jaga" in html
    assert roster_employee.identifier not in html


def test_staff_filing_about_another_facility_get_no_roster(client, staff, other_facility):
    factories.EmployeeFactory(facility=other_facility, name="Pegawai Kayu Agung", position="Staf Registrasi")
    client.force_login(staff)
    html = client.get("/lapor/", {"upt": other_facility.pk}).content.decode()
    assert "Pegawai Kayu Agung" not in html and "Staf Registrasi" not in html
    assert 'name="reported_employee"' not in html


def test_it_leaves_inactive_staff_out_of_the_roster(client, staff, facility):
    factories.EmployeeFactory(facility=facility, name="Sudah Pensiun", is_active=False)
    client.force_login(staff)
    assert "Sudah Pensiun" not in client.get("/lapor/", {"upt": facility.pk}).content.decode()


def test_an_anonymous_post_cannot_name_anyone_from_the_roster(client, roster_employee, intake_data):
    intake_data["reported_employee"] = roster_employee.pk
    assert client.post("/lapor/", intake_data).status_code == 302
    report = Report.objects.get()
    assert report.reported_employee is None
    assert report.reported_description == "Petugas jaga pagi, berkacamata"


def test_the_form_says_no_ip_address_is_stored(client, facility):
    html = client.get("/lapor/", {"upt": facility.pk}).content.decode()
    assert "tidak menyimpan alamat IP" in html
    assert 'class="honeypot"' in html


def test_an_anonymous_visitor_files_a_report_and_gets_a_receipt_code_once(client, facility, intake_data):
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 302
    assert response["Location"] == "/lapor/terkirim/"
    report = Report.objects.get()
    assert report.facility == facility
    assert report.is_anonymous and report.reporter_name == "" and report.state == "received"
    assert report.events.get().to_state == "received"

    receipt = client.get("/lapor/terkirim/")
    code = receipt.context["receipt"]["code"]
    assert code in receipt.content.decode()
    assert "Simpan kode ini sekarang." in receipt.content.decode()
    assert "no-store" in receipt["Cache-Control"]
    assert len(code.replace("-", "")) == 28  # 140 bits
    assert report.receipt_hash == hash_receipt_code(code)
    assert code not in str(client.session.items())
    # Shown once: a second visit no longer has it.
    again = client.get("/lapor/terkirim/")
    assert again.context["receipt"] is None
    assert code not in again.content.decode()


def test_the_receipt_code_is_stored_only_as_a_hash(client, intake_data):
    client.post("/lapor/", intake_data)
    code = client.get("/lapor/terkirim/").context["receipt"]["code"]
    report = Report.objects.get()
    stored = " ".join(str(value) for value in Report.objects.filter(pk=report.pk).values().get().values())
    assert code not in stored and code.replace("-", "") not in stored


def test_two_reports_get_different_codes(client, intake_data):
    client.post("/lapor/", intake_data)
    first = client.get("/lapor/terkirim/").context["receipt"]["code"]
    client.post("/lapor/", intake_data)
    second = client.get("/lapor/terkirim/").context["receipt"]["code"]
    assert first != second


def test_a_reporter_may_give_a_name_and_contact(client, intake_data):
    intake_data.update(is_anonymous="", reporter_name="Siti Pelapor", reporter_contact="0812-1111-2222")
    client.post("/lapor/", intake_data)
    report = Report.objects.get()
    assert not report.is_anonymous
    assert (report.reporter_name, report.reporter_contact) == ("Siti Pelapor", "0812-1111-2222")


def test_a_named_report_needs_a_name_and_keeps_what_was_typed(client, intake_data):
    intake_data.update(is_anonymous="")
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Isi nama Anda" in response.content.decode()
    assert "Membagikan ajakan memilih" in response.content.decode()
    assert not Report.objects.exists()


def test_it_needs_a_description_of_the_person(client, intake_data):
    intake_data["reported_description"] = ""
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Tuliskan siapa yang dilaporkan" in response.content.decode()


def test_staff_need_a_roster_pick_or_a_description(client, staff, intake_data):
    client.force_login(staff)
    intake_data["reported_description"] = ""
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert "Pilih pegawai yang dilaporkan" in response.content.decode()


def test_the_top_of_the_form_names_the_fields_to_fix(client, intake_data):
    """The page opens at the top after sending; on a phone the field errors are screens below."""
    intake_data.update(occurred_place="", description="")
    page = client.post("/lapor/", intake_data).content.decode()
    summary = page.split('id="form-error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Formulir belum terkirim" in summary
    assert 'href="#id_occurred_place">Tempat kejadian</a>: Bidang ini tidak boleh kosong.' in summary
    assert 'href="#id_description">' in summary
    assert page.index('id="form-error-summary"') < page.index('name="reported_description"')


def test_no_error_summary_on_a_fresh_form_or_for_a_rate_limit(client, intake_data, facility):
    assert 'id="form-error-summary"' not in client.get(f"/lapor/?upt={facility.pk}").content.decode()
    for _ in range(5):
        client.post("/lapor/", intake_data)
    assert 'id="form-error-summary"' not in client.post("/lapor/", intake_data).content.decode()


def test_it_refuses_an_employee_of_another_facility(client, staff, intake_data, other_facility):
    client.force_login(staff)
    stranger = factories.EmployeeFactory(facility=other_facility)
    intake_data["reported_employee"] = stranger.pk
    assert client.post("/lapor/", intake_data).status_code == 400
    assert not Report.objects.exists()


def test_a_date_in_the_future_is_refused(client, intake_data):
    intake_data["occurred_on"] = "2999-01-01"
    assert client.post("/lapor/", intake_data).status_code == 400


def test_a_logged_in_employee_gets_the_form_for_their_own_facility(client, staff, facility):
    client.force_login(staff)
    response = client.get("/lapor/")
    assert response.templates[0].name == "reports/intake.html"
    assert response.context["facility"] == facility


def test_a_logged_in_employee_may_choose_another_facility(client, staff, other_facility):
    client.force_login(staff)
    response = client.get("/lapor/", {"ganti": "1"})
    assert response.templates[0].name == "reports/intake_facility.html"
    # The search keeps asking for another UPT (without `ganti` it would go back to their own).
    assert '<input type="hidden" name="ganti" value="1">' in response.content.decode()
    response = client.get("/lapor/", {"ganti": "1", "q": "kayu agung"})
    assert response.templates[0].name == "reports/intake_facility.html"
    assert other_facility.name in response.content.decode()


def test_a_logged_in_employee_files_an_anonymous_report_that_is_not_tied_to_their_account(
    client, staff, roster_employee, intake_data
):
    client.force_login(staff)
    intake_data["reported_employee"] = roster_employee.pk
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reported_employee == roster_employee
    assert report.reporter_name == ""
    assert not AuditEvent.objects.filter(object_type="reports.report").exists()


def _filed_by_staff(client, staff, intake_data, employee) -> Report:
    client.force_login(staff)
    intake_data["reported_employee"] = employee.pk
    assert client.post("/lapor/", intake_data).status_code == 302
    return Report.objects.get()


def _task_force_sees(client, member, report) -> bool:
    client.force_login(member)
    return client.get(f"/laporan/{report.pk}/").status_code == 200


def test_a_report_about_a_task_force_member_goes_to_the_region_only(
    client, staff, facility, task_force, task_force_member, intake_data
):
    suspect = factories.EmployeeFactory(facility=facility)
    rf.member(task_force, suspect)
    report = _filed_by_staff(client, staff, intake_data, suspect)
    assert not _task_force_sees(client, task_force_member, report)


def test_a_report_about_the_facility_head_goes_to_the_region_only(
    client, staff, facility, task_force_member, intake_data
):
    head = factories.EmployeeFactory(facility=facility, position="Kepala Lapas")
    facility.head = head
    facility.save()
    report = _filed_by_staff(client, staff, intake_data, head)
    assert not _task_force_sees(client, task_force_member, report)


def test_a_report_about_a_former_task_force_member_goes_to_the_task_force(
    client, staff, facility, task_force, task_force_member, intake_data
):
    import datetime as dt

    former = factories.EmployeeFactory(facility=facility)
    membership = rf.member(task_force, former)
    membership.end_date = dt.date(2024, 7, 1)
    membership.save()
    report = _filed_by_staff(client, staff, intake_data, former)
    assert _task_force_sees(client, task_force_member, report)


def test_a_report_about_an_ordinary_employee_goes_to_the_task_force(
    client, staff, roster_employee, task_force_member, intake_data
):
    report = _filed_by_staff(client, staff, intake_data, roster_employee)
    assert _task_force_sees(client, task_force_member, report)


def test_the_honeypot_stops_a_bot(client, intake_data):
    intake_data["website"] = "http://spam.example"
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_intake_is_rate_limited_per_client_and_keeps_the_form(client, intake_data):
    for _ in range(5):
        assert client.post("/lapor/", intake_data).status_code == 302
    response = client.post("/lapor/", intake_data)
    assert response.status_code == 429
    assert "Membagikan ajakan memilih" in response.content.decode()
    assert Report.objects.count() == 5
    # Another client is not affected.
    assert client.post("/lapor/", intake_data, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_no_ip_address_or_user_agent_is_stored_with_a_report(client, intake_data):
    address, agent = "203.0.113.77", "PelaporBrowser/9.9 (unik-sekali)"
    intake_data["evidence"] = rf.jpeg_upload()
    client.post("/lapor/", intake_data, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    client.get("/lapor/terkirim/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    rows = []
    for model in (Report, ReportEvent, Evidence, Message, AuditEvent):
        rows += [str(row) for row in model.objects.values()]
    dump = " ".join(rows)
    assert Report.objects.count() == 1
    assert address not in dump and agent not in dump
    # The rate-limit counter's key is a hash, not the address.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM netralitas_cache")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert "rl:report-intake:" in keys and address not in keys
