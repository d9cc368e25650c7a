from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import permissions
from config import ratelimit
from config.fields import parse_id, search_text
from config.pdf import pdf_response, render_pdf
from config.uploads import EXTENSIONS
from facilities.models import Facility
from reports import actions, exports, recap
from reports.forms import (
    CodeForm,
    EvidenceForm,
    FacilityPickForm,
    MessageForm,
    ReportFilterForm,
    ReportForm,
    TransitionForm,
)
from reports.models import TRANSITIONS, Report, State, format_receipt_code

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECEIPT_KEY = "reports:receipt"
FOLLOWUP_KEY = "reports:followup"
FOLLOWUP_MINUTES = 30
INTAKE_LIMIT = 5  # reports per client per hour
CODE_LIMIT = 10  # wrong receipt codes per client per hour
WINDOW = 3600


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public intake -------------------------------------------------------------


def _intake_facility(request: HttpRequest, facilities) -> Facility | None:
    raw = request.POST.get("facility") if request.method == "POST" else request.GET.get("upt")
    facility_id = parse_id(raw)
    if facility_id is not None:
        return facilities.filter(pk=facility_id).first()
    if request.method == "GET" and request.user.is_authenticated and "ganti" not in request.GET:
        employee = getattr(request.user, "employee", None)
        if employee is not None and employee.facility.is_active:
            return employee.facility
    return None


@never_cache
def intake(request: HttpRequest) -> HttpResponse:
    """File a report, with or without an account. Step one picks the UPT, step two is the report itself."""
    facilities = Facility.objects.filter(is_active=True).select_related("regional_office")
    facility = _intake_facility(request, facilities)
    if facility is None:
        q = search_text(request.GET.get("q"))
        listed = facilities.filter(Q(name__icontains=q) | Q(city__icontains=q)) if q else facilities
        pick = FacilityPickForm(initial={"q": q}, facilities=listed)
        return render(request, "reports/intake_facility.html", {"pick": pick, "q": q, "count": listed.count()})

    form = ReportForm(request.POST or None, request.FILES or None, facility=facility)
    status = 200
    if request.method == "POST":
        ident = ratelimit.client_fingerprint(request)
        if ratelimit.is_limited("report-intake", ident, limit=INTAKE_LIMIT):
            form.is_valid()
            form.add_error(None, _("Terlalu banyak laporan dari perangkat ini. Coba lagi dalam satu jam."))
            status = 429
        elif form.is_spam:
            form.is_valid()
            form.add_error(None, _("Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi."))
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                report, code = actions.submit_report(
                    facility=facility,
                    reported_employee=data["reported_employee"],
                    reported_description=data["reported_description"].strip(),
                    category=data["category"],
                    election_type=data["election_type"],
                    stage=data["stage"],
                    occurred_on=data["occurred_on"],
                    occurred_place=data["occurred_place"].strip(),
                    description=data["description"].strip(),
                    is_anonymous=data["is_anonymous"],
                    reporter_name=data["reporter_name"].strip(),
                    reporter_contact=data["reporter_contact"].strip(),
                    evidence=data["evidence"],
                )
            except ValidationError as exc:
                form.add_error("evidence", exc)
            else:
                ratelimit.hit("report-intake", ident, limit=INTAKE_LIMIT, window=WINDOW)
                # The plain code waits in the session only until the receipt page shows it once.
                request.session[RECEIPT_KEY] = {"code": code, "facility": facility.name}
                return redirect("reports:receipt")
        if status == 200:
            status = 400
    files_lost = request.method == "POST" and bool(request.FILES.getlist("evidence"))
    # A long form on a phone: name the fields to fix at the top, where the page opens after sending.
    error_fields = [field for field in form.visible_fields() if field.errors] if form.is_bound else []
    return render(
        request,
        "reports/intake.html",
        {"form": form, "facility": facility, "files_lost": files_lost, "error_fields": error_fields},
        status=status,
    )


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    data = request.session.pop(RECEIPT_KEY, None)
    return _no_store(render(request, "reports/receipt.html", {"receipt": data}))


@require_POST
def receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The receipt as a PDF; the code comes back in the POST body from the receipt page and is not stored."""
    ident = ratelimit.client_fingerprint(request)
    form = CodeForm(request.POST)
    if ratelimit.is_limited("report-code", ident, limit=CODE_LIMIT):
        return render(request, "reports/check.html", {"form": form, "limited": True}, status=429)
    report = actions.find_report_by_code(form.cleaned_data["code"]) if form.is_valid() else None
    if report is None:
        ratelimit.hit("report-code", ident, limit=CODE_LIMIT, window=WINDOW)
        raise Http404
    pdf = render_pdf(
        "reports/receipt.pdf.html",
        {
            "code": format_receipt_code(form.cleaned_data["code"]),
            "report": report,
            "check_url": request.build_absolute_uri("/lapor/cek/"),
        },
    )
    return pdf_response(pdf, "tanda-terima-laporan.pdf")


# --- Follow-up with the receipt code -----------------------------------------


def _followup_report(request: HttpRequest) -> Report | None:
    data = request.session.get(FOLLOWUP_KEY)
    if not data:
        return None
    if dt.datetime.fromisoformat(data["until"]) < timezone.now():
        request.session.pop(FOLLOWUP_KEY, None)
        return None
    return Report.objects.select_related("facility").filter(pk=data["id"]).first()


@never_cache
def check(request: HttpRequest) -> HttpResponse:
    """Enter the receipt code (POST only: never in a URL, where logs and history would keep it)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        ident = ratelimit.client_fingerprint(request)
        if ratelimit.is_limited("report-code", ident, limit=CODE_LIMIT):
            return render(request, "reports/check.html", {"form": form, "limited": True}, status=429)
        report = actions.find_report_by_code(form.cleaned_data["code"]) if form.is_valid() else None
        if report is not None:
            request.session.cycle_key()
            until = timezone.now() + dt.timedelta(minutes=FOLLOWUP_MINUTES)
            request.session[FOLLOWUP_KEY] = {"id": report.pk, "until": until.isoformat()}
            return redirect("reports:followup")
        ratelimit.hit("report-code", ident, limit=CODE_LIMIT, window=WINDOW)
        if form.is_valid():
            form.add_error("code", _("Kode tanda terima tidak ditemukan. Periksa kembali penulisannya."))
        return render(request, "reports/check.html", {"form": form}, status=400)
    return render(request, "reports/check.html", {"form": form, "active": _followup_report(request) is not None})


def _followup_context(report: Report, **extra) -> dict:
    return {
        "report": report,
        "events": report.events.all(),
        "thread": report.messages.all(),
        "evidence": report.evidence.all(),
        "message_form": extra.pop("message_form", None) or MessageForm(),
        "evidence_form": extra.pop("evidence_form", None) or EvidenceForm(),
        "minutes": FOLLOWUP_MINUTES,
        **extra,
    }


@never_cache
def followup(request: HttpRequest) -> HttpResponse:
    report = _followup_report(request)
    if report is None:
        messages.info(request, _("Masukkan kode tanda terima untuk melihat laporan Anda."))
        return redirect("reports:check")
    return _no_store(render(request, "reports/followup.html", _followup_context(report)))


@require_POST
def followup_message(request: HttpRequest) -> HttpResponse:
    report = _followup_report(request)
    if report is None:
        return redirect("reports:check")
    form = MessageForm(request.POST)
    if form.is_valid():
        actions.add_reporter_message(report, form.cleaned_data["body"])
        messages.success(request, _("Pesan Anda terkirim kepada petugas."))
        return redirect("reports:followup")
    return render(request, "reports/followup.html", _followup_context(report, message_form=form), status=400)


@require_POST
def followup_evidence(request: HttpRequest) -> HttpResponse:
    report = _followup_report(request)
    if report is None:
        return redirect("reports:check")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = actions.add_reporter_evidence(report, form.cleaned_data["evidence"])
        except ValidationError as exc:
            form.add_error("evidence", exc)
        else:
            messages.success(request, _("%(n)d berkas bukti ditambahkan.") % {"n": len(stored)})
            return redirect("reports:followup")
    return render(request, "reports/followup.html", _followup_context(report, evidence_form=form), status=400)


@require_POST
def followup_end(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOWUP_KEY, None)
    messages.info(request, _("Anda telah keluar dari halaman laporan."))
    return redirect("reports:check")


# --- Handling --------------------------------------------------------------------


def _filtered_reports(request: HttpRequest) -> tuple[ReportFilterForm, object]:
    form = ReportFilterForm(request.GET or None, facilities=permissions.report_filter_facilities(request.user))
    reports = (
        permissions.visible_reports(request.user)
        .select_related("facility", "reported_employee")
        .with_overdue()
        .order_by("-created_at", "-id")
    )
    return form, form.apply(reports)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_handle_reports(request.user))
    form, reports = _filtered_reports(request)
    page_obj = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "filtered": form.is_bound and any(form.data.get(k) for k in form.fields),
            "can_recap": permissions.can_view_report_recap(request.user),
        },
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_handle_reports(request.user))
    _form, reports = _filtered_reports(request)
    response = HttpResponse(exports.report_list_workbook(reports), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="laporan-{timezone.localdate():%Y%m%d}.xlsx"'
    return _no_store(response)


def _detail_context(
    request: HttpRequest, report: Report, bound: TransitionForm | None = None, message_form=None
) -> dict:
    forms = []
    for target in TRANSITIONS[report.state]:
        forms.append(bound if bound is not None and bound.target_state == target else TransitionForm(target=target))
    return {
        "report": report,
        "show_identity": permissions.can_see_reporter_identity(request.user, report),
        "events": report.events.select_related("actor__employee"),
        "thread": report.messages.select_related("author__employee"),
        "evidence": report.evidence.all(),
        "access_log": report.access_log.select_related("user__employee", "evidence")[:100],
        "transition_forms": forms,
        "message_form": message_form or MessageForm(),
    }


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, report_id)
    actions.log_access(request.user, report)
    return _no_store(render(request, "reports/report_detail.html", _detail_context(request, report)))


@login_required
@require_POST
def report_transition(request: HttpRequest, report_id: int, target: str) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, report_id)
    if target not in State.values or target not in TRANSITIONS[report.state]:
        messages.error(
            request,
            _("Laporan berstatus %(state)s tidak dapat diubah ke status itu.") % {"state": report.get_state_display()},
        )
        return redirect("reports:detail", report.pk)
    form = TransitionForm(request.POST, target=target)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "target"}
        try:
            actions.transition(request.user, report, target, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Status laporan menjadi: %(state)s.") % {"state": State(target).label})
            return redirect("reports:detail", report.pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report, bound=form), status=400)


@login_required
@require_POST
def report_message(request: HttpRequest, report_id: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, report_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        actions.add_handler_message(request.user, report, form.cleaned_data["body"])
        messages.success(request, _("Pesan terkirim; pelapor dapat membacanya dengan kode tanda terima."))
        return redirect("reports:detail", report.pk)
    return render(
        request, "reports/report_detail.html", _detail_context(request, report, message_form=form), status=400
    )


@login_required
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> FileResponse:
    report = permissions.get_report_for_user(request.user, report_id)
    evidence = get_object_or_404(report.evidence, pk=evidence_id)
    actions.log_access(request.user, report, evidence)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"{report.reference}-bukti-{evidence.pk}.{EXTENSIONS.get(evidence.kind, 'bin')}",
    )
    return _no_store(response)


@login_required
def recap_view(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_view_report_recap(request.user))
    table = recap.build(permissions.report_recap_scope(request.user))
    return render(request, "reports/recap.html", {"table": table})


@login_required
def recap_export(request: HttpRequest) -> HttpResponse:
    _require(permissions.can_view_report_recap(request.user))
    table = recap.build(permissions.report_recap_scope(request.user))
    response = HttpResponse(exports.recap_workbook(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rekap-laporan-{timezone.localdate():%Y%m%d}.xlsx"'
    return _no_store(response)
