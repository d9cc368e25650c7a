"""The facility head forms a task force: a draft, then members from the roster and the SK."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from satgas.models import Membership, TaskForce
from tests import factories
from tests.satgas.factories import PeriodFactory, sk_upload


def _post(roster_roles: dict, **extra) -> dict:
    data = {
        "decree_number": "W.13.PAS.PAS.11-KP.05.02-17 Tahun 2024",
        "decree_date": "2024-01-15",
        "decree_signer": "Kepala Lapas Uji",
        "action": "appoint",
    }
    data.update({f"role_{employee.pk}": role for employee, role in roster_roles.items()})
    data.update(extra)
    return data


def _twelve(roster) -> dict:
    roles = {roster[0]: "KETUA", roster[1]: "SEKRETARIS"}
    roles.update({employee: "ANGGOTA" for employee in roster[2:12]})
    return roles


def _messages(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_the_head_creates_a_draft_for_a_period(login, facility_head, facility, period):
    response = login(facility_head).post("/satgas/baru/", {"period": period.pk})
    task_force = TaskForce.objects.get(facility=facility, period=period)
    assert response.status_code == 302
    assert response["Location"] == f"/satgas/{task_force.pk}/penetapan/"
    assert task_force.state == TaskForce.State.DRAFT
    assert AuditEvent.objects.filter(action="satgas.created", object_id=str(task_force.pk)).exists()


def test_it_does_not_offer_a_period_that_already_has_a_task_force(login, facility_head, draft):
    other = PeriodFactory(name="Pilkada 2024", election_type="PILKADA", start_date=dt.date(2024, 8, 27))
    response = login(facility_head).post("/satgas/baru/", {"period": draft.period.pk})
    assert response.status_code == 200
    assert list(response.context["form"].fields["period"].queryset) == [other]
    assert TaskForce.objects.filter(facility=draft.facility).count() == 1


def test_the_head_appoints_twelve_members_with_the_sk(login, facility_head, draft, roster):
    client = login(facility_head)
    response = client.post(f"/satgas/{draft.pk}/penetapan/", {**_post(_twelve(roster)), "decree_file": sk_upload()})
    assert response.status_code == 302, _messages(response)
    draft.refresh_from_db()
    assert draft.state == TaskForce.State.APPOINTED
    assert draft.decree_number == "W.13.PAS.PAS.11-KP.05.02-17 Tahun 2024"
    assert draft.decree_date == dt.date(2024, 1, 15)
    assert draft.decree_file.name.startswith("satgas/sk/") and draft.decree_file.name.endswith(".pdf")
    assert draft.memberships.current().count() == 12
    assert draft.memberships.get(role="KETUA").employee == roster[0]
    assert draft.memberships.get(role="SEKRETARIS").employee == roster[1]
    assert set(draft.memberships.values_list("start_date", flat=True)) == {dt.date(2024, 1, 15)}
    event = AuditEvent.objects.get(action="satgas.appointed")
    assert len(event.data["members"]) == 12 and event.actor == facility_head


def test_it_rejects_second_ketua_and_keeps_the_choices(login, facility_head, draft, roster):
    roles = {roster[0]: "KETUA", roster[1]: "KETUA", roster[2]: "ANGGOTA"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert response.status_code == 200
    assert "tepat satu Ketua; terpilih 2 Ketua" in _messages(response)
    form = response.context["form"]
    assert form[f"role_{roster[1].pk}"].value() == "KETUA"
    assert form["decree_number"].value() == "W.13.PAS.PAS.11-KP.05.02-17 Tahun 2024"
    draft.refresh_from_db()
    assert draft.state == TaskForce.State.DRAFT and not draft.memberships.exists()


def test_it_rejects_a_roster_without_ketua(login, facility_head, draft, roster):
    roles = {roster[0]: "SEKRETARIS", roster[1]: "ANGGOTA"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert "belum ada yang dipilih sebagai Ketua" in _messages(response)
    assert not draft.memberships.exists()


def test_it_rejects_second_sekretaris(login, facility_head, draft, roster):
    roles = {roster[0]: "KETUA", roster[1]: "SEKRETARIS", roster[2]: "SEKRETARIS"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert "paling banyak mempunyai satu Sekretaris; terpilih 2 Sekretaris" in _messages(response)


def test_it_rejects_more_members_than_the_maximum(login, facility_head, draft, roster):
    roles = _twelve(roster)
    roles[roster[12]] = "ANGGOTA"
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert "paling banyak 12 orang; terpilih 13 orang" in _messages(response)
    assert not draft.memberships.exists()


def test_the_maximum_is_a_setting(login, facility_head, draft, roster, settings):
    settings.SATGAS_MAX_MEMBERS = 3
    roles = {roster[0]: "KETUA", roster[1]: "SEKRETARIS", roster[2]: "ANGGOTA", roster[3]: "ANGGOTA"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert "paling banyak 3 orang; terpilih 4 orang" in _messages(response)


def test_it_rejects_a_ppnpn_ketua(login, facility_head, draft, roster):
    driver = roster[13]
    roles = {driver: "KETUA", roster[1]: "ANGGOTA"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert "Pengemudi PPNPN adalah PPNPN" in _messages(response)
    assert not draft.memberships.exists()


def test_a_ppnpn_may_be_an_anggota(login, facility_head, draft, roster):
    roles = {roster[0]: "KETUA", roster[13]: "ANGGOTA"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert response.status_code == 302
    assert draft.memberships.get(employee=roster[13]).role == Membership.Role.ANGGOTA


def test_a_ppnpn_may_chair_when_the_setting_allows_it(login, facility_head, draft, roster, settings):
    settings.SATGAS_PPNPN_MAY_CHAIR = True
    roles = {roster[13]: "KETUA", roster[1]: "ANGGOTA"}
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert response.status_code == 302
    assert draft.memberships.get(role="KETUA").employee == roster[13]


def test_members_come_only_from_the_facilitys_active_roster(login, facility_head, draft, roster, other_facility):
    stranger = factories.EmployeeFactory(facility=other_facility)
    retired = factories.EmployeeFactory(facility=draft.facility, is_active=False, name="Sudah Pensiun")
    client = login(facility_head)
    page = client.get(f"/satgas/{draft.pk}/penetapan/")
    assert f"role_{stranger.pk}" not in page.context["form"].fields
    assert f"role_{retired.pk}" not in page.context["form"].fields
    assert "Sudah Pensiun" not in page.content.decode()
    roles = {roster[0]: "KETUA", stranger: "ANGGOTA", retired: "ANGGOTA"}
    response = client.post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles), "decree_file": sk_upload()})
    assert response.status_code == 302
    assert list(draft.memberships.values_list("employee", flat=True)) == [roster[0].pk]


def test_the_sk_must_be_a_real_pdf_and_the_form_keeps_the_other_fields(login, facility_head, draft, roster):
    fake = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 this is an executable renamed", content_type="application/pdf")
    response = login(facility_head).post(
        f"/satgas/{draft.pk}/penetapan/", {**_post(_twelve(roster)), "decree_file": fake}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "bukan PDF yang sah" in " ".join(form.errors["decree_file"])
    assert form["decree_number"].value() == "W.13.PAS.PAS.11-KP.05.02-17 Tahun 2024"
    assert form["decree_signer"].value() == "Kepala Lapas Uji"
    assert form[f"role_{roster[0].pk}"].value() == "KETUA"
    draft.refresh_from_db()
    assert draft.state == TaskForce.State.DRAFT and not draft.decree_file


def test_the_sk_has_a_size_limit(login, facility_head, draft, roster, monkeypatch):
    from satgas import forms

    monkeypatch.setattr(forms.AppointmentForm.base_fields["decree_file"], "max_bytes", 100)
    response = login(facility_head).post(
        f"/satgas/{draft.pk}/penetapan/", {**_post(_twelve(roster)), "decree_file": sk_upload()}
    )
    assert "terlalu besar" in " ".join(response.context["form"].errors["decree_file"])


def test_appointing_needs_the_sk_number_date_and_scan(login, facility_head, draft, roster):
    data = _post(_twelve(roster), decree_number="", decree_date="")
    response = login(facility_head).post(f"/satgas/{draft.pk}/penetapan/", data)
    errors = response.context["form"].errors
    assert "Nomor SK wajib diisi" in errors["decree_number"][0]
    assert "Tanggal SK wajib diisi" in errors["decree_date"][0]
    assert "Unggah pindaian SK" in errors["decree_file"][0]


def test_saving_a_draft_keeps_the_roster_without_appointing(login, facility_head, draft, roster):
    roles = {roster[0]: "KETUA", roster[3]: "ANGGOTA"}
    client = login(facility_head)
    response = client.post(f"/satgas/{draft.pk}/penetapan/", {**_post(roles, decree_number="", action="draft")})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == TaskForce.State.DRAFT
    assert dict(draft.memberships.values_list("employee", "role")) == {roster[0].pk: "KETUA", roster[3].pk: "ANGGOTA"}
    page = client.get(f"/satgas/{draft.pk}/penetapan/")
    assert page.context["form"][f"role_{roster[3].pk}"].value() == "ANGGOTA"


def test_draft_members_get_no_task_force_access(client, draft, roster):
    from satgas import actions

    actions.save_draft(None, draft, [(roster[0], "KETUA")])
    user = factories.staff_user(roster[0])
    client.force_login(user)
    assert client.get(f"/satgas/{draft.pk}/").status_code == 404


def test_an_appointed_task_force_cannot_be_appointed_again(login, facility_head, task_force, roster):
    response = login(facility_head).post(
        f"/satgas/{task_force.pk}/penetapan/", {**_post(_twelve(roster)), "decree_file": sk_upload()}
    )
    assert response.status_code == 302
    assert task_force.memberships.count() == 4


@pytest.mark.parametrize("who", ["regional_admin", "national_admin"])
def test_only_the_facility_head_appoints(request, client, draft, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/satgas/{draft.pk}/penetapan/").status_code == 404
    assert client.get("/satgas/baru/").status_code == 404


def test_another_facility_head_cannot_see_the_draft(client, other_facility_head, draft):
    client.force_login(other_facility_head)
    assert client.get(f"/satgas/{draft.pk}/penetapan/").status_code == 404
    assert client.get(f"/satgas/{draft.pk}/").status_code == 404
