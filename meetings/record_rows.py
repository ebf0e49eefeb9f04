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


def _action_row(
    partnership,
    *,
    staff: bool,
    today,
    pk,
    meeting_id,
    starts_at,
    is_public,
    item_position,
    item_exempt,
    description,
    owners,
    due_date,
    status,
) -> ActionRow:
    return ActionRow(
        meeting_url="" if staff else row_url("meetings:meeting", partnership.slug, meeting_id),
        meeting_date=long_date(starts_at),
        is_private=not is_public,
        item=str(item_position) if item_position is not None else "",
        is_exempt=bool(item_position is not None and item_exempt),
        url=row_url("record:action", partnership.slug, pk) if staff else "",
        description=truncatewords(description, 30) if staff else linebreaksbr(description, autoescape=True),
        owner=", ".join(owner for owner in owners if owner),
        due_date=long_date(due_date) if due_date else "",
        is_overdue=Action.overdue(status, due_date, today),
        status=ACTION_STATUSES.get(status, status),
    )


def action_rows(actions, partnership, *, staff: bool) -> list[ActionRow]:
    """`actions` of `partnership` as its tables list them: for the staff, each linking to its
    page; for the public, to the page of the meeting that set it."""
    today = timezone.localdate()
    return [
        _action_row(
            partnership,
            staff=staff,
            today=today,
            pk=action.pk,
            meeting_id=action.meeting_id,
            starts_at=action.meeting.starts_at,
            is_public=action.meeting.is_public,
            item_position=action.agenda_item.position if action.agenda_item_id else None,
            item_exempt=action.agenda_item.is_exempt if action.agenda_item_id else False,
            description=action.description,
            owners=[
                str(action.owner_person) if action.owner_person_id else "",
                str(action.owner_organisation or ""),
            ],
            due_date=action.due_date,
            status=action.status,
        )
        for action in actions
    ]


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


def action_log_rows(actions, partnership, *, staff: bool) -> list[ActionRow]:
    """`actions` of `partnership`, read as `.values(*ACTION_LOG_FIELDS)`, as `action_rows` writes them."""
    today = timezone.localdate()
    return [
        _action_row(
            partnership,
            staff=staff,
            today=today,
            pk=action["pk"],
            meeting_id=action["meeting"],
            starts_at=action["meeting__starts_at"],
            is_public=action["meeting__is_public"],
            item_position=action["agenda_item__position"] if action["agenda_item"] else None,
            item_exempt=action["agenda_item__is_exempt"],
            description=action["description"],
            owners=[
                display_name(
                    action["owner_person__honorific"],
                    action["owner_person__given_name"],
                    action["owner_person__family_name"],
                    action["owner_person__post_nominals"],
                )
                if action["owner_person"]
                else "",
                action["owner_organisation__name"] or "",
            ],
            due_date=action["due_date"],
            status=action["status"],
        )
        for action in actions
    ]
