"""Every opening of a report and every evidence download is logged and shown on the case."""

from __future__ import annotations

import pytest

from reports import actions
from reports.models import AccessLog
from tests.reports import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(report):
    upload = rf.jpeg_upload()
    upload.kind = "jpeg"
    return actions._store_evidence(report, [upload])[0]


def test_opening_a_report_is_logged(client, task_force_member, report):
    client.force_login(task_force_member)
    client.get(f"/laporan/{report.pk}/")
    entry = AccessLog.objects.get()
    assert (entry.report, entry.user, entry.action, entry.evidence) == (report, task_force_member, "opened", None)


def test_each_opening_is_logged(client, regional_admin, report):
    client.force_login(regional_admin)
    client.get(f"/laporan/{report.pk}/")
    client.get(f"/laporan/{report.pk}/")
    assert AccessLog.objects.filter(report=report, user=regional_admin).count() == 2


def test_downloading_evidence_is_logged_and_serves_the_stored_file(client, task_force_member, report, evidence):
    client.force_login(task_force_member)
    response = client.get(f"/laporan/{report.pk}/bukti/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == evidence.file.open("rb").read()
    assert response["Content-Disposition"] == f'attachment; filename="{report.reference}-bukti-{evidence.pk}.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    entry = AccessLog.objects.get()
    assert (entry.action, entry.evidence, entry.user) == ("downloaded", evidence, task_force_member)


def test_the_log_is_shown_on_the_case(client, task_force_member, regional_admin, report, evidence):
    client.force_login(task_force_member)
    client.get(f"/laporan/{report.pk}/bukti/{evidence.pk}/")
    client.force_login(regional_admin)
    response = client.get(f"/laporan/{report.pk}/")
    log = list(response.context["access_log"])
    assert [(e.user, e.action) for e in log] == [(regional_admin, "opened"), (task_force_member, "downloaded")]
    html = response.content.decode()
    assert task_force_member.display_name in html and "mengunduh bukti" in html


def test_a_refused_opening_is_not_logged(client, other_task_force_member, report):
    client.force_login(other_task_force_member)
    client.get(f"/laporan/{report.pk}/")
    assert not AccessLog.objects.exists()
