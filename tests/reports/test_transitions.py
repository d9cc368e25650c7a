"""Case handling: received → verifying → investigating → forwarded → concluded, or rejected."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from reports.models import Report, State
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


def _post(client, report, target, **data):
    prefixed = {f"t-{target}-{key}": value for key, value in {"target": target, **data}.items()}
    return client.post(f"/laporan/{report.pk}/status/{target}/", prefixed)


def _at(report, state, **fields) -> Report:
    Report.objects.filter(pk=report.pk).update(state=state, **fields)
    report.refresh_from_db()
    return report


def test_received_to_verifying_records_who_when_and_notes(client, task_force_member, report):
    client.force_login(task_force_member)
    response = _post(client, report, "verifying", public_note="Sedang kami periksa.", internal_note="Cek grup WA.")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.VERIFYING
    assert report.acknowledged_at is not None and report.responded_at is None
    event = report.events.last()
    assert (event.from_state, event.to_state, event.actor) == ("received", "verifying", task_force_member)
    assert (event.public_note, event.internal_note) == ("Sedang kami periksa.", "Cek grup WA.")
    audit = AuditEvent.objects.get(action="report.verifying")
    assert audit.actor == task_force_member and audit.object_id == str(report.pk)
    assert audit.facility == report.facility


def test_verifying_to_investigating_counts_as_the_first_response(client, task_force_member, report):
    _at(report, State.VERIFYING)
    client.force_login(task_force_member)
    assert _post(client, report, "investigating").status_code == 302
    report.refresh_from_db()
    assert report.state == State.INVESTIGATING and report.responded_at is not None


@pytest.mark.parametrize("source", [State.VERIFYING, State.INVESTIGATING])
@pytest.mark.parametrize("target", ["REGIONAL_OFFICE", "PPK", "BAWASLU"])
def test_a_case_is_forwarded_to_a_named_authority(client, regional_admin, report, source, target):
    _at(report, source)
    client.force_login(regional_admin)
    assert _post(client, report, "forwarded", forwarded_to=target).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.forwarded_to) == (State.FORWARDED, target)


def test_forwarding_needs_a_target(client, regional_admin, report):
    _at(report, State.INVESTIGATING)
    client.force_login(regional_admin)
    response = _post(client, report, "forwarded", forwarded_to="")
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == State.INVESTIGATING


@pytest.mark.parametrize("source", [State.INVESTIGATING, State.FORWARDED])
def test_a_proven_case_is_concluded_with_the_sanction_officials_chose(client, regional_admin, report, source):
    _at(report, source, forwarded_to="PPK" if source == State.FORWARDED else "")
    client.force_login(regional_admin)
    response = _post(client, report, "concluded", outcome="PROVEN", track="DISIPLIN", sanction="SEDANG_TUKIN_6")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.outcome, report.track, report.sanction) == (
        State.CONCLUDED,
        "PROVEN",
        "DISIPLIN",
        "SEDANG_TUKIN_6",
    )
    assert report.closed_at is not None and report.responded_at is not None


def test_a_proven_case_needs_a_sanction(client, regional_admin, report):
    _at(report, State.INVESTIGATING)
    client.force_login(regional_admin)
    response = _post(client, report, "concluded", outcome="PROVEN", track="", sanction="")
    assert response.status_code == 400
    assert "rekomendasi sanksi" in response.content.decode()
    report.refresh_from_db()
    assert report.state == State.INVESTIGATING


def test_a_sanction_must_belong_to_the_chosen_track(client, regional_admin, report):
    _at(report, State.INVESTIGATING)
    client.force_login(regional_admin)
    response = _post(client, report, "concluded", outcome="PROVEN", track="ETIK", sanction="BERAT_PELAKSANA")
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == State.INVESTIGATING


def test_a_case_not_proven_has_no_sanction(client, regional_admin, report):
    _at(report, State.INVESTIGATING)
    client.force_login(regional_admin)
    assert (
        _post(client, report, "concluded", outcome="NOT_PROVEN", sanction="RINGAN_LISAN", track="DISIPLIN").status_code
        == 400
    )
    assert _post(client, report, "concluded", outcome="NOT_PROVEN").status_code == 302
    report.refresh_from_db()
    assert (report.outcome, report.sanction) == ("NOT_PROVEN", "")


@pytest.mark.parametrize("source", [State.RECEIVED, State.VERIFYING, State.INVESTIGATING, State.FORWARDED])
def test_an_open_case_may_be_rejected_with_a_reason(client, task_force_member, report, source):
    _at(report, source, forwarded_to="BAWASLU" if source == State.FORWARDED else "")
    client.force_login(task_force_member)
    assert _post(client, report, "rejected", rejection_reason="").status_code == 400
    assert _post(client, report, "rejected", rejection_reason="Bukan ASN UPT ini.").status_code == 302
    report.refresh_from_db()
    assert (report.state, report.rejection_reason) == (State.REJECTED, "Bukan ASN UPT ini.")
    assert report.closed_at is not None


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (State.RECEIVED, "investigating"),
        (State.RECEIVED, "forwarded"),
        (State.RECEIVED, "concluded"),
        (State.VERIFYING, "concluded"),
        (State.VERIFYING, "received"),
        (State.INVESTIGATING, "verifying"),
        (State.FORWARDED, "investigating"),
        (State.CONCLUDED, "rejected"),
        (State.CONCLUDED, "verifying"),
        (State.REJECTED, "verifying"),
        (State.REJECTED, "concluded"),
        (State.RECEIVED, "nonsense"),
    ],
)
def test_a_step_that_is_not_allowed_changes_nothing(client, regional_admin, report, source, target):
    extra = {}
    if source == State.CONCLUDED:
        extra = {"outcome": "NOT_PROVEN", "closed_at": report.created_at}
    if source == State.REJECTED:
        extra = {"rejection_reason": "x", "closed_at": report.created_at}
    if source == State.FORWARDED:
        extra = {"forwarded_to": "PPK"}
    _at(report, source, **extra)
    client.force_login(regional_admin)
    response = _post(
        client, report, target, outcome="PROVEN", track="ETIK", sanction="MORAL_TERBUKA", forwarded_to="PPK"
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == source
    assert report.events.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_the_action_refuses_a_step_that_is_not_allowed(regional_admin, report):
    from django.core.exceptions import ValidationError

    from reports import actions

    with pytest.raises(ValidationError):
        actions.transition(regional_admin, report, State.CONCLUDED, outcome="NOT_PROVEN")


def test_a_closed_case_offers_no_further_step(client, regional_admin, report):
    _at(report, State.REJECTED, rejection_reason="x", closed_at=report.created_at)
    client.force_login(regional_admin)
    response = client.get(f"/laporan/{report.pk}/")
    assert response.context["transition_forms"] == []


def test_the_database_refuses_a_concluded_case_without_outcome(report):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(state=State.CONCLUDED)


def test_a_handler_message_acknowledges_the_report(client, task_force_member, report):
    client.force_login(task_force_member)
    response = client.post(f"/laporan/{report.pk}/pesan/", {"body": "Mohon kirim tangkapan layar."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_at is not None
    message = report.messages.get()
    assert (message.author, message.from_reporter) == (task_force_member, False)
    assert AuditEvent.objects.filter(action="report.message_sent", object_id=str(report.pk)).exists()


def test_an_empty_handler_message_is_refused(client, task_force_member, report):
    client.force_login(task_force_member)
    assert client.post(f"/laporan/{report.pk}/pesan/", {"body": "  "}).status_code == 400
    assert not report.messages.exists()


def test_a_full_case_from_intake_to_conclusion(client, regional_admin, facility):
    report = rf.ReportFactory(facility=facility)
    client.force_login(regional_admin)
    _post(client, report, "verifying")
    _post(client, report, "investigating")
    _post(client, report, "forwarded", forwarded_to="PPK")
    _post(client, report, "concluded", outcome="PROVEN", track="ETIK", sanction="MORAL_TERBUKA")
    report.refresh_from_db()
    assert report.state == State.CONCLUDED
    assert [e.to_state for e in report.events.all()] == [
        "received",
        "verifying",
        "investigating",
        "forwarded",
        "concluded",
    ]
