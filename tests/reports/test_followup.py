"""Following a report up from outside with the receipt code: status, timeline, messages, evidence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from reports import actions
from reports.models import Evidence, Message, State, generate_receipt_code
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _open(client, code):
    return client.post("/lapor/cek/", {"code": code})


def test_the_right_code_opens_the_status_page(client, report_and_code):
    report, code = report_and_code
    response = _open(client, code)
    assert response.status_code == 302 and response["Location"] == "/lapor/cek/laporan/"
    page = client.get("/lapor/cek/laporan/")
    assert page.context["report"] == report
    assert "Diterima" in page.content.decode()


def test_the_code_is_accepted_in_lower_case_and_without_dashes(client, report_and_code):
    report, code = report_and_code
    assert _open(client, code.replace("-", " ").lower()).status_code == 302


def test_the_code_is_never_taken_from_the_query_string(client, report_and_code):
    _report, code = report_and_code
    client.get("/lapor/cek/", {"code": code})
    assert client.get("/lapor/cek/laporan/").status_code == 302


def test_without_a_code_the_status_page_sends_you_to_enter_one(client):
    response = client.get("/lapor/cek/laporan/")
    assert response.status_code == 302 and response["Location"] == "/lapor/cek/"


def test_the_public_timeline_shows_states_and_public_notes_but_no_handler_names_or_internal_notes(
    client, report_and_code, task_force_member
):
    report, code = report_and_code
    actions.transition(
        task_force_member,
        report,
        State.VERIFYING,
        public_note="Laporan sedang diverifikasi.",
        internal_note="RAHASIA-123",
    )
    _open(client, code)
    html = client.get("/lapor/cek/laporan/").content.decode()
    assert "Diverifikasi" in html and "Laporan sedang diverifikasi." in html
    assert "RAHASIA-123" not in html
    assert task_force_member.display_name not in html
    assert task_force_member.username not in html


def test_the_reporter_reads_a_handler_message_without_the_handler_name(client, report_and_code, task_force_member):
    report, code = report_and_code
    actions.add_handler_message(task_force_member, report, "Apakah ada tangkapan layar unggahannya?")
    _open(client, code)
    html = client.get("/lapor/cek/laporan/").content.decode()
    assert "Apakah ada tangkapan layar unggahannya?" in html
    assert "Petugas" in html
    assert task_force_member.display_name not in html


def test_the_reporter_sends_a_message(client, report_and_code):
    report, code = report_and_code
    _open(client, code)
    response = client.post("/lapor/cek/pesan/", {"body": "Unggahan itu dihapus kemarin."})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.report, message.from_reporter, message.author) == (report, True, None)


def test_the_reporter_adds_evidence_later(client, report_and_code):
    report, code = report_and_code
    _open(client, code)
    response = client.post("/lapor/cek/bukti/", {"evidence": rf.jpeg_upload(gps=True)})
    assert response.status_code == 302
    assert Evidence.objects.get().report == report


def test_disguised_evidence_added_later_is_refused(client, report_and_code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _report, code = report_and_code
    _open(client, code)
    response = client.post("/lapor/cek/bukti/", {"evidence": SimpleUploadedFile("x.jpg", rf.ELF_BYTES, "image/jpeg")})
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_a_closed_report_takes_no_more_evidence(client, report_and_code, regional_admin):
    report, code = report_and_code
    actions.transition(regional_admin, report, State.REJECTED, rejection_reason="Tidak cukup bukti.")
    _open(client, code)
    assert client.post("/lapor/cek/bukti/", {"evidence": rf.jpeg_upload()}).status_code == 400
    assert "Tidak cukup bukti." in client.get("/lapor/cek/laporan/").content.decode()


def test_posting_without_an_open_report_sends_you_to_enter_a_code(client, report):
    assert client.post("/lapor/cek/pesan/", {"body": "halo"})["Location"] == "/lapor/cek/"
    assert not Message.objects.exists()


def test_the_open_report_expires_after_the_follow_up_window(client, report_and_code):
    from reports.models import FollowupSession

    _report, code = report_and_code
    _open(client, code)
    row = FollowupSession.objects.get()
    assert dt.timedelta(minutes=29) < row.expire_date - timezone.now() <= dt.timedelta(minutes=30)
    FollowupSession.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/lapor/cek/laporan/").status_code == 302


def test_closing_forgets_the_report(client, report_and_code):
    _report, code = report_and_code
    _open(client, code)
    client.post("/lapor/cek/keluar/")
    assert client.get("/lapor/cek/laporan/").status_code == 302


def test_a_wrong_code_is_refused(client, report_and_code):
    response = _open(client, generate_receipt_code())
    assert response.status_code == 400
    assert "tidak ditemukan" in response.content.decode()
    assert client.get("/lapor/cek/laporan/").status_code == 302


def test_guessing_codes_is_rate_limited_even_when_a_guess_is_right(client, report_and_code):
    _report, code = report_and_code
    for _ in range(10):
        assert _open(client, generate_receipt_code()).status_code == 400
    response = _open(client, code)
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
    # Another client may still use its code.
    assert client.post("/lapor/cek/", {"code": code}, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_right_codes_do_not_count_against_the_limit(client, report_and_code):
    _report, code = report_and_code
    for _ in range(12):
        assert _open(client, code).status_code == 302


def test_the_receipt_pdf_is_made_from_the_posted_code(client, report_and_code):
    _report, code = report_and_code
    response = client.post("/lapor/tanda-terima.pdf", {"code": code})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert code in text
    assert _report.facility.name in text


def test_the_receipt_pdf_needs_a_valid_code_and_a_post(client, report):
    assert client.get("/lapor/tanda-terima.pdf").status_code == 405
    assert client.post("/lapor/tanda-terima.pdf", {"code": generate_receipt_code()}).status_code == 404


def test_the_receipt_page_offers_the_pdf_by_post(client, intake_data):
    client.post("/lapor/", intake_data)
    html = client.get("/lapor/terkirim/").content.decode()
    assert 'action="/lapor/tanda-terima.pdf"' in html and 'method="post"' in html
