"""Emails to the handlers of violation reports: a new report, the reporter writing or adding evidence,
and the acknowledgement and response clocks nearing and passing (docs/domain.md §5).

Who is told is `reports.access.handlers_by_report`: the rule `visible_reports` applies, read the other
way, at the moment the occasion arises (intake, the reporter's post, the periodic check). The actions
call these functions inside their own transaction; `accounts.notify.notify` queues the sending, so a
request never waits for the mail server, and a transaction that rolls back sends nothing.

An email says that a case needs attention, where, and links to the case page, behind a login. It
carries only what `_context` builds: the UPT's name, the case number (`Report.reference`, never the
receipt code, which is the reporter's secret), the state and the deadlines. Never the report's text,
its category, the reported person, the reporter's name or contact, or anything about the evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, SentNotification, User
from accounts.notify import notify, reachable
from accounts.notify import register as register_kind
from reports import access
from reports.models import (
    OPEN_STATES,
    DeadlineNotice,
    Evidence,
    Message,
    Report,
    State,
    nearing_conditions,
    overdue_conditions,
)

# A reporter's message posted again with the same text within this time is the same post replayed
# (a double click, a browser resending the form): the handlers are told of it once.
REPLAY_WINDOW = dt.timedelta(minutes=10)
# Reports handled per round of the deadline check: one recipients computation (three queries) each.
CHUNK = 500
# A deadline email queued but not in the ledger after this long was given up on (accounts.notify retries
# a refusing mail server for about half an hour): the check queues it again. Before that, it waits.
REQUEUE_AFTER = dt.timedelta(hours=2)


def _when(value: dt.datetime) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(timezone.localtime(value), "j F Y, H.i T")


def _context(report: Report) -> dict:
    """Everything an email about `report` may say (JSON, the same for every recipient)."""
    with translation.override(settings.LANGUAGE_CODE):
        state = str(State(report.state).label)
    return {
        "facility": report.facility.name,
        "reference": report.reference,
        "state": state,
        "ack_due": _when(report.ack_due),
        "response_due": _when(report.response_due),
    }


def _path(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def report_filed(report: Report) -> None:
    """A new report: its handlers are told that it arrived (the evidence filed with it included)."""
    notify(
        Notification.REPORT_NEW,
        f"{report.pk}:new",
        access.report_handlers(report),
        "report_new",
        _context(report),
        _path(report),
    )


def reporter_wrote(message: Message) -> None:
    """The reporter wrote: one email per message, and one for a replay of it (see REPLAY_WINDOW)."""
    report = message.report
    first = (
        Message.objects.filter(
            report_id=report.pk,
            from_reporter=True,
            body=message.body,
            created_at__gte=message.created_at - REPLAY_WINDOW,
            created_at__lte=message.created_at,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    notify(
        Notification.REPORT_MESSAGE,
        f"{report.pk}:message:{first or message.pk}",
        access.report_handlers(report),
        "report_message",
        {**_context(report), "what": "message"},
        _path(report),
    )


def reporter_added_evidence(report: Report, stored: list[Evidence]) -> None:
    """The reporter added evidence: one email per batch. The key is the batch's content (the stored
    files' hashes, the same for the same files), so a replayed upload is not announced twice."""
    if not stored:
        return
    digest = hashlib.sha256(",".join(sorted(evidence.sha256 for evidence in stored)).encode()).hexdigest()[:40]
    notify(
        Notification.REPORT_MESSAGE,
        f"{report.pk}:evidence:{digest}",
        access.report_handlers(report),
        "report_message",
        {**_context(report), "what": "evidence", "count": len(stored)},
        _path(report),
    )


def _chunks(items: Iterable[Report], size: int) -> Iterator[list[Report]]:
    chunk: list[Report] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Tell the handlers of open cases whose acknowledgement (7 days) or response (30 days) is due within
    REPORT_DEADLINE_WARNING_DAYS, or past: each report once per clock and phase, whoever handles it then.

    For `manage.py run_periodic` (settings.PERIODIC_JOBS). Idempotent: a report whose occasion is in the
    ledger is not looked at again, nor one queued within REQUEUE_AFTER (DeadlineNotice: a backlog in the
    queue or a mail server that is down does not make every run queue it anew), and the ledger stops a
    second sending of what two overlapping runs queued. A report none of whose handlers can get email is
    passed over, and picked up by a later run once one can. Returns the number of reports whose handlers
    were queued an email, by occasion.
    """
    now = now or timezone.now()
    ack_near, response_near = nearing_conditions(now)
    ack_past, response_past = overdue_conditions(now)
    occasions = {
        "ack:near": ack_near,
        "ack:past": ack_past,
        "response:near": response_near,
        "response:past": response_past,
    }
    kind = Notification.REPORT_DEADLINE
    queued: dict[str, int] = {}
    for occasion, condition in occasions.items():
        told = SentNotification.objects.filter(
            kind=kind, key=Concat(Cast(OuterRef("pk"), CharField()), Value(f":{occasion}"))
        )
        queued_lately = DeadlineNotice.objects.filter(
            report=OuterRef("pk"), occasion=occasion, queued_at__gt=now - REQUEUE_AFTER
        )
        due = (
            Report.objects.filter(condition, state__in=OPEN_STATES)
            .exclude(Exists(told))
            .exclude(Exists(queued_lately))
            .select_related("facility")
            .only("pk", "state", "created_at", "facility__name")
            .order_by("pk")
        )
        clock, phase = occasion.split(":")
        queued[occasion] = 0
        for chunk in _chunks(due.iterator(chunk_size=CHUNK), CHUNK):
            handlers = access.handlers_by_report(Report.objects.filter(pk__in=[report.pk for report in chunk]))
            everyone = set().union(*handlers.values())
            can_get = set(reachable(User.objects.filter(pk__in=everyone), kind).values_list("pk", flat=True))
            notices = []
            # The tasks and the notices that they were queued are written together, or neither is.
            with transaction.atomic():
                for report in chunk:
                    recipients = handlers.get(report.pk, set()) & can_get
                    if not recipients:
                        continue
                    due_at = report.ack_due if clock == "ack" else report.response_due
                    notify(
                        kind,
                        f"{report.pk}:{occasion}",
                        recipients,
                        "report_deadline",
                        {**_context(report), "clock": clock, "phase": phase, "due": _when(due_at)},
                        _path(report),
                    )
                    notices.append(DeadlineNotice(report_id=report.pk, occasion=occasion, queued_at=now))
                DeadlineNotice.objects.bulk_create(
                    notices, update_conflicts=True, unique_fields=["report", "occasion"], update_fields=["queued_at"]
                )
            queued[occasion] += len(notices)
    return queued


# --- Registration with accounts.notify -------------------------------------------------------------


def _still_handling(user_ids: list[int], key: str) -> set[int]:
    """accounts.notify's last check before sending a report email: of the users it was queued for,
    those who handle the case *now* (a member replaced, or a case that became the Kanwil's alone,
    between queueing and sending, is not told); for a deadline, only while that deadline still stands."""
    report_id, _, occasion = key.partition(":")
    report = Report.objects.filter(pk=int(report_id)).first()
    if report is None:
        return set()
    if occasion in _DEADLINE_OCCASIONS:
        ack_near, response_near = nearing_conditions()
        ack_past, response_past = overdue_conditions()
        condition = {
            "ack:near": ack_near | ack_past,  # a near notice that left late is still worth sending
            "ack:past": ack_past,
            "response:near": response_near | response_past,
            "response:past": response_past,
        }[occasion]
        if not Report.objects.filter(condition, pk=report.pk, state__in=OPEN_STATES).exists():
            return set()
    return access.report_handlers(report) & set(user_ids)


_DEADLINE_OCCASIONS = ("ack:near", "ack:past", "response:near", "response:past")


def _deadline_description() -> str:
    # Read per request, so that it follows the page's language and the settings.
    return _(
        "Dikirim menjelang dan setelah lewatnya batas waktu tanggapan awal (%(ack)d hari) dan jawaban "
        "(%(response)d hari) laporan yang Anda tangani."
    ) % {"ack": settings.REPORT_ACK_DAYS, "response": settings.REPORT_RESPONSE_DAYS}


def register() -> None:
    """Tell accounts.notify about the kinds this app sends (ReportsConfig.ready)."""
    register_kind(
        Notification.REPORT_NEW,
        description=_(
            "Dikirim ketika laporan pelanggaran baru masuk untuk ditangani Satgas atau Kanwil Anda. Email hanya "
            "berisi nomor perkara dan tautan, tidak pernah isi laporan atau identitas pelapor."
        ),
        audience=access.can_handle_reports,
        still_due=_still_handling,
    )
    register_kind(
        Notification.REPORT_MESSAGE,
        description=_("Dikirim ketika pelapor menulis pesan atau menambah bukti pada laporan yang Anda tangani."),
        audience=access.can_handle_reports,
        still_due=_still_handling,
    )
    register_kind(
        Notification.REPORT_DEADLINE,
        description=_deadline_description,
        audience=access.can_handle_reports,
        still_due=_still_handling,
    )
