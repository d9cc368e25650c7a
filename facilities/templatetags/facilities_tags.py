"""Template tags for the organisation's entries on shared pages (navigation bar, breadcrumbs, dashboard)."""

from __future__ import annotations

from functools import cached_property

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.scope import scope_of
from facilities import access, selectors

register = template.Library()


class FacilitiesNav:
    """What facilities.access allows the user to open from the navigation, asked only when a template reads it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def facility_list(self) -> bool:
        return access.can_list_facilities(self.user)

    @cached_property
    def recap(self) -> bool:
        return access.can_view_recap(self.user)

    @cached_property
    def roster_facility_id(self) -> int | None:
        return access.headed_facility_id(self.user)

    @cached_property
    def own_employee(self):
        return access.own_employee(self.user)


@register.simple_tag(takes_context=True)
def facilities_nav(context) -> FacilitiesNav:
    return FacilitiesNav(context.get("user"))


@register.inclusion_tag("facilities/_dashboard_card.html", takes_context=True)
def facilities_dashboard(context) -> dict:
    """The Kanwil cards (with their UPT and staff counts) of the regions the user sees, and the UPT card of a
    facility head."""
    user = context.get("user")
    if scope_of(user).national:
        regions, _counted_at = selectors.national_region_summaries()
    else:
        regions = list(selectors.region_summaries(access.visible_regions(user)))
    facility = user.facility if access.headed_facility_id(user) is not None else None
    return {"regions": regions, "facility": facility, "can_recap": access.can_view_recap(user)}


@register.filter
def rank_unbroken(rank: str | None) -> SafeString | str:
    """A printed rank whose golongan never breaks: "Penata Muda Tingkat I (III/b)" may wrap between the
    pangkat's words, never inside "(III/b)" (a line may otherwise end after its slash); "Golongan IX" stays whole.
    Works on Employee.rank_display and on the copy a signature keeps of it. Needs the `.golongan` rule of pdf.css."""
    if not rank:
        return ""
    pangkat, paren, golongan = rank.rpartition(" (")
    if paren and golongan.endswith(")"):
        return format_html('{} <span class="golongan">({})</span>', pangkat, golongan[:-1])
    return format_html('<span class="golongan">{}</span>', rank)
