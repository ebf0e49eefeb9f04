"""The secretariat's exemption pages: every exemption of the partnership with its review date
(those due or overdue first), and one page per exemption to extend or release it.

Loaded through `partnership_for_staff` (MANAGE on the partnership: 403 without it), then
the item or paper through that partnership, so an id of another partnership is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core.views import handle_form
from meetings import exemptions, presenters
from meetings.access import partnership_for_staff
from meetings.exemption_forms import ExtendExemptionForm, ReleaseExemptionForm
from meetings.models import AgendaItem, Paper

from .staff import meetings_crumb, staff_crumbs

PAGE_SIZE = 50


def _list_url(partnership) -> str:
    return reverse("meetings:staff_exemptions", kwargs={"slug": partnership.slug})


@login_required
def exemption_list(request, slug):
    """Every exemption of the partnership: due and overdue reviews first, then the rest by
    review date, then those released."""
    partnership = partnership_for_staff(request, slug)
    today = timezone.localdate()
    rows = exemptions.exemptions_of(partnership)
    due = [row for row in rows if row.status(today) in {"due", "overdue"}]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "partnership": partnership,
        "due": [(row, row.status(today), exemptions.STATUS_TAGS[row.status(today)]) for row in due],
        "rows": [(row, row.status(today), exemptions.STATUS_TAGS[row.status(today)]) for row in page],
        "page": page,
        "pagination": presenters.pagination(page, request.GET),
        "notice_days": exemptions.NOTICE_DAYS,
        "crumbs": staff_crumbs(partnership, meetings_crumb(partnership)),
    }
    return render(request, "meetings/staff/exemptions.html", context)


def _exemption_page(request, partnership, *, item: AgendaItem | None = None, paper: Paper | None = None):
    row = exemptions.of_item(item) if item is not None else exemptions.of_paper(paper)
    target = {"item": item} if item is not None else {"paper": paper}
    action = request.POST.get("action") if request.method == "POST" else None
    extend_form = ExtendExemptionForm(request.POST if action == "extend" else None)
    release_form = ReleaseExemptionForm(request.POST if action == "release" else None, partnership=partnership)
    form = {"extend": extend_form, "release": release_form}.get(action)

    def change():
        if action == "extend":
            exemptions.exemption_extend(
                actor=request.user,
                review_on=form.cleaned_data["review_on"],
                reason=form.cleaned_data["reason"],
                **target,
            )
            return f"Exemption extended: {row.title}. It is next reviewed by the new date."
        # The release announces itself (core.events.exemption_released); publishing builds the new pack.
        exemptions.exemption_release(
            actor=request.user,
            reason=form.cleaned_data["reason"],
            decision=form.cleaned_data["decision"],
            determination=form.cleaned_data["determination"],
            **target,
        )
        return f"Released: {row.title}. The public agenda and pack now include it."

    # A POST without a known action binds neither form, so it only shows the page again.
    return handle_form(
        request,
        form if form is not None else extend_form,
        on_valid=change,
        success=lambda message: message,
        redirect_to=request.path,
        template="meetings/staff/exemption.html",
        context=lambda: _exemption_context(partnership, row, item, paper, extend_form, release_form, form),
    )


def _exemption_context(partnership, row, item, paper, extend_form, release_form, form) -> dict:
    today = timezone.localdate()
    status = row.status(today)
    what = item or paper
    return {
        "partnership": partnership,
        "row": row,
        "status": status,
        "tag": exemptions.STATUS_TAGS[status],
        "extensions": what.exemption_extensions.select_related("extended_by"),
        "release": row.release,
        "extend_form": extend_form,
        "release_form": release_form,
        "errors": presenters.error_summary(form) if form is not None else [],
        "may_release": row.meeting.is_public and row.meeting.agenda_is_published,
        "item_withheld": paper is not None and paper.agenda_item.is_withheld,
        "crumbs": staff_crumbs(partnership, meetings_crumb(partnership), ("Exemptions", _list_url(partnership))),
    }


@login_required
def exemption_item(request, slug, pk):
    """An exempt item: its exemption, review date and history; extend or release it."""
    partnership = partnership_for_staff(request, slug)
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__partnership", "exemption_release__decision__meeting"),
        pk=pk,
        meeting__partnership=partnership,
        is_exempt=True,
    )
    return _exemption_page(request, partnership, item=item)


@login_required
def exemption_paper(request, slug, pk):
    """A restricted paper: its exemption, review date and history; extend or release it."""
    partnership = partnership_for_staff(request, slug)
    paper = get_object_or_404(
        Paper.objects.select_related(
            "agenda_item__meeting__partnership",
            "agenda_item__exemption_release",
            "exemption_release__decision__meeting",
        ),
        pk=pk,
        agenda_item__meeting__partnership=partnership,
        restricted=True,
    )
    return _exemption_page(request, partnership, paper=paper)
