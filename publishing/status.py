"""How a meeting's PDFs are getting on, for the secretariat: building, ready or failed; and the
rows of the partnership's publications page.

The secretariat publishes; the documents are built in the background (publishing.services). Its
meeting page shows, for each kind of document of the meeting, the state of the latest one asked
for, and a page that polls (static/js/document-status.mjs) updates it when the builds finish.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import filesizeformat, floatformat, pluralize
from django.utils.timezone import localtime

from core.dates import short_date
from core.urls import row_url

from .models import PUBLIC_KINDS, PublishedDocument

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
    # A pack's text (for search) can be long, and the secretariat's page never shows it.
    documents = {
        document.kind: document
        for document in PublishedDocument.objects.filter(meeting=meeting, pk=Subquery(latest))
        .select_related("minutes")
        .defer("text")
    }
    waiting = [document.kind for document in documents.values() if document.status != Status.DONE]
    current = {}
    if waiting:
        current = {
            document.kind: document
            for document in PublishedDocument.objects.filter(
                meeting=meeting, kind__in=waiting, status=Status.DONE, superseded_by__isnull=True
            ).defer("text")
        }
    return [
        DocumentState(documents[kind], current.get(kind) if documents[kind].status != Status.DONE else None)
        for kind in ORDER
        if kind in documents
    ]


def any_building(states: list[DocumentState]) -> bool:
    return any(state.state == "building" for state in states)


# The tag colour of each status on the publications page; waiting and being built are blue.
JOB_COLOURS = {Status.DONE: "green", Status.FAILED: "red"}
# Status(...).label looks the member up by value on every call.
JOB_LABELS = dict(Status.choices)

# What the publications page shows of a document and of the account that asked for it, read as
# values, which cost less than two objects a row: not the paths, fingerprints and tasks of the
# build, nor the account's password and contact details.
JOB_FIELDS = (
    "pk",
    "kind",
    "title",
    "token",
    "status",
    "error",
    "attempts",
    "page_count",
    "size",
    "superseded_by",
    "created_at",
    "started_at",
    "finished_at",
    "requested_by",
    "requested_by__username",
    "requested_by__first_name",
    "requested_by__last_name",
)


@dataclass(frozen=True)
class Job:
    """A row of the publications page: a document and its build, with what the page writes of
    them formatted here once, not by filters and lookups on each of its fifty rows."""

    pk: int
    title: str
    url: str  # the PDF's, once built
    members_only: bool
    replaced: bool
    label: str
    colour: str
    # Why the build failed, or empty.
    error: str
    failed: bool
    requested: str  # "1 Dec 2026, 14:05"
    requested_by: str  # the name of the account that asked for it, or empty
    took: str  # "2.5 s", or "–" before the build has finished
    pages: str  # "12 pages, 1.2 MB", once built
    attempts: int


def jobs(documents) -> list[Job]:
    """The publications page's rows for `documents`, read as `.values(*JOB_FIELDS)`."""
    rows = []
    for document in documents:
        status = document["status"]
        done = status == Status.DONE
        requested = localtime(document["created_at"])
        started, finished = document["started_at"], document["finished_at"]
        duration = PublishedDocument.build_time(started, finished)
        # What User.get_full_name() writes, or the username without one.
        requester = f"{document['requested_by__first_name']} {document['requested_by__last_name']}".strip()
        rows.append(
            Job(
                pk=document["pk"],
                title=document["title"],
                url=row_url("publishing:download", document["token"]) if done else "",
                members_only=document["kind"] not in PUBLIC_KINDS,
                replaced=document["superseded_by"] is not None,
                label=JOB_LABELS[status],
                colour=JOB_COLOURS.get(status, "blue"),
                error=document["error"],
                failed=status == Status.FAILED,
                requested=f"{short_date(requested.date())}, {requested:%H:%M}",
                requested_by=(requester or document["requested_by__username"]) if document["requested_by"] else "",
                took=f"{floatformat(duration.total_seconds(), 1)} s" if duration else "–",
                pages=f"{document['page_count']} page{pluralize(document['page_count'])}, "
                f"{filesizeformat(document['size'])}"
                if done
                else "",
                attempts=document["attempts"],
            )
        )
    return rows
