"""The audit trail in sentences: "Jo Smith made item 7 exempt under paragraph 3".

Each audit event (audit.models.AuditEvent) keeps who did it, a dotted action name, the
object as it was named then (`object_repr`) and a snapshot of what changed. The sentence is
built from those alone, so it says what was true when it happened, even if the item has since
moved or been renamed. An action with no sentence of its own is read from its dotted name
("strategy.section.added": "added the section …"); the change lines under it keep the detail.
"""

import re

from django.utils import timezone

from core.dates import long_date

# Past tenses the dotted names end with, as a sentence says them.
VERBS = {
    "added": "added",
    "approved": "approved",
    "created": "created",
    "ended": "ended",
    "extended": "extended",
    "linked": "linked",
    "moved": "moved",
    "published": "published",
    "recorded": "recorded",
    "registered": "registered",
    "released": "released",
    "removed": "removed",
    "requested": "asked for",
    "retried": "asked again for",
    "reviewed": "reviewed",
    "sent": "sent",
    "submitted": "submitted",
    "superseded": "superseded",
    "unlinked": "unlinked",
    "updated": "changed",
    "withdrawn": "withdrew",
}

# Sentences of their own. `{object}` is the object as named at the time; `{item}` the agenda
# item's number; other names come from the snapshot (see `_values`).
SENTENCES = {
    "membership.person.created": "added {object} to the people of the partnership",
    "membership.person.updated": "changed the details of {object}",
    "membership.membership.added": "added the membership of {object}",
    "membership.membership.ended": "ended the membership of {object}",
    "membership.chair.appointed": "recorded an appointment: {object}",
    "membership.chair.ended": "ended a term: {object}",
    "membership.interest.recorded": "recorded an interest in the register ({object})",
    "membership.nil_return.recorded": "recorded a nil return ({object})",
    "membership.secretariat.assigned": "assigned {object}",
    "membership.secretariat.ended": "ended the assignment of {object}",
    "membership.partnership.updated": "changed the partnership's details",
    "membership.import.committed": "imported members from a file",
    "membership.invitation.sent": "sent an invitation to sign in: {object}",
    "membership.invitation.resent": "sent again an invitation to sign in: {object}",
    "membership.invitation.withdrawn": "withdrew an invitation to sign in: {object}",
    "membership.invitation.accepted": "accepted an invitation and created their account: {object}",
    "membership.account.deactivated": "deactivated the sign-in account of {object}",
    "membership.account.reactivated": "reactivated the sign-in account of {object}",
    "meetings.meeting.scheduled": "scheduled {object}",
    "meetings.meeting.updated": "changed the details of {object}",
    "meetings.meeting.moved": "moved {object}",
    "meetings.meeting.cancelled": "cancelled {object}",
    "meetings.meeting.postponed": "postponed {object}",
    "meetings.meetings_day.created": "set up the meetings day {object}",
    "meetings.series.created": "created the series of meetings {object}",
    "meetings.agenda.late_item_added": "added item {item} ({title}) as a late item",
    "meetings.agenda.item_withdrawn": "withdrew item {position} ({title}) from the agenda: {reason}",
    "meetings.agenda.item_removed": "removed an item from the agenda of {object}",
    "meetings.agenda.reordered": "reordered the agenda of {object}",
    "meetings.agenda.standard_items_added": "added the standard items to the agenda of {object}",
    "meetings.paper.uploaded": "uploaded the paper {object}",
    "meetings.paper.replaced": "replaced the paper {object} with a new version",
    "meetings.attendance.recorded": "recorded the attendance at {object}",
    "meetings.attendance.added": "added {person} to the attendance at {object}",
    "meetings.declaration.recorded": "recorded {person}'s declaration of an interest in item {item}",
    "meetings.declaration.removed": "removed {person}'s declaration of an interest in item {item}",
    "meetings.minutes.drafted": "started drafting the minutes: {object}",
    "meetings.minutes.entry_updated": "drafted the minute of item {item}: {object}",
    "meetings.minutes.published": "published {object}",
    "meetings.minutes.approved": "recorded the approval of {object} as a correct record",
    "meetings.minutes.correction_started": "started a correction of {object}",
    "meetings.decision.recorded": "recorded a decision: {object}",
    "meetings.decision.updated": "changed a decision: {object}",
    "meetings.action.recorded": "recorded an action: {object}",
    "meetings.action.changed": "changed an action: {object}",
    "meetings.action.update_added": "recorded progress on an action: {object}",
    "publishing.document.retried": "asked for the PDF {object} to be built again",
    "accounts.two_factor.turned_off": "turned off two-factor sign-in",
    "accounts.two_factor.recovery_codes_renewed": "made new recovery codes for two-factor sign-in",
    "accounts.two_factor.recovery_code_used": "signed in with a recovery code",
}

_NUMBERED = re.compile(r"^(\d+)\. ")


class _Blank(dict):
    """Format values; a name missing from the snapshot reads as an empty string."""

    def __missing__(self, key):
        return ""


def actor_name(event) -> str:
    actor = event.actor
    if actor is None:
        return "The portal"
    return actor.get_full_name() or actor.get_username()


def _new(value):
    """The new value of a snapshot entry: [old, new] → new; anything else as it is."""
    return value[1] if isinstance(value, list) and len(value) == 2 else value


def _values(event) -> dict:
    values = _Blank({name: _new(value) for name, value in (event.changes or {}).items()})
    values["object"] = event.object_repr or "a record that has since been removed"
    numbered = _NUMBERED.match(event.object_repr or "")
    item = values.get("item") or values.get("position")
    values["item"] = item if item not in (None, "") else (numbered.group(1) if numbered else "")
    return values


def _item_sentence(event, values) -> str:
    """Agenda items: exemption made or lifted is what the record most needs to say plainly."""
    changes = event.changes or {}
    exempt = changes.get("is_exempt")
    paragraph = _new(changes.get("exempt_paragraph"))
    if event.action == "meetings.agenda.item_added":
        sentence = f"added item {values['item']} ({values['title']}) to the agenda"
        return sentence + (f", exempt under paragraph {paragraph}" if values.get("is_exempt") else "")
    if isinstance(exempt, list) and exempt[1]:
        return f"made item {values['item']} exempt under paragraph {paragraph}"
    if isinstance(exempt, list):
        return f"made item {values['item']} public: it is no longer exempt"
    if isinstance(changes.get("exempt_paragraph"), list):
        return f"changed item {values['item']}'s exemption to paragraph {paragraph}"
    fields = [name.replace("_", " ") for name in changes if name != "change_reason"]
    return f"changed item {values['item']}" + (f" ({', '.join(fields)})" if fields else "")


def _paper_sentence(event, values) -> str:
    restricted = (event.changes or {}).get("restricted")
    if isinstance(restricted, list) and restricted[1]:
        return f"withheld the paper {values['object']} from the public"
    if isinstance(restricted, list):
        return f"made the paper {values['object']} public"
    return f"changed the details of the paper {values['object']}"


def _from_name(action: str, values) -> str:
    """'strategy.section.added' → 'added the section “Introduction”'."""
    parts = action.split(".")
    verb = VERBS.get(parts[-1])
    noun = parts[-2].replace("_", " ") if len(parts) >= 2 else ""
    if verb is None:
        words = parts[-1].replace("_", " ")
        return f"{words}: {values['object']}" if values["object"] else words
    if action.startswith("publishing.") and parts[-1] == "requested":
        return f"asked for the PDF {values['object']}"
    return f"{verb} the {noun} {values['object']}".rstrip()


def audit_sentence(event) -> str:
    """What `event` records, as a sentence starting with who did it."""
    values = _values(event)
    if event.action in {"meetings.agenda.item_added", "meetings.agenda.item_updated"}:
        what = _item_sentence(event, values)
    elif event.action == "meetings.paper.updated":
        what = _paper_sentence(event, values)
    elif event.action in SENTENCES:
        what = SENTENCES[event.action].format_map(values)
    else:
        what = _from_name(event.action, values)
    # Tidy what a missing snapshot value leaves: "item  (Title)", "( )", a trailing colon.
    what = re.sub(r" \(\)", "", re.sub(r"\s+", " ", what)).rstrip(": ").strip()
    return f"{actor_name(event)} {what}."


def audit_when(event) -> str:
    """'Monday 30 November 2026 at 14:05', in the portal's time zone."""
    moment = timezone.localtime(event.created_at)
    return f"{long_date(moment, weekday=True)} at {moment:%H:%M}"
