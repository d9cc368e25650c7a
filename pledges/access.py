"""Who may see and change integrity pacts: texts, campaigns, signatures, paper batches, archives.

Texts and campaigns are national business; a signature is seen by its signer
and by whoever manages the UPT it was signed at (head, Kanwil, national).
Built on the user's scope (accounts.scope) and the organisation's rules
(facilities.access); objects outside a user's reach are answered with 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.scope import Level, scope_of
from facilities import access as facilities_access
from facilities.models import Employee, Facility
from pledges.models import BatchExport, Campaign, PaperBatch, Signature


def can_manage_pacts(user: User) -> bool:
    """Write pact texts and open signing campaigns."""
    return scope_of(user).national


def follows_campaigns(user: User) -> bool:
    """Managers (national, Kanwil, UPT head) follow the completion of the campaigns in their scope."""
    return scope_of(user).is_manager


def completion_level(user: User) -> Level:
    """The level at which the user follows a campaign's completion: the nation, their Kanwil or their UPT.

    A regional admin goes to their Kanwil and a head to their UPT even if they are also national
    (a superuser holding that role), as they always did; anyone else signs."""
    scope = scope_of(user)
    if scope.region_id is not None:
        return Level.REGION
    if scope.facility_id is not None:
        return Level.FACILITY
    return Level.NATIONAL if scope.national else Level.OWN


def can_see_campaign_completion(user: User) -> bool:
    """Whether the campaign page shows the user the completion of every Kanwil (else it sends them to their level)."""
    return completion_level(user) == Level.NATIONAL


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    """Campaigns a user may follow: those covering a UPT they manage or work at."""
    if scope_of(user).national:
        return Campaign.objects.all()
    facilities = facilities_access.managed_facilities(user)
    employee = getattr(user, "employee", None)
    if employee is not None and employee.is_active:
        facilities = facilities | Facility.objects.filter(pk=employee.facility_id)
    return Campaign.objects.filter(
        Q(scope=Campaign.Scope.ALL)
        | Q(scope=Campaign.Scope.REGION, regional_office__in=facilities.values("regional_office_id"))
        | Q(scope=Campaign.Scope.FACILITIES, facilities__in=facilities)
    ).distinct()


def get_campaign_for_user(user: User, pk: int) -> Campaign:
    try:
        return visible_campaigns(user).select_related("period", "text", "regional_office").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def can_view_signature(user: User, signature: Signature) -> bool:
    """The signer, and the managers of the UPT where it was signed or where the signer now works."""
    if signature.employee.user_id is not None and signature.employee.user_id == user.pk:
        return True
    return facilities_access.manages(
        user, signature.facility_id, signature.facility.regional_office_id
    ) or facilities_access.manages(user, signature.employee.facility_id, signature.employee.facility.regional_office_id)


def can_revoke_signature(user: User, signature: Signature) -> bool:
    """Revoking is an admin's act (Kanwil or national), never the signer's or the UPT head's."""
    return facilities_access.can_administer_facility(user, signature.facility)


def get_signature_for_user(user: User, pk: int, *, lean: bool = False) -> Signature:
    """The signature if the user may see it; 404 otherwise.

    `lean` loads only what the access check and the stored-file download need
    (the download is the hot path: one narrow query).
    """
    queryset = Signature.objects.select_related(
        "employee__facility__regional_office", "facility__regional_office", "campaign__period", "text", "paper_batch"
    )
    if lean:
        queryset = Signature.objects.select_related("employee__facility", "facility").only(
            "certificate",
            "certificate_sha256",
            "signer_identifier",
            "campaign_id",
            "verification_code",
            "facility__regional_office_id",
            "employee__user_id",
            "employee__facility__regional_office_id",
        )
    try:
        signature = queryset.get(pk=pk)
    except Signature.DoesNotExist:
        raise Http404 from None
    if not can_view_signature(user, signature):
        raise Http404
    return signature


def get_signable_campaign(user: User, employee: Employee | None, pk: int) -> Campaign:
    """A campaign the user signs as `employee` (their own record): it must cover their UPT; 404 otherwise."""
    if employee is None or not employee.is_active or employee.user_id != user.pk:
        raise Http404
    try:
        campaign = Campaign.objects.select_related("text").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    if not campaign.covers(employee.facility):
        raise Http404
    return campaign


def get_paper_batch_for_user(user: User, pk: int) -> PaperBatch:
    """A paper signing batch (and its scan), for the managers of its UPT; 404 otherwise."""
    try:
        paper = PaperBatch.objects.select_related("facility__regional_office").get(pk=pk)
    except PaperBatch.DoesNotExist:
        raise Http404 from None
    if not facilities_access.can_manage_facility(user, paper.facility):
        raise Http404
    return paper


def get_export_for_user(user: User, pk: int) -> BatchExport:
    """An archive PDF of a UPT's signatures, for the managers of that UPT; 404 otherwise."""
    try:
        export = BatchExport.objects.select_related("campaign", "facility__regional_office").get(pk=pk)
    except BatchExport.DoesNotExist:
        raise Http404 from None
    if not facilities_access.can_manage_facility(user, export.facility):
        raise Http404
    return export


def can_retry_export(user: User, export: BatchExport) -> bool:
    """The "try again" button of a failed archive: for whoever may ask for that UPT's archive (its managers)."""
    return export.status == BatchExport.Status.FAILED and facilities_access.can_manage_facility(user, export.facility)
