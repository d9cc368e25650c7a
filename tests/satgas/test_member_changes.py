"""After appointment members are replaced or removed by an amending SK; nothing is deleted."""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from satgas.models import Membership, TaskForce
from tests import factories
from tests.satgas import factories as satgas_factories

TODAY = dt.date.today


def _change(**extra):
    data = {"date": "2024-03-01", "reason": "Mutasi ke UPT lain", "decree_reference": "W.13-SK-PERUBAHAN-1"}
    data.update(extra)
    return data


def test_replacing_a_member_keeps_the_history(login, facility_head, task_force, facility):
    old = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    newcomer = factories.EmployeeFactory(facility=facility, name="Pengganti Baru, S.H.")
    client = login(facility_head)
    url = f"/satgas/{task_force.pk}/anggota/{old.pk}/ganti/"
    response = client.post(url, _change(employee=newcomer.pk))
    assert response.status_code == 302
    old.refresh_from_db()
    successor = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    assert successor.employee == newcomer and successor.start_date == dt.date(2024, 3, 1)
    assert old.end_date == dt.date(2024, 3, 1) and old.end_reason == "Mutasi ke UPT lain"
    assert old.decree_reference == "W.13-SK-PERUBAHAN-1" and old.replaced_by == successor
    assert task_force.memberships.count() == 5
    assert AuditEvent.objects.filter(action="satgas.member_replaced", object_id=str(old.pk)).exists()
    page = client.get(f"/satgas/{task_force.pk}/").content.decode()
    history = page[page.index('id="history-table"') :]
    assert old.employee.name in history and "Pengganti Baru, S.H." in history and "W.13-SK-PERUBAHAN-1" in history


def test_a_replaced_member_loses_access_at_once(client, login, facility_head, task_force, facility):
    old = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    user = factories.staff_user(old.employee)
    client.force_login(user)
    assert client.get(f"/satgas/{task_force.pk}/").status_code == 200
    newcomer = factories.EmployeeFactory(facility=facility)
    login(facility_head).post(f"/satgas/{task_force.pk}/anggota/{old.pk}/ganti/", _change(employee=newcomer.pk))
    client.force_login(user)
    assert client.get(f"/satgas/{task_force.pk}/").status_code == 404
    assert client.get(f"/satgas/{task_force.pk}/kegiatan/tambah/").status_code == 404
    assert 'href="/satgas/"' not in client.get("/beranda/").content.decode()


def test_the_ketua_is_replaced_not_removed(login, facility_head, task_force):
    ketua = task_force.memberships.current().get(role=Membership.Role.KETUA)
    client = login(facility_head)
    response = client.post(f"/satgas/{task_force.pk}/anggota/{ketua.pk}/berhenti/", _change())
    assert response.status_code == 200
    assert "Ketua tidak dapat diberhentikan tanpa pengganti" in " ".join(response.context["form"].non_field_errors())
    ketua.refresh_from_db()
    assert ketua.is_current


def test_a_ppnpn_cannot_replace_the_ketua(login, facility_head, task_force, facility):
    ketua = task_force.memberships.current().get(role=Membership.Role.KETUA)
    driver = factories.EmployeeFactory(facility=facility, ppnpn=True, name="Sopir Kantor")
    response = login(facility_head).post(
        f"/satgas/{task_force.pk}/anggota/{ketua.pk}/ganti/", _change(employee=driver.pk)
    )
    assert "Sopir Kantor adalah PPNPN" in " ".join(response.context["form"].non_field_errors())
    assert response.context["form"]["reason"].value() == "Mutasi ke UPT lain"
    ketua.refresh_from_db()
    assert ketua.is_current


def test_a_replacement_must_come_from_the_roster_and_not_already_serve(
    login, facility_head, task_force, other_facility
):
    anggota = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    sekretaris = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    stranger = factories.EmployeeFactory(facility=other_facility)
    client = login(facility_head)
    url = f"/satgas/{task_force.pk}/anggota/{anggota.pk}/ganti/"
    for candidate in (stranger, sekretaris.employee):
        response = client.post(url, _change(employee=candidate.pk))
        assert response.status_code == 200
        assert "employee" in response.context["form"].errors
    anggota.refresh_from_db()
    assert anggota.is_current


def test_removing_a_member_ends_the_membership(login, facility_head, task_force):
    anggota = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    response = login(facility_head).post(f"/satgas/{task_force.pk}/anggota/{anggota.pk}/berhenti/", _change())
    assert response.status_code == 302
    anggota.refresh_from_db()
    assert anggota.end_date == dt.date(2024, 3, 1) and anggota.replaced_by is None
    assert task_force.memberships.current().count() == 3
    assert task_force.memberships.count() == 4


def test_the_effective_date_cannot_precede_the_membership_or_lie_ahead(login, facility_head, task_force):
    anggota = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    client = login(facility_head)
    url = f"/satgas/{task_force.pk}/anggota/{anggota.pk}/berhenti/"
    early = client.post(url, _change(date="2024-01-01"))
    assert "sebelum anggota ini mulai menjabat (15-01-2024)" in early.context["form"].errors["date"][0]
    late = client.post(url, _change(date=(TODAY() + dt.timedelta(days=3)).isoformat()))
    assert "masa depan" in late.context["form"].errors["date"][0]
    anggota.refresh_from_db()
    assert anggota.is_current


def test_adding_a_member_respects_the_maximum(login, facility_head, task_force, facility, settings):
    settings.SATGAS_MAX_MEMBERS = 5
    client = login(facility_head)
    first, second = factories.EmployeeFactory(facility=facility), factories.EmployeeFactory(facility=facility)
    data = {"role": "ANGGOTA", "date": "2024-03-01", "decree_reference": "W.13-SK-PERUBAHAN-2"}
    assert client.post(f"/satgas/{task_force.pk}/anggota/tambah/", {**data, "employee": first.pk}).status_code == 302
    response = client.post(f"/satgas/{task_force.pk}/anggota/tambah/", {**data, "employee": second.pk})
    assert "paling banyak 5 orang; Satgas ini sudah beranggota 5 orang" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert task_force.memberships.current().count() == 5


def test_a_second_sekretaris_cannot_be_added(login, facility_head, task_force, facility):
    newcomer = factories.EmployeeFactory(facility=facility)
    response = login(facility_head).post(
        f"/satgas/{task_force.pk}/anggota/tambah/",
        {"role": "SEKRETARIS", "date": "2024-03-01", "decree_reference": "SK-3", "employee": newcomer.pk},
    )
    assert "satu Sekretaris; terpilih 2" in " ".join(response.context["form"].non_field_errors())


def test_ending_the_task_force_ends_every_membership(login, facility_head, task_force, ketua):
    response = login(facility_head).post(f"/satgas/{task_force.pk}/akhiri/", {"reason": "Masa tugas berakhir"})
    assert response.status_code == 302
    task_force.refresh_from_db()
    assert task_force.state == TaskForce.State.ENDED
    assert not task_force.memberships.current().exists()
    assert task_force.memberships.count() == 4


@pytest.mark.parametrize("who", ["regional_admin", "national_admin", "ketua"])
def test_only_the_facility_head_changes_members(request, client, task_force, who):
    anggota = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    client.force_login(request.getfixturevalue(who))
    response = client.post(f"/satgas/{task_force.pk}/anggota/{anggota.pk}/berhenti/", _change())
    assert response.status_code == 404
    anggota.refresh_from_db()
    assert anggota.is_current


def test_another_facility_head_gets_404(client, other_facility_head, task_force):
    anggota = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    client.force_login(other_facility_head)
    assert client.post(f"/satgas/{task_force.pk}/anggota/{anggota.pk}/berhenti/", _change()).status_code == 404


def test_a_membership_of_another_task_force_is_not_reachable(login, facility_head, task_force, sibling_task_force):
    foreign = sibling_task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    response = login(facility_head).post(f"/satgas/{task_force.pk}/anggota/{foreign.pk}/berhenti/", _change())
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_current


def test_a_member_transferred_away_is_flagged_until_replaced(
    login, regional_admin, facility_head, task_force, facility, sibling_facility
):
    moved = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    response = login(regional_admin).post(
        f"/upt/pegawai/{moved.employee.pk}/mutasi/",
        {"facility": sibling_facility.pk, "date": "2024-06-03", "note": "Mutasi"},
    )
    assert response.status_code == 302
    client = login(facility_head)
    page = client.get(f"/satgas/{task_force.pk}/").content.decode()
    assert 'id="departed-alert"' in page and "1 anggota sudah tidak bertugas di UPT ini" in page
    row = next(r for r in page.split("<tr>") if moved.employee.name in r)
    assert "Tidak lagi di UPT ini" in row

    newcomer = factories.EmployeeFactory(facility=facility)
    client.post(f"/satgas/{task_force.pk}/anggota/{moved.pk}/ganti/", _change(employee=newcomer.pk))
    page = client.get(f"/satgas/{task_force.pk}/").content.decode()
    assert 'id="departed-alert"' not in page and "Tidak lagi di UPT ini" not in page


def test_the_member_page_costs_the_same_queries_for_4_or_12_members(
    login, regional_admin, facility, period, sibling_facility
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(task_force) -> int:
        client = login(regional_admin)
        client.get(f"/satgas/{task_force.pk}/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/satgas/{task_force.pk}/").status_code == 200
        return len(captured)

    small = satgas_factories.appointed(facility, period=period, size=4)
    large = satgas_factories.appointed(sibling_facility, period=period, size=12)
    moved = large.memberships.current().filter(role=Membership.Role.ANGGOTA).first().employee
    moved.facility = facility  # the transfer flag reads the member's facility
    moved.save(update_fields=["facility"])
    assert queries(large) == queries(small)


@pytest.mark.parametrize("action", ["ganti", "berhenti"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_membership_that_has_ended_cannot_be_changed_again(
    login, facility_head, task_force, facility, action, method
):
    old = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    newcomer = factories.EmployeeFactory(facility=facility)
    client = login(facility_head)
    client.post(f"/satgas/{task_force.pk}/anggota/{old.pk}/ganti/", _change(employee=newcomer.pk))
    other = factories.EmployeeFactory(facility=facility)
    url = f"/satgas/{task_force.pk}/anggota/{old.pk}/{action}/"
    response = getattr(client, method)(url, _change(employee=other.pk) if method == "post" else None, follow=True)
    assert response.redirect_chain == [(f"/satgas/{task_force.pk}/", 302)]
    assert "Anggota ini tidak dapat diubah lagi." in response.content.decode()
    assert task_force.memberships.count() == 5  # nothing changed


@pytest.mark.parametrize("action", ["ganti", "berhenti"])
def test_no_member_of_an_ended_task_force_can_be_changed(login, facility_head, task_force, action):
    member = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    TaskForce.objects.filter(pk=task_force.pk).update(state=TaskForce.State.ENDED)
    response = login(facility_head).post(
        f"/satgas/{task_force.pk}/anggota/{member.pk}/{action}/", _change(), follow=True
    )
    assert response.redirect_chain == [(f"/satgas/{task_force.pk}/", 302)]
    assert "Anggota ini tidak dapat diubah lagi." in response.content.decode()
    member.refresh_from_db()
    assert member.is_current
