"""Sudo mode: sensitive actions need a recent password (as in healthchecks).

The time of the last password entry is kept in the session: set at login
(receiver below) and again when the user confirms their password. After
settings.SUDO_MODE_WINDOW the wrapped view shows a password form on its own
URL instead of running; a correct password lets the request through again.
Failed confirmations go through `authenticate`, so django-axes counts them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.fields import PASSWORD_MAX_LENGTH

SESSION_KEY = "sudo_at"
FORM_FIELD = "sudo_password"


@receiver(user_logged_in, dispatch_uid="accounts.sudo.mark_login")
def _mark_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        mark(request)


def mark(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def is_recent(request: HttpRequest) -> bool:
    stamp = request.session.get(SESSION_KEY)
    if not isinstance(stamp, (int, float)):
        return False
    return 0 <= time.time() - stamp <= settings.SUDO_MODE_WINDOW.total_seconds()


class SudoForm(forms.Form):
    sudo_password = forms.CharField(
        label=gettext_lazy("Kata sandi Anda"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_sudo_password(self) -> str:
        password = self.cleaned_data["sudo_password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("Kata sandi salah."), code="bad_password")
        return password


def sudo_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Put after @login_required. Asks for the password when the last one is too old.

    A form posted while the window has passed is not lost: its fields ride
    along (hidden) with the password form and the view then gets them.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if is_recent(request):
            return view(request, *args, **kwargs)
        carried = []
        if request.method == "POST":
            carried = [
                (key, value)
                for key in request.POST
                if key not in (FORM_FIELD, "csrfmiddlewaretoken")
                for value in request.POST.getlist(key)
            ]
        form = SudoForm(request.POST if FORM_FIELD in request.POST else None, request=request)
        if form.is_bound and form.is_valid():
            mark(request)
            if not carried:
                return redirect(request.get_full_path())
            data = request.POST.copy()
            data.pop(FORM_FIELD, None)
            request.POST = data
            return view(request, *args, **kwargs)
        minutes = int(settings.SUDO_MODE_WINDOW.total_seconds() // 60)
        return render(request, "accounts/sudo.html", {"form": form, "minutes": minutes, "carried": carried})

    return wrapper
