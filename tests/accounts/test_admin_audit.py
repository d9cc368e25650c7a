"""The Django admin cannot change what the app audits without an audit event.

Per model (accounts/admin.py, facilities/admin.py, pledges/admin.py):
- read-only (view only): employees and their placements, facilities (the app edits them,
  audited), audit events, pact texts, campaigns, signatures, paper batches;
- saves go through an audited action: users (role, scope, flags, password), regional
  offices and the ministry (the admin is their only editor);
- nothing of ours is deleted from the admin.
Task forces, memberships and reports are not in the admin at all.
"""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.hashers import check_password

from accounts.models import AuditEvent, Role, User
from facilities.models import Employee, Facility, Ministry, Placement, RegionalOffice
from tests import factories

OWN_APPS = {"accounts", "facilities", "satgas", "pledges", "reports"}
READ_ONLY = {"facilities.employee", "facilities.facility", "accounts.auditevent"} | {
    f"pledges.{name}" for name in ("pacttext", "campaign", "signature", "paperbatch")
}
AUDITED_SAVES = {"accounts.user", "facilities.regionaloffice", "facilities.ministry"}
NOT_IN_ADMIN = {"satgas.taskforce", "satgas.membership", "reports.report", "accounts.activationcode"}


@pytest.fixture
def superuser(db):
    return factories.national_admin(username="pusat", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def form_data(form) -> dict:
    """What a browser would post back for an unchanged admin form."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        names = [bound.html_name] + ([bound.html_initial_name] if bound.field.show_hidden_initial else [])
        for name in names:
            data.update(_widget_data(bound.field.widget, name, bound.value()))
    return data


def _widget_data(widget, name: str, value) -> dict:
    widget = getattr(widget, "widget", widget)  # unwrap RelatedFieldWidgetWrapper
    if isinstance(widget, forms.MultiWidget):
        return {f"{name}_{i}": "" if part is None else str(part) for i, part in enumerate(widget.decompress(value))}
    if isinstance(value, bool):
        return {name: "on"} if value else {}
    if isinstance(value, (list, tuple)):
        return {name: [str(item) for item in value]}
    return {} if value is None else {name: str(value)}


def test_every_model_of_ours_in_the_admin_is_classified():
    registered = {m._meta.label_lower for m in admin.site._registry if m._meta.app_label in OWN_APPS}
    assert registered == READ_ONLY | AUDITED_SAVES
    assert not registered & NOT_IN_ADMIN


@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_read_only_models_cannot_be_added_changed_or_deleted(label, rf, superuser):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_change_permission(request) and not inline.has_add_permission(request, None)


def test_an_employee_cannot_be_moved_to_another_upt_in_the_admin(admin_client, facility, other_facility):
    employee = factories.EmployeeFactory(facility=facility, name="Budi Santoso")
    url = f"/admin/facilities/employee/{employee.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = admin_client.post(url, {"name": "Diubah", "facility": other_facility.pk})
    assert response.status_code == 403
    employee.refresh_from_db()
    assert (employee.name, employee.facility) == ("Budi Santoso", facility)
    assert list(Placement.objects.filter(employee=employee).values_list("facility", flat=True)) == [facility.pk]
    assert admin_client.post("/admin/facilities/employee/add/", {"name": "X"}).status_code == 403
    assert admin_client.post(f"/admin/facilities/employee/{employee.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Employee.objects.filter(pk=employee.pk).exists()


def test_a_facility_head_cannot_be_set_in_the_admin(admin_client, facility):
    employee = factories.EmployeeFactory(facility=facility)
    response = admin_client.post(f"/admin/facilities/facility/{facility.pk}/change/", {"head": employee.pk})
    assert response.status_code == 403
    assert Facility.objects.get(pk=facility.pk).head is None


def test_changing_a_users_role_in_the_admin_is_audited(admin_client, superuser, facility, region):
    user = factories.regional_admin(region, username="kanwil.jateng")
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(admin_client.get(url).context["adminform"].form)
    data.update(role=Role.FACILITY_HEAD, regional_office="", facility=str(facility.pk), is_staff="on")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.role, user.facility, user.is_staff) == (Role.FACILITY_HEAD, facility, True)
    event = AuditEvent.objects.get(action="account.updated")
    assert (event.actor, event.object_id, event.facility) == (superuser, str(user.pk), facility)
    assert set(event.data["fields"]) == {"role", "regional_office", "facility", "is_staff"}
    assert event.data["role"] == Role.FACILITY_HEAD


def test_adding_a_user_in_the_admin_is_audited(admin_client, superuser, region):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "kanwil.baru",
            "usable_password": "true",
            "password1": "Sandi-Kanwil-Baru-2024",
            "password2": "Sandi-Kanwil-Baru-2024",
            "role": Role.REGIONAL_ADMIN,
            "regional_office": region.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="kanwil.baru")
    assert user.check_password("Sandi-Kanwil-Baru-2024") and user.regional_office == region
    event = AuditEvent.objects.get(action="account.created")
    assert (event.actor, event.object_id) == (superuser, str(user.pk))
    assert event.data["role"] == Role.REGIONAL_ADMIN
    assert "Sandi-Kanwil-Baru-2024" not in str(event.data) and user.password not in str(event.data)


def test_setting_a_password_in_the_admin_is_audited(admin_client, superuser, region):
    user = factories.regional_admin(region, username="kanwil.jateng")
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"usable_password": "true", "password1": "Sandi-Baru-Kanwil-77", "password2": "Sandi-Baru-Kanwil-77"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert check_password("Sandi-Baru-Kanwil-77", user.password)
    event = AuditEvent.objects.get(action="account.password_set")
    assert (event.actor, event.object_id, event.data) == (superuser, str(user.pk), {"usable": True})


def test_an_invalid_password_in_the_admin_changes_nothing(admin_client, region):
    user = factories.regional_admin(region, username="kanwil.jateng")
    before = User.objects.get(pk=user.pk).password
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"usable_password": "true", "password1": "Sandi-Baru-Kanwil-77", "password2": "lain"},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).password == before
    assert not AuditEvent.objects.exists()


def test_users_are_not_deleted_in_the_admin(admin_client, region):
    user = factories.regional_admin(region)
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_renaming_a_regional_office_in_the_admin_is_audited(admin_client, superuser, region):
    url = f"/admin/facilities/regionaloffice/{region.pk}/change/"
    data = form_data(admin_client.get(url).context["adminform"].form)
    data["head_name"] = "Dr. Kepala Baru"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RegionalOffice.objects.get(pk=region.pk).head_name == "Dr. Kepala Baru"
    event = AuditEvent.objects.get(action="regional_office.updated")
    assert (event.actor, event.object_id, event.data) == (superuser, str(region.pk), {"fields": ["head_name"]})
    assert (
        admin_client.post(f"/admin/facilities/regionaloffice/{region.pk}/delete/", {"post": "yes"}).status_code == 403
    )


def test_adding_a_ministry_in_the_admin_is_audited(admin_client, superuser):
    response = admin_client.post(
        "/admin/facilities/ministry/add/",
        {"name": "Kementerian Uji", "directorate": "Direktorat Uji", "short_name": "KU"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ministry = Ministry.objects.get(name="Kementerian Uji")
    event = AuditEvent.objects.get(action="ministry.created")
    assert (event.actor, event.object_id) == (superuser, str(ministry.pk))
