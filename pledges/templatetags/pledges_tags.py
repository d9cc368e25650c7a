"""Inclusion tags for the pledges sections on pages owned by other apps."""

from __future__ import annotations

from functools import cached_property

from django import template

from accounts.scope import Level
from facilities import access as facilities_access
from pledges import access, selectors
from pledges.models import Campaign

register = template.Library()


class PledgesNav:
    """What pledges.access allows the user to open from the navigation, asked only when a template reads it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def manage(self) -> bool:
        return access.can_manage_pacts(self.user)

    @cached_property
    def follow(self) -> bool:
        return access.follows_campaigns(self.user)


@register.simple_tag(takes_context=True)
def pledges_nav(context) -> PledgesNav:
    return PledgesNav(context.get("user"))


@register.inclusion_tag("pledges/_dashboard_section.html", takes_context=True)
def pledges_dashboard(context) -> dict:
    request = context["request"]
    user = request.user
    result: dict = {"user": user, "to_sign": [], "summaries": []}
    employee = getattr(user, "employee", None)
    if employee is not None and employee.is_active:
        result["to_sign"] = list(selectors.campaigns_to_sign(employee).filter(signed=False)[:3])
    if access.follows_campaigns(user):
        level = access.completion_level(user)
        campaigns = list(access.visible_campaigns(user).open_at().select_related("period").order_by("closes_at")[:3])
        for campaign in campaigns:
            counted_at = None
            if level == Level.FACILITY:
                totals = selectors.facility_totals(campaign, user.facility)
                link = ("pledges:facility_completion", campaign.pk, user.facility_id)
            elif level == Level.REGION:
                _rows, totals = selectors.region_completion(campaign, user.regional_office)
                link = ("pledges:region_completion", campaign.pk, user.regional_office_id)
            else:
                _rows, totals, counted_at = selectors.national_completion(
                    campaign, facilities_access.visible_regions(user)
                )
                link = ("pledges:campaign_detail", campaign.pk, None)
            result["summaries"].append({"campaign": campaign, "totals": totals, "link": link, "counted_at": counted_at})
    return result


@register.inclusion_tag("pledges/_facility_links_tag.html")
def pledges_facility_links(facility) -> dict:
    campaigns = list(Campaign.objects.covering(facility).order_by("-opens_at")[:2])
    return {"facility": facility, "campaigns": campaigns}


@register.inclusion_tag("pledges/_employee_section_tag.html", takes_context=True)
def pledges_employee_section(context, employee) -> dict:
    signatures = list(employee.pledge_signatures.select_related("campaign").order_by("-signed_at")[:10])
    return {"employee": employee, "signatures": signatures, "user": context["request"].user}
