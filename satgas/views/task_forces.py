"""Task forces: lists and the regional overview, appointment by SK, member changes, inauguration."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fields import parse_ids
from core.files import file_response
from core.http import paginate, require
from core.pdf import pdf_response, render_pdf
from core.uploads import IMAGE_KINDS
from facilities import access as facilities_access
from satgas import access, actions, exports, selectors
from satgas.forms import (
    AddMemberForm,
    AppointmentForm,
    EndTaskForceForm,
    InaugurationForm,
    OverviewFilterForm,
    RemoveMemberForm,
    ReplaceMemberForm,
    TaskForceCreateForm,
    TaskForceFilterForm,
)
from satgas.models import Membership, Period, TaskForce

# --- Lists ---------------------------------------------------------------------


@login_required
def task_force_list(request: HttpRequest) -> HttpResponse:
    """The task forces a user can open: their facility's, or (for admins) their scope's."""
    user = request.user
    task_forces = (
        selectors.with_member_count(access.visible_task_forces(user))
        .select_related("facility__regional_office", "period")
        .order_by("-period__start_date", "facility__regional_office__province", "facility__name")
    )
    form = TaskForceFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["period"]:
            task_forces = task_forces.filter(period=form.cleaned_data["period"])
        if form.cleaned_data["state"]:
            task_forces = task_forces.filter(state=form.cleaned_data["state"])
    can_create = access.can_form_own_task_force(user)
    return render(
        request,
        "satgas/task_force_list.html",
        {
            "form": form,
            "page_obj": paginate(request, task_forces),
            "can_create": can_create,
            "can_overview": access.can_view_task_force_overview(user),
            "can_inaugurate": access.can_inaugurate(user),
        },
    )


@login_required
def facility_task_force(request: HttpRequest, facility_id: int) -> HttpResponse:
    """From a roster page: the facility's latest task force, or the page to form one."""
    facility = facilities_access.get_facility_for_user(request.user, facility_id)
    task_force = (
        access.visible_task_forces(request.user)
        .filter(facility=facility)
        .order_by("-period__start_date", "-pk")
        .first()
    )
    if task_force is not None:
        return redirect("satgas:detail", task_force.pk)
    if access.can_form_task_force(request.user, facility):
        messages.info(request, _("%(facility)s belum mempunyai Satgas.") % {"facility": facility.name})
        return redirect("satgas:create")
    messages.info(request, _("%(facility)s belum mempunyai Satgas.") % {"facility": facility.name})
    return redirect(f"{reverse('satgas:overview')}?{urlencode({'q': facility.name})}")


@dataclass
class _Overview:
    form: OverviewFilterForm
    period: Period | None
    regions: QuerySet
    counts: dict[str, int]
    facilities: QuerySet  # filtered, with their task force of the period (selectors.with_task_force)

    @property
    def states(self) -> list[tuple[str, str]]:
        return [(selectors.NOT_FORMED, _("Belum dibentuk"))] + list(TaskForce.State.choices)


def _overview(request: HttpRequest) -> _Overview:
    """The overview's figures for the request's filters: the page and its .xlsx read the same ones."""
    user = request.user
    require(access.can_view_task_force_overview(user))
    regions = facilities_access.visible_regions(user)
    data = request.GET.copy()
    default_period = Period.default()
    if not data.get("period") and default_period is not None:
        data["period"] = str(default_period.pk)
    form = OverviewFilterForm(data, regions=regions)
    period = None
    facilities = facilities_access.managed_facilities(user).filter(is_active=True).select_related("regional_office")
    if form.is_valid():
        period = form.cleaned_data["period"]
        if form.cleaned_data["region"]:
            facilities = facilities.filter(regional_office=form.cleaned_data["region"])
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            facilities = facilities.filter(Q(name__icontains=q) | Q(city__icontains=q))
    # The counts per state before the state filter, so the badges show the whole picture.
    counts = selectors.state_counts(facilities, period)
    facilities = selectors.with_task_force(facilities, period)
    state = form.cleaned_data.get("state") if form.is_valid() else ""
    if state == selectors.NOT_FORMED:
        facilities = facilities.filter(tf_state__isnull=True)
    elif state:
        facilities = facilities.filter(tf_state=state)
    facilities = facilities.order_by("regional_office__province", "name")
    return _Overview(form=form, period=period, regions=regions, counts=counts, facilities=facilities)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every facility of the region(s) with its task force state for one period: no per-row queries."""
    user = request.user
    view = _overview(request)
    return render(
        request,
        "satgas/overview.html",
        {
            "form": view.form,
            "period": view.period,
            "page_obj": paginate(request, view.facilities),
            "state_counts": [(value, label, view.counts[value]) for value, label in view.states],
            "grouped": view.regions.count() > 1,
            "can_inaugurate": access.can_inaugurate(user),
            "can_manage_periods": access.can_manage_periods(user),
        },
    )


@login_required
def overview_export(request: HttpRequest) -> HttpResponse:
    """The overview as .xlsx, with the page's filters (every matching UPT, not one page of them)."""
    view = _overview(request)
    require(view.period is not None)
    return exports.overview_response(view.period, view.facilities, dict(view.states))


# --- One task force --------------------------------------------------------------


@login_required
def task_force_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(access.can_form_own_task_force(user))
    facility = facilities_access.get_facility_for_user(user, user.facility_id)
    require(access.can_form_task_force(user, facility))
    form = TaskForceCreateForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        try:
            task_force = actions.create_task_force(user, facility, form.cleaned_data["period"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draf Satgas dibuat. Pilih anggota dan unggah SK untuk menetapkannya."))
            return redirect("satgas:appoint", task_force.pk)
    return render(request, "satgas/task_force_create.html", {"form": form, "facility": facility})


@login_required
def task_force_detail(request: HttpRequest, task_force_id: int) -> HttpResponse:
    user = request.user
    task_force = access.get_task_force_for_user(user, task_force_id)
    memberships = list(
        task_force.memberships.select_related("employee", "replaced_by__employee").order_by(
            "end_date", "role", "employee__name"
        )
    )
    role_order = {Membership.Role.KETUA: 0, Membership.Role.SEKRETARIS: 1, Membership.Role.ANGGOTA: 2}
    current = sorted((m for m in memberships if m.is_current), key=lambda m: (role_order[m.role], m.employee.name))
    history = sorted((m for m in memberships if not m.is_current), key=lambda m: (m.end_date, m.pk), reverse=True)
    activities = selectors.with_activity_counts(task_force.activities.all()).order_by("-date", "-pk")[:5]
    can_manage = access.can_manage_task_force(user, task_force)
    return render(
        request,
        "satgas/task_force_detail.html",
        {
            "task_force": task_force,
            "facility": task_force.facility,
            "current": current,
            "departed": [m for m in current if m.left_facility],
            "history": history,
            "activities": activities,
            "activity_count": task_force.activities.count(),
            "can_manage": can_manage,
            "can_change_members": can_manage and task_force.is_active,
            "can_add_member": can_manage and task_force.is_active and len(current) < _max_members(),
            "can_inaugurate": access.can_inaugurate_task_force(user, task_force)
            and task_force.state == TaskForce.State.APPOINTED,
            "can_end": access.can_end_task_force(user, task_force) and task_force.state != TaskForce.State.ENDED,
            "can_record": access.can_record_activity(user, task_force),
            "can_overview": access.can_view_task_force_overview(user),
        },
    )


def _max_members() -> int:
    return settings.SATGAS_MAX_MEMBERS


@login_required
def appoint(request: HttpRequest, task_force_id: int) -> HttpResponse:
    """Pick the members from the facility's active roster, give each a role, upload the SK."""
    user = request.user
    task_force = access.get_task_force_for_user(user, task_force_id)
    require(access.can_manage_task_force(user, task_force))
    if task_force.state != TaskForce.State.DRAFT:
        messages.info(request, _("Satgas ini sudah ditetapkan; susunannya diubah lewat penggantian anggota."))
        return redirect("satgas:detail", task_force.pk)
    employees = task_force.facility.employees.active().order_by("name")
    save_only = request.method == "POST" and request.POST.get("action") == "draft"
    form = AppointmentForm(
        request.POST or None,
        request.FILES or None,
        task_force=task_force,
        employees=employees,
        appoint=not save_only,
        initial={
            "decree_number": task_force.decree_number,
            "decree_date": task_force.decree_date,
            "decree_signer": task_force.decree_signer
            or (task_force.facility.head.name if task_force.facility.head else ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {
            "decree_number": data["decree_number"],
            "decree_date": data["decree_date"],
            "decree_signer": data["decree_signer"],
            "decree_file": data["decree_file"] or None,
        }
        try:
            if save_only:
                actions.save_draft(user, task_force, data["members"], **kwargs)
            else:
                actions.appoint(user, task_force, data["members"], **kwargs)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if save_only:
                messages.success(request, _("Draf disimpan (%(n)d anggota dipilih).") % {"n": len(data["members"])})
                return redirect("satgas:appoint", task_force.pk)
            messages.success(
                request,
                _("Satgas %(facility)s ditetapkan dengan SK %(number)s; %(n)d anggota.")
                % {"facility": task_force.facility.name, "number": data["decree_number"], "n": len(data["members"])},
            )
            return redirect("satgas:detail", task_force.pk)
    selected = sum(1 for _employee, field in form.rows() if field.value())
    return render(
        request,
        "satgas/appoint.html",
        {
            "task_force": task_force,
            "facility": task_force.facility,
            "form": form,
            "selected": selected,
            "max_members": _max_members(),
            "ppnpn_may_chair": settings.SATGAS_PPNPN_MAY_CHAIR,
        },
    )


@login_required
def decree_file(request: HttpRequest, task_force_id: int) -> FileResponse:
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    return file_response(task_force.decree_file, name=f"sk-satgas-{task_force.pk}", kinds={"pdf"}, inline=True)


@login_required
def membership_pdf(request: HttpRequest, task_force_id: int) -> HttpResponse:
    """The membership list attached to the SK (lampiran), with the facility's letterhead."""
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    role_order = {Membership.Role.KETUA: 0, Membership.Role.SEKRETARIS: 1, Membership.Role.ANGGOTA: 2}
    members = sorted(
        task_force.memberships.current().select_related("employee"),
        key=lambda m: (role_order[m.role], m.employee.name),
    )
    facility = task_force.facility
    head = facility.head
    # The head's NIP goes under the signature when the head signed (or no signer was recorded).
    signer_employee = head if head and task_force.decree_signer in ("", head.name) else None
    pdf = render_pdf(
        "satgas/membership.pdf.html",
        {
            "task_force": task_force,
            "facility": facility,
            "region": facility.regional_office,
            "ministry": facility.regional_office.ministry,
            "members": members,
            "signer": task_force.decree_signer or (head.name if head else ""),
            "signer_employee": signer_employee,
            "printed_on": timezone.localdate(),
        },
    )
    return pdf_response(pdf, f"lampiran-sk-satgas-{task_force.pk}.pdf", inline=True)


def _member(request: HttpRequest, task_force_id: int, membership_id: int) -> tuple[TaskForce, Membership]:
    """The task force and one of its memberships, for its head: 404 outside the scope, 403 for others."""
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    membership = get_object_or_404(
        Membership.objects.select_related("employee"), pk=membership_id, task_force=task_force
    )
    require(access.can_manage_task_force(request.user, task_force))
    return task_force, membership


def _unchangeable(request: HttpRequest, task_force: TaskForce, membership: Membership) -> HttpResponse | None:
    """Back to the task force, with the reason, when the membership can no longer be changed; else None."""
    if task_force.is_active and membership.is_current:
        return None
    messages.warning(request, _("Anggota ini tidak dapat diubah lagi."))
    return redirect("satgas:detail", task_force.pk)


def _candidates(task_force: TaskForce):
    return (
        task_force.facility.employees.active()
        .exclude(task_force_memberships__task_force=task_force, task_force_memberships__end_date__isnull=True)
        .order_by("name")
    )


@login_required
def member_replace(request: HttpRequest, task_force_id: int, membership_id: int) -> HttpResponse:
    task_force, membership = _member(request, task_force_id, membership_id)
    if (refused := _unchangeable(request, task_force, membership)) is not None:
        return refused
    form = ReplaceMemberForm(request.POST or None, membership=membership, candidates=_candidates(task_force))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            successor = actions.replace_member(
                request.user,
                membership,
                data["employee"],
                date=data["date"],
                reason=data["reason"],
                decree_reference=data["decree_reference"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(old)s digantikan oleh %(new)s sebagai %(role)s.")
                % {
                    "old": membership.employee.name,
                    "new": successor.employee.name,
                    "role": successor.get_role_display(),
                },
            )
            return redirect("satgas:detail", task_force.pk)
    return render(
        request,
        "satgas/member_change.html",
        {
            "task_force": task_force,
            "facility": task_force.facility,
            "membership": membership,
            "form": form,
            "mode": "replace",
        },
    )


@login_required
def member_remove(request: HttpRequest, task_force_id: int, membership_id: int) -> HttpResponse:
    task_force, membership = _member(request, task_force_id, membership_id)
    if (refused := _unchangeable(request, task_force, membership)) is not None:
        return refused
    form = RemoveMemberForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.remove_member(
                request.user,
                membership,
                date=data["date"],
                reason=data["reason"],
                decree_reference=data["decree_reference"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s diberhentikan dari Satgas.") % {"name": membership.employee.name})
            return redirect("satgas:detail", task_force.pk)
    return render(
        request,
        "satgas/member_change.html",
        {
            "task_force": task_force,
            "facility": task_force.facility,
            "membership": membership,
            "form": form,
            "mode": "remove",
        },
    )


@login_required
def member_add(request: HttpRequest, task_force_id: int) -> HttpResponse:
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    require(access.can_manage_task_force(request.user, task_force))
    if not task_force.is_active:
        messages.warning(request, _("Susunan hanya dapat diubah pada Satgas yang sudah ditetapkan dan belum berakhir."))
        return redirect("satgas:detail", task_force.pk)
    form = AddMemberForm(request.POST or None, candidates=_candidates(task_force))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = actions.add_member(
                request.user,
                task_force,
                data["employee"],
                data["role"],
                date=data["date"],
                decree_reference=data["decree_reference"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s ditambahkan sebagai %(role)s.")
                % {"name": membership.employee.name, "role": membership.get_role_display()},
            )
            return redirect("satgas:detail", task_force.pk)
    return render(
        request,
        "satgas/member_change.html",
        {"task_force": task_force, "facility": task_force.facility, "form": form, "mode": "add"},
    )


@login_required
def task_force_end(request: HttpRequest, task_force_id: int) -> HttpResponse:
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    require(access.can_end_task_force(request.user, task_force))
    if task_force.state == TaskForce.State.ENDED:
        messages.info(request, _("Satgas ini sudah berakhir."))
        return redirect("satgas:detail", task_force.pk)
    form = EndTaskForceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_task_force(request.user, task_force, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Satgas dinyatakan berakhir; keanggotaan dan akses anggotanya berakhir."))
            return redirect("satgas:detail", task_force.pk)
    return render(
        request, "satgas/task_force_end.html", {"task_force": task_force, "facility": task_force.facility, "form": form}
    )


# --- Inauguration ----------------------------------------------------------------


@login_required
def inaugurate(request: HttpRequest) -> HttpResponse:
    """One ceremony for several of the region's appointed task forces."""
    user = request.user
    require(access.can_inaugurate(user))
    region = facilities_access.get_region_for_user(user, user.regional_office_id)
    candidates = (
        TaskForce.objects.filter(state=TaskForce.State.APPOINTED, facility__regional_office=region)
        .select_related("facility", "period")
        .order_by("period__start_date", "facility__name")
    )
    initial = {
        "official": region.head_name or region.head_title,
        "task_forces": parse_ids(request.GET.getlist("satgas")),
    }
    form = InaugurationForm(request.POST or None, request.FILES or None, task_forces=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inauguration = actions.inaugurate(
                user,
                region,
                data["task_forces"],
                date=data["date"],
                place=data["place"],
                official=data["official"],
                photo=data["photo"] or None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(n)d Satgas dikukuhkan pada %(date)s.")
                % {"n": len(data["task_forces"]), "date": inauguration.date.strftime("%d-%m-%Y")},
            )
            return redirect("satgas:overview")
    return render(
        request, "satgas/inaugurate.html", {"form": form, "region": region, "has_candidates": candidates.exists()}
    )


@login_required
def inauguration_photo(request: HttpRequest, inauguration_id: int) -> FileResponse:
    inauguration = access.get_inauguration_for_user(request.user, inauguration_id)
    return file_response(inauguration.photo, name=f"pengukuhan-{inauguration.pk}", kinds=IMAGE_KINDS, inline=True)
