"""A partnership at a glance, for the public: when it meets next, its latest minutes and what
it decided last. Read only through the public querysets and `record.public_minutes`, in a
fixed number of queries however many partnerships and meetings there are."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from partnerships.models import Partnership

from .models import Decision, Meeting, Minutes
from .record import public_minutes


@dataclass
class Glance:
    partnership: Partnership
    next_meeting: Meeting | None = None
    minutes_meeting: Meeting | None = None
    minutes: Minutes | None = None
    decisions_meeting: Meeting | None = None
    decisions: list[Decision] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.next_meeting or self.minutes or self.decisions)


def _public_minutes_versions():
    """Versions the public may read (as `record.public_minutes` chooses among them)."""
    return Minutes.objects.filter(meeting__is_public=True).filter(
        Q(status=Minutes.Status.APPROVED) | Q(status=Minutes.Status.DRAFT, published_at__isnull=False)
    )


def partnerships_at_a_glance(partnerships, now=None) -> list[Glance]:
    """A `Glance` for each of `partnerships` (already read through `Partnership.objects.public()`)."""
    partnerships = list(partnerships)
    if not partnerships:
        return []
    now = now or timezone.now()
    upcoming = (
        Meeting.objects.public()
        .filter(partnership=OuterRef("pk"), ends_at__gte=now, status=Meeting.Status.SCHEDULED)
        .order_by("starts_at")
        .values("pk")[:1]
    )
    minuted = (
        _public_minutes_versions()
        .filter(meeting__partnership=OuterRef("pk"))
        .order_by("-meeting__starts_at")
        .values("meeting_id")[:1]
    )
    decided = (
        Decision.objects.public(now)
        .filter(partnership=OuterRef("pk"))
        .order_by("-meeting__starts_at")
        .values("meeting_id")[:1]
    )
    ids = {
        row["pk"]: row
        for row in Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
        .annotate(next_id=Subquery(upcoming), minutes_id=Subquery(minuted), decided_id=Subquery(decided))
        .values("pk", "next_id", "minutes_id", "decided_id")
        .order_by()  # read into a dict: the partnerships' order is the caller's
    }
    wanted = {v for row in ids.values() for v in (row["next_id"], row["minutes_id"], row["decided_id"]) if v}
    # Unordered where the rows go into a dict or a choice: an ORDER BY through related models
    # costs more to compile than the query does to run.
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=wanted).order_by()} if wanted else {}
    minutes_ids = [row["minutes_id"] for row in ids.values() if row["minutes_id"]]
    versions = {}
    for version in _public_minutes_versions().filter(meeting_id__in=minutes_ids).order_by() if minutes_ids else []:
        versions.setdefault(version.meeting_id, []).append(version)
    decided_ids = [row["decided_id"] for row in ids.values() if row["decided_id"]]
    decisions = {}
    if decided_ids:
        at_meetings = Decision.objects.public(now).filter(meeting_id__in=decided_ids)
        for decision in at_meetings.order_by("agenda_item__position", "pk"):
            decisions.setdefault(decision.meeting_id, []).append(decision)
    glances = []
    for partnership in partnerships:
        row = ids[partnership.pk]
        for pk in (row["next_id"], row["minutes_id"], row["decided_id"]):
            if pk in meetings:
                meetings[pk].partnership = partnership  # for their addresses; spares a query each
        glances.append(
            Glance(
                partnership=partnership,
                next_meeting=meetings.get(row["next_id"]),
                minutes_meeting=meetings.get(row["minutes_id"]),
                minutes=public_minutes(versions.get(row["minutes_id"], [])),
                decisions_meeting=meetings.get(row["decided_id"]),
                decisions=decisions.get(row["decided_id"], []),
            )
        )
    return glances
