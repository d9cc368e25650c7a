"""The Django admin (national admin only) speaks Indonesian too: no English field or model names."""

import pytest
from django.contrib import admin

from accounts.models import AuditEvent
from tests import factories

OWN_APPS = {"accounts", "facilities", "satgas", "pledges", "reports"}


def _own_admin_models():
    return [model for model in admin.site._registry if model._meta.app_label in OWN_APPS]


def test_every_field_of_our_admin_models_has_an_indonesian_label():
    unlabelled = [
        f"{model.__name__}.{field.name}"
        for model in _own_admin_models()
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and getattr(field, "_verbose_name", None) is None
    ]
    assert unlabelled == []


def test_every_admin_model_has_an_indonesian_name():
    assert [m.__name__ for m in _own_admin_models() if "verbose_name" not in m._meta.original_attrs] == []


@pytest.mark.django_db
def test_the_audit_list_shows_indonesian_headings(client):
    admin_user = factories.national_admin(is_staff=True, is_superuser=True)
    AuditEvent.objects.create(actor=admin_user, action="facility.updated")
    client.force_login(admin_user)
    page = client.get("/admin/accounts/auditevent/").content.decode()
    assert "catatan audit" in page and "Waktu" in page and "Tindakan" in page
    assert "audit event" not in page.lower() and "Created at" not in page
