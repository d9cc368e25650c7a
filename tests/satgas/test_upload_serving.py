"""Task force files are stored and served as the kind their content was checked to be, never as named.

A JPEG called foto.html with a script in its comment segment must not become an HTML page for every
regional admin, task force member and national admin who opens the inauguration photo.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from satgas.models import Activity, Attachment, Inauguration
from tests import hostile_files
from tests.satgas.factories import member_login, pdf_bytes
from tests.satgas.test_appointment import _post, _twelve
from tests.satgas.test_inauguration import _data as inauguration_data


def _store_as(field_file, name: str, content: bytes) -> None:
    """Put content under exactly this name, as uploads were stored before their names followed their kind."""
    # The media directory lasts the whole run (tests/settings.py): another test may have used the name.
    field_file.storage.delete(name)
    field_file.name = field_file.storage.save(name, ContentFile(content))
    field_file.instance.save()
    assert field_file.name == name


def _assert_served_safely(response, *, content_type: str, disposition: str, extension: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith(f"{disposition}; ")
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    return b"".join(response.streaming_content)


def test_a_jpeg_named_html_is_stored_as_jpg_and_served_as_an_image(login, regional_admin, task_force, ketua):
    client = login(regional_admin)
    photo = SimpleUploadedFile("foto.html", hostile_files.jpeg_with_script(), content_type="text/html")
    assert client.post("/satgas/pengukuhan/", inauguration_data(task_force, photo=photo)).status_code == 302
    ceremony = Inauguration.objects.get()
    assert ceremony.photo.name.endswith(".jpg")

    client.force_login(ketua)
    response = client.get(f"/satgas/pengukuhan/{ceremony.pk}/foto")
    body = _assert_served_safely(response, content_type="image/jpeg", disposition="inline", extension="jpg")
    assert body == hostile_files.jpeg_with_script()


def test_a_photo_stored_earlier_under_an_html_name_is_served_by_its_content(client, regional_admin, inaugurated):
    ceremony = inaugurated.inauguration
    # As the code before this fix stored it: the uploader's extension kept.
    _store_as(ceremony.photo, "satgas/pengukuhan/lama.html", hostile_files.jpeg_with_script())
    client.force_login(regional_admin)
    response = client.get(f"/satgas/pengukuhan/{ceremony.pk}/foto")
    _assert_served_safely(response, content_type="image/jpeg", disposition="inline", extension="jpg")


def test_a_stored_photo_that_is_not_an_image_is_only_offered_as_a_download(client, regional_admin, inaugurated):
    ceremony = inaugurated.inauguration
    _store_as(ceremony.photo, "satgas/pengukuhan/lama.html", hostile_files.SCRIPT)
    client.force_login(regional_admin)
    response = client.get(f"/satgas/pengukuhan/{ceremony.pk}/foto")
    _assert_served_safely(response, content_type="application/octet-stream", disposition="attachment", extension="bin")


def test_the_sk_scan_keeps_the_pdf_extension_whatever_its_name(login, facility_head, draft, roster):
    client = login(facility_head)
    scan = SimpleUploadedFile("sk.html", pdf_bytes(), content_type="text/html")
    response = client.post(f"/satgas/{draft.pk}/penetapan/", {**_post(_twelve(roster)), "decree_file": scan})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.decree_file.name.endswith(".pdf")
    served = client.get(f"/satgas/{draft.pk}/sk.pdf")
    assert _assert_served_safely(served, content_type="application/pdf", disposition="inline", extension="pdf")[:5] == (
        b"%PDF-"
    )


def test_activity_attachments_are_stored_and_served_as_their_checked_kind(client, task_force):
    client.force_login(member_login(task_force))
    photo = SimpleUploadedFile("apel.svg", hostile_files.jpeg_with_script(), content_type="image/svg+xml")
    minutes = SimpleUploadedFile("notulen.htm", pdf_bytes(), content_type="text/html")
    data = {
        "date": "2024-01-31",
        "kind": "APEL",
        "topic": "Apel sosialisasi",
        "place": "Lapangan",
        "participant_count": "40",
        "attachments": [photo, minutes],
    }
    assert client.post(f"/satgas/{task_force.pk}/kegiatan/tambah/", data).status_code == 302
    activity = Activity.objects.get()
    image = activity.attachments.get(kind="jpeg")
    document = activity.attachments.get(kind="pdf")
    assert image.file.name.endswith(".jpg") and document.file.name.endswith(".pdf")
    _assert_served_safely(
        client.get(f"/satgas/lampiran/{image.pk}/"), content_type="image/jpeg", disposition="inline", extension="jpg"
    )
    _assert_served_safely(
        client.get(f"/satgas/lampiran/{document.pk}/"),
        content_type="application/pdf",
        disposition="inline",
        extension="pdf",
    )


def test_an_attachment_whose_content_disagrees_with_its_kind_is_only_a_download(client, task_force, ketua):
    activity = Activity.objects.create(
        task_force=task_force,
        date="2024-01-31",
        kind="APEL",
        topic="Apel",
        place="Lapangan",
        participant_count=3,
        recorded_by=ketua,
    )
    attachment = Attachment(activity=activity, kind="png", size=len(hostile_files.SCRIPT), uploaded_by=ketua)
    attachment.file.save("lampiran.png", ContentFile(hostile_files.SCRIPT), save=True)
    client.force_login(ketua)
    response = client.get(f"/satgas/lampiran/{attachment.pk}/")
    _assert_served_safely(response, content_type="application/octet-stream", disposition="attachment", extension="bin")
