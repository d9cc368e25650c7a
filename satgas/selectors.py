"""Task force figures: every count shown on a satgas page or card is computed here.

The regional overview's state badges and the dashboard card count the same
thing (the UPTs of a scope per task force state in one period) through
`state_counts`, so that the two cannot drift apart again.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from facilities.models import Facility
from satgas.models import Activity, Membership, Period, TaskForce

NOT_FORMED = "none"


def with_task_force(facilities: QuerySet[Facility], period: Period | None) -> QuerySet[Facility]:
    """Each UPT with its task force of the period: `tf_id`, `tf_state` (None: not formed), the current
    `member_count` and the date of its `last_activity`, as subqueries (no per-row queries)."""
    task_force = TaskForce.objects.filter(facility=OuterRef("pk"), period=period)
    members = (
        Membership.objects.current()
        .filter(task_force__facility=OuterRef("pk"), task_force__period=period)
        .order_by()
        .values("task_force__facility")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_activity = (
        Activity.objects.filter(task_force__facility=OuterRef("pk"), task_force__period=period)
        .order_by("-date")
        .values("date")[:1]
    )
    return facilities.annotate(
        tf_id=Subquery(task_force.values("pk")[:1]),
        tf_state=Subquery(task_force.values("state")[:1]),
        member_count=Coalesce(Subquery(members[:1], output_field=IntegerField()), Value(0)),
        last_activity=Subquery(last_activity),
    )


def state_counts(facilities: QuerySet[Facility], period: Period | None) -> dict[str, int]:
    """How many of the UPTs have a task force in each state in the period ("none": not formed), every
    state present (0 when none); one grouped query."""
    counts = dict.fromkeys([NOT_FORMED, *TaskForce.State.values], 0)
    rows = with_task_force(facilities, period).order_by().values("tf_state").annotate(n=Count("pk"))
    for row in rows:
        counts[row["tf_state"] or NOT_FORMED] = row["n"]
    return counts


def with_member_count(task_forces: QuerySet[TaskForce]) -> QuerySet[TaskForce]:
    """Task forces with the number of their current members as `member_count`."""
    return task_forces.annotate(member_count=Count("memberships", filter=Q(memberships__end_date__isnull=True)))


def with_activity_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with `roster_count` (participants) and `attachment_count`."""
    return activities.annotate(
        roster_count=Count("participants", distinct=True), attachment_count=Count("attachments", distinct=True)
    )


PENDING_STATES = (TaskForce.State.DRAFT, TaskForce.State.APPOINTED)


def recap_figures(facilities: QuerySet[Facility], period: Period | None) -> dict[int, dict]:
    """Per UPT, for the recap (facilities.recap): the task force's state in the period (`tf_state`,
    NOT_FORMED when none), `earlier_pending` (a task force of an earlier period still draft or appointed:
    neither inaugurated nor ended), current `members`, `vacancies` (current members since moved to another
    UPT or deactivated, until a new SK records the change), `activities` held, `reached` (per activity the
    listed participants or the typed number, whichever is larger) and the date of the `last_activity`. One
    query, with correlated subqueries."""
    task_force = TaskForce.objects.filter(facility=OuterRef("pk"), period=period)
    current = Membership.objects.current().filter(task_force__facility=OuterRef("pk"), task_force__period=period)

    def count_of(queryset: QuerySet, group: str) -> Coalesce:
        counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    vacant = current.filter(~Q(employee__facility_id=F("task_force__facility_id")) | Q(employee__is_active=False))
    listed = (
        Activity.participants.through.objects.filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    activities = Activity.objects.filter(task_force__facility=OuterRef("pk"), task_force__period=period).annotate(
        reached=Greatest(
            Coalesce(Subquery(listed, output_field=IntegerField()), Value(0)),
            Coalesce("participant_count", Value(0), output_field=IntegerField()),
            output_field=IntegerField(),
        )
    )
    reached = activities.order_by().values("task_force__facility").annotate(s=Sum("reached")).values("s")[:1]
    earlier = TaskForce.objects.filter(facility=OuterRef("pk"), state__in=PENDING_STATES)
    earlier = earlier.filter(period__start_date__lt=period.start_date) if period else earlier.none()
    rows = (
        facilities.order_by()
        .annotate(
            tf_state=Subquery(task_force.values("state")[:1]),
            earlier_pending=Exists(earlier),
            members=count_of(current, "task_force__facility"),
            vacancies=count_of(vacant, "task_force__facility"),
            activities=count_of(
                Activity.objects.filter(task_force__facility=OuterRef("pk"), task_force__period=period),
                "task_force__facility",
            ),
            reached=Coalesce(Subquery(reached, output_field=IntegerField()), Value(0)),
            last_activity=Subquery(
                Activity.objects.filter(task_force__facility=OuterRef("pk"), task_force__period=period)
                .order_by("-date")
                .values("date")[:1]
            ),
        )
        .values("pk", "tf_state", "earlier_pending", "members", "vacancies", "activities", "reached", "last_activity")
    )
    return {row.pop("pk"): {**row, "tf_state": row["tf_state"] or NOT_FORMED} for row in rows}
