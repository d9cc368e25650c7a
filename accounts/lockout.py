"""Failed-login lock-out (django-axes): per client, and per account across addresses.

Per client (AXES_LOCKOUT_PARAMETERS: username and address): AXES_FAILURE_LIMIT failures lock that
pair; an office behind one NAT address keeps its other accounts. Per account: LOGIN_ACCOUNT_FAILURE_LIMIT
failures from all addresses together within the cool-off lock the account, so 100 guesses spread over
20 addresses (5 each, under every per-client limit) are stopped after LOGIN_ACCOUNT_FAILURE_LIMIT.

What keeps an attacker from locking a real user out for ever:
- a lock ends AXES_COOLOFF_TIME after the failure that set it, and attempts refused during a lock are
  not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False), so hammering a locked account
  does not extend it; the lock page says when to try again;
- the account-wide lock does not apply to a browser that has logged into the account before (a
  signed "known device" cookie set at each successful login, OWASP's device cookies): the user's usual
  browser keeps only its own per-client limit while strangers' browsers are locked. Only a successful
  login sets the cookie, so holding one means having known the password. A browser the user never
  logged in with waits for the cool-off like everyone else.
"""

from __future__ import annotations

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

KNOWN_DEVICE_COOKIE = "perangkat_dikenal"
KNOWN_DEVICE_SALT = "accounts.lockout.known-device"
KNOWN_DEVICE_MAX_AGE = 60 * 60 * 24 * 180
KNOWN_DEVICE_ACCOUNTS = 5  # a shared office PC remembers its last few accounts


def _account_token(username: str) -> str:
    # The cookie names no account: a keyed hash of the username, not the NIP itself.
    return salted_hmac(KNOWN_DEVICE_SALT, username).hexdigest()[:20]


def _known_tokens(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(
        KNOWN_DEVICE_COOKIE, default=None, salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE
    )
    return value.split(",") if value else []


def is_known_device(request: HttpRequest, username: str) -> bool:
    return _account_token(username) in _known_tokens(request)


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful login: this browser is now a known device for `username`."""
    token = _account_token(username)
    tokens = [token] + [known for known in _known_tokens(request) if known != token]
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        ",".join(tokens[:KNOWN_DEVICE_ACCOUNTS]),
        salt=KNOWN_DEVICE_SALT,
        max_age=KNOWN_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the account-wide limit on top of the per-client one."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        username = get_client_username(request, credentials)
        if failures >= limit or not username or is_known_device(request, username):
            return failures
        account_failures = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (account_failures or 0) < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
            return failures
        request.account_locked_out = True
        return limit


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lock page, saying which lock and for how long."""
    cool_off = get_cool_off(request)
    response = render(
        request,
        "accounts/locked_out.html",
        {
            "account_wide": getattr(request, "account_locked_out", False),
            "minutes": math.ceil(cool_off.total_seconds() / 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
