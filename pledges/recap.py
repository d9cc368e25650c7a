"""The pact block of the recap (facilities.recap): completion of the chosen campaign per UPT, online and
on paper (pledges.selectors.recap_figures)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities import recap
from facilities.models import Facility
from pledges import access, selectors

PARAM = "kampanye"


def _open_or_latest(campaigns: list) -> object:
    """The open campaign (the one closing first), else the latest."""
    open_ = sorted((c for c in campaigns if c.is_open()), key=lambda c: c.closes_at)
    return open_[0] if open_ else campaigns[0]


def _choose(get: Mapping[str, str], params: recap.RecapParams) -> list[recap.RecapChoice]:
    campaigns = list(access.visible_campaigns(params.user).order_by("-opens_at", "-id"))
    return recap.choose(get, params, PARAM, _("Kampanye pakta"), campaigns, _open_or_latest)


def _compute(facilities: QuerySet[Facility], params: recap.RecapParams) -> dict[int, dict]:
    campaign = params.selected.get(PARAM)
    if params.per_region and campaign is not None:
        # Per Kanwil, for the nation: the snapshot the other national pages read (it holds every UPT; the
        # table keeps those it lists). A Kanwil's own rows count live.
        return selectors.national_figures(campaign)[0]
    return selectors.recap_figures(facilities, campaign)


def _charts(
    facilities: QuerySet[Facility], params: recap.RecapParams, figures: dict[int, dict], names: dict[int, str]
) -> list[recap.Chart]:
    campaign = params.selected.get(PARAM)
    # Per UPT, or per Kanwil on the national rows (`names` maps each UPT to its row's name).
    totals: dict[str, list[int]] = {}
    for pk, row in figures.items():
        signed_total = totals.setdefault(names[pk], [0, 0])
        signed_total[0] += row["signed"]
        signed_total[1] += row["pact_staff"]
    bars = []
    for name, (signed, staff) in totals.items():
        value = selectors.rate(signed, staff)
        bars.append((name, value, f"{number_format(value, 1)} %"))
    bars.sort(key=lambda bar: (bar[1], bar[0]))
    return [
        recap.Chart(
            key="completion",
            title=_("Penandatanganan pakta: %(campaign)s") % {"campaign": campaign.name if campaign else "–"},
            description=_("Persentase pegawai aktif yang sudah menandatangani (daring dan kertas), terendah di atas."),
            bars=bars,
            maximum=100,
            value_label="%",
        )
    ]


def register() -> None:
    recap.register(
        recap.RecapBlock(
            key="pakta",
            title=gettext_lazy("Pakta integritas"),
            columns=[
                recap.RecapColumn("signed_online", gettext_lazy("Tanda tangan daring")),
                recap.RecapColumn("signed_paper", gettext_lazy("Tanda tangan kertas")),
                recap.RecapColumn("signed", gettext_lazy("Sudah menandatangani")),
                recap.RecapColumn("pact_staff", gettext_lazy("Pegawai wajib")),
                recap.RecapColumn(
                    "pact_rate", gettext_lazy("Capaian (%)"), recap.PERCENT, ratio=("signed", "pact_staff")
                ),
            ],
            compute=_compute,
            choose=_choose,
            charts=_charts,
            order=20,
            note=gettext_lazy("Pakta: pegawai aktif UPT dalam cakupan kampanye; – bila UPT di luar cakupan."),
        )
    )
