"""Emails to the handlers of violation reports (reports/notifications.py), sent by the queue through a real
SMTP server: who gets them (the rule `visible_reports` applies), once per occasion, and nothing confidential
in them."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
import socket

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Notification, SentNotification, User
from accounts.notify import set_preferences
from reports import access, actions
from reports.models import DeadlineNotice, Handling, Message, Report, State
from reports.notifications import REQUEUE_AFTER, check_deadlines
from tests import factories
from tests.reports import factories as rf
from tests.tasks import queued, run_queued_tasks

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Membagikan ajakan memilih pasangan calon nomor 2 di grup kantor."


def _with_email(user, address: str):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def members(task_force, task_force_member):
    """Two task force members with an address, and one without."""
    second = rf.member_user(task_force, name="Sari Satgas")
    silent = rf.member_user(task_force, name="Tono Tanpa Surel")
    return [_with_email(task_force_member, "agus@upt.test"), _with_email(second, "sari@upt.test"), silent]


@pytest.fixture
def kanwil(regional_admin, other_regional_admin):
    _with_email(other_regional_admin, "kanwil@sumsel.test")
    return _with_email(regional_admin, "kanwil@jateng.test")


@pytest.fixture
def bystanders(national_admin, facility_head, staff):
    """Users who must never be told: the national admin, the UPT's head (not on the task force), staff."""
    for user, address in [
        (national_admin, "pusat@pusat.test"),
        (facility_head, "kalapas@upt.test"),
        (staff, "pegawai@upt.test"),
    ]:
        _with_email(user, address)
    return [national_admin, facility_head, staff]


def _recipients(server) -> list[str]:
    return sorted(address for message in server.messages for address in message.recipients)


def _file(facility, **kwargs) -> Report:
    fields = dict(
        facility=facility,
        reported_employee=None,
        reported_description="Petugas jaga pagi, berkacamata",
        category="MEDSOS_KAMPANYE",
        election_type="PILKADA",
        stage="",
        occurred_on=dt.date(2024, 10, 1),
        occurred_place="Grup WhatsApp pegawai",
        description=SECRET_TEXT,
    )
    fields.update(kwargs)
    report, _code = actions.submit_report(**fields)
    return report


# --- Who the handlers are ---------------------------------------------------------------------------


def _suspect_member(facility, task_force):
    suspect = factories.EmployeeFactory(facility=facility, name="Dedi Terlapor")
    factories.staff_user(suspect)
    rf.member(task_force, suspect)
    return suspect


def _scenarios(facility, sibling_facility, task_force):
    """Reports of every kind the access rules tell apart, with the handlers expected to be told."""
    plain = rf.ReportFactory(facility=facility)
    suspect = _suspect_member(facility, task_force)
    about_member = rf.ReportFactory(facility=facility, reported_employee=suspect)
    head = factories.EmployeeFactory(facility=facility, name="Kalapas Terlapor")
    facility.head = head
    facility.save()
    about_head = rf.ReportFactory(facility=facility, reported_employee=head)
    overridden = rf.ReportFactory(
        facility=facility,
        reported_employee=suspect,
        handling=Handling.TASK_FORCE,
        handling_reason="Ketua Satgas tidak terlibat.",
    )
    kept = rf.ReportFactory(facility=facility, handling=Handling.REGION, handling_reason="Perkara sensitif.")
    no_task_force = rf.ReportFactory(facility=sibling_facility)
    return {
        "plain": plain,
        "about_member": about_member,
        "about_head": about_head,
        "overridden": overridden,
        "kept": kept,
        "no_task_force": no_task_force,
    }, suspect


def test_every_handler_can_open_the_report_and_the_reported_person_is_never_one(
    facility, sibling_facility, task_force, members, kanwil, bystanders, other_task_force_member
):
    reports, suspect = _scenarios(facility, sibling_facility, task_force)
    handlers = access.handlers_by_report(Report.objects.all())
    team = {user.pk for user in members}
    expected = {
        "plain": team | {suspect.user_id},
        "about_member": {kanwil.pk},
        "about_head": {kanwil.pk},
        "overridden": team,  # the task force may handle it, the reported member is left out
        "kept": {kanwil.pk},
        "no_task_force": {kanwil.pk},  # nobody else could act on it
    }
    assert {name: handlers[report.pk] for name, report in reports.items()} == expected
    for name, report in reports.items():
        for user_id in handlers[report.pk]:
            user = User.objects.get(pk=user_id)
            assert access.visible_reports(user).filter(pk=report.pk).exists(), (name, user)
        if report.reported_employee_id is not None:
            assert report.reported_employee.user_id not in handlers[report.pk]
        assert access.report_handlers(report) == handlers[report.pk]
    everyone_told = set().union(*handlers.values())
    assert not everyone_told & {user.pk for user in bystanders}
    assert other_task_force_member.pk not in everyone_told


def test_a_transferred_or_replaced_member_is_no_longer_told(facility, sibling_facility, task_force, members, kanwil):
    report = rf.ReportFactory(facility=facility)
    transferred, replaced, staying = members[0], members[1], members[2]
    transferred.employee.facility = sibling_facility
    transferred.employee.save()
    task_force.memberships.filter(employee__user=replaced).update(end_date=dt.date(2024, 12, 1))
    assert access.report_handlers(report) == {staying.pk}
    for user in (transferred, replaced):
        assert not access.visible_reports(user).filter(pk=report.pk).exists()


def test_the_handlers_of_many_reports_take_three_queries(facility, sibling_facility, task_force, members, kanwil):
    _scenarios(facility, sibling_facility, task_force)
    for _ in range(20):
        rf.ReportFactory(facility=facility)
    with CaptureQueriesContext(connection) as queries:
        handlers = access.handlers_by_report(Report.objects.all())
    assert len(handlers) == 26
    assert len(queries) == 3


# --- A new report -----------------------------------------------------------------------------------


def test_an_anonymous_report_tells_each_task_force_member_with_an_address_once(
    client, smtp_server, intake_data, facility, members, kanwil, bystanders
):
    assert client.post("/lapor/", intake_data).status_code == 302
    code = client.get("/lapor/terkirim/").context["receipt"]["code"]
    report = Report.objects.get()
    assert smtp_server.messages == []  # the request sent nothing itself
    run_queued_tasks()
    assert _recipients(smtp_server) == ["agus@upt.test", "sari@upt.test"]
    message = smtp_server.messages[0]
    assert report.reference in message.subject and facility.name in message.subject
    assert f"{settings.SITE_URL}/laporan/{report.pk}/" in message.body
    assert report.reference in message.body and "Diterima" in message.body
    for secret in (SECRET_TEXT, "Petugas jaga pagi", "Grup WhatsApp", code, code.replace("-", "")):
        assert secret not in message.subject and secret not in message.body
    assert SentNotification.objects.filter(kind=Notification.REPORT_NEW).count() == 2
    run_queued_tasks()
    assert len(smtp_server.messages) == 2


def test_a_named_report_with_evidence_keeps_the_reporter_and_the_files_out_of_the_email(
    client, smtp_server, intake_data, members
):
    intake_data.update(
        is_anonymous="", reporter_name="Siti Pelapor", reporter_contact="siti.pelapor@mail.test 0812-1111-2222"
    )
    intake_data["evidence"] = rf.jpeg_upload("tangkapan-layar-grup-rahasia.jpg")
    assert client.post("/lapor/", intake_data).status_code == 302
    evidence = Report.objects.get().evidence.get()
    run_queued_tasks()
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        text = message.subject + message.body + message.message.as_string()
        for secret in (
            "Siti",
            "siti.pelapor",
            "0812",
            "tangkapan-layar",
            evidence.file.name,
            evidence.sha256,
            SECRET_TEXT,
        ):
            assert secret not in text


def test_a_report_about_a_task_force_member_tells_the_kanwil_and_never_the_reported_person(
    smtp_server, facility, task_force, members, kanwil, bystanders
):
    suspect = _suspect_member(facility, task_force)
    _with_email(suspect.user, "dedi@upt.test")
    report = _file(facility, reported_employee=suspect, reported_description="")
    run_queued_tasks()
    assert _recipients(smtp_server) == ["kanwil@jateng.test"]
    body = smtp_server.messages[0].body
    assert "Dedi" not in body and "Terlapor" not in body and SECRET_TEXT not in body
    assert report.reference in body


def test_a_report_about_the_head_tells_the_kanwil_only(smtp_server, facility, members, kanwil):
    head = factories.EmployeeFactory(facility=facility, name="Kalapas Terlapor")
    facility.head = head
    facility.save()
    _file(facility, reported_employee=head, reported_description="")
    run_queued_tasks()
    assert _recipients(smtp_server) == ["kanwil@jateng.test"]


def test_muted_users_and_users_without_an_address_get_nothing(smtp_server, facility, members):
    set_preferences(members[0], [kind for kind in Notification.values if kind != Notification.REPORT_NEW])
    _file(facility)
    run_queued_tasks()
    assert _recipients(smtp_server) == ["sari@upt.test"]


def test_a_rolled_back_intake_sends_nothing(smtp_server, facility, members):
    with pytest.raises(RuntimeError), transaction.atomic():
        _file(facility)
        raise RuntimeError
    assert queued("send_notification") == []


def test_the_intake_request_never_talks_to_the_mail_server(
    client, smtp_server, intake_data, members, settings, monkeypatch
):
    # Nothing listens on this port: a request that tried to send would fail.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_PORT = closed
    connects = []
    real_connect = smtplib.SMTP.connect
    monkeypatch.setattr(
        smtplib.SMTP, "connect", lambda self, *a, **k: connects.append(a) or real_connect(self, *a, **k)
    )
    assert client.post("/lapor/", intake_data).status_code == 302
    assert connects == [] and Report.objects.count() == 1
    assert len(queued("send_notification")) == 1
    # Later, with the server back, the queue sends it.
    settings.EMAIL_PORT = smtp_server.port
    run_queued_tasks()
    assert _recipients(smtp_server) == ["agus@upt.test", "sari@upt.test"]


# --- The reporter writes or adds evidence -----------------------------------------------------------


def _open(client, code):
    assert client.post("/lapor/cek/", {"code": code}).status_code == 302


def test_each_message_from_the_reporter_is_announced_once_and_a_replay_is_not(
    client, smtp_server, facility, members, kanwil
):
    report, code = rf.report_with_code(facility=facility)
    _open(client, code)
    assert client.post("/lapor/cek/pesan/", {"body": "Unggahan itu dihapus kemarin oleh Pak Dedi."}).status_code == 302
    assert client.post("/lapor/cek/pesan/", {"body": "Unggahan itu dihapus kemarin oleh Pak Dedi."}).status_code == 302
    run_queued_tasks()
    assert _recipients(smtp_server) == ["agus@upt.test", "sari@upt.test"]
    assert Message.objects.filter(report=report).count() == 2  # both are kept; the replay is not announced
    message = smtp_server.messages[0]
    assert "Pesan baru" in message.subject and report.reference in message.subject
    assert "dihapus" not in message.body and "Dedi" not in message.body
    assert f"{settings.SITE_URL}/laporan/{report.pk}/" in message.body
    assert SentNotification.objects.filter(kind=Notification.REPORT_MESSAGE).count() == 2

    assert client.post("/lapor/cek/pesan/", {"body": "Ada saksi lain: rekan satu regu."}).status_code == 302
    run_queued_tasks()
    assert len(smtp_server.messages) == 4
    assert all("saksi" not in m.body for m in smtp_server.messages)


def test_the_same_text_sent_again_later_is_a_new_message(smtp_server, facility, members):
    report = rf.ReportFactory(facility=facility)
    first = actions.add_reporter_message(report, "Ada perkembangan?")
    Message.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    actions.add_reporter_message(report, "Ada perkembangan?")
    run_queued_tasks()
    assert len(smtp_server.messages) == 4


def test_evidence_from_the_reporter_is_announced_once_per_batch_without_the_files(
    client, smtp_server, facility, members
):
    report, code = rf.report_with_code(facility=facility)
    _open(client, code)
    for _ in range(2):  # the same upload, sent twice
        post = {"evidence": rf.jpeg_upload("bukti-grup-dedi.jpg", color="blue")}
        assert client.post("/lapor/cek/bukti/", post).status_code == 302
    run_queued_tasks()
    assert _recipients(smtp_server) == ["agus@upt.test", "sari@upt.test"]
    message = smtp_server.messages[0]
    assert "Bukti baru" in message.subject and "1 berkas bukti" in message.body
    for text in (message.subject, message.body, message.message.as_string()):
        assert "bukti-grup-dedi" not in text
        for evidence in report.evidence.all():
            assert evidence.file.name not in text and evidence.sha256 not in text
    # Another picture is another batch.
    post = {"evidence": rf.jpeg_upload("lain.jpg", color="green")}
    assert client.post("/lapor/cek/bukti/", post).status_code == 302
    run_queued_tasks()
    assert len(smtp_server.messages) == 4


def test_the_reporter_writing_on_a_kanwil_case_tells_the_kanwil(smtp_server, facility, task_force, members, kanwil):
    suspect = _suspect_member(facility, task_force)
    report = rf.ReportFactory(facility=facility, reported_employee=suspect)
    actions.add_reporter_message(report, "Tambahan keterangan.")
    run_queued_tasks()
    assert _recipients(smtp_server) == ["kanwil@jateng.test"]


# --- Deadlines --------------------------------------------------------------------------------------


def _aged(facility, days: float, **kwargs) -> Report:
    return rf.ReportFactory(facility=facility, created_at=timezone.now() - dt.timedelta(days=days), **kwargs)


def _run_periodic() -> str:
    """`manage.py run_periodic`, as cron runs it."""
    out = io.StringIO()
    call_command("run_periodic", stdout=out)
    return out.getvalue()


def _periodic() -> None:
    """A run of the periodic checks, then of the queue."""
    _run_periodic()
    run_queued_tasks()


def _subjects(server) -> list[str]:
    return sorted(message.subject for message in server.messages)


def test_deadlines_nearing_and_passing_are_announced_once_each(smtp_server, facility, members, kanwil):
    assert settings.REPORT_DEADLINE_WARNING_DAYS == 2
    fresh = _aged(facility, 1)  # nothing due yet
    ack_near = _aged(facility, 5.5)
    ack_past = _aged(facility, 8)
    answered_near = _aged(facility, 28.5, acknowledged_at=timezone.now() - dt.timedelta(days=27))
    both_past = _aged(facility, 31)
    closed = _aged(
        facility,
        40,
        state=State.REJECTED,
        rejection_reason="Bukan pelanggaran.",
        closed_at=timezone.now() - dt.timedelta(days=35),
    )
    _periodic()
    sent = {(m.recipients[0], m.subject) for m in smtp_server.messages}
    assert {r for r, _s in sent} == {"agus@upt.test", "sari@upt.test"}
    subjects = sorted(s for r, s in sent if r == "agus@upt.test")
    prefix = settings.EMAIL_SUBJECT_PREFIX
    assert subjects == sorted(
        [
            f"{prefix}Tenggat mendekat: tanggapan awal laporan {ack_near.reference} ({facility.name})",
            f"{prefix}Tenggat terlewati: tanggapan awal laporan {ack_past.reference} ({facility.name})",
            f"{prefix}Tenggat mendekat: jawaban laporan {answered_near.reference} ({facility.name})",
            f"{prefix}Tenggat terlewati: tanggapan awal laporan {both_past.reference} ({facility.name})",
            f"{prefix}Tenggat terlewati: jawaban laporan {both_past.reference} ({facility.name})",
        ]
    )
    assert not any(fresh.reference in s or closed.reference in s for s in subjects)
    body = next(m.body for m in smtp_server.messages if ack_near.reference in m.subject)
    assert "Tenggatnya jatuh pada" in body and f"/laporan/{ack_near.pk}/" in body and SECRET_TEXT not in body
    assert len(smtp_server.messages) == 10

    # Run again (cron every few minutes): nothing is sent twice, and nothing is even queued.
    _periodic()
    assert len(smtp_server.messages) == 10
    _run_periodic()
    assert queued("send_notification") == []

    # Time passes: the nearing acknowledgement is now past, which is a new occasion, told once.
    Report.objects.filter(pk=ack_near.pk).update(created_at=timezone.now() - dt.timedelta(days=7, hours=1))
    _periodic()
    _periodic()
    assert len(smtp_server.messages) == 12
    assert (
        sum(f"terlewati: tanggapan awal laporan {ack_near.reference}" in m.subject for m in smtp_server.messages) == 2
    )


def test_runs_while_the_email_waits_in_the_queue_do_not_queue_it_again(smtp_server, facility, members):
    _aged(facility, 8)
    for _ in range(3):
        _run_periodic()
    assert len(queued("send_notification")) == 1
    run_queued_tasks()
    assert _recipients(smtp_server) == ["agus@upt.test", "sari@upt.test"]


def test_an_email_the_mail_server_never_took_is_queued_again_later(smtp_server, facility, members):
    report = _aged(facility, 8)
    smtp_server.refuse()
    _run_periodic()
    run_queued_tasks()
    assert smtp_server.messages == [] and not SentNotification.objects.exists()
    # accounts.notify retries later, and in the end gives up: its retry is gone.
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()
    retry.delete()
    smtp_server.refuse(False)
    _run_periodic()
    assert DBTaskResult.objects.filter(status="READY").count() == 0  # too early to try again
    notice = DeadlineNotice.objects.get(report=report, occasion="ack:past")
    notice.queued_at -= REQUEUE_AFTER
    notice.save()
    _periodic()
    assert _recipients(smtp_server) == ["agus@upt.test", "sari@upt.test"]
    _periodic()
    assert len(smtp_server.messages) == 2


def test_a_deadline_email_goes_to_whoever_handles_the_case_at_that_moment(
    smtp_server, facility, task_force, members, kanwil
):
    report = _aged(facility, 8)
    suspect = _suspect_member(facility, task_force)
    actions.set_reported_employee(kanwil, report, suspect)  # now the Kanwil's case
    _with_email(suspect.user, "dedi@upt.test")
    _periodic()
    assert _recipients(smtp_server) == ["kanwil@jateng.test"]


def test_an_acknowledged_case_is_not_told_about_the_acknowledgement(smtp_server, facility, members):
    report = _aged(facility, 6)
    actions.add_handler_message(members[0], report, "Laporan Anda kami terima.")
    _periodic()
    assert smtp_server.messages == []


def test_a_case_whose_handlers_cannot_get_email_is_not_queued_again_and_again(smtp_server, facility, members):
    for member in members[:2]:
        set_preferences(member, [])
    _aged(facility, 8)
    _run_periodic()
    assert queued("send_notification") == []
    # One of them turns it on again: the next run tells them.
    set_preferences(members[0], Notification.values)
    _periodic()
    assert _recipients(smtp_server) == ["agus@upt.test"]


def test_the_deadline_check_does_not_query_per_report(
    smtp_server, facility, sibling_facility, task_force, members, kanwil
):
    def selects(count: int) -> int:
        Report.objects.all().delete()
        for n in range(count):
            _aged(facility if n % 2 else sibling_facility, 8)
        with CaptureQueriesContext(connection) as queries:
            outcome = check_deadlines()
        assert outcome["ack:past"] == count
        SentNotification.objects.all().delete()
        return sum(1 for q in queries if q["sql"].lstrip().upper().startswith(("SELECT", "DECLARE")))

    assert selects(3) == selects(40)


# --- The last check before sending (accounts.notify's still_due) -----------------------------------------


def test_a_member_replaced_after_the_email_was_queued_is_not_told(smtp_server, facility, task_force, members):
    _file(facility)
    replaced = members[1]
    task_force.memberships.filter(employee__user=replaced).update(end_date=dt.date(2024, 12, 1))
    run_queued_tasks()
    assert _recipients(smtp_server) == ["agus@upt.test"]


def test_a_case_that_became_the_kanwils_after_queueing_is_not_told_to_the_task_force(
    smtp_server, facility, task_force, members, kanwil
):
    report = _file(facility)
    suspect = _suspect_member(facility, task_force)
    actions.set_reported_employee(kanwil, report, suspect)
    run_queued_tasks()  # the intake email was queued for the task force, which no longer handles the case
    assert "agus@upt.test" not in _recipients(smtp_server)
    assert "sari@upt.test" not in _recipients(smtp_server)


def test_a_deadline_met_after_the_email_was_queued_is_not_told(smtp_server, facility, members):
    report = _aged(facility, 8)
    _run_periodic()
    assert len(queued("send_notification")) == 1
    actions.add_handler_message(members[0], report, "Laporan Anda kami terima.")
    run_queued_tasks()
    assert smtp_server.messages == []


def test_the_preferences_page_offers_report_emails_to_handlers_only(client, facility, members, staff, kanwil):
    from accounts.notify import kinds_for

    assert Notification.REPORT_NEW in kinds_for(members[0])
    assert Notification.REPORT_DEADLINE in kinds_for(kanwil)
    assert Notification.REPORT_NEW not in kinds_for(staff)
