"""Adding many members at once from a CSV file: upload, preview, confirm."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.views import posted
from partnerships.models import Organisation

from .. import services
from ..imports import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    import_applied,
    import_rows_check,
    rows_from_upload,
)
from ..models import Membership
from ..permissions import MANAGE, partnership_for_user
from ..workspace_forms import ImportUploadForm
from ._common import _crumbs, _dashboard, _uploaded


def _import_key(partnership) -> str:
    return f"membership-import-{partnership.pk}"


@login_required
def import_upload(request, slug):
    """Step 1 of the bulk import: upload a CSV file. The rows wait in the session (never on
    disk) until they are confirmed or cancelled."""
    partnership = partnership_for_user(request, slug, MANAGE)
    form = ImportUploadForm(posted(request), _uploaded(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = rows_from_upload(upload)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[_import_key(partnership)] = {
                "token": uuid.uuid4().hex,
                "file_name": upload.name[:200],
                "rows": rows,
            }
            return redirect("workspace:import_preview", slug=partnership.slug)
    context = {
        "partnership": partnership,
        "form": form,
        "columns": COLUMNS,
        "roles": Membership.Role.choices,
        "sectors": Organisation.Sector.choices,
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_FILE_BYTES // 1024 // 1024,
        "crumbs": _crumbs(partnership),
    }
    return render(request, "membership/workspace/import_upload.html", context)


def _import_already_applied(request, partnership, key: str, token: str):
    """A second confirm of the same preview (a double click, another tab): say so, import nothing."""
    if request.session.get(key, {}).get("token") == token:
        request.session.pop(key)
    messages.info(request, "This import has already been applied. Nothing was imported again.")
    return _dashboard(partnership)


@login_required
def import_preview(request, slug):
    """Step 2: every row with its problems; confirming imports all the rows or none of them."""
    partnership = partnership_for_user(request, slug, MANAGE)
    key = _import_key(partnership)
    pending = request.session.get(key)
    problem = ""
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            request.session.pop(key, None)
            messages.info(request, "The import was cancelled. Nothing was imported.")
            return redirect("workspace:import_upload", slug=partnership.slug)
        token = request.POST.get("token", "")
        if token and import_applied(partnership=partnership, token=token):
            return _import_already_applied(request, partnership, key, token)
        if not pending or token != pending["token"]:
            messages.error(request, "That preview is out of date, so nothing was imported. Upload the file again.")
            return redirect("workspace:import_upload", slug=partnership.slug)
        try:
            result = services.membership_import(
                actor=request.user,
                partnership=partnership,
                rows=pending["rows"],
                file_name=pending["file_name"],
                token=token,
            )
        except services.ImportAlreadyApplied:
            return _import_already_applied(request, partnership, key, token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            request.session.pop(key, None)
            count = len(result.memberships)
            messages.success(
                request,
                f"{count} membership{'s' if count != 1 else ''} imported from {pending['file_name']}, "
                f"with {result.people_created} new {'person' if result.people_created == 1 else 'people'}.",
            )
            return _dashboard(partnership)
    rows = import_rows_check(partnership=partnership, rows=pending["rows"]) if pending else []
    bad = [row for row in rows if row.errors]
    context = {
        "partnership": partnership,
        "pending": pending,
        "rows": rows,
        "bad": bad,
        "problem": problem,
        "new_people": len({row.person_key for row in rows if row.person is None and not row.errors}),
        "crumbs": _crumbs(partnership, ("Import members", reverse("workspace:import_upload", args=[partnership.slug]))),
    }
    return render(request, "membership/workspace/import_preview.html", context)
