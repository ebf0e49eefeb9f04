"""Conflicts of interest: the members' registers of interests checked against the
organisations a meeting's agenda items and papers concern.

Members act for the whole population of the system, not for their own organisation, so an
ICP asks them to keep a register of interests and to declare an interest item by item (NHS
England, "Managing conflicts of interest in the NHS"; the partnership's terms of reference;
for councillors, their authority's code of conduct under the Localism Act 2011). The portal
does not decide whether an interest is a conflict: it tells the secretariat where a register
names an organisation the agenda names, so that the chair can ask for the declaration.

An entry of the register counts when it is current on the day of the meeting (not started
after it, not ended before it). It matches an organisation when its organisation is written
as the portal writes it (letter case and spacing aside): the register is free text, so the
portal does not guess at abbreviations.

Who is withheld which exempt paper because of an interest is decided, at read time, by
`meetings.access.papers_withheld_from`, which uses the matching here.
"""

from dataclasses import dataclass, replace
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from membership.models import ChairAppointment, Interest, Membership, Person
from partnerships.models import Organisation

from .models import AgendaItem, Declaration, Meeting, Paper


def name_key(name: str) -> str:
    """An organisation's name as compared: letter case and runs of spaces ignored."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class Concern:
    """An organisation named on an agenda item, by the item itself or by one of its papers."""

    organisation: Organisation
    item: AgendaItem
    paper: Paper | None = None

    @property
    def where(self) -> str:
        """'item 6', or 'item 6 (paper “Contract award”)'."""
        where = f"item {self.item.number}"
        return f"{where} (paper “{self.paper.title}”)" if self.paper else where


def people_of(meeting: Meeting) -> QuerySet:
    """Whose registers are checked: the members and chairs of the partnership on the day of the
    meeting, and anyone recorded as attending it (substitutes, officers in attendance). Their ids,
    to filter by (no query of its own)."""
    seats = Membership.objects.current(meeting.date).filter(partnership_id=meeting.partnership_id)
    chairs = ChairAppointment.objects.current(meeting.date).filter(partnership_id=meeting.partnership_id)
    # A union, not three `pk__in` joined by OR: PostgreSQL answers that by reading every person.
    return (
        seats.order_by()
        .values("person_id")
        .union(chairs.order_by().values("person_id"), meeting.attendance.order_by().values("person_id"))
    )


def interests_on(people_ids, on) -> QuerySet:
    """The register entries of `people_ids` (ids, or a query of them) current on the date `on`:
    an interest that ended before it, or began after it, does not count."""
    return (
        Interest.objects.filter(person_id__in=people_ids)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=on))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("person_id", "pk")
    )


# Of an agenda item named with an organisation, what a concern reads (`Concern.where`, the
# prompts' order and their declaration link): its number, whether it is withdrawn, its meeting.
ITEM_READ = ("position", "withdrawn_at", "meeting")


class MeetingInterests:
    """What the conflicts of interest checks of one meeting read, each read once, when first
    asked for: the organisations its items and papers name, whose registers are checked and
    their entries current on the day, and the declarations of register entries made at it. The
    prompts (`conflict_prompts`) and who is withheld what (`meetings.access.withholdings`) share
    one, so a page showing both reads each of these once."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting

    @cached_property
    def item_links(self) -> list:
        """The organisations named on the meeting's items, withdrawn items too, with the item."""
        return list(
            AgendaItem.organisations.through.objects.filter(agendaitem__meeting=self.meeting)
            .select_related("agendaitem", "organisation")
            # What a concern says and is sorted by: an item's number and whether it is withdrawn,
            # an organisation's name. Not the items' text, for every item of a long agenda.
            .only(*(f"agendaitem__{field}" for field in ITEM_READ), "organisation__name")
            .order_by("agendaitem__position", "organisation__name", "pk")
        )

    @cached_property
    def paper_links(self) -> list:
        """The organisations named on the papers of the meeting's items, withdrawn items too,
        with the paper and its item."""
        return list(
            Paper.organisations.through.objects.filter(paper__agenda_item__meeting=self.meeting)
            .select_related("paper__agenda_item", "organisation")
            .only("paper__title", *(f"paper__agenda_item__{field}" for field in ITEM_READ), "organisation__name")
            .order_by("paper__agenda_item__position", "paper__position", "paper__pk", "organisation__name", "pk")
        )

    @cached_property
    def concerns(self) -> list[Concern]:
        """Every organisation named on the meeting's items and papers, in agenda order; withdrawn
        items are left out (they will not be taken)."""
        concerns = []
        items = {}
        for link in self.item_links:
            if link.agendaitem.withdrawn_at is None:
                item = items.setdefault(link.agendaitem_id, link.agendaitem)
                concerns.append(Concern(link.organisation, item))
        for link in self.paper_links:
            if link.paper.agenda_item.withdrawn_at is None:
                item = items.setdefault(link.paper.agenda_item_id, link.paper.agenda_item)
                link.paper.agenda_item = item
                concerns.append(Concern(link.organisation, item, link.paper))
        for item in items.values():
            item.meeting = self.meeting
        # Each item's own organisations first, then its papers'.
        concerns.sort(key=lambda c: (c.item.position, c.paper is not None))
        return concerns

    @cached_property
    def interests(self) -> list[Interest]:
        """The entries current on the day of the meeting (`interests_on`) of the registers checked
        (`people_of`), each with its person."""
        return list(interests_on(people_of(self.meeting), self.meeting.date).select_related("person"))

    @cached_property
    def people(self) -> dict[int, Person]:
        """The people with an entry in `interests`, by id: no one else can be prompted or withheld
        a paper because of their register."""
        return {interest.person_id: interest.person for interest in self.interests}

    @cached_property
    def declarations(self) -> list[Declaration]:
        """The declarations made at the meeting of an entry of a register, with the entry and the person."""
        return list(
            self.meeting.declarations.filter(interest__isnull=False).select_related("interest", "person").order_by("pk")
        )


def interest_phrase(category: str) -> str:
    """'a financial interest', 'an indirect interest'."""
    label = Interest.Category(category).label.lower()
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


@dataclass(frozen=True)
class ConflictPrompt:
    """'Cllr X has a financial interest in Y, named on item 6', with what the declaration form needs."""

    person: Person
    interest: Interest
    concern: Concern
    declared: bool = False

    @property
    def is_financial(self) -> bool:
        return self.interest.category == Interest.Category.FINANCIAL

    @property
    def text(self) -> str:
        return (
            f"{self.person.display_name} has {interest_phrase(self.interest.category)} in "
            f"{self.concern.organisation.name}, named on {self.concern.where}"
        )

    @property
    def declaration_url(self) -> str:
        """The declaration form, filled in from the prompt: who, which item, and the register entry
        (which carries the organisation and the kind of interest)."""
        meeting = self.concern.item.meeting
        url = reverse("record:declaration_add", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk})
        query = {
            "person": self.person.pk,
            "item": self.concern.item.pk,
            "interest": self.interest.pk,
            "organisation": self.concern.organisation.name,
            "category": self.interest.category,
        }
        return f"{url}?{urlencode(query)}"


def conflict_prompts(meeting: Meeting, *, reads: MeetingInterests | None = None) -> list[ConflictPrompt]:
    """Every match between a register of interests and an organisation named on the agenda,
    in agenda order then by name; financial interests are marked. A prompt already answered by
    a declaration of that entry on that item is kept, marked as declared. A fixed number of
    queries, however many members, items and papers (none for what `reads`, if given, has
    already read of the meeting)."""
    reads = reads or MeetingInterests(meeting)
    concerns = reads.concerns
    if not concerns:
        return []
    people = reads.people
    by_name: dict[str, list[Interest]] = {}
    for interest in reads.interests:
        if interest.organisation_name.strip():
            by_name.setdefault(name_key(interest.organisation_name), []).append(interest)
    declared = {(d.person_id, d.agenda_item_id, d.interest_id) for d in reads.declarations}
    prompts, seen = [], set()
    for concern in concerns:
        for interest in by_name.get(name_key(concern.organisation.name), []):
            # One prompt per entry, organisation and item: a paper naming the item's organisation again adds nothing.
            key = (interest.pk, concern.organisation.pk, concern.item.pk)
            if key in seen:
                continue
            seen.add(key)
            person = people[interest.person_id]
            prompts.append(
                ConflictPrompt(
                    person=person,
                    interest=interest,
                    concern=concern,
                    declared=(person.pk, concern.item.pk, interest.pk) in declared,
                )
            )
    prompts.sort(key=lambda p: (p.concern.item.position, p.person.family_name, p.person.given_name, p.interest.pk))
    return prompts


def declaration_prefill(query, *, meeting: Meeting, interests) -> dict:
    """The declaration form's initial values from a prompt's link (`query`, the GET parameters):
    the item, the register entry, and for a new entry the kind of interest and the organisation.
    Anything that is not of this meeting or this person's register is ignored, never trusted."""
    initial = {}
    item = query.get("item", "")
    if item.isdigit() and meeting.agenda_items.filter(pk=int(item)).exists():
        initial["agenda_item"] = int(item)
    by_pk = {str(interest.pk): interest for interest in interests}
    if query.get("interest", "") in by_pk:
        initial["interest"] = query["interest"]
    if query.get("category", "") in Interest.Category.values:
        initial["new_category"] = query["category"]
    organisation = " ".join(query.get("organisation", "").split())[:200]
    if organisation:
        initial["new_organisation"] = organisation
    return initial


WITHHELD_NOTICE = "Withheld: you have declared an interest"


@dataclass(frozen=True)
class WithheldPaperRow:
    """A paper on a member's agenda that they may not read: its title and the notice, no link.
    Built in place of the paper's row, so no template can link to the paper by mistake."""

    title: str
    version_id: int | None
    is_exempt: bool = True
    withheld: bool = True
    notice: str = WITHHELD_NOTICE


def withhold_papers(row, version_ids, *, notice_in_title: bool = False):
    """`row` (a `meetings.presenters.AgendaRow`) with each paper whose version is in
    `version_ids` replaced by a `WithheldPaperRow` (whose title carries the notice, with
    `notice_in_title`, for documents that print titles only)."""
    if not any(paper.version_id in version_ids for paper in row.papers):
        return row
    papers = [
        WithheldPaperRow(
            title=f"{paper.title} ({WITHHELD_NOTICE.lower()})" if notice_in_title else paper.title,
            version_id=paper.version_id,
        )
        if paper.version_id in version_ids
        else paper
        for paper in row.papers
    ]
    return replace(row, papers=papers)
