"""Audited changes to facilities and rosters. Views and forms call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import actions as account_actions
from accounts import audit
from accounts.models import ActivationCode, Role, User
from core import jobs
from facilities import access, roster
from facilities.models import Employee, Facility, Ministry, Placement, RegionalOffice, RosterApply, RosterImport


@transaction.atomic
def save_facility(actor: User, facility: Facility) -> Facility:
    created = facility.pk is None
    facility.save()
    audit.record(actor, "facility.created" if created else "facility.updated", facility, facility=facility)
    return facility


@transaction.atomic
def create_employee(actor: User, employee: Employee) -> Employee:
    employee.save()
    Placement.objects.create(employee=employee, facility=employee.facility, start_date=timezone.localdate())
    audit.record(actor, "employee.created", employee, facility=employee.facility, identifier=employee.identifier)
    return employee


class StaleEdit(ValidationError):
    """Someone else saved the record after the form was opened; `version` is the current one."""

    def __init__(self, message: str, version: str):
        super().__init__(message, code="stale")
        self.version = version


@transaction.atomic
def update_employee(actor: User, employee: Employee, changed: list[str], loaded_version: str = "") -> Employee:
    current = Employee.objects.select_for_update().only("updated_at").get(pk=employee.pk).updated_at.isoformat()
    if loaded_version and loaded_version != current:
        raise StaleEdit(
            _(
                "Data pegawai ini diubah orang lain (atau oleh impor daftar pegawai) setelah Anda membuka formulir. "
                "Isian Anda belum disimpan dan masih ada di bawah; buka data pegawai di tab lain untuk melihat "
                "perubahannya, lalu simpan lagi bila isian Anda tetap benar."
            ),
            current,
        )
    employee.save()
    audit.record(actor, "employee.updated", employee, facility=employee.facility, fields=changed)
    return employee


@transaction.atomic
def set_employee_active(actor: User, employee: Employee, active: bool) -> Employee:
    """Deactivating keeps the record (history, signatures) but ends the login."""
    employee = Employee.objects.select_for_update(of=("self",)).select_related("user", "facility").get(pk=employee.pk)
    employee.is_active = active
    employee.save(update_fields=["is_active", "updated_at"])
    # The login ends only where the actor may manage that account: a roster
    # record linked to an admin's login must not let a head lock the admin out.
    if employee.user_id and not active and access.can_manage_user(actor, employee.user):
        User.objects.filter(pk=employee.user_id).update(is_active=False)
        ActivationCode.objects.usable().filter(user_id=employee.user_id).update(revoked_at=timezone.now())
    audit.record(
        actor, "employee.activated" if active else "employee.deactivated", employee, facility=employee.facility
    )
    return employee


@transaction.atomic
def transfer_employee(actor: User, employee: Employee, to: Facility, date: dt.date, note: str = "") -> Employee:
    """Mutasi: one employee record, its placement history extended; the old UPT no longer lists them."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.facility_id == to.pk:
        raise ValidationError(_("Pegawai sudah berada di UPT tersebut."))
    source = employee.facility
    current = employee.placements.filter(end_date__isnull=True).first()
    if current is not None:
        current.end_date = date
        current.save(update_fields=["end_date"])
    Placement.objects.create(employee=employee, facility=to, start_date=date, note=note)
    employee.facility = to
    employee.save(update_fields=["facility", "updated_at"])
    if source.head_id == employee.pk:
        Facility.objects.filter(pk=source.pk).update(head=None)
    if employee.user_id:
        # A head who moves on stops managing the UPT they left.
        User.objects.filter(pk=employee.user_id, role=Role.FACILITY_HEAD, facility=source).update(
            role=Role.STAFF, facility=None
        )
    audit.record(actor, "employee.transferred", employee, facility=source, to=to.pk, date=date.isoformat(), note=note)
    return employee


def stage_roster_import(actor: User, facility: Facility, filename: str, content: bytes, kind: str) -> RosterImport:
    """Read and check an uploaded roster; nothing changes until `apply_roster_import`."""
    rows = roster.read(content, kind)
    return RosterImport.objects.create(
        facility=facility,
        created_by=actor,
        filename=filename[:255],
        rows=[{"row": r.row, "data": r.data, "errors": r.errors} for r in rows],
    )


def rows_of(roster_import: RosterImport) -> list[roster.RowResult]:
    return [roster.RowResult(row=r["row"], data=r["data"], errors=list(r["errors"])) for r in roster_import.rows]


# Rows written per statement. Each batch is a point where a queued import reports its progress, and
# it bounds the statement (a CASE branch per row and field in a bulk_update).
APPLY_BATCH_ROWS = 500


def _locked_import(pk: int) -> RosterImport:
    """The import's row, locked against another confirm, cancel or apply until the transaction ends.

    FOR NO KEY UPDATE, not FOR UPDATE: a write to its RosterApply row checks the foreign key at
    commit with a key-share lock on this row, and a background apply holds this lock for its whole
    transaction while it writes its progress to that job row through another connection. With FOR
    UPDATE, a reaper taking the job over mid-apply would wait at its commit for the apply, and the
    apply's next beat for the reaper: a wait across two connections of one thread, which PostgreSQL
    can neither see nor break (tests/facilities/test_roster_import_queue.py, "taken over midway").
    """
    return RosterImport.objects.select_for_update(no_key=True).get(pk=pk)


def _not_pending(roster_import: RosterImport) -> ValidationError:
    if roster_import.status == RosterImport.Status.QUEUED:
        return ValidationError(_("Impor ini sedang diterapkan."))
    return ValidationError(_("Impor ini sudah diterapkan atau dibatalkan."))


def _batches(items: Sequence):
    for start in range(0, len(items), APPLY_BATCH_ROWS):
        yield items[start : start + APPLY_BATCH_ROWS]


def _apply(actor: User | None, locked: RosterImport, progress: Callable[[int], None]) -> dict:
    """Write the good rows of a locked import, in the caller's transaction; `progress(rows done)`."""
    facility = locked.facility
    plan = roster.plan(facility, rows_of(locked))
    outcome = roster.outcome(plan)  # before the writes below change the employees' old values
    done = len(plan.unchanged) + len(plan.errors)  # nothing to write for these
    progress(done)
    today = timezone.localdate()
    for batch in _batches(plan.creates):
        new = [Employee(facility=facility, is_active=True, **row.data) for row in batch]
        Employee.objects.bulk_create(new)
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35 alike.
        Placement.objects.bulk_create([Placement(employee=e, facility=facility, start_date=today) for e in new])
        done += len(new)
        progress(done)
    # Only the fields that changed are written, grouped by which ones: bulk_update's cost is mostly
    # Django building one CASE branch per row and field, not the database, and a re-import mostly
    # changes a field or two (bench/roster_import.py: 5,000 rows with one changed field take a third
    # of the time all six fields took).
    now = timezone.now()
    by_fields: dict[tuple[str, ...], list[Employee]] = {}
    for row, employee, fields in plan.updates:
        for name in fields:
            setattr(employee, name, True if name == "is_active" else row.data[name])
        employee.updated_at = now  # bulk_update skips auto_now
        by_fields.setdefault(tuple(fields), []).append(employee)
    for fields, employees in by_fields.items():
        for batch in _batches(employees):
            Employee.objects.bulk_update(batch, [*fields, "updated_at"])
            done += len(batch)
            progress(done)
    summary = {
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "unchanged": len(plan.unchanged),
        "errors": len(plan.errors),
    }
    locked.status = RosterImport.Status.APPLIED
    locked.applied_at = timezone.now()
    locked.summary = summary
    locked.outcome = outcome
    locked.save(update_fields=["status", "applied_at", "summary", "outcome"])
    audit.record(actor, "roster.imported", locked, facility=facility, filename=locked.filename, **summary)
    return summary


@transaction.atomic
def apply_roster_import(actor: User, roster_import: RosterImport) -> dict:
    """Apply the good rows of a staged import in one transaction; bad rows are left out and reported."""
    locked = _locked_import(roster_import.pk)
    if locked.status != RosterImport.Status.PENDING:
        raise _not_pending(locked)
    return _apply(actor, locked, lambda done: None)


@transaction.atomic
def queue_roster_import(actor: User, roster_import: RosterImport) -> RosterApply:
    """Confirm a large import: its RosterApply job is queued on the bulk queue (facilities.tasks)."""
    locked = _locked_import(roster_import.pk)
    if locked.status != RosterImport.Status.PENDING:
        raise _not_pending(locked)
    locked.status = RosterImport.Status.QUEUED
    locked.save(update_fields=["status"])
    job = RosterApply.objects.create(roster_import=locked, requested_by=actor, total=len(locked.rows))
    # The task row is written in this transaction: it runs only if the confirmation commits.
    job.enqueue()
    audit.record(
        actor, "roster.import_queued", locked, facility=locked.facility, filename=locked.filename, rows=job.total
    )
    return job


def apply_queued_roster_import(job: RosterApply) -> None:
    """The work of a RosterApply job (core.jobs.run_job): the same apply, in one transaction.

    The rows go in together or not at all; the progress is written through the progress connection
    (RosterApply.beats_outside_transaction), so it is seen while the transaction runs. If this
    attempt loses the job (reaped as dead), its next beat raises JobLost and everything it wrote is
    rolled back; the attempt that took over waits for the import's row lock and applies it.
    """
    with transaction.atomic():
        locked = _locked_import(job.roster_import_id)
        if locked.status == RosterImport.Status.APPLIED:
            return  # an earlier attempt committed it, then lost its worker before recording the job's end
        if locked.status != RosterImport.Status.QUEUED:
            raise RuntimeError(f"roster import {locked.pk} is {locked.status}, not queued")
        # Every batch reports (at most ~10 beats for the largest file), not every few seconds: the
        # whole apply takes seconds, and a throttled beat would show nothing until the end.
        _apply(job.requested_by, locked, lambda done: job.beat(done, force=True))


@transaction.atomic
def retry_roster_apply(actor: User, job: RosterApply) -> None:
    """The "Coba lagi" button of a failed background import: the whole apply starts again."""
    locked = (
        RosterApply.objects.select_for_update(of=("self",)).select_related("roster_import__facility").get(pk=job.pk)
    )
    if locked.status != RosterApply.Status.FAILED:
        raise ValidationError(_("Impor ini tidak gagal; tidak ada yang perlu diulang."))
    error = locked.error
    jobs.retry(locked)
    roster_import = locked.roster_import
    audit.record(
        actor,
        "roster.import_retried",
        roster_import,
        facility=roster_import.facility,
        filename=roster_import.filename,
        error=error,
    )


@transaction.atomic
def cancel_roster_import(actor: User, roster_import: RosterImport) -> RosterImport:
    """Close a staged import without applying it; nothing on the roster changes."""
    locked = _locked_import(roster_import.pk)
    if locked.status != RosterImport.Status.PENDING:
        raise _not_pending(locked)
    locked.status = RosterImport.Status.CANCELLED
    locked.save(update_fields=["status"])
    audit.record(actor, "roster.import_cancelled", locked, facility=locked.facility, filename=locked.filename)
    return locked


_REFERENCE_DATA = {RegionalOffice: "regional_office", Ministry: "ministry"}


@transaction.atomic
def save_reference_data(
    actor: User, obj: RegionalOffice | Ministry, fields: Iterable[str]
) -> RegionalOffice | Ministry:
    """A Kanwil or the ministry, created or changed in the Django admin (their only editor)."""
    created = obj.pk is None
    obj.save()
    verb = "created" if created else "updated"
    audit.record(actor, f"{_REFERENCE_DATA[type(obj)]}.{verb}", obj, fields=sorted(fields))
    return obj


# --- Logins for the roster ------------------------------------------------------------


@transaction.atomic
def issue_activation_codes(actor: User, employees: Iterable[Employee]) -> list[tuple[Employee, str]]:
    """Give each employee an account (username = their identifier) and a fresh one-time code.

    Earlier unused codes stop working. The plain codes are returned once, for
    the printed slips, and never stored.
    """
    issued = []
    for employee in employees:
        if not employee.is_active:
            raise ValidationError(_("%(name)s tidak aktif; akun tidak dapat dibuat.") % {"name": employee.name})
        user = employee.user
        if user is None:
            if User.objects.filter(username=employee.identifier).exists():
                raise ValidationError(
                    _("Nama pengguna %(username)s sudah dipakai akun lain.") % {"username": employee.identifier}
                )
            user = User(username=employee.identifier, role=Role.STAFF)
            user.set_unusable_password()
            user.save()
            employee.user = user
            employee.save(update_fields=["user", "updated_at"])
        issued.append((employee, account_actions.new_activation_code(actor, user)))
        audit.record(actor, "account.code_issued", user, facility=employee.facility, employee=employee.pk)
    return issued
