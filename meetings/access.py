"""Loading meetings through permission. Views use these and never ask guardian directly.

- Staff pages: `meeting_for_staff` (the partnership's MANAGE permission; 404 outside it).
- Public pages: `public_meeting_or_404` reads only through the `public()` querysets (the
  partnership through `partnerships.access.public_partnership_or_404`); `meeting_for_reader`
  adds private sessions for members.
- Conflicts of interest: `papers_withheld_from` (a reader's exempt papers withheld under the
  partnership's conflicts policy) and `withholdings` (who is withheld what, for the secretariat).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.kept_rows import kept, tables_read
from membership.models import Interest, Person
from membership.permissions import MANAGE, VIEW_EXEMPT, partnership_for_user, user_can
from partnerships.access import public_partnership_or_404
from partnerships.models import ConflictsPolicy, Partnership

from . import conflicts
from .models import Meeting, Paper


def can_read_exempt(user, partnership: Partnership) -> bool:
    """Members, chairs and the secretariat read exempt items and papers and see private sessions."""
    return user_can(user, VIEW_EXEMPT, partnership)


def partnership_for_staff(request, slug: str) -> Partnership:
    """The partnership `slug` if the user runs it: 404 if there is none, 403 otherwise."""
    return partnership_for_user(request, slug, MANAGE)


def meeting_for_staff(request, slug: str, pk: int) -> Meeting:
    """A meeting of a partnership the user runs: 403 without MANAGE on the partnership,
    404 if the meeting belongs to another partnership."""
    partnership = partnership_for_staff(request, slug)
    # The meeting's row is kept between requests like the partnership's (`core.kept_rows`), once
    # the right to run the partnership has been asked for this request.
    related = ("meetings_day", "series", "agenda_published_by")
    meeting = kept(
        ("staff_meeting", partnership.pk, pk),
        tables_read(Meeting, related),
        lambda: get_object_or_404(partnership.meetings.select_related(*related), pk=pk),
    )
    meeting.partnership = partnership  # already loaded; spares a query
    return meeting


def public_meeting_or_404(slug: str, pk: int) -> Meeting:
    """A meeting held in public, of a partnership the public may see."""
    partnership = public_partnership_or_404(slug)
    meeting = get_object_or_404(Meeting.objects.public().filter(partnership=partnership), pk=pk)
    meeting.partnership = partnership
    return meeting


def meeting_for_reader(request, slug: str, pk: int) -> tuple[Meeting, bool]:
    """The meeting as the current reader may see it, and whether they read exempt material.

    The public get only meetings held in public (404 for a private session, so its
    existence is not revealed); members, chairs and the secretariat also get private sessions."""
    if not request.user.is_authenticated:
        # Nobody signed out reads exempt material, so the meeting and its partnership, each
        # through its public() queryset, come in one query.
        meetings = Meeting.objects.public().select_related("partnership__ics__region")
        try:
            meeting = meetings.get(pk=pk, partnership__in=Partnership.objects.public().filter(slug=slug))
        except Meeting.DoesNotExist:
            raise Http404("No such meeting.") from None
        return meeting, False
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    meetings = partnership.meetings.all() if reader else Meeting.objects.public().filter(partnership=partnership)
    try:
        meeting = meetings.get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    meeting.partnership = partnership
    return meeting, reader


# Conflicts of interest ---------------------------------------------------------------------
#
# A partnership's terms of reference may say that a member with a financial interest in what an
# exempt item concerns does not receive its papers (NHS England's conflicts of interest guidance
# allows a conflicted member to be excluded from the papers as well as the discussion). Whether a
# reader is withheld a paper is worked out here, when the paper is read, from the policy, the
# item's and paper's organisations, the register and the declarations as they are now: nothing
# is stored, so a policy changed, an interest ended or an organisation taken off the item takes
# effect on the next read. Every route a paper is read by (meeting page, download, members'
# pack) asks `papers_withheld_from`; the secretariat sees `withholdings`.


@dataclass(frozen=True)
class Withholding:
    """`person` may not read `paper`: they have a financial interest in `organisations`,
    registered or declared at the meeting (`basis`)."""

    person: Person
    paper: Paper
    organisations: tuple[str, ...]
    basis: str  # "registered" or "declared"

    REGISTERED = "registered"
    DECLARED = "declared"

    @property
    def basis_text(self) -> str:
        return "declared at the meeting" if self.basis == self.DECLARED else "on their register of interests"


def withholdings(
    meeting: Meeting, *, person: Person | None = None, reads: conflicts.MeetingInterests | None = None
) -> list[Withholding]:
    """Who is withheld which exempt paper of `meeting` (only `person`, if given), under its
    partnership's conflicts policy: each exempt paper (of an exempt item, or restricted) is
    withheld from anyone with a financial interest in an organisation the item or the paper
    names, current on the day of the meeting on their register, or declared at the meeting
    (on that item, or in one of those organisations).

    None of the data is read when the policy lets members read, nothing but the exempt papers
    when none is withheld, and no register when no organisation is named on their items or
    them; otherwise the same queries whatever the data (five, for everyone or for one person),
    so that the pages that ask stay within their query budgets, and none again for what `reads`
    (`meetings.conflicts.MeetingInterests`), if given, has already read."""
    if meeting.partnership.conflicts_policy != ConflictsPolicy.WITHHOLD:
        return []
    exempt = Q(restricted=True) | Q(agenda_item__is_exempt=True)
    # A released exemption is public: nobody is withheld what the public may read.
    papers = [
        paper
        for paper in Paper.objects.filter(exempt, agenda_item__meeting=meeting)
        .select_related("agenda_item__exemption_release", "exemption_release")
        .order_by("agenda_item__position", "position", "pk")
        if paper.is_withheld
    ]
    if not papers:
        return []
    reads = reads or conflicts.MeetingInterests(meeting)
    named_on_item: dict[int, dict[str, str]] = {}
    for link in reads.item_links:
        named_on_item.setdefault(link.agendaitem_id, {})[conflicts.name_key(link.organisation.name)] = (
            link.organisation.name
        )
    named_on_paper: dict[int, dict[str, str]] = {}
    for link in reads.paper_links:
        named_on_paper.setdefault(link.paper_id, {})[conflicts.name_key(link.organisation.name)] = (
            link.organisation.name
        )
    named_on = {
        paper.pk: {**named_on_item.get(paper.agenda_item_id, {}), **named_on_paper.get(paper.pk, {})}
        for paper in papers
    }
    # A register entry withholds a paper only through an organisation its item or itself names:
    # with none named, the registers are not read, and only declarations on the item count.
    named_any = any(named_on.values())
    if person is None:
        declarations = [d for d in reads.declarations if d.interest.category == Interest.Category.FINANCIAL]
        people = dict(reads.people) if named_any else {}  # a copy: people who only declared are added below
        current = reads.interests if named_any else []
    else:
        declarations = list(
            meeting.declarations.filter(interest__category=Interest.Category.FINANCIAL, person=person).select_related(
                "interest", "person"
            )
        )
        people = {person.pk: person}
        current = conflicts.interests_on([person.pk], meeting.date) if named_any else []
    registered: dict[str, set[int]] = {}
    for interest in current:
        if interest.category == Interest.Category.FINANCIAL and interest.organisation_name.strip():
            registered.setdefault(conflicts.name_key(interest.organisation_name), set()).add(interest.person_id)
    result = []
    for paper in papers:
        named = named_on[paper.pk]
        found: dict[int, tuple[str, set[str]]] = {}
        for declaration in declarations:
            key = conflicts.name_key(declaration.interest.organisation_name)
            if declaration.agenda_item_id == paper.agenda_item_id or key in named:
                people.setdefault(declaration.person_id, declaration.person)
                basis, names = found.setdefault(declaration.person_id, (Withholding.DECLARED, set()))
                if key in named:
                    names.add(named[key])
        for key, name in named.items():
            for person_id in registered.get(key, ()):
                basis, names = found.setdefault(person_id, (Withholding.REGISTERED, set()))
                names.add(name)
        for person_id, (basis, names) in found.items():
            result.append(Withholding(people[person_id], paper, tuple(sorted(names)), basis))
    result.sort(key=lambda w: (w.paper.agenda_item.position, w.paper.position, w.person.family_name, w.person.pk))
    return result


def papers_withheld_from(user, meeting: Meeting) -> dict[int, Withholding]:
    """The exempt papers of `meeting` that `user` may not read because of an interest, by paper
    id. The secretariat (who run the meeting) and anyone not linked to a person are withheld
    nothing; the public never reach exempt papers at all."""
    if not user.is_authenticated or user_can(user, MANAGE, meeting.partnership):
        return {}
    person = Person.objects.filter(user=user).first()
    if person is None:
        return {}
    return {w.paper.pk: w for w in withholdings(meeting, person=person)}
