from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import ratelimit
from core.fields import parse_id, search_text
from core.files import file_response
from core.http import no_store, paginate, require
from core.pdf import pdf_response, render_pdf
from facilities.models import Facility
from reports import access, actions, exports, followup, selectors
from reports.forms import (
    CodeForm,
    EvidenceForm,
    FacilityPickForm,
    HandlingForm,
    MessageForm,
    ReportedEmployeeForm,
    ReportFilterForm,
    ReportForm,
    TransitionForm,
)
from reports.models import TRANSITIONS, Report, State, format_receipt_code

PAGE_SIZE = 30
INTAKE_LIMIT = 5  # reports per client per hour
INTAKE_POST_LIMIT = 20  # intake posts per client per hour, filed or not (checking uploads is the costly part)
CODE_LIMIT = 10  # wrong receipt codes per client per hour
RECEIPT_PDF_LIMIT = 20  # receipt PDFs per client per hour
FOLLOWUP_MESSAGE_LIMIT = 20  # follow-up messages per client per hour
FOLLOWUP_EVIDENCE_LIMIT = 10  # follow-up evidence posts per client per hour
WINDOW = 3600


# --- Public intake -------------------------------------------------------------


# Step one shows at most this many UPTs matching the search, never the whole country (issue 13).
INTAKE_MATCHES = 20


def _intake_search(request: HttpRequest, facilities) -> HttpResponse:
    """Step one: a search for the UPT by name or city, then a pick among the first matches. A plain GET
    search (static/js/reports.js only narrows the matches as one types). A `upt` that names no active UPT
    is refused with the search kept."""
    q = search_text(request.GET.get("q"))
    chose = request.method == "GET" and bool(request.GET.get("upt"))
    matches, count = [], 0
    if q:
        found = facilities.filter(Q(name__icontains=q) | Q(city__icontains=q))
        count = found.count()
        matches = list(found.order_by("name")[:INTAKE_MATCHES]) if count else []
    context = {
        "pick": FacilityPickForm(initial={"q": q}, facilities=matches),
        "q": q,
        "count": count,
        "shown": len(matches),
        "ganti": "ganti" in request.GET,
        "error": _("UPT yang dipilih tidak ditemukan. Cari nama UPT atau kota, lalu pilih dari daftar.")
        if chose
        else "",
    }
    return render(request, "reports/intake_facility.html", context)


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
        return _intake_search(request, facilities)

    roster = access.can_pick_reported_from_roster(request.user, facility)
    form = ReportForm(request.POST or None, request.FILES or None, facility=facility, roster=roster)
    status = 200
    if request.method == "POST":
        ident = ratelimit.client_fingerprint(request)
        # Counted before the work; the report slot is given back below when no report is filed.
        reserved = not ratelimit.hit(
            "report-intake-post", ident, limit=INTAKE_POST_LIMIT, window=WINDOW
        ) and not ratelimit.hit("report-intake", ident, limit=INTAKE_LIMIT, window=WINDOW)
        if not reserved:
            form = ReportForm(request.POST, facility=facility)  # keeps what was typed; the files are not checked
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
                    reported_employee=data.get("reported_employee"),
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
                # The plain code waits in the reporter's own session (never the login's) until the
                # receipt page shows it once.
                store = followup.fresh(request)
                store[followup.RECEIPT] = {"code": code, "facility": facility.name}
                return followup.save(store, redirect("reports:receipt"))
        if reserved:
            ratelimit.refund("report-intake", ident)
        if status == 200:
            status = 400
    files_lost = request.method == "POST" and bool(request.FILES.getlist("evidence"))
    # A long form on a phone: name the fields to fix at the top, where the page opens after sending.
    error_fields = [field for field in form.visible_fields() if field.errors] if form.is_bound else []
    return render(
        request,
        "reports/intake.html",
        {
            "form": form,
            "facility": facility,
            "roster": roster,
            "files_lost": files_lost,
            "error_fields": error_fields,
        },
        status=status,
    )


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    store = followup.current(request)
    data = store.pop(followup.RECEIPT, None)
    return followup.save(store, no_store(render(request, "reports/receipt.html", {"receipt": data})))


@require_POST
def receipt_pdf(request: HttpRequest) -> HttpResponse:
    """The receipt as a PDF; the code comes back in the POST body from the receipt page and is not stored."""
    ident = ratelimit.client_fingerprint(request)
    form = CodeForm(request.POST)
    if ratelimit.hit("report-receipt-pdf", ident, limit=RECEIPT_PDF_LIMIT, window=WINDOW) or ratelimit.hit(
        "report-code", ident, limit=CODE_LIMIT, window=WINDOW
    ):
        return render(request, "reports/check.html", {"form": form, "limited": True}, status=429)
    report = actions.find_report_by_code(form.cleaned_data["code"]) if form.is_valid() else None
    if report is None:
        raise Http404
    ratelimit.refund("report-code", ident)  # only wrong codes count
    pdf = render_pdf(
        "reports/receipt.pdf.html",
        {
            "code": format_receipt_code(form.cleaned_data["code"]),
            "report": report,
            # Printed as text; the code is never part of a URL (it would end up in logs and browser history).
            "check_url": settings.SITE_URL + reverse("reports:check"),
        },
    )
    return pdf_response(pdf, "tanda-terima-laporan.pdf")


# --- Follow-up with the receipt code -----------------------------------------


def _followup_report(store: followup.FollowupStore) -> Report | None:
    """The report the store's receipt code opened; an expired store loads empty (its row has expired)."""
    report_id = store.get(followup.REPORT)
    if report_id is None:
        return None
    return Report.objects.select_related("facility").filter(pk=report_id).first()


def _to_followup(store: followup.FollowupStore, notice: str) -> HttpResponse:
    # The notice waits in the reporter's session too: the login session never learns of a follow-up.
    store[followup.NOTICE] = notice
    return followup.save(store, redirect("reports:followup"))


@never_cache
def check(request: HttpRequest) -> HttpResponse:
    """Enter the receipt code (POST only: never in a URL, where logs and history would keep it)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        ident = ratelimit.client_fingerprint(request)
        if ratelimit.hit("report-code", ident, limit=CODE_LIMIT, window=WINDOW):
            return render(request, "reports/check.html", {"form": form, "limited": True}, status=429)
        report = actions.find_report_by_code(form.cleaned_data["code"]) if form.is_valid() else None
        if report is not None:
            ratelimit.refund("report-code", ident)  # only wrong codes count
            # A new store (and key) of its own, expiring with the follow-up window; no user in it.
            store = followup.fresh(request)
            store[followup.REPORT] = report.pk
            return followup.save(store, redirect("reports:followup"))
        if form.is_valid():
            form.add_error("code", _("Kode tanda terima tidak ditemukan. Periksa kembali penulisannya."))
        return render(request, "reports/check.html", {"form": form}, status=400)
    return render(
        request,
        "reports/check.html",
        {
            "form": form,
            "active": _followup_report(followup.current(request)) is not None,
            "ended": "selesai" in request.GET,
        },
    )


def _followup_context(report: Report, **extra) -> dict:
    return {
        "report": report,
        "events": report.events.all(),
        "thread": report.messages.all(),
        "evidence": report.evidence.all(),
        "message_form": extra.pop("message_form", None) or MessageForm(),
        "evidence_form": extra.pop("evidence_form", None) or EvidenceForm(),
        "minutes": followup.MINUTES,
        **extra,
    }


@never_cache
def followup_page(request: HttpRequest) -> HttpResponse:
    store = followup.current(request)
    report = _followup_report(store)
    if report is None:
        return followup.save(store, redirect("reports:check"))
    notice = store.pop(followup.NOTICE, None)
    page = render(request, "reports/followup.html", _followup_context(report, notice=notice))
    return followup.save(store, no_store(page))


@require_POST
def followup_message(request: HttpRequest) -> HttpResponse:
    store = followup.current(request)
    report = _followup_report(store)
    if report is None:
        return redirect("reports:check")
    form = MessageForm(request.POST)
    if ratelimit.hit_client(request, "report-followup-message", limit=FOLLOWUP_MESSAGE_LIMIT, window=WINDOW):
        form.is_valid()  # keep what was typed on the page
        form.add_error(None, _("Terlalu banyak pesan dari perangkat ini. Coba lagi dalam satu jam."))
        return render(request, "reports/followup.html", _followup_context(report, message_form=form), status=429)
    if form.is_valid():
        actions.add_reporter_message(report, form.cleaned_data["body"])
        return _to_followup(store, _("Pesan Anda terkirim kepada petugas."))
    return render(request, "reports/followup.html", _followup_context(report, message_form=form), status=400)


@require_POST
def followup_evidence(request: HttpRequest) -> HttpResponse:
    store = followup.current(request)
    report = _followup_report(store)
    if report is None:
        return redirect("reports:check")
    if ratelimit.hit_client(request, "report-followup-evidence", limit=FOLLOWUP_EVIDENCE_LIMIT, window=WINDOW):
        # The refused files are not checked. No messages framework: it writes into the login session.
        error = _("Terlalu banyak unggahan dari perangkat ini. Coba lagi dalam satu jam.")
        return render(request, "reports/followup.html", _followup_context(report, evidence_error=error), status=429)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = actions.add_reporter_evidence(report, form.cleaned_data["evidence"])
        except ValidationError as exc:
            form.add_error("evidence", exc)
        else:
            return _to_followup(store, _("%(n)d berkas bukti ditambahkan.") % {"n": len(stored)})
    return render(request, "reports/followup.html", _followup_context(report, evidence_form=form), status=400)


@require_POST
def followup_end(request: HttpRequest) -> HttpResponse:
    store = followup.current(request)
    store.clear()
    return followup.save(store, redirect(f"{reverse('reports:check')}?selesai=1"))


# --- Handling --------------------------------------------------------------------


# ?urut=tenggat sorts the list by the next deadline, soonest (or most overdue) first; closed cases last.
SORT_BY_DEADLINE = "tenggat"


def _filtered_reports(request: HttpRequest) -> tuple[ReportFilterForm, object]:
    form = ReportFilterForm(request.GET or None, facilities=access.report_filter_facilities(request.user))
    reports = access.visible_reports(request.user).select_related("facility", "reported_employee").with_overdue()
    if request.GET.get("urut") == SORT_BY_DEADLINE:
        reports = reports.order_by(F("next_due_at").asc(nulls_last=True), "-id")
    else:
        reports = reports.order_by("-created_at", "-id")
    return form, form.apply(reports)


def _with_region_only(reports: list[Report]) -> list[Report]:
    """Each report of the page with `region_only` (its badge), asked for these rows alone: in the list's own
    query PostgreSQL hashes the rule's subqueries over every head login and serving member of the country
    (~17 ms at national size) however few rows the page shows."""
    flags = dict(
        Report.objects.filter(pk__in=[r.pk for r in reports]).with_region_only().values_list("pk", "region_only")
    )
    for report in reports:
        report.region_only = flags.get(report.pk, False)  # a report deleted meanwhile: no badge
    return reports


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    require(access.can_handle_reports(request.user))
    form, reports = _filtered_reports(request)
    page_obj = paginate(request, reports, PAGE_SIZE)
    page_obj.object_list = _with_region_only(list(page_obj.object_list))
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "filtered": form.is_bound and any(form.data.get(k) for k in form.fields),
            "can_recap": access.can_view_report_recap(request.user),
            "by_deadline": request.GET.get("urut") == SORT_BY_DEADLINE,
        },
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    require(access.can_handle_reports(request.user))
    _form, reports = _filtered_reports(request)
    return exports.report_list_response(reports)


def _detail_context(
    request: HttpRequest,
    report: Report,
    bound: TransitionForm | None = None,
    message_form=None,
    reported_form: ReportedEmployeeForm | None = None,
    handling_form: HandlingForm | None = None,
) -> dict:
    forms = []
    for target in TRANSITIONS[report.state]:
        forms.append(bound if bound is not None and bound.target_state == target else TransitionForm(target=target))
    decides = access.can_decide_report_handling(request.user, report)
    if report.is_open and reported_form is None:
        reported_form = ReportedEmployeeForm(
            initial={"reported_employee": report.reported_employee_id}, facility=report.facility
        )
    if decides and handling_form is None:
        handling_form = HandlingForm(initial={"handling": report.handling, "reason": report.handling_reason})
    return {
        "report": report,
        # A closed case offers no form, but a refused attempt still shows why.
        "reported_form": reported_form if report.is_open or (reported_form and reported_form.is_bound) else None,
        "handling_form": handling_form if decides else None,
        "reported_person": access.reported_person_facts(report) if decides else None,
        "show_identity": access.can_see_reporter_identity(request.user, report),
        "events": report.events.select_related("actor__employee"),
        "thread": report.messages.select_related("author__employee"),
        "evidence": report.evidence.all(),
        "access_log": report.access_log.select_related("user__employee", "evidence")[:100],
        "transition_forms": forms,
        "message_form": message_form or MessageForm(),
    }


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
    actions.log_access(request.user, report)
    return no_store(render(request, "reports/report_detail.html", _detail_context(request, report)))


@login_required
@require_POST
def report_transition(request: HttpRequest, report_id: int, target: str) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id)
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
    report = access.get_report_for_user(request.user, report_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        actions.add_handler_message(request.user, report, form.cleaned_data["body"])
        messages.success(request, _("Pesan terkirim; pelapor dapat membacanya dengan kode tanda terima."))
        return redirect("reports:detail", report.pk)
    return render(
        request, "reports/report_detail.html", _detail_context(request, report, message_form=form), status=400
    )


def _still_visible(user, report: Report) -> bool:
    return access.visible_reports(user).filter(pk=report.pk).exists()


@login_required
@require_POST
def report_reported_employee(request: HttpRequest, report_id: int) -> HttpResponse:
    """A handler names the reported employee from the roster (typically during verification)."""
    report = access.get_report_for_user(request.user, report_id)
    form = ReportedEmployeeForm(request.POST, facility=report.facility)
    if form.is_valid():
        try:
            actions.set_reported_employee(request.user, report, form.cleaned_data["reported_employee"])
        except ValidationError as exc:
            form.add_error("reported_employee", exc)
        else:
            if not _still_visible(request.user, report):
                # The handler named themselves, or someone whose case is now the regional office's.
                messages.info(
                    request,
                    _(
                        "Terlapor dicatat. Laporan %(ref)s kini ditangani Kantor Wilayah dan tidak lagi terlihat oleh Anda."
                    )
                    % {"ref": report.reference},
                )
                return redirect("reports:list")
            messages.success(request, _("Terlapor dicatat."))
            return redirect("reports:detail", report.pk)
    return render(
        request, "reports/report_detail.html", _detail_context(request, report, reported_form=form), status=400
    )


@login_required
@require_POST
def report_handling(request: HttpRequest, report_id: int) -> HttpResponse:
    """The regional office decides who handles the case."""
    report = access.get_report_for_user(request.user, report_id)
    require(access.can_decide_report_handling(request.user, report))
    form = HandlingForm(request.POST)
    if form.is_valid():
        try:
            actions.set_handling(request.user, report, form.cleaned_data["handling"], form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Keputusan penanganan disimpan."))
            return redirect("reports:detail", report.pk)
    return render(
        request, "reports/report_detail.html", _detail_context(request, report, handling_form=form), status=400
    )


@login_required
def evidence_download(request: HttpRequest, report_id: int, evidence_id: int) -> FileResponse:
    report = access.get_report_for_user(request.user, report_id)
    evidence = get_object_or_404(report.evidence, pk=evidence_id)
    actions.log_access(request.user, report, evidence)
    return file_response(evidence.file, name=f"{report.reference}-bukti-{evidence.pk}", kinds={evidence.kind})


@login_required
def recap_view(request: HttpRequest) -> HttpResponse:
    """The report recap is a block of the one recap (/upt/rekap/, facilities.recap): per UPT, every UPT
    (those without reports too), states by their names; this old address leads there."""
    require(access.can_view_report_recap(request.user))
    return redirect("facilities:recap")


@login_required
def recap_export(request: HttpRequest) -> HttpResponse:
    """Reports per UPT and form of violation (the one breakdown the recap page shows only as a chart)."""
    require(access.can_view_report_recap(request.user))
    table = selectors.recap(access.report_recap_scope(request.user))
    return exports.recap_response(table)
