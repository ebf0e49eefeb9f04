"""The rows of the record's decisions and actions tables, written once in Python: the registers
and action logs list 25 a page, and the template's dotted lookups, filters and branches on every
row cost more than the rest of the page.

A row shows what the decision or action read for it shows; what the reader may see is decided by the
queryset the view reads (`Decision.objects.public()`, `Action.objects.public()` for the public), not here."""

from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr, truncatewords
from django.utils import timezone

from core.dates import long_date
from core.urls import row_url
from membership.models import display_name

from .models import Action, Decision

# get_status_display() builds a dict of the choices on every call.
DECISION_STATUSES = dict(Decision.Status.choices)
ACTION_STATUSES = dict(Action.Status.choices)


@dataclass(frozen=True)
class DecisionRow:
    meeting_url: str
    meeting_date: str
    is_private: bool
    # "3. Title", or empty for a decision recorded at no item.
    item: str
    is_exempt: bool
    reference: str
    wording: str
    inquorate: bool
    status: str
    # The staff's link to change the decision and the name its hidden text gives it; empty for the public.
    edit_url: str = ""
    name: str = ""


# What a decision's row shows of it, its meeting and its item.
DECISION_ROW_FIELDS = (
    "pk",
    "reference",
    "wording",
    "status",
    "inquorate",
    "meeting",
    "meeting__starts_at",
    "meeting__is_public",
    "agenda_item",
    "agenda_item__position",
    "agenda_item__title",
    "agenda_item__is_exempt",
)


def decision_rows(decisions, partnership, *, staff: bool) -> list[DecisionRow]:
    """`decisions` of `partnership`, read as `.values(*DECISION_ROW_FIELDS)`, as its tables list
    them: for the staff, linking to each meeting's record and to each decision's form; for the
    public, to each meeting's page."""
    meeting_route = "record:decisions" if staff else "meetings:meeting"
    rows = []
    for decision in decisions:
        reference = decision["reference"]
        rows.append(
            DecisionRow(
                meeting_url=row_url(meeting_route, partnership.slug, decision["meeting"]),
                meeting_date=long_date(decision["meeting__starts_at"]),
                is_private=not decision["meeting__is_public"],
                item=f"{decision['agenda_item__position']}. {decision['agenda_item__title']}"
                if decision["agenda_item"]
                else "",
                is_exempt=bool(decision["agenda_item"] and decision["agenda_item__is_exempt"]),
                reference=reference or "–",
                wording=linebreaksbr(decision["wording"], autoescape=True),
                inquorate=decision["inquorate"],
                status=DECISION_STATUSES.get(decision["status"], decision["status"]),
                edit_url=row_url("record:decision_edit", partnership.slug, decision["pk"]) if staff else "",
                name=str(reference or decision["pk"]) if staff else "",
            )
        )
    return rows


@dataclass(frozen=True)
class ActionRow:
    # The public's link to the meeting that set the action; empty for the staff, who follow the action.
    meeting_url: str
    meeting_date: str
    is_private: bool
    # The position of the item that set it, or empty.
    item: str
    is_exempt: bool
    # The staff's link to the action; empty for the public.
    url: str
    # In full for the public; its first thirty words, linked, for the staff.
    description: str
    owner: str
    due_date: str
    is_overdue: bool
    status: str


# What an action log shows of an action, the meeting and item that set it, and its owner, read
# as values, which cost less than five objects a row (the meeting's venue, links and notices,
# and the person's contact details, are not read).
ACTION_LOG_FIELDS = (
    "pk",
    "meeting",
    "description",
    "due_date",
    "status",
    "meeting__starts_at",
    "meeting__is_public",
    "agenda_item",
    "agenda_item__position",
    "agenda_item__is_exempt",
    "owner_person",
    # What `Person.display_name` and `Organisation.__str__` write.
    "owner_person__honorific",
    "owner_person__given_name",
    "owner_person__family_name",
    "owner_person__post_nominals",
    "owner_organisation__name",
)


def _action_row(action: dict, partnership, *, staff: bool, today) -> ActionRow:
    """The row of an action read as `.values(*ACTION_LOG_FIELDS)`."""
    item_position = action["agenda_item__position"] if action["agenda_item"] else None
    person = (
        display_name(
            action["owner_person__honorific"],
            action["owner_person__given_name"],
            action["owner_person__family_name"],
            action["owner_person__post_nominals"],
        )
        if action["owner_person"]
        else ""
    )
    owners = (person, action["owner_organisation__name"] or "")
    return ActionRow(
        meeting_url="" if staff else row_url("meetings:meeting", partnership.slug, action["meeting"]),
        meeting_date=long_date(action["meeting__starts_at"]),
        is_private=not action["meeting__is_public"],
        item=str(item_position) if item_position is not None else "",
        is_exempt=bool(item_position is not None and action["agenda_item__is_exempt"]),
        url=row_url("record:action", partnership.slug, action["pk"]) if staff else "",
        description=truncatewords(action["description"], 30)
        if staff
        else linebreaksbr(action["description"], autoescape=True),
        owner=", ".join(owner for owner in owners if owner),
        due_date=long_date(action["due_date"]) if action["due_date"] else "",
        is_overdue=Action.overdue(action["status"], action["due_date"], today),
        status=ACTION_STATUSES.get(action["status"], action["status"]),
    )


def action_log_rows(actions, partnership, *, staff: bool) -> list[ActionRow]:
    """`actions` of `partnership`, read as `.values(*ACTION_LOG_FIELDS)`, as its tables list them:
    for the staff, each linking to its page; for the public, to the page of the meeting that set it."""
    today = timezone.localdate()
    return [_action_row(action, partnership, staff=staff, today=today) for action in actions]


def action_rows(actions, partnership, *, staff: bool) -> list[ActionRow]:
    """`actions` read as objects, with their meeting, item and owners (the record's carried
    forward, shared with the agenda pack), as `action_log_rows` writes them."""
    return action_log_rows([_log_values(action) for action in actions], partnership, staff=staff)


def _log_values(action: Action) -> dict:
    item, person = action.agenda_item, action.owner_person
    return {
        "pk": action.pk,
        "meeting": action.meeting_id,
        "description": action.description,
        "due_date": action.due_date,
        "status": action.status,
        "meeting__starts_at": action.meeting.starts_at,
        "meeting__is_public": action.meeting.is_public,
        "agenda_item": action.agenda_item_id,
        "agenda_item__position": item.position if item else None,
        "agenda_item__is_exempt": item.is_exempt if item else False,
        "owner_person": action.owner_person_id,
        "owner_person__honorific": person.honorific if person else "",
        "owner_person__given_name": person.given_name if person else "",
        "owner_person__family_name": person.family_name if person else "",
        "owner_person__post_nominals": person.post_nominals if person else "",
        "owner_organisation__name": action.owner_organisation.name if action.owner_organisation_id else "",
    }
