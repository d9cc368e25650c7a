"""Campaign emails: the opening, the reminder before closing, and the heads' weekly summary.

`manage.py run_periodic` runs the three checks below (settings.PERIODIC_JOBS), every few minutes.
Each finds, in one query per campaign, who should hear of it and has not yet (the ledger of
accounts.notify), and queues the emails in chunks of CHUNK users; the ledger makes a second run, or
two at once, send nothing twice, and the query makes it queue nothing for those already told. While
an occasion's emails are still queued or being sent, the checks leave it for a later run.

- Opening (CAMPAIGN_OPEN, once per campaign): the unsigned staff of the UPTs in scope, for as long
  as the campaign is open, so that someone who joins a UPT, gets a login or adds an email address
  later is told too.
- Reminder (CAMPAIGN_REMINDER, once per campaign): in the last CAMPAIGN_REMINDER_DAYS days, the
  unsigned staff who were told of the campaign before those days began, or who turned the opening
  email off. Someone told within them has the closing date in that email already: one email, not
  two on the same day (a campaign shorter than the reminder days, or a late address).
- Weekly summary (WEEKLY_SUMMARY, once per ISO week and UPT): each head gets their UPT's completion
  of every open campaign covering it, from the selector the completion pages use.

The sending task asks `_still_unsigned` again just before sending either campaign email, so someone
who signed after the check queued it, or a campaign that closed meanwhile (a mail server down for
the half hour of retries), gets nothing. Emails carry the campaign's name and dates, a UPT's name
and counts: never a name, a NIP or a signature of anyone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import notify
from accounts.models import Notification, Role, User
from accounts.scope import scope_of
from facilities.models import Facility
from pledges import selectors
from pledges.models import Campaign

# Users per queued email task: a national campaign (about 60,000 staff) is some 120 tasks that the
# workers share, each small enough to finish well within a worker's patience.
CHUNK = 500

OPEN = Notification.CAMPAIGN_OPEN
REMINDER = Notification.CAMPAIGN_REMINDER
SUMMARY = Notification.WEEKLY_SUMMARY


def announce_open_campaigns(now: dt.datetime | None = None) -> str:
    """Periodic: tell the unsigned staff in scope that a campaign is open (once per campaign)."""
    now = now or timezone.now()
    queued = 0
    for campaign in Campaign.objects.open_at(now).order_by("pk"):
        if notify.in_flight(OPEN, _key(campaign)):
            continue
        user_ids = list(_due(campaign, OPEN).values_list("pk", flat=True))
        queued += _queue(OPEN, campaign, user_ids, "campaign_open")
    return f"{queued} campaign opening email(s) queued"


def remind_before_close(now: dt.datetime | None = None) -> str:
    """Periodic: in a campaign's last CAMPAIGN_REMINDER_DAYS days, remind the unsigned staff (once)."""
    now = now or timezone.now()
    stretch = dt.timedelta(days=settings.CAMPAIGN_REMINDER_DAYS)
    queued = 0
    for campaign in Campaign.objects.open_at(now).filter(closes_at__lte=now + stretch).order_by("pk"):
        if notify.in_flight(REMINDER, _key(campaign)):
            continue
        told_before = Q(pk__in=notify.sent_to(OPEN, _key(campaign), before=campaign.closes_at - stretch))
        user_ids = list(
            _due(campaign, REMINDER).filter(told_before | Q(pk__in=notify.muting(OPEN))).values_list("pk", flat=True)
        )
        queued += _queue(REMINDER, campaign, user_ids, "campaign_reminder")
    return f"{queued} campaign reminder email(s) queued"


def send_weekly_summaries(now: dt.datetime | None = None) -> str:
    """Periodic: each UPT head's completion figures, on the first run of each ISO week."""
    now = now or timezone.now()
    year, week, _weekday = timezone.localdate(now).isocalendar()
    week_key = f"{year}-W{week:02d}"
    campaigns = list(Campaign.objects.open_at(now).order_by("closes_at", "pk"))
    if not campaigns:
        return "no open campaign: no weekly summary"
    if notify.in_flight(SUMMARY, f"{week_key}:", prefix=True):
        return f"weekly summaries for {week_key}: still being sent"
    heads = notify.reachable(
        User.objects.filter(role=Role.FACILITY_HEAD, facility__isnull=False, facility__is_active=True), SUMMARY
    ).exclude(pk__in=notify.sent_to(SUMMARY, f"{week_key}:", prefix=True))
    heads_of: dict[int, list[int]] = defaultdict(list)
    for user_id, facility_id in heads.values_list("pk", "facility_id").order_by("pk"):
        heads_of[facility_id].append(user_id)
    if not heads_of:
        return f"weekly summaries for {week_key}: none due"

    facilities = Facility.objects.filter(pk__in=list(heads_of))
    names: dict[int, str] = {}
    figures: dict[int, list[dict]] = defaultdict(list)
    with translation.override(settings.LANGUAGE_CODE):
        for campaign in campaigns:
            for row in selectors.facility_rows(campaign, facilities):
                names[row.pk] = row.name
                figures[row.pk].append(
                    {
                        "name": campaign.name,
                        "closes": _moment(campaign.closes_at),
                        "total": row.total,
                        "signed": row.signed,
                        "unsigned": row.unsigned,
                        "rate": row.rate,
                        "url": settings.SITE_URL + reverse("pledges:facility_completion", args=[campaign.pk, row.pk]),
                    }
                )
        as_of = formats.date_format(timezone.localdate(now), "j F Y")
    for facility_id, rows in sorted(figures.items()):
        context = {"facility": names[facility_id], "week": week_key, "as_of": as_of, "campaigns": rows}
        notify.notify(
            SUMMARY,
            f"{week_key}:{facility_id}",
            heads_of[facility_id],
            "weekly_summary",
            context,
            reverse("pledges:index"),
        )
    return f"weekly summaries for {week_key} queued for {len(figures)} UPT(s)"


# --- Who -------------------------------------------------------------------------------------


def _key(campaign: Campaign) -> str:
    return str(campaign.pk)


def _unsigned_staff(campaign: Campaign) -> QuerySet[User]:
    """The logins of the employees the completion figures count as not signed."""
    return User.objects.filter(
        pk__in=selectors.unsigned_employees(campaign).filter(user__isnull=False).values("user_id")
    )


def _due(campaign: Campaign, kind: str) -> QuerySet[User]:
    return notify.not_yet_sent(notify.reachable(_unsigned_staff(campaign), kind), kind, _key(campaign))


def _still_unsigned(user_ids: list[int], key: str) -> set[int]:
    """accounts.notify's last check before sending a campaign email (`key` is the campaign's id)."""
    campaign = Campaign.objects.filter(pk=int(key)).first()
    if campaign is None or not campaign.is_open():
        return set()
    return set(_unsigned_staff(campaign).filter(pk__in=user_ids).values_list("pk", flat=True))


# --- What --------------------------------------------------------------------------------------


def _moment(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j F Y, H.i')} {local.tzname()}"


def _queue(kind: str, campaign: Campaign, user_ids: list[int], template: str) -> int:
    if not user_ids:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"campaign": campaign.name, "closes": _moment(campaign.closes_at)}
    path = reverse("pledges:sign", args=[campaign.pk])
    for start in range(0, len(user_ids), CHUNK):
        notify.notify(kind, _key(campaign), user_ids[start : start + CHUNK], template, context, path)
    return len(user_ids)


# --- The preferences page (accounts) -------------------------------------------------------------


def _signs_pacts(user: User) -> bool:
    employee = getattr(user, "employee", None)
    return employee is not None and employee.is_active


def _heads_a_facility(user: User) -> bool:
    return scope_of(user).facility_id is not None


def _reminder_description() -> str:
    days = settings.CAMPAIGN_REMINDER_DAYS
    return ngettext(
        "Dikirim sekali, %(days)d hari sebelum kampanye ditutup, bila Anda belum menandatanganinya.",
        "Dikirim sekali, %(days)d hari sebelum kampanye ditutup, bila Anda belum menandatanganinya.",
        days,
    ) % {"days": days}


def register() -> None:
    """Tell accounts.notify about the kinds this app sends (PledgesConfig.ready)."""
    notify.register(
        OPEN,
        description=_(
            "Dikirim sekali ketika kampanye penandatanganan yang mencakup UPT Anda dibuka, bila Anda belum "
            "menandatanganinya."
        ),
        audience=_signs_pacts,
        still_due=_still_unsigned,
    )
    notify.register(REMINDER, description=_reminder_description, audience=_signs_pacts, still_due=_still_unsigned)
    notify.register(
        SUMMARY,
        description=_(
            "Dikirim sekali seminggu kepada Kepala UPT: berapa pegawai UPT Anda yang sudah dan belum "
            "menandatangani setiap kampanye yang sedang dibuka."
        ),
        audience=_heads_a_facility,
    )
