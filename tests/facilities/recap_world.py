"""A small recap world for the recap tests: a Kanwil with three UPTs (an older period's task force still
waiting, a member moved away, a UPT with no reports), a second Kanwil, a current and an earlier period,
an open campaign with online and paper signatures, reports with one overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from facilities.models import Facility, RegionalOffice
from pledges.models import Campaign
from satgas.models import Period, TaskForce
from tests import factories as base
from tests.pledges.factories import CampaignFactory, pdf_file, signature
from tests.reports import factories as rf
from tests.satgas.factories import ActivityFactory, PeriodFactory, appointed


@dataclass
class World:
    region: RegionalOffice
    other_region: RegionalOffice
    kayu_agung: Facility  # earlier period pending, current task force inaugurated, reports (one overdue)
    banyumas: Facility  # no task force, no reports
    cilacap: Facility  # draft task force, one closed report
    palembang: Facility  # the other Kanwil
    current: Period
    earlier: Period
    campaign: Campaign


def build() -> World:
    ministry = base.MinistryFactory()
    region = base.RegionalOfficeFactory(ministry=ministry, province="Jawa Tengah", name="Kanwil Ditjenpas Jawa Tengah")
    other_region = base.RegionalOfficeFactory(ministry=ministry, province="Sumatera Selatan")
    kayu_agung = base.FacilityFactory(regional_office=region, name="Lapas Kelas IIA Kayu Agung")
    banyumas = base.FacilityFactory(regional_office=region, name="Rutan Kelas IIB Banyumas")
    cilacap = base.FacilityFactory(regional_office=region, name="Lapas Kelas IIB Cilacap")
    palembang = base.FacilityFactory(regional_office=other_region, name="Lapas Kelas I Palembang")
    today = timezone.localdate()
    earlier = PeriodFactory(name="Pemilu 2024")
    current = PeriodFactory(
        name="Pilkada Uji", start_date=today - dt.timedelta(days=30), end_date=today + dt.timedelta(days=300)
    )
    appointed(kayu_agung, size=4, period=earlier)  # still appointed: pending from the earlier period
    now_tf = appointed(kayu_agung, size=4, period=current, state=TaskForce.State.INAUGURATED)
    moved = now_tf.memberships.current().filter(role="ANGGOTA").first().employee
    moved.facility = banyumas  # a mutasi the task force has not yet recorded
    moved.save()
    ActivityFactory(task_force=now_tf, participant_count=40)
    listed = ActivityFactory(task_force=now_tf, participant_count=None, date=today)
    listed.participants.set(list(kayu_agung.employees.filter(is_active=True)[:3]))
    appointed(cilacap, size=3, period=current, state=TaskForce.State.DRAFT)
    appointed(palembang, size=3, period=current)
    base.EmployeeFactory.create_batch(2, facility=banyumas)
    campaign = CampaignFactory(name="Pakta Pilkada Uji", period=current)
    signers = list(kayu_agung.employees.filter(is_active=True).order_by("pk"))
    signature(campaign, signers[0])
    signature(campaign, signers[1])
    head = base.facility_head(kayu_agung)
    from pledges import actions

    actions.record_paper_signatures(
        head, campaign, kayu_agung, [signers[2]], signed_on=today, place="Apel pagi", scan=pdf_file()
    )
    long_ago = timezone.now() - dt.timedelta(days=60)
    rf.ReportFactory(facility=kayu_agung, category="APK", created_at=long_ago)  # overdue
    rf.ReportFactory(facility=kayu_agung, category="FOTO")
    rf.ReportFactory(
        facility=cilacap,
        category="TIM",
        state="concluded",
        outcome="NOT_PROVEN",
        created_at=long_ago,
        closed_at=timezone.now(),
        acknowledged_at=long_ago,
        responded_at=long_ago,
    )
    rf.ReportFactory(facility=palembang, category="TIM", created_at=long_ago)
    return World(region, other_region, kayu_agung, banyumas, cilacap, palembang, current, earlier, campaign)


def more_facilities(region: RegionalOffice, count: int, world: World) -> None:
    """`count` more UPTs, each with staff, a task force, a signature, an activity and a report."""
    for _i in range(count):
        facility = base.FacilityFactory(regional_office=region)
        task_force = appointed(facility, size=3, period=world.current)
        ActivityFactory(task_force=task_force)
        signature(world.campaign, facility.employees.first())
        rf.ReportFactory(facility=facility)
