"""An admin's password reset: a new slip, and the old password stops working."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditEvent
from tests import factories

CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


def reset(client, user):
    return client.post(reverse("facilities:reset_password", args=[user.pk]))


def test_a_reset_returns_a_slip_and_the_old_password_stops_working(client, facility_head, staff, employee):
    client.force_login(facility_head)
    response = reset(client, staff)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="slip-reset-sandi.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert employee.name in text
    assert staff.username in text
    [code] = CODE.findall(text)

    client.logout()
    login = client.post("/akun/masuk/", {"username": staff.username, "password": factories.PASSWORD})
    assert login.status_code == 200  # refused

    activated = client.post(
        "/akun/aktivasi/",
        {
            "username": staff.username,
            "code": code,
            "password1": "Kopi-Tubruk-Pagi-7",
            "password2": "Kopi-Tubruk-Pagi-7",
        },
    )
    assert activated.status_code == 302
    assert (
        client.post("/akun/masuk/", {"username": staff.username, "password": "Kopi-Tubruk-Pagi-7"}).status_code == 302
    )
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.actor == facility_head and event.facility == employee.facility


def test_a_reset_is_a_post(client, facility_head, staff):
    client.force_login(facility_head)
    assert client.get(reverse("facilities:reset_password", args=[staff.pk])).status_code == 405
    staff.refresh_from_db()
    assert staff.has_usable_password()


def test_a_reset_ends_the_staff_members_open_sessions(client, facility_head, staff):
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(staff)
    assert staff_client.get(reverse("dashboard")).status_code == 200
    client.force_login(facility_head)
    reset(client, staff)
    response = staff_client.get(reverse("dashboard"))
    assert response.status_code == 302  # session hash no longer matches the password


def test_a_facility_head_cannot_reset_a_regional_admins_password(client, facility_head, regional_admin):
    client.force_login(facility_head)
    assert reset(client, regional_admin).status_code == 404
    regional_admin.refresh_from_db()
    assert regional_admin.check_password(factories.PASSWORD)


def test_a_reset_of_an_unknown_user_is_404(client, national_admin):
    client.force_login(national_admin)
    assert client.post(reverse("facilities:reset_password", args=[999999])).status_code == 404


def test_the_employee_page_offers_the_reset_only_to_those_allowed(
    client, facility_head, staff, employee, other_facility_head
):
    url = reverse("facilities:employee_detail", args=[employee.pk])
    client.force_login(facility_head)
    assert reverse("facilities:reset_password", args=[staff.pk]) in client.get(url).content.decode()
    client.force_login(staff)
    assert reverse("facilities:reset_password", args=[staff.pk]) not in client.get(url).content.decode()
