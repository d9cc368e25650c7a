from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.scope import Level
from accounts.sudo import sudo_required
from core import ratelimit
from core.clientip import client_ip
from core.fields import parse_ids, search_text
from core.files import file_response
from core.http import paginate, require
from core.jobs import refresh_if_stale
from core.pdf import stored_pdf_response
from facilities import access as facilities_access
from pledges import access, actions, exports, selectors
from pledges.forms import (
    CampaignForm,
    PactTextForm,
    PaperBatchForm,
    RevokeForm,
    SignForm,
    VerifyCodeForm,
    VerifyFileForm,
)
from pledges.models import BatchExport, Campaign, PactText, PaperBatch, Signature

VERIFY_LIMIT = 30  # verification page views per client per window
VERIFY_WINDOW = 60
UPLOAD_LIMIT = 10  # certificate uploads per client per window
UPLOAD_WINDOW = 600


def _own_employee(request: HttpRequest):
    employee = getattr(request.user, "employee", None)
    if employee is None or not employee.is_active:
        return None
    return employee


# --- Overview ------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My pacts (to sign and signed) and, for managers, the campaigns to follow."""
    user = request.user
    employee = _own_employee(request)
    to_sign, mine = [], []
    if employee is not None:
        to_sign = list(selectors.campaigns_to_sign(employee).select_related("period"))
        mine = list(employee.pledge_signatures.select_related("campaign__period").order_by("-signed_at")[:20])
    campaigns = None
    if access.follows_campaigns(user):
        campaigns = paginate(request, access.visible_campaigns(user).select_related("period", "text"))
    return render(
        request,
        "pledges/index.html",
        {
            "employee": employee,
            "to_sign": to_sign,
            "mine": mine,
            "page_obj": campaigns,
            "can_manage": access.can_manage_pacts(user),
            "now": timezone.now(),
        },
    )


# --- Texts -----------------------------------------------------------------------


@login_required
def text_list(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_pacts(request.user))
    texts = PactText.objects.order_by("key", "-version")
    return render(request, "pledges/text_list.html", {"page_obj": paginate(request, texts)})


@login_required
def text_create(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_pacts(request.user))
    form = PactTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text = actions.create_text(request.user, form.cleaned_data)
        messages.success(request, _("Teks pakta disimpan sebagai versi 1."))
        return redirect("pledges:text_detail", text.pk)
    return render(request, "pledges/text_form.html", {"form": form})


@login_required
def text_detail(request: HttpRequest, text_id: int) -> HttpResponse:
    require(access.can_manage_pacts(request.user))
    text = get_object_or_404(PactText, pk=text_id)
    versions = PactText.objects.filter(key=text.key).order_by("-version")
    return render(
        request,
        "pledges/text_detail.html",
        {"text": text, "versions": versions, "signed_count": text.signatures.count()},
    )


@login_required
def text_edit(request: HttpRequest, text_id: int) -> HttpResponse:
    """Editing writes a new version; the shown one stays as it was signed."""
    require(access.can_manage_pacts(request.user))
    text = get_object_or_404(PactText, pk=text_id)
    form = PactTextForm(request.POST or None, initial={f: getattr(text, f) for f in PactTextForm.Meta.fields})
    if request.method == "POST" and form.is_valid():
        try:
            revised = actions.revise_text(request.user, text, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Versi %(v)d dibuat; versi lama tetap tersimpan.") % {"v": revised.version})
            return redirect("pledges:text_detail", revised.pk)
    return render(request, "pledges/text_form.html", {"form": form, "text": text})


# --- Campaigns and completion ----------------------------------------------------


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_pacts(request.user))
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(
                request.user, form.save(commit=False), form.cleaned_data.get("facilities") or []
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kampanye %(name)s dibuat.") % {"name": campaign.name})
            return redirect("pledges:campaign_detail", campaign.pk)
    return render(request, "pledges/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """National view per Kanwil; other roles go to their own level."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    level = access.completion_level(user)
    if level == Level.REGION:
        return redirect("pledges:region_completion", campaign.pk, user.regional_office_id)
    if level == Level.FACILITY:
        return redirect("pledges:facility_completion", campaign.pk, user.facility_id)
    if level != Level.NATIONAL:
        return redirect("pledges:sign", campaign.pk)
    rows, totals, counted_at = selectors.national_completion(campaign, facilities_access.visible_regions(user))
    return render(
        request,
        "pledges/campaign_detail.html",
        {"campaign": campaign, "rows": rows, "totals": totals, "counted_at": counted_at},
    )


@login_required
def region_completion(request: HttpRequest, campaign_id: int, region_id: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    region = facilities_access.get_region_for_user(request.user, region_id)
    rows, totals = selectors.region_completion(campaign, region)
    return render(
        request,
        "pledges/region_completion.html",
        {
            "campaign": campaign,
            "region": region,
            "rows": rows,
            "can_see_campaign": access.can_see_campaign_completion(request.user),
            "totals": totals,
        },
    )


@login_required
def region_export(request: HttpRequest, campaign_id: int, region_id: int) -> HttpResponse:
    """The region's completion table as .xlsx: the page's figures (selectors.region_completion)."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    region = facilities_access.get_region_for_user(request.user, region_id)
    rows, totals = selectors.region_completion(campaign, region)
    return exports.region_completion_response(campaign, region, rows, totals)


def _campaign_and_facility(request: HttpRequest, campaign_id: int, facility_id: int):
    facility = facilities_access.get_facility_for_user(request.user, facility_id)
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    require(campaign.covers(facility))
    return campaign, facility


STATUS_FILTERS = {"sudah": False, "belum": True}


def _filtered_rows(request: HttpRequest, campaign: Campaign, facility):
    rows = selectors.employee_rows(campaign, facility).search(search_text(request.GET.get("q")))
    status = request.GET.get("status", "")
    if status in STATUS_FILTERS:
        rows = rows.filter(signature_id__isnull=STATUS_FILTERS[status])
    return rows.order_by("name", "pk"), status


@login_required
def facility_completion(request: HttpRequest, campaign_id: int, facility_id: int) -> HttpResponse:
    campaign, facility = _campaign_and_facility(request, campaign_id, facility_id)
    rows, status = _filtered_rows(request, campaign, facility)
    exports = BatchExport.objects.filter(campaign=campaign, facility=facility)[:3]
    return render(
        request,
        "pledges/facility_completion.html",
        {
            "campaign": campaign,
            "facility": facility,
            "page_obj": paginate(request, rows),
            "totals": selectors.facility_totals(campaign, facility),
            "q": search_text(request.GET.get("q")),
            "status": status,
            "exports": exports,
            "batches": PaperBatch.objects.filter(campaign=campaign, facility=facility)[:5],
            "can_see_region": facilities_access.can_manage_region(request.user, facility.regional_office),
            "can_see_campaign": access.can_see_campaign_completion(request.user),
        },
    )


@login_required
def facility_export(request: HttpRequest, campaign_id: int, facility_id: int) -> HttpResponse:
    campaign, facility = _campaign_and_facility(request, campaign_id, facility_id)
    rows, _status = _filtered_rows(request, campaign, facility)
    return exports.completion_response(campaign, facility, rows)


# --- Signing ---------------------------------------------------------------------


def _signer(request: HttpRequest):
    """The logged-in user's own active employee record (with its UPT), or None: loaded with the user
    (facilities.auth.StaffBackend), no query of its own."""
    employee = facilities_access.own_employee(request.user)
    return employee if employee is not None and employee.is_active else None


@login_required
@sudo_required
def sign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The signer signs for themself only: the employee comes from the login, never from the form.

    The POST path is the hot one: no pre-check here, the action decides
    (including a replayed POST, which gets the existing signature back).
    """
    employee = _signer(request)
    campaign = access.get_signable_campaign(request.user, employee, campaign_id)
    form = SignForm(request.POST or None, employee=employee)
    if request.method == "GET":
        existing = actions.valid_signature(campaign, employee)
        if existing is not None:
            return redirect(existing)
    elif form.is_valid():
        try:
            signature, created = actions.sign(
                request.user,
                campaign,
                employee,
                typed_name=form.cleaned_data["typed_name"],
                consent=form.cleaned_data["consent"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The outcome rides on the URL, not in the session: no session write on this path.
            return redirect(f"{signature.get_absolute_url()}?{'baru' if created else 'sudah'}=1")
    else:
        existing = actions.valid_signature(campaign, employee)
        if existing is not None:
            return redirect(f"{existing.get_absolute_url()}?sudah=1")
    return render(
        request,
        "pledges/sign.html",
        {"campaign": campaign, "employee": employee, "text": campaign.text, "form": form, "state": campaign.status},
    )


@login_required
def signature_detail(request: HttpRequest, signature_id: int) -> HttpResponse:
    signature = access.get_signature_for_user(request.user, signature_id)
    can_revoke = signature.is_valid and access.can_revoke_signature(request.user, signature)
    return render(
        request,
        "pledges/signature_detail.html",
        {
            "signature": signature,
            "text": signature.text,
            "is_signer": signature.employee.user_id == request.user.pk,
            "can_revoke": can_revoke,
            "revoke_form": RevokeForm() if can_revoke else None,
            "can_manage": facilities_access.can_manage_facility(request.user, signature.facility),
            "just_signed": "baru" in request.GET,
            "already_signed": "sudah" in request.GET,
            "certificate_state": signature.certificate_state(),
        },
    )


@login_required
def certificate_download(request: HttpRequest, signature_id: int) -> HttpResponse:
    """The stored certificate; rendered here, once, only if the queue has not made it yet."""
    signature = access.get_signature_for_user(request.user, signature_id, lean=True)
    signature = actions.ensure_certificate(signature)
    if not signature.certificate:
        return redirect(signature)  # revoked before it was made: the page says so
    filename = f"pakta-integritas-{signature.signer_identifier}-{signature.campaign_id}.pdf"
    return stored_pdf_response(signature.certificate, filename)


@login_required
def revoke(request: HttpRequest, signature_id: int) -> HttpResponse:
    signature = access.get_signature_for_user(request.user, signature_id)
    require(access.can_revoke_signature(request.user, signature))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revoke(request.user, signature, form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Pakta %(name)s dicabut; pegawai dapat menandatangani ulang.") % {"name": signature.signer_name},
            )
            return redirect(signature)
    return render(request, "pledges/revoke.html", {"signature": signature, "form": form})


# --- Paper signing ---------------------------------------------------------------


@login_required
def paper_batch_create(request: HttpRequest, campaign_id: int, facility_id: int) -> HttpResponse:
    """The head ticks the staff present at the briefing and uploads the scan of the signed sheet."""
    campaign, facility = _campaign_and_facility(request, campaign_id, facility_id)
    candidates = (
        selectors.employee_rows(campaign, facility)
        .filter(signature_id__isnull=True)
        .search(search_text(request.GET.get("q")))
        .order_by("name", "pk")
    )
    form = PaperBatchForm(request.POST or None, request.FILES or None)
    chosen = parse_ids(request.POST.getlist("employee"))
    if request.method == "POST" and form.is_valid():
        employees = list(facility.employees.filter(pk__in=chosen))
        try:
            paper = actions.record_paper_signatures(
                request.user,
                campaign,
                facility,
                employees,
                signed_on=form.cleaned_data["signed_on"],
                place=form.cleaned_data["place"],
                scan=form.cleaned_data["scan"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(n)d tanda tangan kertas dicatat.") % {"n": paper.signatures.count()},
            )
            return redirect("pledges:facility_completion", campaign.pk, facility.pk)
    return render(
        request,
        "pledges/paper_batch_form.html",
        {
            "campaign": campaign,
            "facility": facility,
            "form": form,
            "candidates": candidates,
            "chosen": set(chosen),
            "q": search_text(request.GET.get("q")),
        },
    )


@login_required
def paper_scan(request: HttpRequest, batch_id: int) -> HttpResponse:
    paper = access.get_paper_batch_for_user(request.user, batch_id)
    return file_response(paper.scan, name=f"pindaian-pakta-{paper.pk}", kinds={"pdf"}, inline=True)


# --- Archive PDF (batch printing) ------------------------------------------------


@login_required
@require_POST
def batch_create(request: HttpRequest, campaign_id: int, facility_id: int) -> HttpResponse:
    campaign, facility = _campaign_and_facility(request, campaign_id, facility_id)
    try:
        export = actions.request_batch_export(request.user, campaign, facility)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
        return redirect("pledges:facility_completion", campaign.pk, facility.pk)
    return redirect("pledges:batch_status", export.pk)


@login_required
@require_POST
def batch_retry(request: HttpRequest, export_id: int) -> HttpResponse:
    export = access.get_export_for_user(request.user, export_id)
    try:
        export = actions.retry_batch_export(request.user, export)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    return redirect("pledges:batch_status", export.pk)


def _export_state(export: BatchExport) -> str:
    """The sentence under the progress bar (the page and its JSON say the same)."""
    if export.status == BatchExport.Status.DONE:
        return _("Selesai.")
    if export.status == BatchExport.Status.FAILED:
        return _("Gagal dibuat: %(reason)s") % {"reason": export.error or _("alasan tidak tercatat.")}
    if export.status == BatchExport.Status.PENDING:
        return _("Menunggu giliran dalam antrean.")
    return _("Sedang dibuat: halaman %(done)d dari %(total)d.") % {"done": export.done, "total": export.total}


@login_required
@never_cache
def batch_status(request: HttpRequest, export_id: int) -> HttpResponse:
    export = refresh_if_stale(access.get_export_for_user(request.user, export_id))
    return render(
        request,
        "pledges/batch_status.html",
        {
            "export": export,
            "state": _export_state(export),
            "can_retry": access.can_retry_export(request.user, export),
        },
    )


@login_required
@never_cache
def batch_status_json(request: HttpRequest, export_id: int) -> JsonResponse:
    export = refresh_if_stale(access.get_export_for_user(request.user, export_id))
    return JsonResponse(
        {
            "status": export.status,
            "status_display": export.get_status_display(),
            "state": _export_state(export),
            "done": export.done,
            "total": export.total,
            "percent": export.percent,
            "finished": export.is_finished,
            "download_url": reverse("pledges:batch_download", args=[export.pk]) if export.file else "",
            "error": export.error,
        }
    )


@login_required
def batch_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = access.get_export_for_user(request.user, export_id)
    if export.status != BatchExport.Status.DONE or not export.file:
        return redirect("pledges:batch_status", export.pk)
    # Streamed from storage: an archive of a large UPT runs to hundreds of pages.
    return stored_pdf_response(export.file, f"arsip-pakta-{export.facility_id}-{export.campaign_id}.pdf")


# --- Public verification ---------------------------------------------------------


def _limited(request: HttpRequest, scope: str, limit: int, window: int) -> HttpResponse | None:
    if ratelimit.hit_client(request, scope, limit=limit, window=window):
        return render(request, "pledges/verify_limited.html", status=429)
    return None


def verify_index(request: HttpRequest) -> HttpResponse:
    """Look up a code, or drop a certificate PDF to learn whether it is one we issued, unchanged."""
    code_form = VerifyCodeForm(request.GET if "code" in request.GET else None)
    if code_form.is_bound and code_form.is_valid():
        return redirect("pledges:verify", code_form.cleaned_data["code"])
    file_form = VerifyFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        limited = _limited(request, "pledge-upload", UPLOAD_LIMIT, UPLOAD_WINDOW)
        if limited:
            return limited
        if file_form.is_valid():
            upload = file_form.cleaned_data["certificate"]
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            sha = digest.hexdigest()
            match = Signature.objects.select_related("campaign", "facility").filter(certificate_sha256=sha).first()
            result = {"sha256": sha, "signature": match, "name": upload.name}
    return render(
        request, "pledges/verify_index.html", {"code_form": code_form, "file_form": file_form, "result": result}
    )


def verify(request: HttpRequest, code: str) -> HttpResponse:
    limited = _limited(request, "pledge-verify", VERIFY_LIMIT, VERIFY_WINDOW)
    if limited:
        return limited
    signature = (
        Signature.objects.select_related("campaign", "facility").filter(verification_code=code).first()
        if len(code) <= 64
        else None
    )
    if signature is None:
        return render(request, "pledges/verify_not_found.html", status=404)
    return render(request, "pledges/verify.html", {"signature": signature, "file_form": VerifyFileForm()})
