"""Pages and responses shared by the workspace and the public site."""

import hashlib

from django.http import FileResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings.validators import download_filename

from ..diff import versions_compare
from ..forms import CompareForm


def compare_page(request, partnership, versions, crumbs, *, public: bool):
    """Two of `versions` side by side: those chosen in the query string, else the two newest."""
    by_number = {version.number: version for version in versions}
    initial = {"old": versions[1].number, "new": versions[0].number} if len(versions) >= 2 else {}
    chosen = "old" in request.GET or "new" in request.GET
    form = CompareForm(request.GET if chosen else None, versions=versions, initial=initial)
    diff = None
    if chosen and form.is_valid():
        diff = versions_compare(by_number[form.cleaned_data["old"]], by_number[form.cleaned_data["new"]])
    elif not chosen and initial:
        diff = versions_compare(by_number[initial["old"]], by_number[initial["new"]])
    if diff is not None:
        _write_cells(diff)
    context = {"partnership": partnership, "versions": versions, "form": form, "diff": diff, "public": public}
    return render(request, "strategy/compare.html", {**context, "crumbs": crumbs})


# A changed passage in each version's column, marked for the eye and named for screen readers.
_REMOVED = (
    '<del class="portal-del"><span class="nhsuk-u-visually-hidden">removed: </span>{}'
    '<span class="nhsuk-u-visually-hidden"> (end of removal)</span></del>'
)
_ADDED = (
    '<ins class="portal-ins"><span class="nhsuk-u-visually-hidden">added: </span>{}'
    '<span class="nhsuk-u-visually-hidden"> (end of addition)</span></ins>'
)


def _write_cells(diff) -> None:
    """Gives each line of `diff` its two cells as escaped HTML (`old_cell`, `new_cell`): a
    comparison runs to hundreds of passages, and the template's loop and test on each cost more
    than the rest of the page."""
    for part in [diff.introduction, *diff.sections, *diff.priorities]:
        for row in part.rows:
            if row.old:
                row.old_cell = _cell(row.old, "removed", _REMOVED)
            if row.new:
                row.new_cell = _cell(row.new, "added", _ADDED)


def _cell(fragments, change: str, markup: str) -> str:
    """The fragments of one side of a line, those that are `change` wrapped in `markup`."""
    return mark_safe(  # noqa: S308 - every text is escaped here, and the markup is ours
        "".join(
            markup.format(escape(fragment.text)) if fragment.change == change else escape(fragment.text)
            for fragment in fragments
        )
    )


def evidence_etag(evidence) -> str:
    """The stored file's SHA-256; for a file recorded before we kept that, a hash of its
    storage name (a replacement file is stored under a new name)."""
    return f'"{evidence.sha256 or hashlib.sha256(evidence.file.name.encode()).hexdigest()}"'


def evidence_response(evidence) -> FileResponse:
    """An evidence PDF as a download: always an attachment, named after its title, as
    application/pdf with nosniff (set here too, whatever the middleware settings), so no
    browser renders an uploaded file as anything else. Caching is the caller's choice."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=download_filename(evidence.title, default="evidence"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = evidence_etag(evidence)
    return response
