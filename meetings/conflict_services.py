"""Writes for conflicts of interest: which organisations an agenda item or paper concerns."""

from django.db import transaction

from audit.services import audit_record

from .models import AgendaItem, Paper


@transaction.atomic
def concerns_set(*, subject: AgendaItem | Paper, organisations, actor) -> bool:
    """Name the organisations `subject` (an agenda item or a paper) concerns, replacing those it
    named. Audited as [old, new] names; returns whether anything changed. Not a public change of
    the agenda: the organisations are read by the conflicts check, not published."""
    item = subject if isinstance(subject, AgendaItem) else subject.agenda_item
    partnership = item.meeting.partnership
    before = sorted(subject.organisations.values_list("name", flat=True))
    subject.organisations.set(organisations)
    after = sorted(o.name for o in organisations)
    if before == after:
        return False
    kind = "item" if isinstance(subject, AgendaItem) else "paper"
    audit_record(
        actor=actor,
        action=f"meetings.{'agenda.item' if kind == 'item' else 'paper'}.organisations_changed",
        obj=subject,
        partnership=partnership,
        changes={"organisations": [before, after]},
    )
    return True
