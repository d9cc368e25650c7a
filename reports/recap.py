"""The report block of the recap (facilities.recap): reports per state and overdue, per UPT
(reports.selectors.recap_by_facility), over the reports the admin's recap may count
(reports.access.report_recap_scope).

Which reports: all of them, whatever period or campaign is chosen. A report's clock and state are about now
(an overdue case is overdue whenever it was filed), and a case filed before a period began may still be open;
the per-month chart shows when they came in.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities import recap
from facilities.models import Facility
from reports import access, selectors
from reports.models import Report, State


def _reports(facilities: QuerySet[Facility], params: recap.RecapParams) -> QuerySet[Report]:
    return access.report_recap_scope(params.user).filter(facility__in=facilities)


def _compute(facilities: QuerySet[Facility], params: recap.RecapParams) -> dict[int, dict]:
    return selectors.recap_by_facility(_reports(facilities, params))


def _keep_overdue(row: dict, value: str) -> bool:
    return bool(row.get("overdue"))


def _charts(
    facilities: QuerySet[Facility], params: recap.RecapParams, figures: dict[int, dict], names: dict[int, str]
) -> list[recap.Chart]:
    reports = _reports(facilities, params).filter(facility_id__in=list(names))
    return [
        recap.Chart(
            key="categories",
            title=_("Laporan per bentuk pelanggaran"),
            description=_("Jumlah laporan menurut bentuk pelanggaran, semua waktu."),
            bars=[(label, n, str(n)) for label, n in selectors.per_category(reports)],
            value_label=_("laporan"),
        ),
        recap.Chart(
            key="months",
            title=_("Laporan per bulan"),
            description=_("Jumlah laporan yang diterima per bulan, dua belas bulan terakhir."),
            bars=[(date_format(month, "F Y"), n, str(n)) for month, n in selectors.per_month(reports)],
            value_label=_("laporan"),
        ),
    ]


def register() -> None:
    recap.register(
        recap.RecapBlock(
            key="laporan",
            title=gettext_lazy("Laporan pelanggaran"),
            columns=[
                recap.RecapColumn("total", gettext_lazy("Laporan")),
                *[recap.RecapColumn(f"state_{code}", label) for code, label in State.choices],
                recap.RecapColumn("overdue", gettext_lazy("Terlambat"), highlight=True),
            ],
            compute=_compute,
            filters=[
                recap.RecapFilter(
                    "terlambat",
                    gettext_lazy("Laporan terlambat"),
                    [("1", gettext_lazy("Hanya UPT dengan laporan terlambat"))],
                    _keep_overdue,
                )
            ],
            charts=_charts,
            order=30,
            note=gettext_lazy(
                "Laporan: semua laporan yang dapat Anda lihat, tanpa batas periode; terlambat: masih terbuka "
                "dan melewati tenggat tanggapan pertama atau jawaban."
            ),
        )
    )
