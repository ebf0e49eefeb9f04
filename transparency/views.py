"""The national transparency scorecard: the table, its methodology, the meetings behind each
figure, and the same table as CSV and JSON. Every view reads stored rows (`ScorecardRow`):
nothing is counted in a request."""

import csv
import io

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from meetings.http import public_page
from meetings.models import Meeting
from partnerships.access import public_partnership_or_404
from partnerships.models import Partnership

from . import presenters
from .models import ScorecardRow

PAGE_SIZE = 50

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rows():
    """The latest computation's rows. Whether a row's partnership, and the meeting of its latest
    publication, are public is asked now, in the same query (`public()`), not taken from when the
    row was computed."""
    return (
        ScorecardRow.objects.latest_period()
        .select_related("system__region", "partnership")
        .annotate(
            partnership_public=Exists(Partnership.objects.public().filter(pk=OuterRef("partnership_id"))),
            latest_meeting_public=Exists(Meeting.objects.public().filter(pk=OuterRef("latest_publication_meeting_id"))),
        )
        .order_by("system__name")
    )


def _visible(rows) -> list[ScorecardRow]:
    """A row whose partnership the public may no longer see reads as a system without one."""
    rows = list(rows)
    for row in rows:
        if not row.partnership_public:
            row.partnership = None
        if row.latest_publication_meeting_id and not row.latest_meeting_public:
            # Its meeting was made private since: nothing of it is shown until the next computation.
            row.latest_publication_at = None
            row.latest_publication_kind = row.latest_publication_title = row.latest_publication_path = ""
    return rows


def _crumbs(*extra):
    return [("Home", reverse("home")), *extra]


@public_page
def scorecard(request):
    """Every statutory ICP side by side over the last 12 months, as last computed."""
    rows = _visible(_rows())
    for row in rows:
        row.strategy_age = presenters.age(row)
    context = {
        "rows": rows,
        "first": rows[0] if rows else None,
        "crumbs": _crumbs(),
    }
    return render(request, "transparency/scorecard.html", context)


@public_page
def methodology(request):
    return render(
        request,
        "transparency/methodology.html",
        {"crumbs": _crumbs(("Transparency scorecard", reverse("transparency:scorecard")))},
    )


@public_page
def measure(request, slug, measure):
    """The meetings behind one figure of one partnership's row."""
    chosen = presenters.MEASURES.get(measure)
    if chosen is None:
        raise Http404("No such measure.")
    partnership = public_partnership_or_404(slug)
    # Sub-partnerships are not compared: their page says so rather than pretend nothing was computed.
    compared = partnership.kind == Partnership.Kind.STATUTORY_ICP
    row = _rows().filter(partnership=partnership).first() if compared else None
    details = presenters.measure_rows(row, chosen) if row else {}
    # Read through `public()` now: a meeting made private since the computation is not listed.
    meetings = (
        Meeting.objects.public().filter(partnership=partnership, pk__in=details).order_by("starts_at", "pk")
        if details
        else Meeting.objects.none()
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    for meeting in page:
        meeting.partnership = partnership
        meeting.scorecard_detail = details[meeting.pk]
    context = {
        "partnership": partnership,
        "row": row,
        "compared": compared,
        "measure": chosen,
        "page": page,
        "crumbs": _crumbs(("Transparency scorecard", reverse("transparency:scorecard"))),
    }
    return render(request, "transparency/measure.html", context)


def _records(request):
    return [presenters.open_data_record(row, request.build_absolute_uri) for row in _visible(_rows())]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@public_page
def scorecard_csv(request):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(presenters.COLUMNS)
    for record in _records(request):
        writer.writerow([_cell(record[column]) for column in presenters.COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transparency-scorecard.csv"'
    return response


@public_page
def scorecard_json(request):
    records = _records(request)
    body = {
        "methodology": request.build_absolute_uri(reverse("transparency:methodology")),
        "period_start": records[0]["period_start"] if records else None,
        "period_end": records[0]["period_end"] if records else None,
        "computed": bool(records),
        "systems": records,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
