"""The task force block of the recap (facilities.recap): state in the chosen period, an earlier period's
task force still pending, members, vacancies, activities and people reached (satgas.selectors.recap_figures)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities import recap
from facilities.models import Facility
from satgas import selectors
from satgas.models import Period, TaskForce

PARAM = "periode"


def state_labels() -> dict[str, str]:
    return {selectors.NOT_FORMED: _("Belum dibentuk"), **{k: str(v) for k, v in TaskForce.State.choices}}


def _current_or_default(periods: list) -> object:
    current = [p for p in periods if p.is_current]
    return current[0] if current else Period.default()


def _choose(get: Mapping[str, str], params: recap.RecapParams) -> list[recap.RecapChoice]:
    periods = list(Period.objects.order_by("-start_date"))
    return recap.choose(get, params, PARAM, _("Periode"), periods, _current_or_default)


def _compute(facilities: QuerySet[Facility], params: recap.RecapParams) -> dict[int, dict]:
    labels = state_labels()
    rows = selectors.recap_figures(facilities, params.selected.get(PARAM))
    for row in rows.values():
        row["tf_state_code"] = row["tf_state"]
        row["tf_state"] = labels[row["tf_state"]]
    return rows


def _keep_state(row: dict, value: str) -> bool:
    return row.get("tf_state_code") == value


def _charts(
    facilities: QuerySet[Facility], params: recap.RecapParams, figures: dict[int, dict], names: dict[int, str]
) -> list[recap.Chart]:
    labels = state_labels()
    counts = dict.fromkeys(labels, 0)
    for row in figures.values():
        counts[row["tf_state_code"]] += 1
    period = params.selected.get(PARAM)
    return [
        recap.Chart(
            key="tf-states",
            title=_("Status Satgas %(period)s") % {"period": period.name if period else ""},
            description=_("Jumlah UPT menurut status Satgas pada periode yang dipilih."),
            bars=[(labels[code], n, str(n)) for code, n in counts.items()],
            value_label=_("UPT"),
        )
    ]


def register() -> None:
    recap.register(
        recap.RecapBlock(
            key="satgas",
            title=gettext_lazy("Satgas"),
            columns=[
                recap.RecapColumn("tf_state", gettext_lazy("Status Satgas"), recap.LABEL),
                recap.RecapColumn(
                    "earlier_pending", gettext_lazy("Periode sebelumnya belum dikukuhkan"), recap.FLAG, highlight=True
                ),
                recap.RecapColumn("members", gettext_lazy("Anggota")),
                recap.RecapColumn("vacancies", gettext_lazy("Anggota pindah/nonaktif"), highlight=True),
                recap.RecapColumn("activities", gettext_lazy("Kegiatan")),
                recap.RecapColumn("reached", gettext_lazy("Peserta kegiatan")),
                recap.RecapColumn("last_activity", gettext_lazy("Kegiatan terakhir"), recap.DATE),
            ],
            compute=_compute,
            choose=_choose,
            filters=[
                recap.RecapFilter(
                    "satgas",
                    gettext_lazy("Status Satgas"),
                    [(selectors.NOT_FORMED, gettext_lazy("Belum dibentuk")), *TaskForce.State.choices],
                    _keep_state,
                )
            ],
            charts=_charts,
            order=10,
            note=gettext_lazy(
                "Anggota pindah/nonaktif: anggota yang sudah mutasi ke UPT lain atau nonaktif tetapi belum "
                "diganti dengan SK perubahan. Peserta kegiatan: per kegiatan, peserta yang dipilih atau jumlah "
                "yang diisi, mana yang lebih besar."
            ),
        )
    )
