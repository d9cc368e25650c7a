"""Task force spreadsheets (.xlsx through core/spreadsheets.py): the regional overview and a task force's
activities. Their figures are those of the pages (satgas.selectors), streamed row by row."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.spreadsheets import Column, Sheet, downloaded_line, row_number_column, xlsx_response
from satgas.models import Activity, Period, TaskForce


def overview_response(period: Period, facilities: QuerySet, state_labels: dict[str, str]) -> HttpResponse:
    """`facilities` come from satgas.selectors.with_task_force, filtered and ordered as on the page;
    `state_labels` names each state, "none" (not formed) included."""
    columns = [
        row_number_column(),
        Column(_("Kanwil"), 34),
        Column(_("UPT"), 40),
        Column(_("Kota"), 18),
        Column(_("Status Satgas"), 18),
        Column(pgettext("jumlah anggota", "Anggota"), 10),
        Column(_("Kegiatan terakhir"), 16),
    ]
    rows = (
        [
            number,
            facility.regional_office.name,
            facility.name,
            facility.city,
            state_labels[facility.tf_state or "none"],
            facility.member_count,
            facility.last_activity,
        ]
        for number, facility in enumerate(facilities.iterator(chunk_size=500), start=1)
    )
    preamble = [[_("Rekap Satgas per UPT — periode %(name)s") % {"name": period.name}], downloaded_line(), []]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        f"rekap-satgas-periode-{period.pk}-{stamp}.xlsx", Sheet(_("Rekap Satgas"), columns, rows, preamble=preamble)
    )


def activities_response(task_force: TaskForce, activities: QuerySet[Activity]) -> HttpResponse:
    """`activities` come from satgas.selectors.with_activity_counts, filtered and ordered as on the page.
    Participants as the page counts them: those picked from the roster, else the number typed in."""
    columns = [
        row_number_column(),
        Column(_("Tanggal"), 12),
        Column(_("Jenis"), 26),
        Column(_("Topik"), 40),
        Column(_("Tempat"), 26),
        Column(_("Peserta"), 10),
        Column(_("Lampiran"), 10),
        Column(_("Catatan"), 40),
        Column(_("Dicatat (WIB)"), 18),
    ]
    rows = (
        [
            number,
            activity.date,
            activity.kind_label,
            activity.topic,
            activity.place,
            activity.roster_count or activity.participant_count,
            activity.attachment_count,
            activity.notes,
            activity.created_at,
        ]
        for number, activity in enumerate(activities.iterator(chunk_size=500), start=1)
    )
    facility = task_force.facility
    preamble = [
        [
            _("Kegiatan Satgas — %(facility)s, %(period)s")
            % {"facility": facility.name, "period": task_force.period.name}
        ],
        downloaded_line(),
        [],
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        f"kegiatan-satgas-{task_force.pk}-{stamp}.xlsx", Sheet(_("Kegiatan"), columns, rows, preamble=preamble)
    )
