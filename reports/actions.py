"""State changes of violation reports. Views call these; they never save reports themselves.

Handler actions are audited with `accounts.audit.record`. The reporter's own
actions (intake, messages, evidence) are not: an audit row would tie an
anonymous reporter to a time and nothing more useful, and the report's own
timeline already records them. They do tell the handlers, by email queued in
the same transaction (reports.notifications).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from core.uploads import storage_name
from facilities.models import Employee, Facility
from reports import notifications
from reports.models import (
    RESPONSE_STATES,
    SANCTION_TRACK,
    TRANSITIONS,
    AccessLog,
    Evidence,
    Handling,
    Message,
    Outcome,
    Report,
    ReportEvent,
    State,
    generate_receipt_code,
    hash_receipt_code,
)
from reports.sanitize import strip_metadata


def _store_evidence(report: Report, uploads: Iterable) -> list[Evidence]:
    stored = []
    for upload in uploads:
        upload.seek(0)
        content = strip_metadata(upload.read(), upload.kind)
        evidence = Evidence(
            report=report,
            kind=upload.kind,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        evidence.file.save(storage_name(upload.kind), ContentFile(content), save=False)
        evidence.save()
        stored.append(evidence)
    return stored


@transaction.atomic
def submit_report(
    *,
    facility: Facility,
    reported_employee: Employee | None,
    reported_description: str,
    category: str,
    election_type: str,
    stage: str,
    occurred_on,
    occurred_place: str,
    description: str,
    is_anonymous: bool = True,
    reporter_name: str = "",
    reporter_contact: str = "",
    evidence: Iterable = (),
    receipt_code: str | None = None,
) -> tuple[Report, str]:
    """File a report; returns it with the plain receipt code, which is shown once and never stored."""
    if reported_employee is not None and reported_employee.facility_id != facility.pk:
        raise ValidationError(_("Pegawai yang dilaporkan tidak terdaftar di UPT ini."))
    code = receipt_code or generate_receipt_code()
    report = Report.objects.create(
        facility=facility,
        reported_employee=reported_employee,
        reported_description=reported_description,
        category=category,
        election_type=election_type,
        stage=stage,
        occurred_on=occurred_on,
        occurred_place=occurred_place,
        description=description,
        is_anonymous=is_anonymous,
        reporter_name="" if is_anonymous else reporter_name,
        reporter_contact="" if is_anonymous else reporter_contact,
        receipt_hash=hash_receipt_code(code),
    )
    ReportEvent.objects.create(report=report, created_at=report.created_at, to_state=State.RECEIVED)
    _store_evidence(report, evidence)
    notifications.report_filed(report)
    return report, code


def find_report_by_code(code: str) -> Report | None:
    return (
        Report.objects.select_related("facility__regional_office__ministry")
        .filter(receipt_hash=hash_receipt_code(code))
        .first()
    )


@transaction.atomic
def add_reporter_message(report: Report, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError(_("Pesan tidak boleh kosong."))
    message = Message.objects.create(report=report, from_reporter=True, body=body)
    notifications.reporter_wrote(message)
    return message


@transaction.atomic
def add_reporter_evidence(report: Report, uploads: Iterable) -> list[Evidence]:
    if not report.is_open:
        raise ValidationError(_("Laporan ini sudah ditutup; bukti tidak dapat ditambahkan lagi."))
    stored = _store_evidence(report, uploads)
    notifications.reporter_added_evidence(report, stored)
    return stored


@transaction.atomic
def add_handler_message(actor: User, report: Report, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ValidationError(_("Pesan tidak boleh kosong."))
    message = Message.objects.create(report=report, author=actor, body=body)
    Report.objects.filter(pk=report.pk, acknowledged_at__isnull=True).update(acknowledged_at=message.created_at)
    audit.record(actor, "report.message_sent", report, facility=report.facility)
    return message


def _check_transition(report: Report, to_state: str, fields: dict) -> None:
    if to_state not in TRANSITIONS[report.state]:
        raise ValidationError(
            _("Status %(from)s tidak dapat diubah menjadi %(to)s.")
            % {"from": State(report.state).label, "to": State(to_state).label if to_state in State.values else to_state}
        )
    if to_state == State.FORWARDED and not fields.get("forwarded_to"):
        raise ValidationError(_("Pilih ke mana laporan diteruskan."))
    if to_state == State.REJECTED and not (fields.get("rejection_reason") or "").strip():
        raise ValidationError(_("Tuliskan alasan penolakan."))
    if to_state == State.CONCLUDED:
        outcome = fields.get("outcome")
        if outcome not in Outcome.values:
            raise ValidationError(_("Pilih hasil pemeriksaan: terbukti atau tidak terbukti."))
        sanction, track = fields.get("sanction") or "", fields.get("track") or ""
        if outcome == Outcome.PROVEN:
            if not sanction or not track:
                raise ValidationError(_("Laporan yang terbukti memerlukan jalur dan rekomendasi sanksi."))
            if SANCTION_TRACK.get(sanction) != track:
                raise ValidationError(_("Rekomendasi sanksi tidak sesuai dengan jalur yang dipilih."))
        elif sanction or track:
            raise ValidationError(_("Laporan yang tidak terbukti tidak diberi rekomendasi sanksi."))


@transaction.atomic
def transition(
    actor: User,
    report: Report,
    to_state: str,
    *,
    public_note: str = "",
    internal_note: str = "",
    forwarded_to: str = "",
    outcome: str = "",
    track: str = "",
    sanction: str = "",
    rejection_reason: str = "",
) -> Report:
    """Move a case one step; records who, when and the notes on the timeline and in the audit trail."""
    report = Report.objects.select_for_update().select_related("facility").get(pk=report.pk)
    fields = {
        "forwarded_to": forwarded_to,
        "outcome": outcome,
        "track": track,
        "sanction": sanction,
        "rejection_reason": rejection_reason,
    }
    _check_transition(report, to_state, fields)
    now = timezone.now()
    from_state = report.state
    report.state = to_state
    report.acknowledged_at = report.acknowledged_at or now
    if to_state in RESPONSE_STATES:
        report.responded_at = report.responded_at or now
    if to_state == State.FORWARDED:
        report.forwarded_to = forwarded_to
    if to_state == State.CONCLUDED:
        report.outcome, report.track, report.sanction = outcome, track, sanction
        report.closed_at = now
    if to_state == State.REJECTED:
        report.rejection_reason = rejection_reason.strip()
        report.closed_at = now
    report.save()
    ReportEvent.objects.create(
        report=report,
        created_at=now,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        public_note=public_note.strip(),
        internal_note=internal_note.strip(),
    )
    audit.record(
        actor,
        f"report.{to_state}",
        report,
        facility=report.facility,
        from_state=from_state,
        **{key: value for key, value in fields.items() if value and key != "rejection_reason"},
    )
    return report


@transaction.atomic
def set_reported_employee(actor: User, report: Report, employee: Employee | None) -> Report:
    """A handler names (or changes, or clears) the reported employee from the facility's roster while the
    case is open, e.g. once verification has found who the description means. Who may then see the
    report follows at once (reports.access)."""
    report = Report.objects.select_for_update().select_related("facility").get(pk=report.pk)
    if not report.is_open:
        raise ValidationError(_("Laporan ini sudah ditutup; terlapor tidak dapat diubah lagi."))
    if employee is not None and (employee.facility_id != report.facility_id or not employee.is_active):
        raise ValidationError(_("Pilih pegawai aktif %(facility)s.") % {"facility": report.facility.name})
    if employee is None and not report.reported_description.strip():
        raise ValidationError(
            _("Laporan ini tidak memuat ciri-ciri terlapor; terlapor hanya dapat diganti, tidak dikosongkan.")
        )
    new_id = employee.pk if employee is not None else None
    if new_id == report.reported_employee_id:
        raise ValidationError(_("Terlapor itu sudah tercatat pada laporan ini."))
    previous = report.reported_employee_id
    report.reported_employee = employee
    report.save(update_fields=["reported_employee", "updated_at"])
    audit.record(
        actor, "report.reported_employee_set", report, facility=report.facility, previous=previous, employee=new_id
    )
    return report


@transaction.atomic
def set_handling(actor: User, report: Report, handling: str, reason: str = "") -> Report:
    """The regional office's decision on who handles the case: the rule, the task force, or the Kanwil alone."""
    report = Report.objects.select_for_update().select_related("facility").get(pk=report.pk)
    if handling not in Handling.values:
        raise ValidationError(_("Pilih salah satu keputusan penanganan."))
    reason = reason.strip()
    if handling != Handling.RULE and not reason:
        raise ValidationError(_("Tuliskan alasan keputusan ini."))
    previous = report.handling
    report.handling = handling
    report.handling_reason = reason
    report.handling_decided_by = actor
    report.handling_decided_at = timezone.now()
    report.save(
        update_fields=["handling", "handling_reason", "handling_decided_by", "handling_decided_at", "updated_at"]
    )
    audit.record(
        actor,
        "report.handling_set",
        report,
        facility=report.facility,
        handling=handling,
        previous=previous,
        reason=reason,
    )
    return report


@transaction.atomic
def log_access(user: User, report: Report, evidence: Evidence | None = None) -> AccessLog:
    action = AccessLog.Action.DOWNLOADED if evidence is not None else AccessLog.Action.OPENED
    return AccessLog.objects.create(report=report, user=user, action=action, evidence=evidence)
