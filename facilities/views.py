from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import actions as account_actions
from accounts.models import User
from accounts.slips import slips_response
from core import jobs
from core.fields import parse_ids, search_text
from core.http import paginate, require
from facilities import access, actions, roster, selectors
from facilities.forms import EmployeeForm, FacilityFilterForm, FacilityForm, RosterUploadForm, TransferForm
from facilities.models import Employee, EmploymentType, Facility, RosterApply, RosterImport


# The landing page and the dashboard live here, not in core: the dashboard's figures are the
# regions, facilities and staff this app owns, and core imports no project app.
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A logged-in user's home: each app's card (facilities/_dashboard.html, includes/dashboard_apps.html)
    decides through its own access module what this user sees."""
    return render(request, "dashboard.html")


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    regions = access.visible_regions(request.user)
    require(regions.exists())
    form = FacilityFilterForm(request.GET or None, regions=regions)
    facilities = (
        access.managed_facilities(request.user)
        .select_related("regional_office")
        .order_by("regional_office__province", "name")
    )
    if form.is_valid():
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            facilities = facilities.filter(Q(name__icontains=q) | Q(city__icontains=q))
        if form.cleaned_data["region"]:
            facilities = facilities.filter(regional_office=form.cleaned_data["region"])
        if form.cleaned_data["type"]:
            facilities = facilities.filter(type=form.cleaned_data["type"])
    can_add = access.can_list_facilities(request.user)
    # Paginate the plain UPTs, then count the staff of that page's UPTs only (issue 13).
    page_obj = paginate(request, facilities)
    page_obj.object_list = selectors.with_staff_count(page_obj.object_list)
    return render(
        request,
        "facilities/facility_list.html",
        {"form": form, "page_obj": page_obj, "can_add": can_add, "regions": regions},
    )


@login_required
def facility_create(request: HttpRequest) -> HttpResponse:
    regions = access.visible_regions(request.user)
    require(access.can_list_facilities(request.user))
    form = FacilityForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        facility = actions.save_facility(request.user, form.save(commit=False))
        messages.success(request, _("UPT %(name)s ditambahkan.") % {"name": facility.name})
        return redirect("facilities:roster", facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form})


@login_required
def facility_edit(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, facility_id)
    require(access.can_administer_facility(request.user, facility))
    form = FacilityForm(request.POST or None, instance=facility, regions=access.visible_regions(request.user))
    if request.method == "POST" and form.is_valid():
        actions.save_facility(request.user, form.save(commit=False))
        messages.success(request, _("Data UPT disimpan."))
        return redirect("facilities:roster", facility.pk)
    return render(request, "facilities/facility_form.html", {"form": form, "facility": facility})


@login_required
def roster_view(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The facility's current staff: search, filter by type, pick staff for accounts."""
    facility = access.get_facility_for_user(request.user, facility_id)
    q = search_text(request.GET.get("q"))
    kind = request.GET.get("jenis", "")
    show_inactive = request.GET.get("nonaktif") == "1"
    # Name, then id: staff who share a name keep their page between requests.
    employees = facility.employees.select_related("user").search(q).order_by("name", "pk")
    if not show_inactive:
        employees = employees.active()
    if kind in EmploymentType.values:
        employees = employees.filter(employment_type=kind)
    counts = selectors.roster_counts(facility)
    return render(
        request,
        "facilities/roster.html",
        {
            "facility": facility,
            "page_obj": paginate(request, employees),
            "q": q,
            "kind": kind,
            "show_inactive": show_inactive,
            "types": EmploymentType.choices,
            "counts": counts,
            "can_administer": access.can_administer_facility(request.user, facility),
        },
    )


@login_required
def employee_create(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, facility_id)
    form = EmployeeForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        employee = actions.create_employee(request.user, form.save(commit=False))
        messages.success(request, _("%(name)s ditambahkan ke daftar pegawai.") % {"name": employee.name})
        return redirect("facilities:roster", facility.pk)
    return render(request, "facilities/employee_form.html", {"form": form, "facility": facility})


@login_required
def employee_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = access.get_employee_for_user(request.user, employee_id)
    placements = employee.placements.select_related("facility")
    can_manage = access.can_manage_facility(request.user, employee.facility)
    can_reset = employee.user is not None and access.can_manage_user(request.user, employee.user)
    return render(
        request,
        "facilities/employee_detail.html",
        {
            "employee": employee,
            "placements": placements,
            "can_manage": can_manage,
            "can_reset": can_reset,
            "can_transfer": access.can_transfer_employee(request.user, employee),
        },
    )


@login_required
def employee_edit(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = access.get_employee_for_user(request.user, employee_id, manage=True)
    form = EmployeeForm(request.POST or None, instance=employee, facility=employee.facility)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name != "loaded_version"]
        try:
            actions.update_employee(request.user, form.save(commit=False), changed, form.cleaned_data["loaded_version"])
        except actions.StaleEdit as exc:
            form.add_error(None, exc)
            # A second submit, made knowing of the other edit, saves.
            form.data = form.data.copy()
            form.data["loaded_version"] = exc.version
        else:
            messages.success(request, _("Data pegawai disimpan."))
            return redirect("facilities:employee_detail", employee.pk)
    return render(
        request, "facilities/employee_form.html", {"form": form, "facility": employee.facility, "employee": employee}
    )


@login_required
@require_POST
def employee_set_active(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = access.get_employee_for_user(request.user, employee_id, manage=True)
    active = request.POST.get("active") == "1"
    actions.set_employee_active(request.user, employee, active)
    if active:
        messages.success(request, _("%(name)s diaktifkan kembali.") % {"name": employee.name})
    else:
        messages.success(
            request, _("%(name)s dinonaktifkan; akunnya tidak dapat dipakai masuk.") % {"name": employee.name}
        )
    return redirect("facilities:employee_detail", employee.pk)


@login_required
def employee_transfer(request: HttpRequest, employee_id: int) -> HttpResponse:
    """Mutasi, by the Kanwil (within its region) or the national admin (anywhere)."""
    employee = access.get_employee_for_user(request.user, employee_id, manage=True)
    targets = (
        access.managed_facilities(request.user)
        if access.can_transfer_employee(request.user, employee)
        else Facility.objects.none()
    )
    require(targets.exists())
    form = TransferForm(request.POST or None, employee=employee, facilities=targets)
    if request.method == "POST" and form.is_valid():
        try:
            actions.transfer_employee(
                request.user,
                employee,
                form.cleaned_data["facility"],
                form.cleaned_data["date"],
                form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s dimutasi ke %(facility)s.")
                % {"name": employee.name, "facility": form.cleaned_data["facility"]},
            )
            return redirect("facilities:employee_detail", employee.pk)
    return render(request, "facilities/employee_transfer.html", {"form": form, "employee": employee})


@login_required
def roster_import(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, facility_id)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = actions.stage_roster_import(request.user, facility, upload.name, upload.read(), upload.kind)
        except roster.RosterFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("facilities:roster_import_preview", facility.pk, staged.pk)
    return render(request, "facilities/roster_import.html", {"form": form, "facility": facility})


def _get_import(request: HttpRequest, facility_id: int, import_id: int) -> tuple[Facility, RosterImport]:
    facility = access.get_facility_for_user(request.user, facility_id)
    return facility, get_object_or_404(RosterImport, pk=import_id, facility=facility)


@login_required
def roster_import_preview(request: HttpRequest, facility_id: int, import_id: int) -> HttpResponse:
    """What the import will change; POST applies it (once, atomically), or queues it when it is large."""
    facility, staged = _get_import(request, facility_id, import_id)
    if request.method == "POST" and staged.status == RosterImport.Status.PENDING:
        if request.POST.get("action") == "cancel":
            try:
                actions.cancel_roster_import(request.user, staged)
            except ValidationError as exc:
                messages.warning(request, " ".join(exc.messages))
            else:
                messages.info(request, _("Impor dibatalkan; tidak ada data yang diubah."))
            return redirect("facilities:roster", facility.pk)
        if staged.applies_in_background:
            try:
                actions.queue_roster_import(request.user, staged)
            except ValidationError as exc:
                messages.warning(request, " ".join(exc.messages))
            return redirect("facilities:roster_import_status", facility.pk, staged.pk)
        try:
            summary = actions.apply_roster_import(request.user, staged)
        except ValidationError as exc:
            messages.warning(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Impor diterapkan: %(created)d ditambahkan, %(updated)d diperbarui, %(unchanged)d tetap, "
                    "%(errors)d baris bermasalah dilewati."
                )
                % summary,
            )
        return redirect("facilities:roster_import_preview", facility.pk, staged.pk)
    if staged.status == RosterImport.Status.QUEUED:
        return redirect("facilities:roster_import_status", facility.pk, staged.pk)
    context: dict = {"facility": facility, "staged": staged}
    if staged.status == RosterImport.Status.APPLIED:
        # The result: what was applied, as recorded then, not a fresh comparison with the changed roster.
        context["outcome"] = roster.outcome_display(staged.outcome, staged.summary)
    else:
        context["plan"] = plan = roster.plan(
            facility, actions.rows_of(staged), may_name=lambda other: access.can_manage_facility(request.user, other)
        )
        context["outcome"] = roster.outcome_display(roster.outcome(plan))
    return render(request, "facilities/roster_import_preview.html", context)


@login_required
def roster_import_status(request: HttpRequest, facility_id: int, import_id: int) -> HttpResponse:
    """A queued import: its progress (the page refreshes itself), then the result or the failure."""
    facility, staged = _get_import(request, facility_id, import_id)
    job = RosterApply.objects.filter(roster_import=staged).first()
    if job is None:  # applied during the request, or not confirmed yet
        return redirect("facilities:roster_import_preview", facility.pk, staged.pk)
    job = jobs.refresh_if_stale(job)
    # Read after the job: the import commits before its job is marked done, never the other way.
    staged.refresh_from_db(fields=["status", "applied_at", "summary", "outcome"])
    context: dict = {"facility": facility, "staged": staged, "job": job}
    if staged.status == RosterImport.Status.APPLIED:
        context["outcome"] = roster.outcome_display(staged.outcome, staged.summary)
    return render(request, "facilities/roster_import_status.html", context)


@login_required
@require_POST
def roster_import_retry(request: HttpRequest, facility_id: int, import_id: int) -> HttpResponse:
    facility, staged = _get_import(request, facility_id, import_id)
    job = get_object_or_404(RosterApply, roster_import=staged)
    try:
        actions.retry_roster_apply(request.user, job)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Impor dijalankan lagi dari awal."))
    return redirect("facilities:roster_import_status", facility.pk, staged.pk)


@login_required
def roster_export(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = access.get_facility_for_user(request.user, facility_id)
    employees = facility.employees.active().order_by("name", "pk")
    return roster.export_response(facility, employees)


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    return roster.template_response()


# --- Logins of the roster: activation slips and password resets -------------------------


@login_required
@require_POST
def issue_codes(request: HttpRequest, facility_id: int) -> HttpResponse:
    """The facility head picks staff on the roster; each gets an account and a printed code."""
    facility = access.get_facility_for_user(request.user, facility_id)
    ids = parse_ids(request.POST.getlist("employee"))
    employees = list(Employee.objects.filter(facility=facility, pk__in=ids).select_related("user", "facility"))
    if not employees:
        messages.error(request, _("Pilih minimal satu pegawai untuk dibuatkan akun."))
        return redirect("facilities:roster", facility.pk)
    # A new code sets a new password: for an existing account that is a
    # password reset, allowed only where the reset itself is.
    refused = [e for e in employees if e.user is not None and not access.can_manage_user(request.user, e.user)]
    if refused:
        messages.error(
            request,
            _("Akun %(names)s tidak dapat Anda atur; minta admin Kanwil atau Pusat.")
            % {"names": ", ".join(e.name for e in refused)},
        )
        return redirect("facilities:roster", facility.pk)
    try:
        issued = actions.issue_activation_codes(request.user, employees)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("facilities:roster", facility.pk)
    slips = [{"name": e.name, "username": e.user.username, "code": code, "facility": e.facility} for e, code in issued]
    return slips_response(request, slips, "slip-aktivasi.pdf")


@login_required
@require_POST
def reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User.objects.select_related("employee__facility", "facility"), pk=user_id)
    if not access.can_manage_user(request.user, target):
        return HttpResponse(status=404)
    code = account_actions.reset_password(request.user, target)
    employee = getattr(target, "employee", None)
    slip = {
        "name": target.display_name,
        "username": target.username,
        "code": code,
        "facility": employee.facility if employee else target.facility,
    }
    return slips_response(request, [slip], "slip-reset-sandi.pdf")
