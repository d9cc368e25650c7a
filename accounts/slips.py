"""The printed activation slip: a login's username and one-time code, handed over on paper."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from core.pdf import pdf_response, render_pdf


def slips_response(request: HttpRequest, slips: list[dict], filename: str) -> HttpResponse:
    activate_url = request.build_absolute_uri(reverse_lazy("accounts:activate"))
    days = settings.ACTIVATION_CODE_TTL.days
    pdf = render_pdf("accounts/activation_slips.pdf.html", {"slips": slips, "activate_url": activate_url, "days": days})
    return pdf_response(pdf, filename)
