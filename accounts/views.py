from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import actions, lockout
from accounts.forms import ActivationForm, BoundedPasswordChangeForm, LoginForm, normalize_username
from accounts.models import User
from config import ratelimit
from config.fields import parse_ids
from config.pdf import pdf_response, render_pdf
from facilities import access
from facilities.models import Employee

# Attempts per hour. A whole Lapas may share one NAT address and activate the
# same morning, so the tight limit is per username from an address; the
# address as a whole gets a looser one. A 60-bit code cannot be guessed in
# either budget.
ACTIVATION_LIMIT = 10  # per username and client address
ACTIVATION_CLIENT_LIMIT = 100  # per client address, all usernames together


def _activation_limited(request: HttpRequest) -> bool:
    client = ratelimit.client_fingerprint(request)
    username = normalize_username(request.POST.get("username", ""))
    per_user = hashlib.sha256(f"{client}:{username}".encode()).hexdigest()[:32]
    over_user = ratelimit.hit("activate", per_user, limit=ACTIVATION_LIMIT, window=3600)
    over_client = ratelimit.hit("activate-client", client, limit=ACTIVATION_CLIENT_LIMIT, window=3600)
    return over_user or over_client


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.remember_device(self.request, response, form.get_user().get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = BoundedPasswordChangeForm
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        messages.success(self.request, _("Kata sandi Anda telah diganti."))
        return super().form_valid(form)


def activate(request: HttpRequest) -> HttpResponse:
    """Set one's own password with the code from the printed slip."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST":
        if _activation_limited(request):
            form.is_valid()  # keep what was typed on the page
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi dalam satu jam."))
            return render(request, "accounts/activate.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                actions.activate_account(
                    form.cleaned_data["username"], form.cleaned_data["code"], form.cleaned_data["password1"]
                )
            except actions.ActivationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Akun Anda aktif. Silakan masuk dengan kata sandi baru."))
                return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form})


def _slips_response(request: HttpRequest, slips: list[dict], filename: str) -> HttpResponse:
    activate_url = request.build_absolute_uri(reverse_lazy("accounts:activate"))
    days = settings.ACTIVATION_CODE_TTL.days
    pdf = render_pdf("accounts/activation_slips.pdf.html", {"slips": slips, "activate_url": activate_url, "days": days})
    return pdf_response(pdf, filename)


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
    return _slips_response(request, slips, "slip-aktivasi.pdf")


@login_required
@require_POST
def reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User.objects.select_related("employee__facility", "facility"), pk=user_id)
    if not access.can_manage_user(request.user, target):
        return HttpResponse(status=404)
    code = actions.reset_password(request.user, target)
    employee = getattr(target, "employee", None)
    slip = {
        "name": target.display_name,
        "username": target.username,
        "code": code,
        "facility": employee.facility if employee else target.facility,
    }
    return _slips_response(request, [slip], "slip-reset-sandi.pdf")
