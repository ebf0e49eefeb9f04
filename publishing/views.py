import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from meetings.access import meeting_for_staff
from meetings.http import cache_privately, cache_publicly
from meetings.validators import download_filename
from membership.permissions import MANAGE, partnership_for_user

from . import services, status, visibility
from .forms import SearchForm
from .models import PublishedDocument
from .own_pack import own_members_pack
from .search import Found, search_published


def download(request, token):
    """A published PDF, to whoever `visibility.readable_by` allows now; 404 to anyone else,
    so that its existence is not revealed. A public document that no longer matches its
    source (superseded) sends the public to the current one, if there is one yet."""
    document = (
        PublishedDocument.objects.select_related("partnership", "meeting__partnership", "minutes__meeting__partnership")
        .filter(token=token, status=PublishedDocument.Status.DONE)
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    if (own := own_members_pack(request, document)) is not None:
        return own
    if not visibility.readable_by(document, request.user):
        current = _current_replacement(document)
        if current is None:
            raise Http404("No such document.")
        return redirect(current.get_absolute_url())
    etag = f'"{document.sha256}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = FileResponse(
            document.file.open("rb"),
            content_type="application/pdf",
            filename=download_filename(document.filename),
            as_attachment=False,
        )
    response["ETag"] = etag
    if not document.is_for_the_public or request.user.is_authenticated:
        # Members' material, or anything a signed-in reader gets: never kept by a shared cache.
        cache_privately(response, store=False)
    else:
        # Public now, but it can be superseded at any moment: caches must revalidate each use.
        cache_publicly(response, revalidate=True)
    return response


def _current_replacement(document):
    """For a public document that is no longer current: the one that replaces it, if it is
    built (asking for it if nobody has); None when its subject is not public any more."""
    if not document.is_for_the_public or document.meeting is None:
        return None
    if not document.meeting.is_public:
        return None
    services.documents_refresh(meeting=document.meeting)
    return visibility.current_public_document(kind=document.kind, meeting=document.meeting)


def search(request):
    """Public full-text search of everything published, filtered and paginated, led by the
    systems a place name points to; never anything exempt."""
    form = SearchForm(request.GET)
    found = Found()
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        filters = form.filters()
        # The systems lead the first page of an unfiltered search: a filtered one is about papers.
        first_page = request.GET.get("page", "1") == "1"
        found = search_published(query, filters, with_systems=first_page and not filters.any)
    form.offer(found.results)
    page = Paginator(found.results, 20).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "query": query,
        "found": found,
        "page": page,
        "searched": "q" in request.GET,
        "filtered": any(request.GET.get(name) for name in ("kind", "partnership", "system", "start", "end")),
    }
    return render(request, "publishing/search.html", context, status=200 if form.is_valid() else 400)


@login_required
def jobs(request, slug):
    """Staff view of a partnership's publication jobs: status, timings and errors."""
    partnership = partnership_for_user(request, slug, MANAGE)
    # Only what the rows show (not the text extracted for search: a page of fifty documents would
    # read all of it to show none).
    documents = partnership.published_documents.values(*status.JOB_FIELDS).order_by("-created_at")

    # Read when the template first asks for it, and not at all when the page keeps the list
    # between requests (`{% workspace_fragment %}`).
    @functools.cache
    def listing():
        page = Paginator(documents, 50).get_page(request.GET.get("page"))
        return {"page": page, "jobs": status.jobs(page)}

    return render(request, "publishing/jobs.html", {"partnership": partnership, "listing": listing})


@login_required
@require_POST
def retry(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    document = get_object_or_404(partnership.published_documents, pk=pk)
    services.document_retry(document=document, user=request.user)
    messages.success(request, f"“{document.title}” has been queued to be built again.")
    # Back to the page the button was on (the meeting's), if it is one of ours.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(back)
    return redirect("publishing:jobs", slug=partnership.slug)


@login_required
def meeting_documents(request, slug, pk):
    """A meeting's PDFs and how their builds are getting on. The staff meeting page includes the
    same fragment; its script asks for `?fragment=1` while anything builds, to update in place.
    Without JavaScript this page is where the secretariat checks."""
    meeting = meeting_for_staff(request, slug, pk)
    documents = status.meeting_documents(meeting)
    context = {
        "partnership": meeting.partnership,
        "meeting": meeting,
        "documents": documents,
        "building": status.any_building(documents),
        "back": reverse("meetings:staff_meeting", args=[slug, meeting.pk]) + "#documents",
    }
    if request.GET.get("fragment"):
        response = render(request, "publishing/_meeting_documents.html", context)
    else:
        context["crumbs"] = [
            ("Your partnerships", reverse("workspace:home")),
            (meeting.partnership.name, reverse("workspace:dashboard", args=[slug])),
            (meeting.title, context["back"]),
        ]
        response = render(request, "publishing/meeting_documents.html", context)
    response["Cache-Control"] = "no-store"
    return response
