"""Public meeting pages and paper downloads.

Anyone may read these. They read through the `public()` querysets: meetings held in
public, agendas once published, papers that are neither exempt nor restricted. A member,
chair or member of the secretariat (VIEW_EXEMPT) also sees private sessions and exempt
items' papers, clearly marked. Anything a visitor may not see is a 404, never a 403, so
that its existence is not revealed.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response

from core.views import public_crumbs
from meetings import consultations, presenters
from meetings.access import can_read_exempt, meeting_for_reader, papers_withheld_from
from meetings.conflicts import withhold_papers
from meetings.http import cache_for_reader, cache_privately, public_page
from meetings.meeting_rows import PUBLIC_MEETING_ROW_FIELDS, public_meeting_rows
from meetings.models import Meeting, Paper, PaperVersion, upcoming_and_past
from meetings.record import public_record
from meetings.validators import download_filename
from partnerships.access import public_partnership_or_404
from partnerships.models import Partnership

PAGE_SIZE = 20


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    # isascii: "²".isdigit() is true, but int("²") is an error.
    if not (raw.isascii() and raw.isdigit()) or not 1900 <= int(raw) <= 2999:
        raise Http404("No such year.")
    return int(raw)


@public_page
def meeting_list(request, slug):
    """Upcoming meetings, then past meetings newest first, by year, 20 to a page."""
    partnership = public_partnership_or_404(slug)
    reader = can_read_exempt(request.user, partnership)
    meetings = partnership.meetings.all() if reader else Meeting.objects.public().filter(partnership=partnership)
    meetings = meetings.only(*PUBLIC_MEETING_ROW_FIELDS).order_by("-starts_at", "-pk")
    upcoming, past = upcoming_and_past(list(meetings), timezone.now())
    years = sorted({timezone.localtime(meeting.starts_at).year for meeting in past}, reverse=True)
    year = _year(request)
    if year is not None:
        past = [meeting for meeting in past if timezone.localtime(meeting.starts_at).year == year]
    try:
        page = Paginator(past, PAGE_SIZE).page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    page.object_list = public_meeting_rows(page.object_list, partnership.slug)
    context = {
        "partnership": partnership,
        "upcoming": public_meeting_rows(upcoming, partnership.slug),
        "past": page,
        "pagination": presenters.pagination(page, request.GET),
        "years": years,
        "year": year,
        "can_read_exempt": reader,
        "crumbs": public_crumbs(partnership),
    }
    return render(request, "meetings/public/list.html", context)


@public_page
def meeting_detail(request, slug, pk):
    """A meeting: when and where, its status and notice, and its agenda once published."""
    meeting, reader = meeting_for_reader(request, slug, pk)
    partnership = meeting.partnership
    items = presenters.published_agenda_items([meeting], reader=reader)[meeting.pk]
    agenda = presenters.agenda_rows(meeting, items, reader=reader)
    if reader and agenda:
        # Exempt papers the partnership's conflicts policy withholds from this member.
        withheld = papers_withheld_from(request.user, meeting)
        versions = {w.paper.current_version_id for w in withheld.values()}
        agenda = [withhold_papers(row, versions) for row in agenda]
    # A published agenda's items are all the meeting's items: the record need not read them again.
    record = public_record(meeting, include_exempt=reader, agenda=items if meeting.agenda_is_published else None)
    context = {
        "meeting": meeting,
        "partnership": partnership,
        "agenda": agenda,
        "paper_pages": consultations.paper_pages(items, partnership),
        "supplements": presenters.agenda_supplements([meeting], reader=reader)[meeting.pk],
        "minutes_timeliness": presenters.minutes_timeliness(meeting, versions=record.published_versions),
        "can_read_exempt": reader,
        "today": timezone.localdate(),
        "record": record,
        "crumbs": public_crumbs(partnership, ("Meetings", reverse("meetings:list", kwargs={"slug": partnership.slug}))),
    }
    return render(request, "meetings/public/meeting.html", context)


@public_page
def paper_page(request, slug, pk):
    """A paper and its path: each body that considered it, in turn, with the role it had there
    and the outcome (`meetings.consultations`). The public see a public paper and the steps the
    public may see; members of the partnership that tabled it also its exempt papers, and the
    steps at their own partnerships' items. Anything else is a 404."""
    found = consultations.paper_for_reader(request.user, slug, pk)
    if found is None:
        raise Http404("No such paper.")
    paper, members_only = found
    tabled_at = paper.agenda_item.meeting
    partnership = tabled_at.partnership
    version = paper.current_version
    context = {
        "paper": paper,
        "partnership": partnership,
        "tabled_at": tabled_at,
        "members_only": members_only,
        "version": version,
        "download_url": version.get_absolute_url(),
        "path": consultations.path_for_reader(paper, request.user),
        "crumbs": public_crumbs(
            partnership,
            ("Meetings", reverse("meetings:list", kwargs={"slug": partnership.slug})),
            (str(tabled_at), tabled_at.get_absolute_url()),
        ),
    }
    return render(request, "meetings/public/paper.html", context)


def _version_for(request, token) -> tuple[PaperVersion, bool]:
    """The version `token` and whether it is public. The public get only the current version
    of a paper in Paper.objects.public(); readers of the partnership get any version."""
    # A token names one version, so the public paper is read without an order: `first()` would
    # sort by the meeting, item and paper, which PostgreSQL spends longer planning, over these
    # joins, than finding the row (on every download).
    public = list(
        Paper.objects.public()
        .filter(current_version__token=token, agenda_item__meeting__partnership__in=Partnership.objects.public())
        .select_related("current_version")
        .order_by()[:1]
    )
    if public:
        return public[0].current_version, True
    if request.user.is_authenticated:
        version = (
            PaperVersion.objects.select_related("paper__agenda_item__meeting__partnership").filter(token=token).first()
        )
        if version is not None and can_read_exempt(request.user, version.paper.agenda_item.meeting.partnership):
            return version, False
    raise Http404("No such paper.")


def paper_download(request, token):
    """The PDF of a paper version, with its original file name. ETag is its SHA-256. A member
    withheld the paper because of an interest is told so (403), not sent it."""
    version, is_public = _version_for(request, token)
    if not is_public:
        meeting = version.paper.agenda_item.meeting
        withholding = papers_withheld_from(request.user, meeting).get(version.paper_id)
        if withholding is not None:
            context = {"withholding": withholding, "meeting": meeting, "partnership": meeting.partnership}
            response = render(request, "meetings/conflicts/paper_withheld.html", context, status=403)
            return cache_privately(response, store=False)
    etag = f'"{version.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = FileResponse(
            version.file.open("rb"),
            content_type="application/pdf",
            filename=download_filename(version.original_filename),
            # Uploaded by someone else: saved, not opened inside the portal's origin.
            as_attachment=True,
        )
    response["ETag"] = etag
    if not is_public:
        # Exempt, restricted, unpublished or superseded: never kept by any cache.
        cache_privately(response, store=False)
    else:
        # A paper can be restricted or replaced at any time: caches must ask again each time.
        cache_for_reader(request, response, revalidate=True)
        # The page cache keeps where the file is, so that the next anonymous request for it,
        # until anything public changes, is sent the file without the query above.
        response.stored_file_name = version.file.name
    return response
