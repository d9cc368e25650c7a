"""Task force activities (apel sosialisasi, training, monitoring) and their attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.files import file_response
from core.http import paginate, require
from satgas import access, actions, exports, selectors
from satgas.forms import ActivityForm
from satgas.models import Activity, TaskForce


def _activities(request: HttpRequest, task_force: TaskForce) -> tuple[QuerySet[Activity], str]:
    """The task force's activities with their counts, filtered by kind as asked: the page and its .xlsx."""
    activities = selectors.with_activity_counts(task_force.activities.all()).order_by("-date", "-pk")
    kind = request.GET.get("jenis", "")
    if kind in Activity.Kind.values:
        activities = activities.filter(kind=kind)
    return activities, kind


@login_required
def activity_list(request: HttpRequest, task_force_id: int) -> HttpResponse:
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    activities, kind = _activities(request, task_force)
    return render(
        request,
        "satgas/activity_list.html",
        {
            "task_force": task_force,
            "facility": task_force.facility,
            "page_obj": paginate(request, activities),
            "kind": kind,
            "kinds": Activity.Kind.choices,
            "can_record": access.can_record_activity(request.user, task_force),
        },
    )


@login_required
def activity_export(request: HttpRequest, task_force_id: int) -> HttpResponse:
    """The activities list as .xlsx, with the page's kind filter (every activity, not one page)."""
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    activities, _kind = _activities(request, task_force)
    return exports.activities_response(task_force, activities)


@login_required
def activity_create(request: HttpRequest, task_force_id: int) -> HttpResponse:
    task_force = access.get_task_force_for_user(request.user, task_force_id)
    require(access.can_record_activity(request.user, task_force))
    form = ActivityForm(request.POST or None, request.FILES or None, facility=task_force.facility)
    if request.method == "POST" and form.is_valid():
        try:
            activity = actions.record_activity(
                request.user,
                task_force,
                form.save(commit=False),
                form.cleaned_data["participants"],
                form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kegiatan dicatat."))
            return redirect("satgas:activity_detail", activity.pk)
    return render(
        request, "satgas/activity_form.html", {"task_force": task_force, "facility": task_force.facility, "form": form}
    )


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, activity_id)
    task_force = activity.task_force
    return render(
        request,
        "satgas/activity_detail.html",
        {
            "activity": activity,
            "task_force": task_force,
            "facility": task_force.facility,
            "participants": activity.participants.order_by("name"),
            "attachments": activity.attachments.all(),
            "can_edit": access.can_record_activity(request.user, task_force),
        },
    )


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = access.get_activity_for_user(request.user, activity_id)
    task_force = activity.task_force
    require(access.can_record_activity(request.user, task_force))
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity, facility=task_force.facility)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(
                request.user,
                form.save(commit=False),
                form.changed_data,
                form.cleaned_data["participants"],
                form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect("satgas:activity_detail", activity.pk)
    return render(
        request,
        "satgas/activity_form.html",
        {"task_force": task_force, "facility": task_force.facility, "form": form, "activity": activity},
    )


@login_required
def attachment_file(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = access.get_attachment_for_user(request.user, attachment_id)
    return file_response(attachment.file, name=f"lampiran-{attachment.pk}", kinds={attachment.kind}, inline=True)
