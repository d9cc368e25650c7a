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
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Notification, NotificationMute, SentNotification, User
from core.tasks import background_task, enqueue

logger = logging.getLogger(__name__)

# A mail server that refuses or is unreachable: the remaining emails are tried again later, this
# many times, waiting 2, 4, 8… minutes.
SEND_ATTEMPTS = 5


def reachable(users: QuerySet[User], kind: str) -> QuerySet[User]:
    """The users who get `kind`: active, with an email address, and not having turned it off."""
    return (
        users.filter(is_active=True)
        .exclude(email="")
        .exclude(pk__in=NotificationMute.objects.filter(kind=kind).values("user_id"))
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
    recipients = list(reachable(User.objects.filter(pk__in=user_ids), kind).only("pk", "email"))
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"notifications/{template}_subject.txt", context).strip()
        body = render_to_string(
            f"notifications/{template}.txt",
            {**context, "url": settings.SITE_URL + path, "settings_url": settings.SITE_URL + "/akun/notifikasi/"},
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
