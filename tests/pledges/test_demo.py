"""The demo data: default text, an open Pemilu 2024 campaign, online and paper signatures, signable demo logins."""

from __future__ import annotations

from facilities import demo as facilities_demo
from pledges import demo
from pledges.models import Campaign, PaperBatch, Signature


def test_seed_is_idempotent_and_leaves_the_demo_logins_unsigned(db):
    result = facilities_demo.seed(log=lambda *_: None)
    demo.seed(log=lambda *_: None)
    counts = (Campaign.objects.count(), Signature.objects.count(), PaperBatch.objects.count())
    demo.seed(log=lambda *_: None)
    assert (Campaign.objects.count(), Signature.objects.count(), PaperBatch.objects.count()) == counts

    campaign = Campaign.objects.get(name=demo.CAMPAIGN_NAME)
    assert campaign.is_open()
    assert campaign.period.name == "Pemilu 2024"
    for name in (demo.KAYU_AGUNG, demo.KEMBANGKUNING):
        signatures = Signature.objects.filter(campaign=campaign, facility__name=name)
        assert signatures.filter(method="online").exists()
        assert signatures.filter(method="paper").exists()
        assert PaperBatch.objects.filter(campaign=campaign, facility__name=name).exists()
    kayu_agung_login = next(u for u, who in result["staff_logins"] if demo.KAYU_AGUNG in who)
    assert not Signature.objects.filter(employee__user__username=kayu_agung_login).exists()
    assert all(s.fingerprint == s.compute_fingerprint() for s in Signature.objects.all())
    # An online signature is made through a login: every online signer has one.
    assert not Signature.objects.filter(method="online", employee__user__isnull=True).exists()
