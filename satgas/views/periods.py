"""Election periods, managed by the national admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.http import paginate, require
from satgas import access, actions
from satgas.forms import PeriodForm
from satgas.models import Period


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    require(access.can_manage_periods(request.user))
    periods = Period.objects.annotate(task_force_count=Count("task_forces")).order_by("-start_date", "name")
    return render(request, "satgas/period_list.html", {"page_obj": paginate(request, periods)})


@login_required
def period_edit(request: HttpRequest, period_id: int | None = None) -> HttpResponse:
    require(access.can_manage_periods(request.user))
    period = get_object_or_404(Period, pk=period_id) if period_id else None
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_period(request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Periode %(name)s disimpan.") % {"name": saved.name})
            return redirect("satgas:period_list")
    return render(request, "satgas/period_form.html", {"form": form, "period": period})
