"""The Kanwil inaugurates several of its region's appointed task forces in one ceremony."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from satgas.models import Inauguration, TaskForce
from tests.satgas.factories import TaskForceFactory, png_bytes


def _data(*task_forces, **extra):
    data = {
        "task_forces": [tf.pk for tf in task_forces],
        "date": "2024-01-29",
        "place": "Daring (Zoom)",
        "official": "Kepala Kantor Wilayah",
    }
    data.update(extra)
    return data


def test_one_ceremony_inaugurates_several_task_forces(login, regional_admin, task_force, sibling_task_force):
    response = login(regional_admin).post("/satgas/pengukuhan/", _data(task_force, sibling_task_force))
    assert response.status_code == 302
    ceremony = Inauguration.objects.get()
    assert ceremony.regional_office == task_force.facility.regional_office
    assert ceremony.date == dt.date(2024, 1, 29) and ceremony.recorded_by == regional_admin
    for tf in (task_force, sibling_task_force):
        tf.refresh_from_db()
        assert tf.state == TaskForce.State.INAUGURATED and tf.inauguration == ceremony
    assert AuditEvent.objects.filter(action="satgas.inaugurated").count() == 2


def test_the_form_lists_only_the_regions_appointed_task_forces(
    login, regional_admin, task_force, other_task_force, sibling_facility, period
):
    TaskForceFactory(facility=sibling_facility, period=period)
    response = login(regional_admin).get("/satgas/pengukuhan/")
    assert list(response.context["form"].fields["task_forces"].queryset) == [task_force]


def test_another_regions_task_force_cannot_be_inaugurated(login, regional_admin, other_task_force):
    response = login(regional_admin).post("/satgas/pengukuhan/", _data(other_task_force))
    assert response.status_code == 200
    assert response.context["form"].errors["task_forces"]
    other_task_force.refresh_from_db()
    assert other_task_force.state == TaskForce.State.APPOINTED


def test_a_draft_cannot_be_inaugurated(login, regional_admin, draft):
    response = login(regional_admin).post("/satgas/pengukuhan/", _data(draft))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.state == TaskForce.State.DRAFT


def test_the_inauguration_cannot_precede_the_sk(login, regional_admin, task_force):
    response = login(regional_admin).post("/satgas/pengukuhan/", _data(task_force, date="2024-01-10"))
    assert "tidak boleh sebelum tanggal SK" in " ".join(response.context["form"].non_field_errors())
    assert not Inauguration.objects.exists()


def test_a_photo_is_checked_and_kept_privately(login, regional_admin, task_force, ketua):
    client = login(regional_admin)
    fake = SimpleUploadedFile("foto.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post("/satgas/pengukuhan/", _data(task_force, photo=fake))
    assert "bukan JPEG, PNG, WebP yang sah" in " ".join(response.context["form"].errors["photo"])
    assert response.context["form"]["place"].value() == "Daring (Zoom)"
    photo = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    assert client.post("/satgas/pengukuhan/", _data(task_force, photo=photo)).status_code == 302
    ceremony = Inauguration.objects.get()
    client.force_login(ketua)
    response = client.get(f"/satgas/pengukuhan/{ceremony.pk}/foto")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_photo_too_slow_to_decode_is_refused_with_a_message(login, regional_admin, task_force):
    from tests import hostile_files

    slow = SimpleUploadedFile("foto.jpg", hostile_files.jpeg_many_scans(scans=1000), content_type="image/jpeg")
    response = login(regional_admin).post("/satgas/pengukuhan/", _data(task_force, photo=slow))
    errors = " ".join(response.context["form"].errors["photo"])
    assert "Berkas foto.jpg tersusun dari terlalu banyak bagian" in errors and "100 pindaian" in errors
    assert not Inauguration.objects.exists()


def test_another_region_cannot_see_the_inauguration_photo(client, other_regional_admin, inaugurated):
    client.force_login(other_regional_admin)
    assert client.get(f"/satgas/pengukuhan/{inaugurated.inauguration.pk}/foto").status_code == 404


@pytest.mark.parametrize("who", ["national_admin", "facility_head", "ketua"])
def test_only_regional_admins_inaugurate(request, client, task_force, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/satgas/pengukuhan/").status_code == 404
    assert client.post("/satgas/pengukuhan/", _data(task_force)).status_code == 404
    task_force.refresh_from_db()
    assert task_force.state == TaskForce.State.APPOINTED
