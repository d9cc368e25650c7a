"""seed_demo gives Lapas Kembangkuning an inaugurated 12-member task force and the Ketua's login."""

import io

from django.core.management import call_command

from accounts.models import AuditEvent, User
from facilities import demo as facilities_demo
from satgas import demo
from satgas.models import Activity, Membership, TaskForce


def test_the_demo_is_complete_and_idempotent(db):
    facilities_demo.seed(log=lambda *_: None)
    result = demo.seed(log=lambda *_: None)
    assert result["logins"][0][0] == "satgas.kembangkuning"
    counts = (
        TaskForce.objects.count(),
        Membership.objects.count(),
        Activity.objects.count(),
        AuditEvent.objects.count(),
    )
    demo.seed(log=lambda *_: None)
    assert (
        TaskForce.objects.count(),
        Membership.objects.count(),
        Activity.objects.count(),
        AuditEvent.objects.count(),
    ) == counts

    task_force = TaskForce.objects.get(facility__name="Lapas Kelas IIA Kembangkuning", period__name="Pemilu 2024")
    assert task_force.state == TaskForce.State.INAUGURATED
    assert task_force.memberships.current().count() == 12
    assert task_force.activities.count() >= 3
    assert task_force.inauguration.task_forces.count() >= 2  # one online ceremony for several UPTs
    user = User.objects.get(username="satgas.kembangkuning")
    assert user.check_password("demo-netralitas") and user.is_active and user.role == "staff"
    assert task_force.memberships.current().get(role="KETUA").employee == user.employee
    assert {tf.state for tf in TaskForce.objects.exclude(pk=task_force.pk)} >= {"draft", "appointed"}


def test_the_ketua_login_opens_the_task_force(client, db):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    response = client.post("/akun/masuk/", {"username": "satgas.kembangkuning", "password": "demo-netralitas"})
    assert response.status_code == 302
    task_force = TaskForce.objects.get(facility__name="Lapas Kelas IIA Kembangkuning")
    response = client.get(f"/satgas/{task_force.pk}/")
    assert response.status_code == 200
    assert client.get(f"/satgas/{task_force.pk}/kegiatan/tambah/").status_code == 200
