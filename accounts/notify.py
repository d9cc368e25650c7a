"""Email notifications: who gets one, and sending it exactly once, from a background task.

Domain apps decide *when* something needs attention and *who* should hear of it; they call
`notify(kind, key, user_ids, template, context, path)`, which queues `send_notification`. The task
drops users who turned that notification off or have no email address, claims each remaining
(user, kind, key) in the SentNotification ledger, renders the email and sends it. A request never
waits for the mail server.

Emails say that something needs attention and link to it (settings.SITE_URL + path); they never
carry a report's content, a reporter's identity or evidence. `context` must therefore hold only
what may be shown to every recipient (a facility name, a count, a reference number), and JSON.

Templates: `templates/notifications/<template>_subject.txt` (one line) and `<template>.txt`.

The app that sends a kind may `register()` it (from its AppConfig.ready; accounts imports no domain
app): a description and an audience for the preferences page, and a `still_due` check that the
sending task asks just before sending, so that someone who dealt with the matter after it was
queued (signed the pact, say) is not told to do it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import Notification, NotificationMute, SentNotification, User
from core.tasks import background_task, enqueue

logger = logging.getLogger(__name__)

# A mail server that refuses or is unreachable: the remaining emails are tried again later, this
# many times, waiting 2, 4, 8… minutes.
SEND_ATTEMPTS = 5
# Longer than a task of 500 emails takes even through a slow server (see in_flight).
IN_FLIGHT_FOR = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class KindRules:
    """What the app that sends a kind says about it (see `register`)."""

    description: str | Callable[[], str] = ""  # when it is sent, for the preferences page (read per request)
    audience: Callable[[User], bool] | None = None  # whom the page offers it to; None: everyone
    still_due: Callable[[list[int], str], Collection[int]] | None = None  # (user ids, key) → ids to send to


_rules: dict[str, KindRules] = {}


def register(
    kind: str,
    *,
    description: str | Callable[[], str] = "",
    audience: Callable[[User], bool] | None = None,
    still_due: Callable[[list[int], str], Collection[int]] | None = None,
) -> None:
    """Called by the app that sends `kind`, from its AppConfig.ready."""
    if kind not in Notification.values:
        raise ValueError(f"unknown notification {kind!r}")
    _rules[kind] = KindRules(description=description, audience=audience, still_due=still_due)


def rules(kind: str) -> KindRules:
    return _rules.get(kind, KindRules())


def describe(kind: str) -> str:
    """When `kind` is sent, in the current language ("" if its app does not say)."""
    description = rules(kind).description
    return str(description() if callable(description) else description)


def kinds_for(user: User) -> list[str]:
    """The kinds this user can receive, in the order of Notification: those without an audience rule
    are offered to everyone (turning off what one would never get is harmless; hiding what one
    would get is not)."""
    return [kind for kind in Notification.values if rules(kind).audience is None or rules(kind).audience(user)]


def muting(kind: str) -> QuerySet:
    """The ids of the users who turned `kind` off."""
    return NotificationMute.objects.filter(kind=kind).values("user_id")


def sent_to(kind: str, key: str, *, before: dt.datetime | None = None, prefix: bool = False) -> QuerySet:
    """The ids of the users the ledger says got `kind` on occasion `key` (before a moment, if given;
    on any occasion whose key starts with `key`, with prefix=True)."""
    sent = SentNotification.objects.filter(kind=kind, **{"key__startswith" if prefix else "key": key[:120]})
    if before is not None:
        sent = sent.filter(sent_at__lt=before)
    return sent.values("user_id")


def reachable(users: QuerySet[User], kind: str) -> QuerySet[User]:
    """The users who get `kind`: active, with an email address, and not having turned it off."""
    return users.filter(is_active=True).exclude(email="").exclude(pk__in=muting(kind))


def not_yet_sent(users: QuerySet[User], kind: str, key: str) -> QuerySet[User]:
    """Those of `users` who have not had `kind` on occasion `key`: what a periodic check queues, so
    that its next runs queue nothing for the people already told (the ledger still decides at
    sending time, for two runs that queue before either is sent)."""
    return users.exclude(pk__in=sent_to(kind, key))


def in_flight(kind: str, key: str, *, prefix: bool = False) -> bool:
    """Whether emails of `kind` on occasion `key` (or any key starting with it) wait in the queue or
    are being sent. A periodic check then leaves that occasion for its next run rather than queueing
    the same people again: sending a national campaign's ~100 tasks takes longer than the minutes
    between two runs. A task "running" for longer than IN_FLIGHT_FOR is taken for a dead worker's
    (its row would say running forever) and no longer holds the occasion back."""
    key_lookup = "args_kwargs__args__1__startswith" if prefix else "args_kwargs__args__1"
    return (
        DBTaskResult.objects.filter(task_path=send_notification.module_path, args_kwargs__args__0=kind)
        .filter(**{key_lookup: key})
        .filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=timezone.now() - IN_FLIGHT_FOR)
        )
        .exists()
    )


def without_email(users: QuerySet[User]) -> QuerySet[User]:
    """The active users no email can reach (shown as a count on the roster page)."""
    return users.filter(is_active=True, email="")


def muted_kinds(user: User) -> set[str]:
    return set(user.notification_mutes.values_list("kind", flat=True))


def set_preferences(user: User, enabled: Iterable[str]) -> None:
    """Turn on exactly the kinds in `enabled` (the rest off)."""
    enabled = set(enabled)
    with transaction.atomic():
        NotificationMute.objects.filter(user=user, kind__in=enabled).delete()
        NotificationMute.objects.bulk_create(
            [NotificationMute(user=user, kind=kind) for kind in Notification.values if kind not in enabled],
            ignore_conflicts=True,
        )


def notify(kind: str, key: str, user_ids: Iterable[int], template: str, context: dict, path: str) -> None:
    """Queue one notification for these users (in the caller's transaction)."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return
    if kind not in Notification.values:
        raise ValueError(f"unknown notification {kind!r}")
    enqueue(send_notification, kind, key, user_ids, template, context, path)


@background_task()
def send_notification(
    kind: str, key: str, user_ids: list[int], template: str, context: dict, path: str, attempt: int = 1
) -> int:
    """Send to each user who should get it and has not yet; returns the number sent."""
    recipients = list(reachable(User.objects.filter(pk__in=user_ids), kind).only("pk", "email").order_by("pk"))
    still_due = rules(kind).still_due
    if recipients and still_due is not None:
        due = set(still_due([user.pk for user in recipients], key))
        recipients = [user for user in recipients if user.pk in due]
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
        body = render_to_string(
            f"notifications/{template}.txt",
            {
                **context,
                "url": settings.SITE_URL + path,
                "settings_url": settings.SITE_URL + reverse("accounts:notifications"),
            },
        )
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    sent = 0
    unsent: list[int] = []
    connection = get_connection()
    try:
        for index, user in enumerate(recipients):
            claim = _claim(user, kind, key)
            if claim is None:
                continue  # already sent on this occasion
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection)
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused:
                # This address is refused; the others are not affected, and retrying will not help.
                claim.delete()
                logger.warning("notification %s:%s refused for user %s's address", kind, key, user.pk)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                # The server is down or refuses us: keep the rest for a later attempt.
                claim.delete()
                unsent = [other.pk for other in recipients[index:]]
                logger.warning("notification %s:%s interrupted: %s", kind, key, type(exc).__name__)
                break
            sent += 1
    finally:
        connection.close()
    if unsent:
        _retry_later(kind, key, unsent, template, context, path, attempt)
    logger.info("notification %s:%s sent to %d of %d", kind, key, sent, len(recipients), extra={"kind": kind})
    return sent


def _claim(user: User, kind: str, key: str) -> SentNotification | None:
    try:
        with transaction.atomic():
            return SentNotification.objects.create(user=user, kind=kind, key=key[:120])
    except IntegrityError:
        return None


def _retry_later(kind, key, user_ids, template, context, path, attempt: int) -> None:
    if attempt >= SEND_ATTEMPTS:
        logger.error("notification %s:%s gave up on %d user(s) after %d attempts", kind, key, len(user_ids), attempt)
        return
    later = timezone.now() + dt.timedelta(minutes=2**attempt)
    enqueue(send_notification.using(run_after=later), kind, key, user_ids, template, context, path, attempt + 1)
