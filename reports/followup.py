"""The reporter's own session: a receipt code waiting to be shown once, or the report a code opened.

It is kept apart from the login session on purpose. A logged-in employee who
files a report or checks a receipt code must not end up with that report
next to their user id in one session row, so this session has its own table
(`FollowupSession`), its own cookie (HttpOnly, SameSite=Strict) and never a
user. It lasts as long as the follow-up window, and logging in or out ends it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.backends.db import SessionStore
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

COOKIE = "lapor_sesi"
# The whole site, not /lapor/ only: a browser sends a cookie only to the paths it names, and the
# login and logout pages must see this one to end it.
PATH = "/"
MINUTES = 30

REPORT = "report"
RECEIPT = "receipt"
NOTICE = "notice"


class FollowupStore(SessionStore):
    @classmethod
    def get_model_class(cls):
        from reports.models import FollowupSession

        return FollowupSession


def current(request: HttpRequest) -> FollowupStore:
    """The store the request's cookie names (empty when there is none, or it has expired)."""
    return FollowupStore(request.COOKIES.get(COOKIE))


def fresh(request: HttpRequest) -> FollowupStore:
    """A new store with a new key, for a new receipt or a newly opened report. The old one ends, so that
    one row never ties two reports to the same browser, and a key is never carried over."""
    from reports.models import FollowupSession

    old = current(request)
    if old.session_key:
        old.delete()
    FollowupSession.objects.filter(expire_date__lt=timezone.now()).delete()
    store = FollowupStore()
    store.set_expiry(timezone.now() + dt.timedelta(minutes=MINUTES))
    return store


def save(store: FollowupStore, response: HttpResponse) -> HttpResponse:
    """Write the store and its cookie; an emptied store is deleted along with the cookie."""
    if not any(key for key in store.keys() if not key.startswith("_")):
        if store.session_key:  # a live store, now emptied (a missing or expired one loads without a key)
            store.delete()
            response.delete_cookie(COOKIE, path=PATH, samesite="Strict")
        return response
    if store.modified or store.session_key is None:
        store.save()
    response.set_cookie(
        COOKIE,
        store.session_key,
        max_age=max(store.get_expiry_age(), 0),
        path=PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def _end(request: HttpRequest | None) -> None:
    if request is None:
        return
    key = request.COOKIES.get(COOKIE)
    if key:
        FollowupStore(key).delete()


@receiver(user_logged_in, dispatch_uid="reports.followup.end_on_login")
def end_on_login(sender, request=None, user=None, **kwargs) -> None:
    """Logging in ends an open follow-up: a report is never followed up from inside a login."""
    _end(request)


@receiver(user_logged_out, dispatch_uid="reports.followup.end_on_logout")
def end_on_logout(sender, request=None, user=None, **kwargs) -> None:
    _end(request)
