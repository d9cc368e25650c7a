"""Signing online: the pact filled in with one's own data, consent, typed name, sudo mode, one per campaign."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts import sudo
from accounts.models import AuditEvent
from pledges.models import Signature
from tests import factories as base
from tests.pledges import factories


def sign_url(campaign) -> str:
    return reverse("pledges:sign", args=[campaign.pk])


def post_sign(client, campaign, employee, **extra):
    data = {"consent": "on", "typed_name": employee.name, **extra}
    return client.post(sign_url(campaign), data, HTTP_USER_AGENT="Mozilla/5.0 uji", REMOTE_ADDR="10.1.2.3")


def test_it_shows_the_pact_filled_with_the_signers_own_data(staff_client, campaign, employee):
    response = staff_client.get(sign_url(campaign))
    page = response.content.decode()
    assert response.status_code == 200
    for value in (employee.name, employee.identifier, employee.rank_display, employee.position, employee.facility.name):
        assert value in page
    for clause in campaign.text.clause_list:
        assert clause in page


def test_it_records_the_signature_with_its_evidence(staff_client, campaign, employee):
    response = post_sign(staff_client, campaign, employee)
    signature = Signature.objects.get(campaign=campaign, employee=employee)
    assert response.status_code == 302
    assert response.url == reverse("pledges:signature_detail", args=[signature.pk]) + "?baru=1"
    assert signature.method == Signature.Method.ONLINE
    assert signature.text == campaign.text
    assert signature.ip_address == "10.1.2.3"
    assert signature.user_agent == "Mozilla/5.0 uji"
    assert signature.signer_identifier == employee.identifier
    assert signature.fingerprint == signature.compute_fingerprint()
    assert len(signature.fingerprint) == 64
    assert len(signature.verification_code) >= 32  # 24 random bytes, URL-safe
    assert employee.identifier not in signature.verification_code
    assert AuditEvent.objects.filter(action="pledge.signed", object_id=str(signature.pk)).exists()


def test_behind_a_trusted_proxy_the_signature_records_the_client_address(staff_client, campaign, employee, settings):
    import ipaddress

    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    data = {"consent": "on", "typed_name": employee.name}
    staff_client.post(sign_url(campaign), data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert Signature.objects.get(campaign=campaign, employee=employee).ip_address == "198.51.100.7"


def test_a_forwarded_header_from_an_untrusted_client_is_not_recorded(staff_client, campaign, employee, settings):
    settings.TRUSTED_PROXIES = []
    data = {"consent": "on", "typed_name": employee.name}
    staff_client.post(sign_url(campaign), data, REMOTE_ADDR="203.0.113.4", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert Signature.objects.get(campaign=campaign, employee=employee).ip_address == "203.0.113.4"


def test_fingerprint_changes_with_the_signed_content(signed):
    before = signed.compute_fingerprint()
    signed.signer_name = signed.signer_name + " X"
    assert signed.compute_fingerprint() != before


def test_typed_name_ignores_case_and_spaces(staff_client, campaign, employee):
    typed = "  " + employee.name.upper().replace(" ", "   ") + " "
    post_sign(staff_client, campaign, employee, typed_name=typed)
    assert Signature.objects.filter(campaign=campaign, employee=employee).count() == 1


def test_it_refuses_a_wrong_name_and_keeps_what_was_typed(staff_client, campaign, employee):
    response = post_sign(staff_client, campaign, employee, typed_name="Orang Lain")
    page = response.content.decode()
    assert response.status_code == 200
    assert not Signature.objects.exists()
    assert "Orang Lain" in page
    assert "tidak sama" in page


def test_it_refuses_without_consent(staff_client, campaign, employee):
    response = staff_client.post(sign_url(campaign), {"typed_name": employee.name})
    assert response.status_code == 200
    assert not Signature.objects.exists()
    assert employee.name in response.content.decode()


def test_double_submit_makes_one_signature_and_no_error_page(staff_client, campaign, employee):
    first = post_sign(staff_client, campaign, employee)
    second = post_sign(staff_client, campaign, employee)
    assert first.status_code == 302
    assert second.status_code == 302
    assert second.url.split("?")[0] == first.url.split("?")[0]
    assert Signature.objects.filter(campaign=campaign, employee=employee).count() == 1
    followed = staff_client.get(second.url)
    assert followed.status_code == 200
    assert "sudah menandatangani" in followed.content.decode()


def test_the_action_returns_the_existing_signature_when_the_constraint_fires(campaign, employee, staff):
    """No pre-check: the insert hits the partial unique index, the savepoint absorbs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pledges import actions

    existing = factories.signature(campaign, employee)
    with CaptureQueriesContext(connection) as queries:
        signature, created = actions.sign(
            staff, campaign, employee, typed_name=employee.name, consent=True, ip_address="10.0.0.1", user_agent="x"
        )
    assert created is False
    assert signature.pk == existing.pk
    assert Signature.objects.count() == 1
    assert any("ROLLBACK TO SAVEPOINT" in q["sql"] for q in queries.captured_queries)


def test_it_refuses_closed_campaign(staff_client, closed_campaign, employee):
    page = staff_client.get(sign_url(closed_campaign)).content.decode()
    assert "sudah ditutup" in page
    assert 'id="sign-form"' not in page
    response = post_sign(staff_client, closed_campaign, employee)
    assert response.status_code == 200
    assert "sudah ditutup" in response.content.decode()
    assert not Signature.objects.exists()


def test_it_refuses_before_opening(staff_client, employee):
    upcoming = factories.CampaignFactory(upcoming=True)
    response = post_sign(staff_client, upcoming, employee)
    assert "belum dibuka" in response.content.decode()
    assert not Signature.objects.exists()


def test_staff_cannot_sign_for_someone_else(staff_client, campaign, employee, other_employee):
    """The signer comes from the login; an employee id smuggled into the form is ignored."""
    staff_client.post(
        sign_url(campaign),
        {"consent": "on", "typed_name": employee.name, "employee": other_employee.pk, "employee_id": other_employee.pk},
    )
    assert list(Signature.objects.values_list("employee_id", flat=True)) == [employee.pk]
    # Typing the colleague's name does not sign for them either.
    staff_client.logout()
    staff_client.force_login(employee.user)
    response = post_sign(staff_client, factories.CampaignFactory(), employee, typed_name=other_employee.name)
    assert response.status_code == 200
    assert not Signature.objects.filter(employee=other_employee).exists()


def test_a_user_without_an_employee_record_cannot_sign(client, facility_head, campaign):
    client.force_login(facility_head)
    assert client.get(sign_url(campaign)).status_code == 404


def test_a_campaign_outside_the_signers_scope_is_not_found(staff_client, employee, other_region):
    elsewhere = factories.CampaignFactory(scope="region", regional_office=other_region)
    assert staff_client.get(sign_url(elsewhere)).status_code == 404
    assert post_sign(staff_client, elsewhere, employee).status_code == 404
    assert not Signature.objects.exists()


def test_a_campaign_for_chosen_facilities_covers_only_those(client, campaign, facility, sibling_facility):
    chosen = factories.CampaignFactory(scope="facilities")
    chosen.facilities.set([sibling_facility])
    inside = base.staff_user(base.EmployeeFactory(facility=sibling_facility))
    outside = base.staff_user(base.EmployeeFactory(facility=facility))
    client.force_login(inside)
    assert client.get(sign_url(chosen)).status_code == 200
    client.force_login(outside)
    assert client.get(sign_url(chosen)).status_code == 404


def test_a_transfer_during_the_session_counts_at_the_staff_members_next_request(
    staff_client, employee, facility, sibling_facility, regional_admin
):
    """The employee and UPT come with the user on each request (facilities.auth.StaffBackend), never
    from the session or a cache: the Kanwil's mutasi, made while the staff member is logged in, decides
    their very next page."""
    old_upt = factories.CampaignFactory(scope="facilities")
    old_upt.facilities.set([facility])
    new_upt = factories.CampaignFactory(scope="facilities")
    new_upt.facilities.set([sibling_facility])
    assert staff_client.get(sign_url(old_upt)).status_code == 200
    assert staff_client.get(sign_url(new_upt)).status_code == 404

    kanwil = Client()
    kanwil.force_login(regional_admin)
    moved = kanwil.post(
        reverse("facilities:employee_transfer", args=[employee.pk]),
        {"facility": sibling_facility.pk, "date": "2025-07-01", "note": "SK mutasi"},
    )
    assert moved.status_code == 302

    assert staff_client.get(sign_url(old_upt)).status_code == 404
    assert post_sign(staff_client, old_upt, employee).status_code == 404
    page = staff_client.get(sign_url(new_upt))
    assert page.status_code == 200
    assert sibling_facility.name in page.content.decode()
    assert not Signature.objects.exists()


class TestSudoMode:
    def _age_session(self, client, seconds: float) -> None:
        session = client.session
        session[sudo.SESSION_KEY] = time.time() - seconds
        session.save()

    def test_a_fresh_login_signs_without_a_password(self, staff_client, campaign):
        assert 'id="sign-form"' in staff_client.get(sign_url(campaign)).content.decode()

    def test_an_old_login_must_confirm_the_password_first(self, staff_client, campaign, employee):
        self._age_session(staff_client, 16 * 60)
        page = staff_client.get(sign_url(campaign)).content.decode()
        assert "sudo_password" in page
        assert 'id="sign-form"' not in page
        # The signing form posted meanwhile is not executed without the password...
        post_sign(staff_client, campaign, employee)
        assert not Signature.objects.exists()

    def test_a_wrong_password_is_refused(self, staff_client, campaign):
        self._age_session(staff_client, 16 * 60)
        response = staff_client.post(sign_url(campaign), {"sudo_password": "salah-sekali"})
        assert "Kata sandi salah" in response.content.decode()
        assert not sudo.is_recent(response.wsgi_request)

    def test_the_right_password_opens_the_form_and_carries_the_posted_signature(self, staff_client, campaign, employee):
        self._age_session(staff_client, 16 * 60)
        response = staff_client.post(
            sign_url(campaign),
            {"sudo_password": base.PASSWORD, "consent": "on", "typed_name": employee.name},
        )
        assert response.status_code == 302
        assert Signature.objects.filter(employee=employee).count() == 1
        assert 'id="sign-form"' not in staff_client.get(sign_url(campaign)).content.decode()

    def test_a_confirmed_password_lasts_for_the_window(self, staff_client, campaign):
        self._age_session(staff_client, 16 * 60)
        response = staff_client.post(sign_url(campaign), {"sudo_password": base.PASSWORD})
        assert response.status_code == 302
        assert 'id="sign-form"' in staff_client.get(sign_url(campaign)).content.decode()


def test_after_revocation_the_staff_member_can_sign_again(staff_client, client, campaign, employee, regional_admin):
    first = factories.signature(campaign, employee)
    from pledges import actions

    actions.revoke(regional_admin, first, "Data jabatan keliru")
    response = post_sign(staff_client, campaign, employee)
    assert response.status_code == 302
    assert Signature.objects.filter(campaign=campaign, employee=employee).count() == 2
    assert Signature.objects.filter(campaign=campaign, employee=employee, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_signing_needs_a_login(client, campaign, method):
    response = getattr(client, method)(sign_url(campaign))
    assert response.status_code == 302
    assert "/akun/masuk/" in response.url
