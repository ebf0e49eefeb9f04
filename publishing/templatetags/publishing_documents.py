"""The PDFs on the pages of lower apps (meetings, strategy), which may not import publishing
(docs/architecture.md): their templates load these tags, and publishing decides, at read time,
which documents a reader is offered (publishing.visibility) and how builds are getting on
(publishing.status)."""

from django import template
from django.urls import reverse

from publishing import status, visibility
from publishing.models import PublishedDocument

register = template.Library()


@register.inclusion_tag("publishing/_meeting_documents.html")
def meeting_documents_status(meeting):
    """For the secretariat's meeting page: the meeting's PDFs, building, ready or failed. Their
    "Try again" buttons submit the form of `meeting_documents_retries`, which the page carries
    outside this list (the page keeps the list between requests, and a form's CSRF token is the
    reader's)."""
    documents = status.meeting_documents(meeting)
    return {
        "partnership": meeting.partnership,
        "meeting": meeting,
        "documents": documents,
        "building": status.any_building(documents),
    }


@register.inclusion_tag("publishing/_document_retries.html", takes_context=True)
def meeting_documents_retries(context, meeting):
    """The form the "Try again" buttons of `meeting_documents_status` submit: back to the
    meeting's page afterwards."""
    back = reverse("meetings:staff_meeting", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk})
    return {"back": f"{back}#documents", "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def meeting_documents_for_reader(context, meeting, agenda=None, supplements=None, record=None):
    """For a meeting's page: the PDFs this reader may read (the public's, or a member's).
    A page showing the public its agenda, supplements and record passes them (`reader=False`,
    nothing withheld) so the public pack's check does not build them again: the record's
    actions carried forward are the pack's action log, when the record has read them (it
    does for a meeting held, with an "Action log" item)."""
    public_agenda = None
    if agenda is not None and supplements is not None and not context.get("can_read_exempt"):
        carried_forward = record.carried_forward if record and record.action_log_item else None
        public_agenda = (agenda, supplements, carried_forward)
    return visibility.documents_for_meeting(meeting, user=context["request"].user, public_agenda=public_agenda)


@register.simple_tag
def strategy_public_document(version):
    """The PDF of a published strategy version the public may read now, if built."""
    return visibility.current_public_document(kind=PublishedDocument.Kind.STRATEGY, strategy_version=version)


@register.simple_tag
def strategy_latest_document(version):
    """For the secretariat: the latest PDF asked for a version, whatever its state."""
    return PublishedDocument.objects.filter(strategy_version=version).defer("text").order_by("-created_at").first()
