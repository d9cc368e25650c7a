"""Completion figures (pledges.selectors) against the rule of docs/domain.md, counted here in Python.

An employee counts when active, in an active UPT the campaign covers, by their current UPT; they have
signed when they hold a valid (not revoked) signature of that campaign, online or on paper. The
selectors join each employee's signature on the campaign (issue 13): these cases are the ones such a join
can get wrong (a revoked and a new signature of the same person, another campaign's signatures, a
signature given at the UPT the employee has since left, an inactive signer, paper signatures).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from facilities import actions as facility_actions
from facilities.models import Employee, Facility, RegionalOffice
from pledges import actions, selectors
from pledges.models import Campaign, Signature
from tests import factories as base
from tests.pledges import factories


def expected_by_facility(campaign: Campaign) -> dict[int, tuple[int, int]]:
    """{UPT id: (total, signed)} for the active UPTs the campaign covers, from the rule itself."""
    valid = set(
        Signature.objects.filter(campaign=campaign, revoked_at__isnull=True).values_list("employee_id", flat=True)
    )
    figures = {}
    for facility in Facility.objects.filter(is_active=True):
        if not campaign.covers(facility):
            continue
        staff = [e.pk for e in Employee.objects.filter(facility=facility, is_active=True)]
        figures[facility.pk] = (len(staff), sum(1 for pk in staff if pk in valid))
    return figures


def expected_by_region(campaign: Campaign) -> dict[int, tuple[int, int, int]]:
    """{Kanwil id: (UPTs, total, signed)} for the Kanwil with at least one such UPT."""
    figures: dict[int, tuple[int, int, int]] = {}
    for facility_id, (total, signed) in expected_by_facility(campaign).items():
        region_id = Facility.objects.get(pk=facility_id).regional_office_id
        count, all_staff, all_signed = figures.get(region_id, (0, 0, 0))
        figures[region_id] = (count + 1, all_staff + total, all_signed + signed)
    return figures


@pytest.fixture
def scene(facility, sibling_facility, other_facility, facility_head, regional_admin, campaign, region):
    """Two Kanwil, four UPTs (one closed, one without staff), and every case the join could miscount."""
    past = factories.CampaignFactory(closed=True)
    people = [base.EmployeeFactory(facility=facility, name=f"Pegawai {c}") for c in "ABCDEFG"]
    factories.signature(campaign, people[0])
    # Revoked, then signed again: one valid signature, counted once.
    first = factories.signature(campaign, people[1])
    actions.revoke(regional_admin, first, "Salah orang")
    factories.signature(campaign, people[1])
    # Revoked and not signed again: not signed.
    actions.revoke(regional_admin, factories.signature(campaign, people[2]), "Salah orang")
    # Signed only a past campaign: not signed in this one (and the past one's figures count it).
    factories.signature(past, people[3])
    factories.signature(past, people[0])
    # On paper, two of them.
    actions.record_paper_signatures(
        facility_head,
        campaign,
        facility,
        [people[4], people[5]],
        signed_on=timezone.localdate(),
        place="Apel pagi",
        scan=factories.pdf_file(),
    )
    # Signed, then left the service: counted nowhere.
    gone = base.EmployeeFactory(facility=facility, name="Pegawai Pensiun")
    factories.signature(campaign, gone)
    Employee.objects.filter(pk=gone.pk).update(is_active=False)
    # Signed at this UPT, then moved to the sibling UPT: counted (signed) there, no longer here.
    moved = base.EmployeeFactory(facility=facility, name="Pegawai Mutasi")
    factories.signature(campaign, moved)
    facility_actions.transfer_employee(regional_admin, moved, sibling_facility, dt.date.today())
    base.EmployeeFactory.create_batch(2, facility=sibling_facility)
    # Another Kanwil: one signed of three.
    elsewhere = base.EmployeeFactory.create_batch(3, facility=other_facility)
    factories.signature(campaign, elsewhere[0])
    # A closed UPT with a signed employee, and an active UPT without staff.
    closed = base.FacilityFactory(regional_office=region, is_active=False)
    factories.signature(campaign, base.EmployeeFactory(facility=closed))
    base.FacilityFactory(regional_office=region, name="Lapas Kosong")
    return {"past": past, "moved": moved}


def facility_figures(campaign: Campaign) -> dict[int, tuple[int, int]]:
    return {row.pk: (row.total, row.signed) for row in selectors.facility_rows(campaign, Facility.objects.all())}


def region_figures(campaign: Campaign) -> dict[int, tuple[int, int, int]]:
    rows, _counted_at = selectors.regions(campaign, RegionalOffice.objects.all())
    return {row.pk: (row.facility_count, row.total, row.signed) for row in rows}


def test_every_case_is_counted_by_the_rule(scene, campaign, facility, sibling_facility, other_facility, region):
    by_facility = facility_figures(campaign)
    assert by_facility == expected_by_facility(campaign)
    # Spelled out: A, B (re-signed), E and F (paper) of seven; the moved signer counts at the sibling UPT.
    assert by_facility[facility.pk] == (7, 4)
    assert by_facility[sibling_facility.pk] == (3, 1)
    assert by_facility[other_facility.pk] == (3, 1)
    assert region_figures(campaign) == expected_by_region(campaign)
    assert region_figures(campaign)[region.pk] == (3, 10, 5)


def test_the_national_and_regional_totals_sum_the_rows(scene, campaign, region):
    rows, totals, _counted_at = selectors.national_completion(campaign, RegionalOffice.objects.all())
    assert totals == {"signed": 6, "total": 13, "rate": 46.2}
    assert [row.unsigned for row in rows] == [row.total - row.signed for row in rows]
    facilities, region_totals = selectors.region_completion(campaign, region)
    assert region_totals == {"signed": 5, "total": 10, "rate": 50.0}
    assert [f.name for f in facilities] == sorted(f.name for f in facilities)


def test_a_past_campaign_counts_only_its_own_signatures(scene, facility):
    past = scene["past"]
    assert facility_figures(past) == expected_by_facility(past)
    assert facility_figures(past)[facility.pk] == (7, 2)


@pytest.mark.parametrize("scope", ["region", "facilities"])
def test_a_narrower_scope_counts_only_the_covered_upts(
    scene, scope, campaign, facility, sibling_facility, other_facility, region
):
    narrow = factories.CampaignFactory(scope=scope, regional_office=region if scope == "region" else None)
    if scope == "facilities":
        narrow.facilities.set([facility, other_facility])
    for employee in Employee.objects.filter(facility__in=[facility, sibling_facility, other_facility]):
        factories.signature(narrow, employee)
    assert facility_figures(narrow) == expected_by_facility(narrow)
    assert region_figures(narrow) == expected_by_region(narrow)
    covered = set(facility_figures(narrow))
    assert other_facility.pk in covered if scope == "facilities" else other_facility.pk not in covered
    assert (sibling_facility.pk in covered) == (scope == "region")
