"""Campaign emails (pledges/notifications.py): who gets the opening, the reminder and the weekly
summary, once, through `manage.py run_periodic`, the task queue and a real SMTP server."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification, SentNotification
from accounts.notify import kinds_for, set_preferences
from pledges import notifications, selectors
from pledges.models import Campaign
from tests import factories as base
from tests.pledges import factories
from tests.tasks import failed_tasks, queued, run_queued_tasks

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def run_periodic(*only: str) -> str:
    out = io.StringIO()
    args = [arg for path in only for arg in ("--only", f"pledges.notifications.{path}")]
    call_command("run_periodic", *args, stdout=out)
    return out.getvalue()


def staff(facility, email: str | None, **employee_fields):
    """An employee of `facility` with a login (and that email address, "" for none)."""
    employee = base.EmployeeFactory(facility=facility, **employee_fields)
    user = base.staff_user(employee)
    user.email = email or ""
    user.save(update_fields=["email"])
    return employee


def received(smtp_server) -> dict[str, list]:
    by_address: dict[str, list] = {}
    for message in smtp_server.messages:
        for address in message.recipients:
            by_address.setdefault(address, []).append(message)
    return by_address


def assert_nothing_confidential(message, *employees) -> None:
    """No one's name, NIP or signature code: an email says that something needs attention, and where."""
    text = message.subject + message.body
    for employee in employees:
        assert employee.name not in text
        assert employee.identifier not in text
        for signature in employee.pledge_signatures.all():
            assert signature.verification_code not in text
            assert signature.fingerprint not in text


@pytest.fixture
def region_campaign(region):
    return factories.CampaignFactory(
        name="Pakta Pilkada 2026",
        scope=Campaign.Scope.REGION,
        regional_office=region,
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=14),
    )


@pytest.fixture
def people(facility, sibling_facility, other_facility, region_campaign):
    """Everyone who might be told of the region's campaign, and who should be."""
    muted = staff(facility, "muted@example.test")
    set_preferences(muted.user, [k for k in Notification.values if k != Notification.CAMPAIGN_OPEN])
    gone = staff(facility, "gone@example.test")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    locked = staff(facility, "locked@example.test")
    locked.user.is_active = False
    locked.user.save(update_fields=["is_active"])
    signed = staff(facility, "signed@example.test")
    factories.signature(region_campaign, signed)
    return {
        "due": staff(facility, "due@example.test"),
        "sibling": staff(sibling_facility, "sibling@example.test"),
        "signed": signed,
        "no_email": staff(facility, None),
        "muted": muted,
        "inactive_employee": gone,
        "inactive_login": locked,
        "out_of_scope": staff(other_facility, "elsewhere@example.test"),
        "no_login": base.EmployeeFactory(facility=facility),
        "regional_admin": base.regional_admin(facility.regional_office, email="kanwil@example.test"),
    }


# --- Opening -------------------------------------------------------------------------------


def test_an_open_campaign_is_announced_to_its_unsigned_staff_with_an_address(smtp_server, people, region_campaign):
    run_periodic("announce_open_campaigns")
    assert smtp_server.messages == []  # queued, not sent by the check itself
    run_queued_tasks()
    assert failed_tasks() == []

    assert sorted(received(smtp_server)) == ["due@example.test", "sibling@example.test"]
    assert [m.recipients for m in smtp_server.messages].count(["due@example.test"]) == 1
    message = received(smtp_server)["due@example.test"][0]
    assert message.subject == "[Netralitas] Pakta Integritas: kampanye Pakta Pilkada 2026 dibuka"
    assert f"{SITE}/pakta/kampanye/{region_campaign.pk}/tanda-tangan/" in message.body
    assert f"{SITE}/akun/notifikasi/" in message.body
    closes = timezone.localtime(region_campaign.closes_at)
    assert f"{closes.year}, {closes:%H.%M} WIB" in message.body
    assert_nothing_confidential(message, *(p for p in people.values() if hasattr(p, "identifier")))


def test_running_the_checks_twice_sends_nothing_twice(smtp_server, people, facility_head, region_campaign):
    facility_head.email = "kepala@example.test"
    facility_head.save(update_fields=["email"])
    # Two runs before any worker picks the emails up (cron overlapping a slow queue): the second
    # leaves the occasions whose emails are still queued alone…
    run_periodic()
    waiting = len(queued("send_notification"))
    assert waiting == 2  # the opening, and the head's summary
    second = run_periodic()
    assert "0 campaign opening email(s) queued" in second and "still being sent" in second
    assert len(queued("send_notification")) == waiting
    run_queued_tasks()
    first = sorted(address for m in smtp_server.messages for address in m.recipients)
    assert first == ["due@example.test", "kepala@example.test", "sibling@example.test"]
    # …and runs after they were sent: nothing queued, nothing sent.
    run_periodic()
    assert queued("send_notification") == []
    run_queued_tasks()
    assert sorted(address for m in smtp_server.messages for address in m.recipients) == first


def test_emails_of_a_dead_worker_are_queued_again_and_sent_once(smtp_server, people, region_campaign):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    run_periodic("announce_open_campaigns")
    [task] = queued("send_notification")
    # A worker took the task and died before recording anything (its row says "running" forever).
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert "0 campaign opening" in run_periodic("announce_open_campaigns")  # maybe still sending
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - dt.timedelta(minutes=31))
    assert "2 campaign opening" in run_periodic("announce_open_campaigns")
    run_queued_tasks()
    assert sorted(received(smtp_server)) == ["due@example.test", "sibling@example.test"]
    assert all(len(messages) == 1 for messages in received(smtp_server).values())


def test_someone_who_becomes_reachable_later_is_told_then(smtp_server, people, region_campaign):
    run_periodic("announce_open_campaigns")
    run_queued_tasks()
    late = people["no_email"].user
    late.email = "late@example.test"
    late.save(update_fields=["email"])
    run_periodic("announce_open_campaigns")
    run_queued_tasks()
    assert [m.recipients for m in smtp_server.messages if "late@example.test" in m.recipients] == [
        ["late@example.test"]
    ]


def test_a_campaign_not_yet_open_or_closed_is_not_announced(smtp_server, facility):
    factories.CampaignFactory(upcoming=True)
    factories.CampaignFactory(closed=True)
    staff(facility, "due@example.test")
    assert "0 campaign opening email(s) queued" in run_periodic("announce_open_campaigns")
    run_queued_tasks()
    assert smtp_server.messages == []


def test_a_campaign_for_chosen_upts_is_announced_there_only(smtp_server, facility, sibling_facility):
    campaign = factories.CampaignFactory(scope=Campaign.Scope.FACILITIES)
    campaign.facilities.set([sibling_facility])
    staff(facility, "here@example.test")
    staff(sibling_facility, "chosen@example.test")
    run_periodic("announce_open_campaigns")
    run_queued_tasks()
    assert sorted(received(smtp_server)) == ["chosen@example.test"]


def test_staff_who_sign_after_the_email_was_queued_do_not_get_it(smtp_server, people, region_campaign):
    run_periodic("announce_open_campaigns")
    factories.signature(region_campaign, people["due"])
    run_queued_tasks()
    assert sorted(received(smtp_server)) == ["sibling@example.test"]
    # Not recorded as sent either: had they signed in error and the signature been revoked, they
    # would still be told.
    assert not SentNotification.objects.filter(user=people["due"].user).exists()


def test_a_campaign_closed_before_its_emails_left_sends_none(smtp_server, people, region_campaign):
    run_periodic("announce_open_campaigns")
    Campaign.objects.filter(pk=region_campaign.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    run_queued_tasks()
    assert smtp_server.messages == []


def test_a_national_campaign_is_queued_in_chunks_with_the_same_queries_whatever_the_staff(
    smtp_server, monkeypatch, region, facility, sibling_facility
):
    factories.CampaignFactory(scope=Campaign.Scope.ALL)
    monkeypatch.setattr(notifications, "CHUNK", 4)
    for n in range(3):
        staff(facility, f"a{n}@example.test")
    with CaptureQueriesContext(connection) as few:
        notifications.announce_open_campaigns()
    assert len(queued("send_notification")) == 1
    run_queued_tasks()

    for n in range(9):
        staff(sibling_facility if n % 2 else facility, f"b{n}@example.test")
    with CaptureQueriesContext(connection) as many:
        notifications.announce_open_campaigns()
    # The 9 new staff in chunks of 4 (those already told are not queued again).
    tasks = queued("send_notification")
    assert sorted(len(task.args_kwargs["args"][2]) for task in tasks) == [1, 4, 4]

    def reads(context):
        return [q["sql"] for q in context.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

    # One query finds the recipients of a campaign, however many there are; the rest is one insert per chunk.
    assert len(reads(many)) == len(reads(few))
    run_queued_tasks()
    assert len(smtp_server.messages) == 12


# --- Reminder ------------------------------------------------------------------------------


@pytest.fixture
def closing_campaign(region):
    """Open for ten days, closing in two: inside the default three reminder days."""
    return factories.CampaignFactory(
        name="Pakta Pemilu Ulang",
        scope=Campaign.Scope.REGION,
        regional_office=region,
        opens_at=timezone.now() - dt.timedelta(days=10),
        closes_at=timezone.now() + dt.timedelta(days=2),
    )


def told_of_opening(campaign, *employees, ago: dt.timedelta = dt.timedelta(days=9)) -> None:
    """The ledger of an earlier run that sent them the opening email."""
    for employee in employees:
        SentNotification.objects.create(
            user=employee.user,
            kind=Notification.CAMPAIGN_OPEN,
            key=str(campaign.pk),
            sent_at=timezone.now() - ago,
        )


def test_the_reminder_goes_to_the_unsigned_in_the_last_days_once(smtp_server, facility, closing_campaign):
    reminded = staff(facility, "reminded@example.test")
    signed = staff(facility, "signed@example.test")
    told_of_opening(closing_campaign, reminded, signed)
    factories.signature(closing_campaign, signed)

    run_periodic()
    run_periodic()
    run_queued_tasks()
    assert [(m.recipients, m.subject) for m in smtp_server.messages] == [
        (["reminded@example.test"], smtp_server.messages[0].subject)
    ]
    message = smtp_server.messages[0]
    assert message.subject.startswith("[Netralitas] Pengingat: kampanye Pakta Integritas Pakta Pemilu Ulang ditutup")
    assert f"{SITE}/pakta/kampanye/{closing_campaign.pk}/tanda-tangan/" in message.body
    assert_nothing_confidential(message, reminded, signed)
    run_periodic()
    run_queued_tasks()
    assert len(smtp_server.messages) == 1


def test_no_reminder_before_the_last_days(smtp_server, facility, closing_campaign, settings):
    settings.CAMPAIGN_REMINDER_DAYS = 1
    told_of_opening(closing_campaign, staff(facility, "early@example.test"))
    assert "0 campaign reminder email(s) queued" in run_periodic("remind_before_close")
    settings.CAMPAIGN_REMINDER_DAYS = 3
    assert "1 campaign reminder email(s) queued" in run_periodic("remind_before_close")


def test_the_reminder_days_move_the_reminder(smtp_server, facility, region):
    campaign = factories.CampaignFactory(
        scope=Campaign.Scope.REGION,
        regional_office=region,
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=20),
    )
    employee = staff(facility, "due@example.test")
    notifications.announce_open_campaigns()
    run_queued_tasks()
    later = timezone.now() + dt.timedelta(days=16)  # four days before closing
    assert notifications.remind_before_close(now=later).startswith("0 ")
    assert notifications.remind_before_close(now=later + dt.timedelta(days=2)).startswith("1 ")
    run_queued_tasks()
    assert [m.recipients for m in smtp_server.messages] == [["due@example.test"]] * 2
    assert SentNotification.objects.filter(user=employee.user, kind=Notification.CAMPAIGN_REMINDER).count() == 1
    assert campaign.is_open()


def test_someone_first_told_in_the_last_days_gets_the_opening_email_only(smtp_server, facility, closing_campaign):
    staff(facility, "late@example.test")  # never told: the opening email is due now, with the closing date
    muted = staff(facility, "muted@example.test")  # turned the opening email off: the reminder is theirs
    set_preferences(muted.user, [k for k in Notification.values if k != Notification.CAMPAIGN_OPEN])
    recent = staff(facility, "recent@example.test")
    told_of_opening(closing_campaign, recent, ago=dt.timedelta(hours=12))  # inside the last days

    run_periodic()
    run_queued_tasks()
    subjects = {address: [m.subject for m in messages] for address, messages in received(smtp_server).items()}
    assert set(subjects) == {"late@example.test", "muted@example.test"}
    assert len(subjects["late@example.test"]) == 1 and "dibuka" in subjects["late@example.test"][0]
    assert len(subjects["muted@example.test"]) == 1 and "Pengingat" in subjects["muted@example.test"][0]


def test_staff_who_sign_after_the_reminder_was_queued_do_not_get_it(smtp_server, facility, closing_campaign):
    employee = staff(facility, "due@example.test")
    told_of_opening(closing_campaign, employee)
    run_periodic("remind_before_close")
    assert len(queued("send_notification")) == 1
    factories.signature(closing_campaign, employee)
    run_queued_tasks()
    assert smtp_server.messages == []


# --- Weekly summary ------------------------------------------------------------------------


@pytest.fixture
def heads(facility, sibling_facility, other_facility):
    return {
        "here": base.facility_head(facility, username="kalapas.a", email="kepala.a@example.test"),
        "sibling": base.facility_head(sibling_facility, username="kalapas.b", email="kepala.b@example.test"),
        "elsewhere": base.facility_head(other_facility, username="kalapas.c", email="kepala.c@example.test"),
        "no_email": base.facility_head(facility, username="kalapas.d"),
    }


def test_heads_get_their_upts_figures_once_a_week(smtp_server, facility, sibling_facility, region_campaign, heads):
    signed = base.EmployeeFactory(facility=facility)
    factories.signature(region_campaign, signed)
    unsigned = [base.EmployeeFactory(facility=facility) for _ in range(2)]
    base.EmployeeFactory(facility=facility, is_active=False)  # not counted
    base.EmployeeFactory(facility=sibling_facility)

    run_periodic("send_weekly_summaries")
    run_periodic("send_weekly_summaries")
    run_queued_tasks()
    mail = received(smtp_server)
    assert sorted(mail) == ["kepala.a@example.test", "kepala.b@example.test"]
    assert all(len(messages) == 1 for messages in mail.values())

    message = mail["kepala.a@example.test"][0]
    totals = selectors.facility_totals(region_campaign, facility)  # the facility page's figures
    assert (totals["signed"], totals["total"], totals["unsigned"], totals["rate"]) == (1, 3, 2, 33.3)
    assert message.subject == f"[Netralitas] Ringkasan mingguan Pakta Integritas: {facility.name}"
    assert "Pakta Pilkada 2026" in message.body
    assert "Sudah menandatangani: 1 dari 3 pegawai (33,3%)" in message.body
    assert "Belum menandatangani: 2" in message.body
    assert f"{SITE}/pakta/kampanye/{region_campaign.pk}/upt/{facility.pk}/" in message.body
    assert_nothing_confidential(message, signed, *unsigned)
    assert "Sudah menandatangani: 0 dari 1 pegawai (0,0%)" in mail["kepala.b@example.test"][0].body

    year, week, _day = timezone.localdate().isocalendar()
    assert set(SentNotification.objects.filter(kind=Notification.WEEKLY_SUMMARY).values_list("key", flat=True)) == {
        f"{year}-W{week:02d}:{facility.pk}",
        f"{year}-W{week:02d}:{sibling_facility.pk}",
    }


def test_the_next_iso_week_brings_the_next_summary(smtp_server, facility, region_campaign, heads):
    notifications.send_weekly_summaries()
    run_queued_tasks()
    same_week = timezone.now() + dt.timedelta(days=6 - timezone.localdate().weekday())  # its Sunday
    notifications.send_weekly_summaries(now=same_week)
    run_queued_tasks()
    assert len(smtp_server.to("kepala.a@example.test")) == 1
    notifications.send_weekly_summaries(now=same_week + dt.timedelta(days=1))
    run_queued_tasks()
    assert len(smtp_server.to("kepala.a@example.test")) == 2


def test_a_summary_lists_every_open_campaign_covering_the_upt(smtp_server, facility, region_campaign, heads):
    factories.CampaignFactory(name="Pakta Nasional", scope=Campaign.Scope.ALL)
    factories.CampaignFactory(name="Pakta Lama", closed=True)
    run_periodic("send_weekly_summaries")
    run_queued_tasks()
    body = smtp_server.to("kepala.a@example.test")[0].body
    assert "Pakta Pilkada 2026" in body and "Pakta Nasional" in body and "Pakta Lama" not in body
    # The head of the other region's UPT hears of the national campaign only.
    other = smtp_server.to("kepala.c@example.test")[0].body
    assert "Pakta Nasional" in other and "Pakta Pilkada 2026" not in other
    assert "Daftar pegawai UPT ini belum berisi pegawai aktif." in other  # no "0 dari 0 (0%)"


def test_no_summary_without_an_open_campaign_or_for_a_head_who_turned_it_off(smtp_server, heads, region):
    assert run_periodic("send_weekly_summaries").strip().endswith("no open campaign: no weekly summary")
    factories.CampaignFactory(scope=Campaign.Scope.REGION, regional_office=region)
    set_preferences(heads["here"], [k for k in Notification.values if k != Notification.WEEKLY_SUMMARY])
    run_periodic("send_weekly_summaries")
    run_queued_tasks()
    assert sorted(received(smtp_server)) == ["kepala.b@example.test"]


# --- What the preferences page offers ----------------------------------------------------


def test_the_campaign_emails_are_offered_to_signers_and_the_summary_to_heads(staff, facility_head, regional_admin):
    campaign_kinds = {Notification.CAMPAIGN_OPEN, Notification.CAMPAIGN_REMINDER}
    assert campaign_kinds <= set(kinds_for(staff)) and Notification.WEEKLY_SUMMARY not in kinds_for(staff)
    assert Notification.WEEKLY_SUMMARY in kinds_for(facility_head) and not campaign_kinds & set(
        kinds_for(facility_head)
    )
    assert not (campaign_kinds | {Notification.WEEKLY_SUMMARY}) & set(kinds_for(regional_admin))
