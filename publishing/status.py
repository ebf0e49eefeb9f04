"""How a meeting's PDFs are getting on, for the secretariat: building, ready or failed.

The secretariat publishes; the documents are built in the background (publishing.services). Its
meeting page shows, for each kind of document of the meeting, the state of the latest one asked
for, and a page that polls (static/js/document-status.mjs) updates it when the builds finish.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from .models import PublishedDocument

Status = PublishedDocument.Status

# The three states the secretariat needs, and their NHS.UK tag colours.
STATES = {
    Status.PENDING: ("building", "Building", "blue"),
    Status.RUNNING: ("building", "Building", "blue"),
    Status.DONE: ("ready", "Ready", "green"),
    Status.FAILED: ("failed", "Failed", "red"),
}
# Agenda packs first, then minutes: the order of the meeting cycle.
ORDER = [
    PublishedDocument.Kind.AGENDA_PACK,
    PublishedDocument.Kind.MEMBERS_PACK,
    PublishedDocument.Kind.MINUTES,
]


@dataclass(frozen=True)
class DocumentState:
    document: PublishedDocument
    # The current ready document of the same kind while a newer one builds or failed: still the
    # one readers get, so the secretariat may open it meanwhile.
    previous: PublishedDocument | None

    @property
    def state(self) -> str:
        return STATES[self.document.status][0]

    @property
    def label(self) -> str:
        return STATES[self.document.status][1]

    @property
    def colour(self) -> str:
        return STATES[self.document.status][2]


def meeting_documents(meeting) -> list[DocumentState]:
    """The latest document of each kind asked for `meeting`, with the ready one it will
    replace. Two queries, whatever the number of documents built over time."""
    latest = (
        PublishedDocument.objects.filter(meeting=meeting, kind=OuterRef("kind"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    documents = {
        document.kind: document
        for document in PublishedDocument.objects.filter(meeting=meeting, pk=Subquery(latest)).select_related("minutes")
    }
    waiting = [document.kind for document in documents.values() if document.status != Status.DONE]
    current = {}
    if waiting:
        current = {
            document.kind: document
            for document in PublishedDocument.objects.filter(
                meeting=meeting, kind__in=waiting, status=Status.DONE, superseded_by__isnull=True
            )
        }
    return [
        DocumentState(documents[kind], current.get(kind) if documents[kind].status != Status.DONE else None)
        for kind in ORDER
        if kind in documents
    ]


def any_building(states: list[DocumentState]) -> bool:
    return any(state.state == "building" for state in states)
