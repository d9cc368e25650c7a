"""Pledge records change only through pledges/actions.py (audited): read-only here."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from pledges.models import Campaign, PactText, PaperBatch, Signature


@admin.register(PactText)
class PactTextAdmin(ReadOnlyAdmin):
    list_display = ["title", "key", "version", "created_at"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "period", "scope", "opens_at", "closes_at"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = [
        "signer_name",
        "signer_identifier",
        "facility_name",
        "campaign",
        "method",
        "signed_at",
        "revoked_at",
    ]
    list_filter = ["method", "campaign"]
    search_fields = ["signer_name", "signer_identifier"]
    exclude = ["verification_code"]


@admin.register(PaperBatch)
class PaperBatchAdmin(ReadOnlyAdmin):
    list_display = ["facility", "campaign", "signed_on", "created_at"]
