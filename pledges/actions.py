"""Audited state changes of integrity pacts. Views call these; they never save pledge models themselves."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from core.jobs import retry
from core.uploads import checked_kind, storage_name
from facilities.models import Employee, Facility
from pledges import certificates, tasks
from pledges.models import BatchExport, Campaign, PactText, PaperBatch, Signature


def normalize_name(name: str) -> str:
    """Case- and space-insensitive form of a name, for the typed-name check."""
    return "".join((name or "").split()).casefold()


def name_matches(typed: str, full_name: str) -> bool:
    """The typed name must be the full name, with or without the degrees after the comma."""
    typed_norm = normalize_name(typed)
    if not typed_norm:
        return False
    return typed_norm in {normalize_name(full_name), normalize_name(full_name.split(",")[0])}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Texts and campaigns -------------------------------------------------------


def _text_fields(data: dict) -> dict:
    return {k: (data.get(k) or "").strip() for k in ("title", "intro", "clauses", "closing")}


@transaction.atomic
def create_text(actor: User, data: dict, *, key: str = "") -> PactText:
    fields = _text_fields(data)
    base = slugify(key or fields["title"])[:40] or "pakta"
    key = base
    n = 2
    while PactText.objects.filter(key=key).exists():
        key = f"{base}-{n}"
        n += 1
    text = PactText.objects.create(key=key, version=1, created_by=actor, **fields)
    audit.record(actor, "pledge.text_created", text, key=text.key, version=text.version)
    return text


@transaction.atomic
def revise_text(actor: User, text: PactText, data: dict) -> PactText:
    """Editing never touches a stored version: it writes the next version of the same text."""
    fields = _text_fields(data)
    if all(getattr(text, k) == v for k, v in fields.items()):
        raise ValidationError(_("Tidak ada perubahan pada teks; versi baru tidak dibuat."))
    # Lock the family so two editors cannot both write "version n+1".
    list(PactText.objects.select_for_update().filter(key=text.key).values_list("pk", flat=True))
    latest = PactText.objects.filter(key=text.key).aggregate(v=Max("version"))["v"] or 0
    revised = PactText.objects.create(key=text.key, version=latest + 1, created_by=actor, **fields)
    audit.record(actor, "pledge.text_revised", revised, key=revised.key, version=revised.version, previous=text.pk)
    return revised


@transaction.atomic
def create_campaign(actor: User, campaign: Campaign, facilities: Iterable[Facility] = ()) -> Campaign:
    if campaign.closes_at <= campaign.opens_at:
        raise ValidationError(_("Waktu penutupan harus sesudah waktu pembukaan."))
    if campaign.scope != Campaign.Scope.REGION:
        campaign.regional_office = None
    facilities = list(facilities)
    if campaign.scope == Campaign.Scope.FACILITIES and not facilities:
        raise ValidationError(_("Pilih minimal satu UPT untuk cakupan 'UPT tertentu'."))
    if campaign.scope == Campaign.Scope.REGION and campaign.regional_office_id is None:
        raise ValidationError(_("Pilih Kanwil untuk cakupan 'Satu Kanwil'."))
    campaign.created_by = actor
    campaign.save()
    if campaign.scope == Campaign.Scope.FACILITIES:
        campaign.facilities.set(facilities)
    audit.record(
        actor,
        "pledge.campaign_created",
        campaign,
        scope=campaign.scope,
        text=campaign.text_id,
        opens_at=campaign.opens_at.isoformat(),
        closes_at=campaign.closes_at.isoformat(),
    )
    return campaign


# --- Signing -------------------------------------------------------------------


def _check_can_sign(campaign: Campaign, employee: Employee, moment: dt.datetime) -> None:
    if not employee.is_active:
        raise ValidationError(_("Pegawai tidak aktif tidak dapat menandatangani pakta."), code="inactive")
    if moment < campaign.opens_at:
        raise ValidationError(_("Penandatanganan pakta ini belum dibuka."), code="not_open")
    if moment >= campaign.closes_at:
        raise ValidationError(_("Penandatanganan pakta ini sudah ditutup."), code="closed")
    if not campaign.covers(employee.facility):
        raise ValidationError(_("UPT Anda tidak termasuk dalam kampanye ini."), code="out_of_scope")


def _new_signature(campaign: Campaign, employee: Employee, **fields) -> Signature:
    signature = Signature(
        campaign=campaign,
        employee=employee,
        text=campaign.text,
        signer_name=employee.name,
        signer_identifier=employee.identifier,
        signer_identifier_label=employee.identifier_label,
        signer_rank=employee.rank_display,
        signer_position=employee.position,
        facility=employee.facility,
        facility_name=employee.facility.name,
        **fields,
    )
    signature.fingerprint = signature.compute_fingerprint()
    return signature


def valid_signature(campaign: Campaign, employee: Employee) -> Signature | None:
    return Signature.objects.filter(campaign=campaign, employee=employee, revoked_at__isnull=True).first()


def sign(
    actor: User,
    campaign: Campaign,
    employee: Employee,
    *,
    typed_name: str,
    consent: bool,
    ip_address: str | None,
    user_agent: str,
) -> tuple[Signature, bool]:
    """Sign online. Returns (signature, created).

    The signature and its audit event are written in one transaction. A second
    submission (double click, second tab, replayed POST, two requests at once)
    returns the signature already there: the partial unique constraint decides,
    its violation rolls that transaction back, and the existing signature is
    read afterwards. There is deliberately no "already signed?" query before
    the insert: the constraint answers that question on the hot path for free.
    Called outside a transaction (a request), that is BEGIN, three INSERTs
    (the signature, its audit event, the queued certificate render), COMMIT;
    inside one, the block is a savepoint and the caller's work survives a
    double submit. The certificate is rendered by a worker a moment later
    (pledges.tasks), never in this request; a refused double submit rolls its
    queued render back with it.
    """
    if employee.user_id != actor.pk:
        raise ValidationError(_("Pakta hanya dapat ditandatangani oleh pegawai yang bersangkutan."), code="not_self")
    now = timezone.now()
    try:
        _check_can_sign(campaign, employee, now)
        if not consent:
            raise ValidationError(_("Centang pernyataan persetujuan untuk menandatangani."), code="no_consent")
        if not name_matches(typed_name, employee.name):
            raise ValidationError(_("Nama yang diketik tidak sama dengan nama Anda pada data pegawai."), code="name")
    except ValidationError:
        # A replay after closing (or of an odd form) still finds the signature made before.
        existing = valid_signature(campaign, employee)
        if existing is not None:
            return existing, False
        raise
    signature = _new_signature(
        campaign,
        employee,
        method=Signature.Method.ONLINE,
        signed_at=now,
        typed_name=typed_name.strip()[:200],
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:400],
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            signature.save()
            audit.record(
                actor, "pledge.signed", signature, facility=signature.facility, campaign=campaign.pk, method="online"
            )
            tasks.queue_certificate(signature.pk)
    except IntegrityError:
        existing = valid_signature(campaign, employee)
        if existing is None:
            raise
        return existing, False
    return signature, True


@transaction.atomic
def revoke(actor: User, signature: Signature, reason: str) -> Signature:
    """Revoke a signature. Nothing is rendered: a stored certificate stays the file that was issued
    (the verification page and the check of an uploaded file show it as revoked), and one not made
    yet is never made (_issue)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Alasan pencabutan wajib diisi."), code="no_reason")
    updated = Signature.objects.filter(pk=signature.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revocation_reason=reason[:2000]
    )
    if not updated:
        raise ValidationError(_("Pakta ini sudah dicabut."), code="already_revoked")
    signature.refresh_from_db()
    audit.record(actor, "pledge.revoked", signature, facility=signature.facility, reason=reason[:500])
    return signature


@transaction.atomic
def record_paper_signatures(
    actor: User,
    campaign: Campaign,
    facility: Facility,
    employees: Iterable[Employee],
    *,
    signed_on: dt.date,
    place: str,
    scan,
) -> PaperBatch:
    """Record the staff who signed the paper sheet at a briefing, with the scan of that sheet."""
    employees = list(employees)
    if not employees:
        raise ValidationError(_("Pilih minimal satu pegawai yang hadir dan menandatangani."), code="empty")
    if not campaign.covers(facility):
        raise ValidationError(_("UPT ini tidak termasuk dalam kampanye ini."), code="out_of_scope")
    if signed_on > timezone.localdate():
        raise ValidationError(_("Tanggal penandatanganan tidak boleh di masa depan."), code="future")
    first_day = timezone.localtime(campaign.opens_at).date()
    last_day = timezone.localtime(campaign.closes_at).date()
    if not first_day <= signed_on <= last_day:
        raise ValidationError(
            _("Tanggal penandatanganan harus dalam masa kampanye (%(start)s – %(end)s).")
            % {"start": f"{first_day:%d-%m-%Y}", "end": f"{last_day:%d-%m-%Y}"},
            code="outside_window",
        )
    wrong = [e.name for e in employees if e.facility_id != facility.pk or not e.is_active]
    if wrong:
        raise ValidationError(
            _("Bukan pegawai aktif UPT ini: %(names)s.") % {"names": ", ".join(wrong)}, code="not_here"
        )
    already = set(
        Signature.objects.filter(campaign=campaign, employee__in=employees, revoked_at__isnull=True).values_list(
            "employee__name", flat=True
        )
    )
    if already:
        raise ValidationError(
            _("Sudah menandatangani: %(names)s.") % {"names": ", ".join(sorted(already))}, code="already"
        )
    scan.seek(0)
    content = scan.read()
    batch = PaperBatch(
        campaign=campaign,
        facility=facility,
        signed_on=signed_on,
        place=(place or "").strip(),
        scan_sha256=sha256_hex(content),
        recorded_by=actor,
    )
    batch.scan.save(storage_name(checked_kind(scan, {"pdf"})), ContentFile(content), save=False)
    batch.save()
    signed_at = timezone.make_aware(dt.datetime.combine(signed_on, dt.time(0, 0)))
    signatures = [
        _new_signature(
            campaign,
            employee,
            method=Signature.Method.PAPER,
            signed_at=signed_at,
            paper_batch=batch,
            recorded_by=actor,
        )
        for employee in employees
    ]
    try:
        with transaction.atomic():
            Signature.objects.bulk_create(signatures)
    except IntegrityError:
        raise ValidationError(
            _("Sebagian pegawai baru saja menandatangani pakta ini; muat ulang halaman dan coba lagi."),
            code="race",
        ) from None
    audit.record(
        actor,
        "pledge.paper_recorded",
        batch,
        facility=facility,
        campaign=campaign.pk,
        count=len(signatures),
        scan_sha256=batch.scan_sha256,
    )
    # One render per person: two workers share a batch, each certificate is ready as soon as its own
    # render is, and one that fails does not hold back the others.
    for signature in signatures:
        tasks.queue_certificate(signature.pk, priority=tasks.PAPER_PRIORITY)
    return batch


# --- Certificates and archives -------------------------------------------------


def ensure_certificate(signature: Signature) -> Signature:
    """The signature with its stored certificate, rendered now if the queue has not got to it yet.

    The certificate stays empty only for a pact revoked before its certificate was made.
    """
    if signature.certificate:
        return signature
    return _issue(signature.pk)[0]


def issue_certificate(signature_id: int) -> str:
    """Render and store a signature's certificate (the queued task); says what happened."""
    return _issue(signature_id)[1]


def _issue(signature_id: int) -> tuple[Signature, str]:
    # The row lock makes the queued task and a download that comes first (or two downloads)
    # wait for each other: the second finds the file stored and renders nothing.
    with transaction.atomic():
        locked = (
            Signature.objects.select_for_update(of=("self",))
            .select_related(*certificates.CERTIFICATE_SELECT)
            .get(pk=signature_id)
        )
        if locked.certificate:
            return locked, "stored"
        # The certificate does not show a revocation (the verification page does): one made after
        # the pact was revoked would present a void pact as valid on paper.
        if not locked.is_valid:
            return locked, "revoked"
        pdf = certificates.render_certificate(locked)
        locked.certificate.save(f"{locked.verification_code}.pdf", ContentFile(pdf), save=False)
        locked.certificate_sha256 = sha256_hex(pdf)
        locked.save(update_fields=["certificate", "certificate_sha256"])
        audit.record(
            None,
            "pledge.certificate_issued",
            locked,
            facility=locked.facility,
            sha256=locked.certificate_sha256,
        )
    return locked, "issued"


@transaction.atomic
def request_batch_export(actor: User, campaign: Campaign, facility: Facility) -> BatchExport:
    """A new archive request, queued, or the one still waiting or running for this UPT and campaign.

    The job and its task are written in this transaction: the task exists exactly when the request
    does. A job whose worker died is taken back by core.jobs (its status page, run_periodic), so an
    unfinished one is always worth waiting for.
    """
    unfinished = BatchExport.objects.filter(
        campaign=campaign, facility=facility, status__in=[BatchExport.Status.PENDING, BatchExport.Status.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished
    total = Signature.objects.filter(campaign=campaign, facility=facility, revoked_at__isnull=True).count()
    if not total:
        raise ValidationError(_("Belum ada pakta yang ditandatangani di UPT ini."), code="empty")
    try:
        with transaction.atomic():
            export = BatchExport.objects.create(campaign=campaign, facility=facility, requested_by=actor, total=total)
    except IntegrityError:
        # A simultaneous request created it first (one unfinished archive per UPT and campaign).
        return BatchExport.objects.get(
            campaign=campaign, facility=facility, status__in=[BatchExport.Status.PENDING, BatchExport.Status.RUNNING]
        )
    export.enqueue()
    audit.record(actor, "pledge.batch_requested", export, facility=facility, campaign=campaign.pk, total=total)
    return export


@transaction.atomic
def retry_batch_export(actor: User, export: BatchExport) -> BatchExport:
    """A failed archive starts again from the first page, queued in this transaction (the "try again" button).

    Returns the archive to follow: this one, or the one already under way for the same UPT and campaign.
    """
    locked = BatchExport.objects.select_for_update().get(pk=export.pk)
    if locked.status != BatchExport.Status.FAILED:
        raise ValidationError(_("Hanya cetakan yang gagal yang dapat dicoba lagi."), code="not_failed")
    # Someone asked for a new archive of this UPT meanwhile: that one is the answer, not a second.
    unfinished = BatchExport.objects.filter(
        campaign_id=locked.campaign_id,
        facility_id=locked.facility_id,
        status__in=[BatchExport.Status.PENDING, BatchExport.Status.RUNNING],
    )
    other = unfinished.first()
    if other is not None:
        return other
    error = locked.error
    try:
        retry(locked)  # its own savepoint: a simultaneous new request rolls it back whole
    except IntegrityError:
        return unfinished.get()
    audit.record(
        actor, "pledge.batch_retried", locked, facility=locked.facility, campaign=locked.campaign_id, error=error
    )
    return locked
