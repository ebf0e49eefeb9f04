"""One report through many bodies (OParl's "consultation"): a paper considered in turn by an
Area ICP, the Strategic ICP, then the ICB board or a council's health and wellbeing board.

A paper is uploaded once, at the item where it was first tabled (`Paper.agenda_item`, its
first `Consideration`). A later item reuses it: a consideration links the paper to that item,
with the role it has there and, once taken, the outcome. A step outside the portal is a
consideration with a body's name, a date and a link.

Reuse never widens who may read anything. What a reader sees is worked out when they read, here
and in `ConsiderationQuerySet.public()`:
- the paper itself is public only as `Paper.objects.public()` says, from the item it was tabled at;
- a consideration is shown to the public only when the paper is public and the item it was
  considered at is an item the public may read in full (a reused paper on an exempt item, or in
  a private session, shows to the public as nothing);
- a member (VIEW_EXEMPT, `meetings.access.can_read_exempt`) also sees considerations at their own
  partnership's items, and a paper not public only if they may read the partnership it was
  tabled at, as the download (`meetings.views.public.paper_download`) already decides.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.urls import reverse

from audit.services import audit_record
from membership.permissions import VIEW_EXEMPT, partnerships_for_user, user_can
from membership.services import save_audited
from partnerships.models import Partnership

from .models import AgendaChange, AgendaItem, Consideration, Paper

# Considerations change agendas under the agenda services' rules, so they share their helpers.
from .services._common import _change_reason, _locked, _record_change, _refuse_if_cancelled, _refuse_if_withdrawn

# How many papers the reuse form offers at once: the secretariat narrows the list by title.
CANDIDATES_SHOWN = 50


# Reads -------------------------------------------------------------------------------------


def reused_for_reader(*, reader: bool):
    """Considerations of papers reused at items (not the item each was tabled at), as a meeting
    page shows them. The public: `Consideration.objects.public()`. Members of the meeting's
    partnership: also at exempt items and private sessions, but a paper not public only if it was
    tabled by the same partnership (a member of one partnership reads another's exempt papers
    only through that partnership)."""
    at_items = Consideration.objects.filter(agenda_item__isnull=False).exclude(agenda_item=F("paper__agenda_item"))
    if reader:
        readable = Q(paper__in=Paper.objects.public()) | Q(
            paper__agenda_item__meeting__partnership=F("agenda_item__meeting__partnership")
        )
        visible = at_items.filter(readable, paper__current_version__isnull=False)
    else:
        visible = at_items.filter(pk__in=Consideration.objects.public().values("pk"))
    return visible.select_related(
        "paper__current_version",
        "paper__exemption_release",
        "paper__agenda_item__exemption_release",
        "paper__agenda_item__meeting__partnership",
    ).order_by("paper__title", "pk")


def reuses_papers() -> Exists:
    """Whether an agenda item considers a paper tabled at another item, whoever may read it: to
    annotate items with (`reuses_papers`) for `attach_reused`."""
    return Exists(Consideration.objects.filter(agenda_item=OuterRef("pk")).exclude(paper__agenda_item=OuterRef("pk")))


def attach_reused(items, *, reader: bool) -> None:
    """Give each of `items` (annotated with `reuses_papers`) the considerations of papers reused
    there, as `reused_for_reader` lets this reader see them, in `reused`. Asked only of the items
    that reuse one, and not at all when none does (most agendas): its query joins ten tables, and
    PostgreSQL takes longer to plan it than to read a whole agenda."""
    reusing = []
    for item in items:
        if item.reuses_papers:
            reusing.append(item)
        else:
            item.reused = []
    if reusing:
        prefetch_related_objects(
            reusing, Prefetch("considerations", queryset=reused_for_reader(reader=reader), to_attr="reused")
        )


def paper_for_reader(user, slug: str, pk: int) -> tuple[Paper, bool] | None:
    """The paper `pk` tabled by partnership `slug`, if `user` may read it, and whether they read
    it as a member (it may not be public). None when they may not (the view answers 404)."""
    papers = Paper.objects.filter(
        agenda_item__meeting__partnership__slug=slug,
        agenda_item__meeting__partnership__in=Partnership.objects.public(),
        current_version__isnull=False,
    ).select_related("current_version", "exemption_release", "agenda_item__meeting__partnership__ics__region")
    paper = papers.filter(pk__in=Paper.objects.public().values("pk"), pk=pk).first()
    if paper is not None:
        return paper, False
    paper = papers.filter(pk=pk).first()
    if paper is not None and user_can(user, VIEW_EXEMPT, paper.agenda_item.meeting.partnership):
        return paper, True
    return None


def path_for_reader(paper: Paper, user) -> list[Consideration]:
    """The paper's path as `user` may see it, in date order: the public considerations, and for a
    member also those at items of partnerships whose exempt material they read (and the steps
    outside the portal of a paper tabled by one of those). Three queries at most."""
    public = set(Consideration.objects.public().filter(paper=paper).values_list("pk", flat=True))
    steps = list(
        paper.considerations.select_related("agenda_item__meeting__partnership", "agenda_item__exemption_release")
    )
    readable: set[int] = set()
    if user.is_authenticated:
        partnerships = {s.agenda_item.meeting.partnership_id for s in steps if s.agenda_item_id}
        partnerships.add(paper.agenda_item.meeting.partnership_id)
        readable = set(
            partnerships_for_user(user, VIEW_EXEMPT).filter(pk__in=partnerships).values_list("pk", flat=True)
        )
    home = paper.agenda_item.meeting.partnership_id

    def shown(step: Consideration) -> bool:
        if step.pk in public:
            return True
        if step.is_external:
            return home in readable
        return step.agenda_item.meeting.partnership_id in readable

    return sorted(filter(shown, steps), key=_path_order)


def _path_order(step: Consideration):
    if step.is_external:
        return (step.considered_on, dt.time.max, step.pk)
    starts = step.agenda_item.meeting.starts_at
    return (step.agenda_item.meeting.date, starts.time(), step.pk)


def reusable_papers(*, item: AgendaItem, user=None, query: str = ""):
    """The papers the secretariat may table again at `item`: papers of the same system's
    partnerships that the public may read, and any paper of `item`'s own partnership, with a
    file, not already at this item. No title of another partnership's exempt paper is offered,
    and whoever reads `item` may read what is tabled there (see `reused_for_reader`). Newest
    first; narrowed by words of the title."""
    partnership = item.meeting.partnership
    papers = (
        Paper.objects.filter(
            agenda_item__meeting__partnership__ics_id=partnership.ics_id,
            current_version__isnull=False,
        )
        .filter(Q(pk__in=Paper.objects.public().values("pk")) | Q(agenda_item__meeting__partnership=partnership))
        .exclude(agenda_item=item)
        .exclude(considerations__agenda_item=item)
        .select_related("agenda_item__meeting__partnership")
        .order_by("-agenda_item__meeting__starts_at", "title", "pk")
    )
    for word in query.split()[:8]:
        papers = papers.filter(title__icontains=word)
    return papers


# Writes ------------------------------------------------------------------------------------


def _clean_role(role: str) -> str:
    if role not in Consideration.Role.values:
        raise ValidationError({"role": "Choose whether the paper is for decision, for information or for comment."})
    return role


@transaction.atomic
def consideration_reuse(*, item: AgendaItem, paper: Paper, actor, role: str, change_reason: str = "") -> Consideration:
    """Table `paper` (already on the portal) at `item` rather than upload it again. The paper
    must be one `reusable_papers` offers the actor. Once the agenda is published it goes on the
    supplementary agenda, with a reason."""
    meeting = _locked(item.meeting)
    _refuse_if_cancelled(meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    item.meeting = meeting
    _refuse_if_withdrawn(item)
    role = _clean_role(role)
    if not reusable_papers(item=item, user=actor).filter(pk=paper.pk).exists():
        raise ValidationError(
            {"paper": "Choose a paper of this system that is public, or of this partnership, and not already here."}
        )
    reason = _change_reason(meeting, change_reason)
    consideration = Consideration.objects.create(paper=paper, agenda_item=item, role=role)
    _record_change(meeting=meeting, actor=actor, kind=AgendaChange.Kind.PAPER_ADDED, reason=reason, item=item)
    audit_record(
        actor=actor,
        action="meetings.consideration.added",
        obj=consideration,
        partnership=meeting.partnership,
        changes={"paper": paper.pk, "item": item.pk, "role": role, "change_reason": reason},
    )
    return consideration


def _clean_outcome(outcome: str, note: str) -> tuple[str, str]:
    if outcome not in Consideration.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    return outcome, (note or "").strip()


@transaction.atomic
def consideration_record(
    *, consideration: Consideration, actor, role: str, outcome: str, outcome_note: str = ""
) -> Consideration:
    """Record a consideration's role and outcome (what the body did with the paper)."""
    consideration = Consideration.objects.select_for_update().get(pk=consideration.pk)
    role = _clean_role(role)
    outcome, outcome_note = _clean_outcome(outcome, outcome_note)
    before = {"role": consideration.role, "outcome": consideration.outcome, "outcome_note": consideration.outcome_note}
    consideration.role, consideration.outcome, consideration.outcome_note = role, outcome, outcome_note
    consideration.save(update_fields=["role", "outcome", "outcome_note", "updated_at"])
    after = {"role": role, "outcome": outcome, "outcome_note": outcome_note}
    audit_record(
        actor=actor,
        action="meetings.consideration.recorded",
        obj=consideration,
        partnership=_partnership_of(consideration),
        changes={key: [before[key], after[key]] for key in after if before[key] != after[key]},
    )
    return consideration


@transaction.atomic
def consideration_add_outside(
    *,
    paper: Paper,
    actor,
    body_name: str,
    considered_on: dt.date | None,
    url: str = "",
    role: str,
    outcome: str = "",
    outcome_note: str = "",
) -> Consideration:
    """Record a step outside the portal: the ICB board or a council's health and wellbeing board
    considered the paper on a date, with a link to its papers or decision."""
    body_name = (body_name or "").strip()
    errors = {}
    if not body_name:
        errors["body_name"] = "Enter the name of the body, for example the ICB board."
    if considered_on is None:
        errors["considered_on"] = "Enter the date the body considered the paper."
    if errors:
        raise ValidationError(errors)
    role = _clean_role(role)
    outcome, outcome_note = _clean_outcome(outcome, outcome_note)
    consideration = Consideration(
        paper=paper,
        body_name=body_name,
        considered_on=considered_on,
        url=(url or "").strip(),
        role=role,
        outcome=outcome,
        outcome_note=outcome_note,
    )
    return save_audited(
        consideration,
        actor=actor,
        action="meetings.consideration.added_outside",
        partnership=paper.agenda_item.meeting.partnership,
        changes={"paper": paper.pk, "body": body_name, "date": considered_on.isoformat(), "role": role},
    )


@transaction.atomic
def consideration_remove(*, consideration: Consideration, actor) -> None:
    """Take a reused paper off an item whose agenda is not yet published, or remove a step
    outside the portal entered by mistake. The first consideration goes only with its paper, and
    a published agenda keeps its record (withdraw the item instead)."""
    consideration = Consideration.objects.select_related("paper", "agenda_item__meeting").get(pk=consideration.pk)
    if consideration.agenda_item_id == consideration.paper.agenda_item_id:
        raise ValidationError("This is where the paper was tabled: it stays on that item's record.")
    if consideration.agenda_item_id and consideration.agenda_item.meeting.agenda_is_published:
        raise ValidationError("The agenda has been published, so the paper stays on it. Withdraw the item instead.")
    partnership = _partnership_of(consideration)
    audit_record(
        actor=actor,
        action="meetings.consideration.removed",
        obj=consideration,
        partnership=partnership,
        changes={
            "paper": consideration.paper_id,
            "item": consideration.agenda_item_id,
            "body": consideration.body_name,
        },
    )
    consideration.delete()


def _partnership_of(consideration: Consideration) -> Partnership:
    item = consideration.agenda_item if consideration.agenda_item_id else consideration.paper.agenda_item
    return item.meeting.partnership


def removable(consideration: Consideration) -> bool:
    """Whether `consideration_remove` would take it off (see there)."""
    if consideration.agenda_item_id == consideration.paper.agenda_item_id:
        return False
    return consideration.is_external or not consideration.agenda_item.meeting.agenda_is_published


def public_url(paper: Paper) -> str:
    """The paper's page (`meetings:paper_page`), under the partnership that tabled it."""
    partnership = paper.agenda_item.meeting.partnership
    return reverse("meetings:paper_page", kwargs={"slug": partnership.slug, "pk": paper.pk})


def paper_pages(items, partnership: Partnership) -> dict[int, str]:
    """The page of each paper tabled at the agenda `items` of one of `partnership`'s meetings
    (their path through other bodies), by current version id; papers tabled elsewhere carry their
    own link. No query: the items carry their visible papers (`presenters.published_agenda_items`)."""
    return {
        paper.current_version_id: reverse("meetings:paper_page", kwargs={"slug": partnership.slug, "pk": paper.pk})
        for item in items
        for paper in item.visible_papers
    }
