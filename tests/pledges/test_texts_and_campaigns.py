"""Pact texts are versioned (a signed text never changes) and campaigns are opened by the national admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from pledges.defaults import DEFAULT_KEY
from pledges.models import Campaign, PactText, Signature
from tests.pledges import factories


def text_data(**overrides) -> dict:
    data = {
        "title": "PAKTA INTEGRITAS",
        "intro": "dengan ini menyatakan bahwa saya:",
        "clauses": "Menjaga netralitas;\nMenolak politik uang.",
        "closing": "Demikian pakta ini saya buat.",
    }
    data.update(overrides)
    return data


def test_the_default_neutrality_text_ships_with_the_project(db):
    text = PactText.objects.get(key=DEFAULT_KEY, version=1)
    assert len(text.clause_list) == 4
    body = " ".join(text.clause_list)
    for words in ("sebelum, selama, maupun sesudah", "konflik kepentingan", "media sosial", "politik uang"):
        assert words in body


def test_the_national_admin_writes_a_text(client, national_admin):
    client.force_login(national_admin)
    response = client.post(reverse("pledges:text_create"), text_data())
    text = PactText.objects.exclude(key=DEFAULT_KEY).get()
    assert response.url == reverse("pledges:text_detail", args=[text.pk])
    assert (text.version, text.clause_list) == (1, ["Menjaga netralitas;", "Menolak politik uang."])


def test_editing_a_signed_text_makes_a_new_version_and_leaves_the_signed_one(client, national_admin, signed):
    old = signed.text
    before = old.content()
    client.force_login(national_admin)
    response = client.post(
        reverse("pledges:text_edit", args=[old.pk]),
        text_data(title=old.title, intro=old.intro, clauses=old.clauses + "\nButir baru.", closing=old.closing),
    )
    new = PactText.objects.get(key=old.key, version=2)
    assert response.url == reverse("pledges:text_detail", args=[new.pk])
    old.refresh_from_db()
    assert old.content() == before
    assert new.clause_list[-1] == "Butir baru."
    signed.refresh_from_db()
    assert signed.text_id == old.pk
    assert signed.fingerprint == signed.compute_fingerprint()


def test_an_edit_without_changes_makes_no_version(client, national_admin, signed):
    old = signed.text
    client.force_login(national_admin)
    response = client.post(
        reverse("pledges:text_edit", args=[old.pk]),
        text_data(title=old.title, intro=old.intro, clauses=old.clauses, closing=old.closing),
    )
    assert response.status_code == 200
    assert "Tidak ada perubahan" in response.content.decode()
    assert PactText.objects.filter(key=old.key).count() == 1


def test_two_texts_cannot_share_a_version(db):
    factories.PactTextFactory(key="sama", version=1)
    with pytest.raises(IntegrityError):
        factories.PactTextFactory(key="sama", version=1)


@pytest.mark.parametrize("who", ["regional_admin", "facility_head", "staff"])
def test_only_the_national_admin_manages_texts_and_campaigns(request, db, client, who):
    client.force_login(request.getfixturevalue(who))
    for name in ("pledges:text_list", "pledges:text_create", "pledges:campaign_create"):
        assert client.get(reverse(name)).status_code == 404


def campaign_data(text, **overrides) -> dict:
    period = factories.PeriodFactory()
    now = timezone.localtime()
    data = {
        "name": "Pakta Pemilu 2024",
        "period": period.pk,
        "text": text.pk,
        "scope": "all",
        "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def test_the_national_admin_opens_a_campaign_for_one_region(client, national_admin, region, facility):
    text = PactText.objects.get(key=DEFAULT_KEY)
    client.force_login(national_admin)
    response = client.post(
        reverse("pledges:campaign_create"), campaign_data(text, scope="region", regional_office=region.pk)
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("pledges:campaign_detail", args=[campaign.pk])
    assert campaign.regional_office == region
    assert campaign.covers(facility)


def test_a_campaign_for_chosen_facilities(client, national_admin, facility, other_facility):
    text = PactText.objects.get(key=DEFAULT_KEY)
    client.force_login(national_admin)
    client.post(
        reverse("pledges:campaign_create"), campaign_data(text, scope="facilities", facilities=[other_facility.pk])
    )
    campaign = Campaign.objects.get()
    assert campaign.covers(other_facility)
    assert not campaign.covers(facility)


def test_a_campaign_must_close_after_it_opens_and_keeps_the_form(client, national_admin):
    text = PactText.objects.get(key=DEFAULT_KEY)
    client.force_login(national_admin)
    data = campaign_data(text, name="Kampanye terbalik")
    data["closes_at"], data["opens_at"] = data["opens_at"], data["closes_at"]
    response = client.post(reverse("pledges:campaign_create"), data)
    assert response.status_code == 200
    assert "harus sesudah" in response.content.decode()
    assert "Kampanye terbalik" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_region_scope_needs_a_region(client, national_admin):
    text = PactText.objects.get(key=DEFAULT_KEY)
    client.force_login(national_admin)
    response = client.post(reverse("pledges:campaign_create"), campaign_data(text, scope="region"))
    assert "Pilih Kanwil" in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_database_allows_one_valid_signature_per_employee_and_campaign(signed):
    duplicate = Signature(
        **{
            f.attname: getattr(signed, f.attname)
            for f in Signature._meta.concrete_fields
            if f.attname not in ("id", "verification_code")
        }
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_revoked_signature_needs_a_reason_in_the_database(signed):
    with pytest.raises(IntegrityError):
        Signature.objects.filter(pk=signed.pk).update(revoked_at=timezone.now())


def test_the_admin_revokes_with_a_reason(client, regional_admin, signed):
    client.force_login(regional_admin)
    url = reverse("pledges:revoke", args=[signed.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    signed.refresh_from_db()
    assert signed.revoked_at is None
    client.post(url, {"reason": "Pegawai salah memilih kampanye"})
    signed.refresh_from_db()
    assert signed.revoked_at is not None
    assert signed.revoked_by == regional_admin
    assert signed.revocation_reason == "Pegawai salah memilih kampanye"


@pytest.mark.parametrize("who", ["staff", "facility_head", "other_regional_admin"])
def test_the_signer_and_the_head_cannot_revoke(request, client, signed, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("pledges:revoke", args=[signed.pk]), {"reason": "coba"})
    assert response.status_code == 404
    signed.refresh_from_db()
    assert signed.revoked_at is None
