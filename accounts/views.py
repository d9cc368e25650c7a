from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts import actions, lockout, notify, sudo
from accounts.forms import (
    ActivationForm,
    BoundedPasswordChangeForm,
    LoginForm,
    NotificationSettingsForm,
    normalize_username,
)
from core import ratelimit

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


# Activation proves the slip's code and sets the password; the person is signed in with the model
# backend, the last in settings (axes' backend only guards `authenticate`, which activation does not call).
ACTIVATION_BACKEND = settings.AUTHENTICATION_BACKENDS[-1]


def activate(request: HttpRequest) -> HttpResponse:
    """Set one's own password with the code from the printed slip, and be signed in with it."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST":
        if _activation_limited(request):
            form.is_valid()  # keep what was typed on the page
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi dalam satu jam."))
            return render(request, "accounts/activate.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                user = actions.activate_account(
                    form.cleaned_data["username"], form.cleaned_data["code"], form.cleaned_data["password1"]
                )
            except actions.ActivationError as exc:
                form.add_error(None, str(exc))
            else:
                # login() gives the browser a new session key (or a fresh session if another account
                # was signed in) and fires user_logged_in: axes logs it, sudo mode starts, an open
                # report follow-up ends, as after the login form.
                login(request, user, backend=ACTIVATION_BACKEND)
                messages.success(request, _("Akun Anda aktif dan Anda sudah masuk dengan kata sandi baru."))
                response = redirect("dashboard")
                lockout.remember_device(request, response, user.get_username())
                return response
    return render(request, "accounts/activate.html", {"form": form})


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which emails the user gets, and the address they go to.

    Changing the address asks for the password when the login is older than the sudo window, as
    signing does: it decides where the campaign and case emails of this account go, and a borrowed
    or forgotten session must not be able to divert them. Ticking boxes does not ask."""
    user = request.user
    offered = notify.kinds_for(user)
    muted = notify.muted_kinds(user)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        offered=offered,
        initial={"email": user.email, "kinds": [kind for kind in offered if kind not in muted]},
    )
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if email != user.email and not sudo.is_recent(request):
            return _notification_settings_with_password(request)
        actions.save_notification_settings(
            user, email=email, offered=offered, enabled=form.cleaned_data.get("kinds", [])
        )
        messages.success(request, _("Pengaturan notifikasi disimpan."))
        if not email:
            messages.warning(request, _("Tanpa alamat email, Anda tidak akan menerima notifikasi apa pun."))
        return redirect("accounts:notifications")
    return render(request, "accounts/notifications.html", {"form": form, "has_email": bool(user.email)})


# The password form carries the posted fields along; once it is confirmed, the view runs again with
# them and saves.
_notification_settings_with_password = sudo.sudo_required(notification_settings)
