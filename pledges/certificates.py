"""The certificate PDF of a signature, and the archive of many in one document.

Both use one template, `pledges/certificate.pdf.html`, for the pages:
the archive is one HTML document with a page break between signatures, laid
out by a single WeasyPrint render (never one render per person).

A certificate is rendered once and stored with its hash, so it is always in
the site's language (settings.LANGUAGE_CODE), never in the language the first
person to download it happened to pick; the archive, made by a queued task,
has no request language and uses the same default.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.pdf import html_to_pdf
from core.titles import join_title
from facilities.models import Facility
from pledges.models import Campaign, Signature

WIB = ZoneInfo("Asia/Jakarta")
CERTIFICATE_SELECT = (
    "campaign__period",
    "text",
    "facility__regional_office__ministry",
    "employee",
)


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data: URI (vector, so it prints sharp)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2, dark="#000", light="#fff")


def page_context(signature: Signature) -> dict:
    facility = signature.facility
    region = facility.regional_office
    url = signature.verification_url()
    return {
        "signature": signature,
        "text": signature.text,
        "facility": facility,
        "region": region,
        "ministry": region.ministry,
        "signed_at_local": timezone.localtime(signature.signed_at, WIB),
        "verification_url": url,
        "qr": qr_data_uri(url),
    }


def certificate_html(signature: Signature) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("pledges/certificate.pdf.html", {"pages": [page_context(signature)]})


def render_certificate(signature: Signature) -> bytes:
    return html_to_pdf(certificate_html(signature))


def archive_title(facility: Facility, campaign: Campaign) -> str:
    """The archive's document title; the campaign's name often says "Pakta Integritas" already."""
    return join_title("Pakta Integritas", facility.name, campaign.name, sep=" — ")


def archive_html(signatures: Iterable[Signature]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("pledges/certificate.pdf.html", {"pages": [page_context(s) for s in signatures]})
