"""Task force members record their own facility's activities with participants and attachments."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from satgas.models import Activity, Membership
from tests import factories
from tests.satgas.factories import ActivityFactory, member_login, pdf_bytes, png_bytes


def _data(**extra):
    data = {
        "date": "2024-01-31",
        "kind": "APEL",
        "topic": "Apel sosialisasi netralitas ASN",
        "place": "Lapangan upacara",
        "notes": "Dilanjutkan ikrar netralitas.",
    }
    data.update(extra)
    return data


def test_a_member_records_an_activity_with_participants_and_attachments(client, task_force, roster):
    user = member_login(task_force, Membership.Role.SEKRETARIS)
    client.force_login(user)
    photo = SimpleUploadedFile("apel.png", png_bytes(), content_type="image/png")
    report = SimpleUploadedFile("notulen.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        f"/satgas/{task_force.pk}/kegiatan/tambah/",
        _data(participants=[roster[0].pk, roster[1].pk], attachments=[photo, report]),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/satgas/kegiatan/{activity.pk}/"
    assert activity.task_force == task_force and activity.recorded_by == user
    assert set(activity.participants.all()) == {roster[0], roster[1]}
    assert sorted(activity.attachments.values_list("kind", flat=True)) == ["pdf", "png"]
    assert AuditEvent.objects.filter(action="satgas.activity_recorded", object_id=str(activity.pk)).exists()
    page = client.get(f"/satgas/kegiatan/{activity.pk}/").content.decode()
    assert roster[0].name in page and "Apel sosialisasi netralitas ASN" in page
    attachment = activity.attachments.get(kind="png")
    served = client.get(f"/satgas/lampiran/{attachment.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_a_count_may_replace_the_participant_list(login, ketua, task_force):
    response = login(ketua).post(f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(participant_count="96"))
    assert response.status_code == 302
    assert Activity.objects.get().participant_count == 96


def test_it_asks_for_participants_or_a_count_and_keeps_the_input(login, ketua, task_force):
    response = login(ketua).post(f"/satgas/{task_force.pk}/kegiatan/tambah/", _data())
    form = response.context["form"]
    assert "Pilih peserta dari daftar pegawai atau isi jumlah peserta" in form.errors["participant_count"][0]
    assert form["topic"].value() == "Apel sosialisasi netralitas ASN"
    assert not Activity.objects.exists()


def test_an_attachment_is_checked_by_content(login, ketua, task_force):
    fake = SimpleUploadedFile("foto.jpg", b"GIF89a not really a jpeg", content_type="image/jpeg")
    response = login(ketua).post(
        f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(participant_count="10", attachments=[fake])
    )
    assert "foto.jpg" in " ".join(response.context["form"].errors["attachments"])
    assert response.context["form"]["place"].value() == "Lapangan upacara"
    assert not Activity.objects.exists()


def test_participants_come_from_the_facilitys_roster(login, ketua, task_force, other_facility):
    stranger = factories.EmployeeFactory(facility=other_facility)
    response = login(ketua).post(f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(participants=[stranger.pk]))
    assert "participants" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_an_activity_cannot_lie_in_the_future(login, ketua, task_force):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = login(ketua).post(
        f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(date=tomorrow, participant_count="5")
    )
    assert "masa depan" in response.context["form"].errors["date"][0]


def test_a_member_edits_an_activity_and_adds_an_attachment(login, ketua, task_force):
    activity = ActivityFactory(task_force=task_force)
    client = login(ketua)
    report = SimpleUploadedFile("laporan.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        f"/satgas/kegiatan/{activity.pk}/ubah/",
        _data(topic="Apel sosialisasi (diperbaiki)", participant_count="60", attachments=[report]),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.topic == "Apel sosialisasi (diperbaiki)" and activity.participant_count == 60
    assert activity.attachments.count() == 1


def test_the_activity_list_filters_by_kind(login, ketua, task_force):
    ActivityFactory(task_force=task_force, kind="APEL", topic="Apel pagi")
    ActivityFactory(task_force=task_force, kind="MONITORING", topic="Pemantauan TPS")
    response = login(ketua).get(f"/satgas/{task_force.pk}/kegiatan/?jenis=MONITORING")
    assert [a.topic for a in response.context["page_obj"]] == ["Pemantauan TPS"]


def test_a_member_of_another_facility_sees_nothing(client, task_force, sibling_task_force):
    activity = ActivityFactory(task_force=sibling_task_force)
    client.force_login(member_login(task_force))
    assert client.get(f"/satgas/kegiatan/{activity.pk}/").status_code == 404
    assert client.get(f"/satgas/kegiatan/{activity.pk}/ubah/").status_code == 404
    assert client.get(f"/satgas/{sibling_task_force.pk}/kegiatan/tambah/").status_code == 404


def test_attachments_are_served_only_within_scope(client, task_force, other_regional_admin, regional_admin, ketua):
    from satgas import actions

    upload = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    upload.kind = "png"
    activity = actions.record_activity(
        ketua,
        task_force,
        Activity(date=dt.date(2024, 2, 1), kind="APEL", topic="T", place="P", participant_count=3),
        [],
        [upload],
    )
    attachment = activity.attachments.get()
    client.force_login(other_regional_admin)
    assert client.get(f"/satgas/lampiran/{attachment.pk}/").status_code == 404
    client.force_login(regional_admin)
    assert client.get(f"/satgas/lampiran/{attachment.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["regional_admin", "national_admin", "staff"])
def test_only_members_and_the_head_record_activities(request, client, task_force, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(participant_count="5"))
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_the_facility_head_records_activities_too(login, facility_head, task_force):
    response = login(facility_head).post(f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(participant_count="5"))
    assert response.status_code == 302


def test_no_activities_on_an_ended_task_force(login, facility_head, task_force):
    from satgas import actions

    actions.end_task_force(facility_head, task_force, reason="Selesai")
    response = login(facility_head).post(f"/satgas/{task_force.pk}/kegiatan/tambah/", _data(participant_count="5"))
    assert response.status_code == 404


def test_editing_keeps_a_participant_who_was_deactivated_since(login, ketua, task_force, roster):
    from satgas import actions

    activity = actions.record_activity(
        ketua, task_force, Activity(date=dt.date(2024, 2, 1), kind="EDUKASI", topic="T", place="P"), [roster[5]]
    )
    roster[5].is_active = False
    roster[5].save()
    response = login(ketua).post(
        f"/satgas/kegiatan/{activity.pk}/ubah/", _data(kind="EDUKASI", participants=[roster[5].pk, roster[6].pk])
    )
    assert response.status_code == 302
    assert set(activity.participants.all()) == {roster[5], roster[6]}


# --- "Lainnya": another kind, with its own name -----------------------------------------


def test_another_kind_is_recorded_with_its_description_and_listed_by_it(login, ketua, task_force):
    client = login(ketua)
    response = client.post(
        f"/satgas/{task_force.pk}/kegiatan/tambah/",
        _data(kind="LAINNYA", kind_other="  Rapat koordinasi Satgas  ", participant_count="12"),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.kind == Activity.Kind.LAINNYA and activity.kind_other == "Rapat koordinasi Satgas"
    assert activity.kind_label == "Rapat koordinasi Satgas"
    event = AuditEvent.objects.get(action="satgas.activity_recorded")
    assert event.data["kind"] == "LAINNYA" and event.data["kind_other"] == "Rapat koordinasi Satgas"
    # Its name, not "Lainnya", on the activity list, the task force page and the activity page.
    for url in (f"/satgas/{task_force.pk}/kegiatan/", f"/satgas/{task_force.pk}/", f"/satgas/kegiatan/{activity.pk}/"):
        page = client.get(url).content.decode()
        assert "Rapat koordinasi Satgas" in page, url
    row = client.get(f"/satgas/{task_force.pk}/kegiatan/").content.decode().split('id="activity-table"')[1]
    assert ">Lainnya<" not in row
    # The filter by kind finds it.
    listed = client.get(f"/satgas/{task_force.pk}/kegiatan/?jenis=LAINNYA").context["page_obj"].object_list
    assert list(listed) == [activity]


@pytest.mark.parametrize("described", ["", "   "])
def test_another_kind_needs_a_description_and_keeps_what_was_typed(login, ketua, task_force, described):
    response = login(ketua).post(
        f"/satgas/{task_force.pk}/kegiatan/tambah/",
        _data(kind="LAINNYA", kind_other=described, participant_count="12"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["kind_other"] == ["Tuliskan jenis kegiatannya bila memilih Lainnya."]
    assert form["kind"].value() == "LAINNYA"
    assert form["topic"].value() == "Apel sosialisasi netralitas ASN"
    assert form["participant_count"].value() == "12"
    page = response.content.decode()
    assert "Tuliskan jenis kegiatannya bila memilih Lainnya." in page
    assert 'value="Apel sosialisasi netralitas ASN"' in page
    assert not Activity.objects.exists()


def test_a_description_typed_before_choosing_another_kind_is_dropped(login, ketua, task_force):
    response = login(ketua).post(
        f"/satgas/{task_force.pk}/kegiatan/tambah/",
        _data(kind="APEL", kind_other="Rapat koordinasi", participant_count="12"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.kind_other == "" and activity.kind_label == "Apel sosialisasi"


def test_changing_an_other_kind_back_to_an_apel_clears_the_description(login, ketua, task_force):
    activity = ActivityFactory(task_force=task_force, kind=Activity.Kind.LAINNYA, kind_other="Rapat koordinasi")
    response = login(ketua).post(
        f"/satgas/kegiatan/{activity.pk}/ubah/",
        _data(kind="APEL", kind_other="Rapat koordinasi", participant_count="9"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.kind == Activity.Kind.APEL and activity.kind_other == ""


def test_the_form_page_offers_lainnya_with_its_description_field(login, ketua, task_force):
    page = login(ketua).get(f"/satgas/{task_force.pk}/kegiatan/tambah/").content.decode()
    assert '<option value="LAINNYA">Lainnya</option>' in page
    assert 'name="kind_other"' in page and 'data-shown-with="id_kind"' in page


@pytest.mark.parametrize(
    ("kind", "kind_other"),
    [(Activity.Kind.LAINNYA, ""), (Activity.Kind.LAINNYA, "   "), (Activity.Kind.APEL, "Rapat koordinasi")],
)
def test_the_database_refuses_an_undescribed_other_kind_or_a_stray_description(task_force, kind, kind_other):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(task_force=task_force, kind=kind, kind_other=kind_other)
