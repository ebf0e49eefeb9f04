"""The audit trail: who changed what on the partnership, and when."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render

from ..audit_sentences import audit_sentence, audit_when
from ..models import Person
from ..permissions import MANAGE, partnership_for_user, people_whose_contact_details_show
from ..workspace_presenters import PRIVATE_PERSON_FIELDS, action_label, audit_change_lines
from ._common import _crumbs, _page


def _audit_lines(user, events) -> None:
    """Give each event its label and change lines. A person's contact details and account show
    only to those who may see them on the person's page; for anyone else they are withheld."""
    person_type = ContentType.objects.get_for_model(Person)

    def person_id(event):
        is_person = event.content_type_id == person_type.pk and event.object_id.isdigit()
        return int(event.object_id) if is_person else None

    shown = people_whose_contact_details_show(user, {person_id(e) for e in events} - {None})
    for event in events:
        pk = person_id(event)
        withheld = PRIVATE_PERSON_FIELDS if event.content_type_id == person_type.pk and pk not in shown else frozenset()
        event.label = action_label(event.action)
        event.sentence = audit_sentence(event)
        event.when = audit_when(event)
        event.lines = audit_change_lines(event.changes, withheld)


@login_required
def audit_trail(request, slug):
    """Who changed what on the partnership, and when: its audit log, newest first."""
    partnership = partnership_for_user(request, slug, MANAGE)
    events = _page(request, partnership.audit_events.select_related("actor").order_by("-created_at", "-pk"))
    _audit_lines(request.user, events)
    context = {"partnership": partnership, "events": events, "crumbs": _crumbs(partnership)}
    return render(request, "membership/workspace/audit.html", context)
