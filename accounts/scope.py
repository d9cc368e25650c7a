"""A user's scope: how far their role reaches, from the User's own fields.

National admins (and superusers) reach everything; a regional admin one
Kanwil and its UPTs; a facility head one UPT; everyone else their own
records. The domain apps' access modules (`facilities.access`,
`satgas.access`, `pledges.access`, `reports.access`) build their querysets and
answers on this; what a scope may see of each app is decided there, not here.

Task force membership is not part of the scope: it is satgas's (see
`satgas.access`), so that replacing a member ends their access at once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Role, User


class Level(enum.Enum):
    NATIONAL = "national"
    REGION = "region"
    FACILITY = "facility"
    OWN = "own"  # a login that manages nothing: their own records only
    NONE = "none"  # not logged in


@dataclass(frozen=True)
class Scope:
    # The role's reach, kept apart from `national` so that a superuser who also holds a regional or
    # head role keeps that role's own acts (a superuser head still heads their UPT).
    national: bool
    region_id: int | None  # the Kanwil a regional admin administers
    facility_id: int | None  # the UPT a facility head heads
    user_id: int | None  # the login itself; None when not logged in

    @property
    def level(self) -> Level:
        if self.national:
            return Level.NATIONAL
        if self.region_id is not None:
            return Level.REGION
        if self.facility_id is not None:
            return Level.FACILITY
        if self.user_id is not None:
            return Level.OWN
        return Level.NONE

    @property
    def is_manager(self) -> bool:
        """National, Kanwil or UPT head: someone who manages people, not only their own records."""
        return self.level in (Level.NATIONAL, Level.REGION, Level.FACILITY)

    def manages(self, facility_id: int, region_id: int) -> bool:
        """Whether the scope covers a UPT, given its id and its Kanwil's id (no rows loaded)."""
        if self.national:
            return True
        if self.region_id is not None:
            return self.region_id == region_id
        return self.facility_id is not None and self.facility_id == facility_id


NOBODY = Scope(national=False, region_id=None, facility_id=None, user_id=None)


def scope_of(user) -> Scope:
    """The scope of a request user (an AnonymousUser has none)."""
    if user is None or not user.is_authenticated:
        return NOBODY
    return Scope(
        national=user.is_national_admin,
        region_id=user.regional_office_id if user.role == Role.REGIONAL_ADMIN else None,
        facility_id=user.facility_id if user.role == Role.FACILITY_HEAD else None,
        user_id=user.pk,
    )


def region_admins(region_ids: Iterable[int]) -> QuerySet[User]:
    """The logins whose scope is one of these Kanwil: `scope_of`'s `region_id`, read the other way (for
    telling a Kanwil about something, where the question is who, not whether)."""
    return User.objects.filter(role=Role.REGIONAL_ADMIN, regional_office_id__in=list(region_ids))
