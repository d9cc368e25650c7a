"""Audited changes to task forces. Views call these; they never save satgas models themselves.

Every function validates (the model's rules, with Indonesian messages) before
it writes, so a ValidationError leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from core.uploads import IMAGE_KINDS, checked_kind, storage_name
from facilities.models import Employee, Facility, RegionalOffice
from satgas.forms import ATTACHMENT_KINDS
from satgas.models import Activity, Attachment, Inauguration, Membership, Period, TaskForce


def _locked(task_force: TaskForce) -> TaskForce:
    return TaskForce.objects.select_for_update().select_related("facility", "period").get(pk=task_force.pk)


@transaction.atomic
def save_period(actor: User, period: Period) -> Period:
    created = period.pk is None
    period.full_clean()
    period.save()
    audit.record(
        actor,
        "satgas.period_created" if created else "satgas.period_updated",
        period,
        name=period.name,
        start=period.start_date.isoformat(),
        end=period.end_date.isoformat(),
    )
    return period


@transaction.atomic
def create_task_force(actor: User, facility: Facility, period: Period) -> TaskForce:
    """A draft: the roster and SK come with the appointment."""
    if TaskForce.objects.filter(facility=facility, period=period).exists():
        raise ValidationError(
            _("%(facility)s sudah mempunyai Satgas untuk periode %(period)s.")
            % {"facility": facility.name, "period": period.name}
        )
    try:
        with transaction.atomic():
            task_force = TaskForce.objects.create(facility=facility, period=period)
    except IntegrityError:
        raise ValidationError(
            _("%(facility)s sudah mempunyai Satgas untuk periode %(period)s.")
            % {"facility": facility.name, "period": period.name}
        ) from None
    audit.record(actor, "satgas.created", task_force, facility=facility, period=period.pk)
    return task_force


def _set_decree(task_force: TaskForce, number: str, date: dt.date | None, signer: str, upload: UploadedFile | None):
    task_force.decree_number = (number or "").strip()
    task_force.decree_date = date
    task_force.decree_signer = (signer or "").strip()
    if upload is not None:
        task_force.decree_file.save(storage_name(checked_kind(upload, {"pdf"})), upload, save=False)


def _replace_draft_members(task_force: TaskForce, members: Sequence[tuple[Employee, str]], start: dt.date) -> None:
    # A draft roster is a working list, not history: it is rewritten whole.
    task_force.memberships.all().delete()
    Membership.objects.bulk_create(
        [
            Membership(task_force=task_force, employee=employee, role=role, start_date=start)
            for employee, role in members
        ]
    )


@transaction.atomic
def save_draft(
    actor: User,
    task_force: TaskForce,
    members: Sequence[tuple[Employee, str]],
    *,
    decree_number: str = "",
    decree_date: dt.date | None = None,
    decree_signer: str = "",
    decree_file: UploadedFile | None = None,
) -> TaskForce:
    """Keep the chosen roster and SK details of a draft without appointing it yet."""
    task_force = _locked(task_force)
    if task_force.state != TaskForce.State.DRAFT:
        raise ValidationError(_("Satgas ini sudah ditetapkan; susunannya diubah lewat penggantian anggota."))
    for employee, role in members:
        Membership(task_force=task_force, employee=employee, role=role).check_member()
    _set_decree(task_force, decree_number, decree_date, decree_signer, decree_file)
    task_force.save()
    _replace_draft_members(task_force, members, decree_date or timezone.localdate())
    audit.record(actor, "satgas.draft_saved", task_force, facility=task_force.facility, members=len(members))
    return task_force


@transaction.atomic
def appoint(
    actor: User,
    task_force: TaskForce,
    members: Sequence[tuple[Employee, str]],
    *,
    decree_number: str,
    decree_date: dt.date,
    decree_signer: str = "",
    decree_file: UploadedFile | None = None,
) -> TaskForce:
    """The facility head's decree: the roster is fixed and the members act for the task force from now on."""
    task_force = _locked(task_force)
    if task_force.state != TaskForce.State.DRAFT:
        raise ValidationError(_("Satgas ini sudah ditetapkan."))
    task_force.check_roster(members)
    errors = []
    if not (decree_number or "").strip():
        errors.append(_("Nomor SK wajib diisi untuk menetapkan Satgas."))
    if decree_date is None:
        errors.append(_("Tanggal SK wajib diisi untuk menetapkan Satgas."))
    if decree_file is None and not task_force.decree_file:
        errors.append(_("Unggah pindaian SK (PDF) untuk menetapkan Satgas."))
    if errors:
        raise ValidationError(errors)
    _set_decree(task_force, decree_number, decree_date, decree_signer, decree_file)
    task_force.state = TaskForce.State.APPOINTED
    task_force.appointed_at = timezone.now()
    task_force.save()
    _replace_draft_members(task_force, members, decree_date)
    audit.record(
        actor,
        "satgas.appointed",
        task_force,
        facility=task_force.facility,
        decree_number=task_force.decree_number,
        decree_date=decree_date.isoformat(),
        members=[{"employee": e.pk, "role": role} for e, role in members],
    )
    return task_force


@transaction.atomic
def inaugurate(
    actor: User,
    region: RegionalOffice,
    task_forces: Iterable[TaskForce],
    *,
    date: dt.date,
    place: str,
    official: str,
    photo: UploadedFile | None = None,
) -> Inauguration:
    """One pengukuhan ceremony (often online) for any number of the region's appointed task forces."""
    ids = [tf.pk for tf in task_forces]
    if not ids:
        raise ValidationError(_("Pilih minimal satu Satgas yang dikukuhkan."))
    locked = list(
        TaskForce.objects.select_for_update(of=("self",)).select_related("facility").filter(pk__in=ids).order_by("pk")
    )
    errors = []
    for task_force in locked:
        if task_force.facility.regional_office_id != region.pk:
            errors.append(_("%(facility)s bukan UPT wilayah ini.") % {"facility": task_force.facility.name})
        elif task_force.state != TaskForce.State.APPOINTED:
            errors.append(
                _(
                    "Satgas %(facility)s berstatus %(state)s; hanya Satgas yang sudah ditetapkan dengan SK dapat dikukuhkan."
                )
                % {"facility": task_force.facility.name, "state": task_force.get_state_display()}
            )
        elif task_force.decree_date and date < task_force.decree_date:
            errors.append(
                _("Tanggal pengukuhan tidak boleh sebelum tanggal SK %(facility)s (%(date)s).")
                % {"facility": task_force.facility.name, "date": task_force.decree_date.strftime("%d-%m-%Y")}
            )
    if errors:
        raise ValidationError(errors)
    inauguration = Inauguration(
        regional_office=region, date=date, place=place.strip(), official=official.strip(), recorded_by=actor
    )
    if photo is not None:
        inauguration.photo.save(storage_name(checked_kind(photo, IMAGE_KINDS)), photo, save=False)
    inauguration.save()
    for task_force in locked:
        task_force.state = TaskForce.State.INAUGURATED
        task_force.inauguration = inauguration
        task_force.save(update_fields=["state", "inauguration"])
        audit.record(
            actor, "satgas.inaugurated", task_force, facility=task_force.facility, inauguration=inauguration.pk
        )
    return inauguration


def _check_change(task_force: TaskForce, membership: Membership, date: dt.date) -> None:
    if not task_force.is_active:
        raise ValidationError(_("Susunan hanya dapat diubah pada Satgas yang sudah ditetapkan dan belum berakhir."))
    if membership.task_force_id != task_force.pk or not membership.is_current:
        raise ValidationError(_("Anggota ini sudah tidak menjabat."))
    if date < membership.start_date:
        raise ValidationError(
            _("Tanggal efektif tidak boleh sebelum anggota ini mulai menjabat (%(date)s).")
            % {"date": membership.start_date.strftime("%d-%m-%Y")}
        )
    if date > timezone.localdate():
        raise ValidationError(_("Tanggal efektif tidak boleh di masa depan."))


@transaction.atomic
def replace_member(
    actor: User, membership: Membership, employee: Employee, *, date: dt.date, reason: str, decree_reference: str
) -> Membership:
    """The old member's term ends on `date` (and with it their access); the new one takes the same role."""
    membership = Membership.objects.select_for_update().select_related("employee").get(pk=membership.pk)
    task_force = _locked(membership.task_force)
    _check_change(task_force, membership, date)
    if employee.pk == membership.employee_id:
        raise ValidationError(_("Pengganti harus orang lain."))
    if task_force.memberships.current().filter(employee=employee).exists():
        raise ValidationError(_("%(name)s sudah menjadi anggota Satgas ini.") % {"name": employee.name})
    successor = Membership(
        task_force=task_force,
        employee=employee,
        role=membership.role,
        start_date=date,
        decree_reference=decree_reference,
    )
    successor.check_member()
    _end(membership, date, reason, decree_reference)
    successor.save()
    membership.replaced_by = successor
    membership.save(update_fields=["replaced_by"])
    audit.record(
        actor,
        "satgas.member_replaced",
        membership,
        facility=task_force.facility,
        task_force=task_force.pk,
        old=membership.employee_id,
        new=employee.pk,
        role=membership.role,
        date=date.isoformat(),
        reason=membership.end_reason,
        decree_reference=membership.decree_reference,
    )
    return successor


def _end(membership: Membership, date: dt.date, reason: str, decree_reference: str) -> None:
    """Close a membership on `date` with the reason and the amending SK; the row stays on record."""
    membership.end_date = date
    membership.end_reason = reason.strip()
    membership.decree_reference = decree_reference.strip()
    membership.save(update_fields=["end_date", "end_reason", "decree_reference"])


@transaction.atomic
def remove_member(
    actor: User, membership: Membership, *, date: dt.date, reason: str, decree_reference: str
) -> Membership:
    """End a membership without a successor. The Ketua cannot be removed, only replaced."""
    membership = Membership.objects.select_for_update().select_related("employee").get(pk=membership.pk)
    task_force = _locked(membership.task_force)
    _check_change(task_force, membership, date)
    if membership.role == Membership.Role.KETUA:
        raise ValidationError(_("Ketua tidak dapat diberhentikan tanpa pengganti; gunakan Ganti anggota."))
    _end(membership, date, reason, decree_reference)
    audit.record(
        actor,
        "satgas.member_removed",
        membership,
        facility=task_force.facility,
        task_force=task_force.pk,
        employee=membership.employee_id,
        date=date.isoformat(),
        reason=membership.end_reason,
        decree_reference=membership.decree_reference,
    )
    return membership


@transaction.atomic
def add_member(
    actor: User,
    task_force: TaskForce,
    employee: Employee,
    role: str,
    *,
    date: dt.date,
    decree_reference: str,
    reason: str = "",
) -> Membership:
    """A new member appointed by an amending SK, within the maximum size."""
    from django.conf import settings

    task_force = _locked(task_force)
    if not task_force.is_active:
        raise ValidationError(_("Susunan hanya dapat diubah pada Satgas yang sudah ditetapkan dan belum berakhir."))
    if date > timezone.localdate():
        raise ValidationError(_("Tanggal efektif tidak boleh di masa depan."))
    current = list(task_force.memberships.current().select_related("employee"))
    members = [(m.employee, m.role) for m in current] + [(employee, role)]
    if len(members) > settings.SATGAS_MAX_MEMBERS:
        raise ValidationError(
            _("Anggota Satgas paling banyak %(max)d orang; Satgas ini sudah beranggota %(n)d orang.")
            % {"max": settings.SATGAS_MAX_MEMBERS, "n": len(current)}
        )
    task_force.check_roster(members)
    membership = Membership.objects.create(
        task_force=task_force, employee=employee, role=role, start_date=date, decree_reference=decree_reference.strip()
    )
    audit.record(
        actor,
        "satgas.member_added",
        membership,
        facility=task_force.facility,
        task_force=task_force.pk,
        employee=employee.pk,
        role=role,
        date=date.isoformat(),
        decree_reference=decree_reference,
        note=reason,
    )
    return membership


@transaction.atomic
def end_task_force(actor: User, task_force: TaskForce, *, reason: str) -> TaskForce:
    """The task force's term is over: every current membership ends today, and with it the members' access."""
    task_force = _locked(task_force)
    if task_force.state == TaskForce.State.ENDED:
        raise ValidationError(_("Satgas ini sudah berakhir."))
    today = timezone.localdate()
    for membership in task_force.memberships.current():
        membership.end_date = max(today, membership.start_date)
        membership.end_reason = reason.strip()
        membership.save(update_fields=["end_date", "end_reason"])
    previous = task_force.state
    task_force.state = TaskForce.State.ENDED
    task_force.ended_at = timezone.now()
    task_force.save(update_fields=["state", "ended_at"])
    audit.record(actor, "satgas.ended", task_force, facility=task_force.facility, previous=previous, reason=reason)
    return task_force


def _check_activity(task_force: TaskForce, participants: Iterable[Employee]) -> None:
    if not task_force.is_active:
        raise ValidationError(_("Kegiatan hanya dapat dicatat untuk Satgas yang sudah ditetapkan dan belum berakhir."))
    strangers = [e.name for e in participants if e.facility_id != task_force.facility_id]
    if strangers:
        raise ValidationError(
            _("Peserta harus pegawai %(facility)s: %(names)s.")
            % {"facility": task_force.facility.name, "names": ", ".join(strangers)}
        )


def _attach(actor: User, activity: Activity, uploads: Iterable[UploadedFile]) -> list[Attachment]:
    attachments = []
    for upload in uploads:
        kind = checked_kind(upload, ATTACHMENT_KINDS)
        attachment = Attachment(activity=activity, kind=kind, size=upload.size or 0, uploaded_by=actor)
        attachment.file.save(storage_name(kind), upload, save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments


@transaction.atomic
def record_activity(
    actor: User,
    task_force: TaskForce,
    activity: Activity,
    participants: Iterable[Employee] = (),
    attachments: Iterable[UploadedFile] = (),
) -> Activity:
    """A new activity (with its participants and checked attachments) of an active task force."""
    task_force = _locked(task_force)
    participants = list(participants)
    _check_activity(task_force, participants)
    activity.task_force = task_force
    activity.recorded_by = actor
    activity.save()
    activity.participants.set(participants)
    files = _attach(actor, activity, attachments)
    audit.record(
        actor,
        "satgas.activity_recorded",
        activity,
        facility=task_force.facility,
        task_force=task_force.pk,
        kind=activity.kind,
        kind_other=activity.kind_other,
        date=activity.date.isoformat(),
        participants=len(participants),
        attachments=len(files),
    )
    return activity


@transaction.atomic
def update_activity(
    actor: User,
    activity: Activity,
    changed: list[str],
    participants: Iterable[Employee] = (),
    attachments: Iterable[UploadedFile] = (),
) -> Activity:
    task_force = _locked(activity.task_force)
    participants = list(participants)
    _check_activity(task_force, participants)
    activity.save()
    activity.participants.set(participants)
    files = _attach(actor, activity, attachments)
    audit.record(
        actor,
        "satgas.activity_updated",
        activity,
        facility=task_force.facility,
        task_force=task_force.pk,
        fields=changed,
        attachments_added=len(files),
    )
    return activity
