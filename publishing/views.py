from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from membership.permissions import MANAGE, VIEW_EXEMPT, partnership_for_user, user_can

from . import services
from .models import PublishedDocument
from .search import search_published


def download(request, pk):
    """A published PDF. Public documents to anyone; a members' pack only to those who
    may read exempt papers (404 to anyone else, so its existence is not revealed)."""
    document = get_object_or_404(
        PublishedDocument.objects.select_related("partnership", "superseded_by"), pk=pk, status="done"
    )
    if not document.is_public and not user_can(request.user, VIEW_EXEMPT, document.partnership):
        raise Http404("No such document.")
    etag = f'"{document.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(document.file.open("rb"), content_type="application/pdf", filename=document.filename)
    response["ETag"] = etag
    if document.is_public:
        # Each document version has its own URL and never changes once built.
        response["Cache-Control"] = "public, max-age=86400"
    else:
        response["Cache-Control"] = "private, no-store"
    return response


def search(request):
    """Public full-text search of everything published; never anything exempt."""
    query = request.GET.get("q", "").strip()[:200]
    results = search_published(query) if query else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "publishing/search.html", {"query": query, "page": page, "searched": "q" in request.GET})


@login_required
def jobs(request, slug):
    """Staff view of a partnership's publication jobs: status, timings and errors."""
    partnership = partnership_for_user(request, slug, MANAGE)
    documents = partnership.published_documents.select_related("meeting", "requested_by").order_by("-created_at")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "publishing/jobs.html", {"partnership": partnership, "page": page})


@login_required
@require_POST
def retry(request, slug, pk):
    partnership = partnership_for_user(request, slug, MANAGE)
    document = get_object_or_404(partnership.published_documents, pk=pk)
    services.document_retry(document=document, user=request.user)
    messages.success(request, f"“{document.title}” has been queued to be built again.")
    return redirect("publishing:jobs", slug=partnership.slug)
