"""The notification machinery (accounts/notify.py), through the queue and a real SMTP server."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from accounts.models import Notification, SentNotification
from accounts.notify import notify, set_preferences
from tests import factories
from tests.tasks import queued, run_queued_tasks

pytestmark = pytest.mark.django_db

# A kind whose app registers no last check (still_due), so that any key will do.
KIND = Notification.WEEKLY_SUMMARY


def _send(users, key="k1"):
    notify(KIND, key, [u.pk for u in users], "example", {"facility": "Lapas Contoh"}, "/laporan/1/")


def test_it_sends_nothing_until_the_queue_runs(smtp_server):
    user = factories.UserFactory(email="a@example.test")
    _send([user])
    assert smtp_server.messages == []
    assert len(queued("send_notification")) == 1
    assert run_queued_tasks() == 1
    assert [m.recipients for m in smtp_server.messages] == [["a@example.test"]]
    message = smtp_server.messages[0]
    assert message.subject == "[Netralitas] Contoh Lapas Contoh"
    assert "http://127.0.0.1:8000/laporan/1/" in message.body


def test_it_skips_users_without_email_or_who_turned_it_off(smtp_server):
    with_email = factories.UserFactory(email="a@example.test")
    without = factories.UserFactory(email="")
    muted = factories.UserFactory(email="m@example.test")
    inactive = factories.UserFactory(email="i@example.test", is_active=False)
    set_preferences(muted, [k for k in Notification.values if k != KIND])
    _send([with_email, without, muted, inactive])
    run_queued_tasks()
    assert [m.recipients for m in smtp_server.messages] == [["a@example.test"]]


def test_it_sends_each_occasion_once(smtp_server):
    user = factories.UserFactory(email="a@example.test")
    _send([user])
    _send([user])
    run_queued_tasks()
    assert len(smtp_server.messages) == 1
    _send([user], key="k2")
    run_queued_tasks()
    assert len(smtp_server.messages) == 2


def test_a_refusing_server_is_tried_again_later(smtp_server):
    user = factories.UserFactory(email="a@example.test")
    smtp_server.refuse()
    _send([user])
    run_queued_tasks()
    assert smtp_server.messages == []
    assert not SentNotification.objects.exists()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after is not None  # deferred, not immediately
    assert retry.args_kwargs["args"][-1] == 2  # second attempt
