"""The agenda as the secretariat's page of a meeting shows it (meetings/staff/meeting.html):
each item with its papers, their versions, the papers tabled there again, and the links that
change each of them.

An agenda of a dozen items links some two hundred pages. Written in the template, each link
looked up its route and three or four arguments, and each paper asked its item, then itself,
for its papers and versions again: the agenda cost about a quarter of the page. Here each route is
reversed once (`core.urls.row_urls`) and each list is read once, so the template only writes
what the rows hold."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch

from core.urls import row_urls

from . import presenters
from .consultations import attach_reused, reuses_papers
from .models import AgendaItem, Consideration, Meeting, Paper, PaperVersion

# Named apart from `presenters.PaperRow` and its kin, the public agenda's rows, which carry what
# a reader sees of a paper; these carry what the secretariat changes.


@dataclass(frozen=True)
class WorkspaceVersion:
    version: PaperVersion
    url: str


@dataclass(frozen=True)
class WorkspacePaper:
    """A paper tabled at the item: its current version and that version's link, its versions
    when it has been replaced (newest first), and the links to replace it, change it and follow
    its path."""

    paper: Paper
    current: PaperVersion
    url: str
    versions: list[WorkspaceVersion]
    replace_url: str
    edit_url: str
    path_url: str


@dataclass(frozen=True)
class WorkspaceReusedPaper:
    """A paper tabled elsewhere and considered at the item, with the links to record the
    outcome here and to follow its path."""

    consideration: Consideration
    url: str
    outcome_url: str
    path_url: str


@dataclass(frozen=True)
class WorkspaceItem:
    item: AgendaItem
    papers: list[WorkspacePaper]
    reused: list[WorkspaceReusedPaper]
    exemption_url: str
    upload_url: str
    reuse_url: str
    edit_url: str
    move_url: str
    withdraw_url: str
    remove_url: str


def workspace_agenda(meeting: Meeting, items: list[AgendaItem]) -> list[WorkspaceItem]:
    """The rows of `items` (the meeting's items in order, with their papers and all of each
    paper's versions prefetched, newest first, and the papers tabled again attached as `reused`, as
    `consultations.attach_reused` does). No query."""
    slug, meeting_pk = meeting.partnership.slug, meeting.pk
    url = {
        name: row_urls(f"meetings:{name}")
        for name in (
            "paper",
            "staff_paper_replace",
            "staff_paper_edit",
            "staff_paper_path",
            "staff_paper_upload",
            "staff_paper_reuse",
            "staff_consideration",
            "staff_exemption_item",
            "staff_item_edit",
            "staff_item_move",
            "staff_item_withdraw",
            "staff_item_remove",
        )
    }

    def paper_row(paper: Paper) -> WorkspacePaper:
        versions = list(paper.versions.all())
        # The current version is one of them: read with them, not joined to the paper again.
        current = next((version for version in versions if version.pk == paper.current_version_id), None)
        current = current or paper.current_version
        # A paper never replaced lists no versions: its link is the paper's.
        if len(versions) < 2:
            versions = []
        return WorkspacePaper(
            paper=paper,
            current=current,
            url=url["paper"](current.token),
            versions=[WorkspaceVersion(version, url["paper"](version.token)) for version in versions],
            replace_url=url["staff_paper_replace"](slug, meeting_pk, paper.pk),
            edit_url=url["staff_paper_edit"](slug, meeting_pk, paper.pk),
            path_url=url["staff_paper_path"](slug, meeting_pk, paper.pk),
        )

    def reused_row(consideration: Consideration) -> WorkspaceReusedPaper:
        return WorkspaceReusedPaper(
            consideration=consideration,
            url=url["paper"](consideration.paper.current_version.token),
            outcome_url=url["staff_consideration"](slug, meeting_pk, consideration.pk),
            path_url=url["staff_paper_path"](slug, meeting_pk, consideration.paper_id),
        )

    return [
        WorkspaceItem(
            item=item,
            papers=[paper_row(paper) for paper in item.papers.all()],
            reused=[reused_row(consideration) for consideration in item.reused],
            exemption_url=url["staff_exemption_item"](slug, item.pk),
            upload_url=url["staff_paper_upload"](slug, meeting_pk, item.pk),
            reuse_url=url["staff_paper_reuse"](slug, meeting_pk, item.pk),
            edit_url=url["staff_item_edit"](slug, meeting_pk, item.pk),
            move_url=url["staff_item_move"](slug, meeting_pk, item.pk),
            withdraw_url=url["staff_item_withdraw"](slug, meeting_pk, item.pk),
            remove_url=url["staff_item_remove"](slug, meeting_pk, item.pk),
        )
        for item in items
    ]


class WorkspaceAgenda:
    """The agenda of the secretariat's page of `meeting`, each part read when the page first
    shows it: a part the page keeps between requests (`{% workspace_fragment %}`) is then not read
    at all, and the standard items still missing are read only while the agenda is a draft."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting

    @cached_property
    def items(self) -> list[AgendaItem]:
        versions = PaperVersion.objects.select_related("uploaded_by").order_by("-number")
        # Each paper's current version is one of its versions (`workspace_agenda` finds it there).
        papers = Paper.objects.prefetch_related(Prefetch("versions", queryset=versions))
        items = list(
            self.meeting.agenda_items.order_by("position")
            .annotate(reuses_papers=reuses_papers())
            .prefetch_related(Prefetch("papers", queryset=papers.order_by("position", "pk")))
        )
        # Papers tabled elsewhere and considered here too, as the meeting's members read them.
        attach_reused(items, reader=True)
        return items

    @cached_property
    def rows(self) -> list[WorkspaceItem]:
        return workspace_agenda(self.meeting, self.items)

    @cached_property
    def missing_standard(self) -> list[str]:
        # Only the items' titles and marks are needed: read alone when the agenda was kept.
        items = self.__dict__.get("items")
        if items is None:
            items = self.meeting.agenda_items.only("meeting", "standard", "title")
        return presenters.missing_standard_items(items)

    @cached_property
    def supplements(self):
        return presenters.agenda_supplements([self.meeting], reader=True)[self.meeting.pk]
