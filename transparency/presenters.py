"""What the scorecard's pages and files say about a stored row: the measures behind each
figure (for the drill-down pages), the columns of the CSV and JSON, and figures in words."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from . import measures as m
from .models import ScorecardRow


def _date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%-d %B %Y") if iso else ""


def _agenda_detail(f: dict) -> str:
    if f["agenda"] == m.NO_DEADLINE:
        return "Recorded after the meeting: no deadline"
    if f["agenda"] == m.NOT_PUBLISHED:
        return f"Not published (due by {_date(f['agenda_deadline'])})"
    word = "on time" if f["agenda"] == m.ON_TIME else "late"
    return f"Published {_date(f['agenda_published_on'])}, {word} (due by {_date(f['agenda_deadline'])})"


def _draft_detail(f: dict) -> str:
    if f["draft_on"] is None:
        return f"Not published (due by {_date(f['draft_due'])})"
    days = f["draft_days"]
    late = ", late" if f["draft_late"] else ""
    return (
        f"Published {_date(f['draft_on'])}: {days} working day{'s' if days != 1 else ''}"
        f"{late} (due by {_date(f['draft_due'])})"
    )


def _approved_detail(f: dict) -> str:
    days = f["approved_days"]
    return f"Approved {_date(f['approved_on'])}: {days} working day{'s' if days != 1 else ''}"


def _papers_detail(f: dict) -> str:
    n = f["papers"]
    return f"{n} paper{'s' if n != 1 else ''} published" if n else "No papers published"


def _exempt_detail(f: dict) -> str:
    return f"{f['exempt_items']} exempt of {f['items']} item{'s' if f['items'] != 1 else ''}"


@dataclass(frozen=True)
class Measure:
    slug: str
    title: str  # "Meetings held in public"
    column: str  # the heading of its detail column
    counts: Callable[[dict], bool]  # which meetings' facts it counts
    detail: Callable[[dict], str]


def _held(test):
    return lambda f: f["held"] and test(f)


MEASURES = {
    measure.slug: measure
    for measure in [
        Measure("public-meetings", "Meetings held in public", "Agenda", _held(lambda f: True), _agenda_detail),
        Measure(
            "cancelled-meetings",
            "Public meetings cancelled or postponed",
            "Status",
            lambda f: not f["held"],
            lambda f: "Cancelled or postponed",
        ),
        Measure(
            "agendas-on-time",
            "Agendas published on time",
            "Agenda",
            _held(lambda f: f["agenda"] == m.ON_TIME),
            _agenda_detail,
        ),
        Measure(
            "agendas-late",
            "Agendas published late or not at all",
            "Agenda",
            _held(lambda f: f["agenda"] in (m.LATE, m.NOT_PUBLISHED)),
            _agenda_detail,
        ),
        Measure(
            "draft-minutes",
            "Working days from meeting to draft minutes",
            "Draft minutes",
            _held(lambda f: True),
            _draft_detail,
        ),
        Measure(
            "draft-minutes-late",
            "Draft minutes published late or not at all",
            "Draft minutes",
            _held(lambda f: f["draft_late"]),
            _draft_detail,
        ),
        Measure(
            "approved-minutes",
            "Working days from meeting to approved minutes",
            "Approved minutes",
            _held(lambda f: f["approved_days"] is not None),
            _approved_detail,
        ),
        Measure("papers", "Meetings with papers published", "Papers", _held(lambda f: True), _papers_detail),
        Measure("exempt-items", "Exempt items", "Items", _held(lambda f: f["items"] > 0), _exempt_detail),
    ]
}


def measure_rows(row: ScorecardRow, measure: Measure) -> dict[int, str]:
    """The meetings `measure` counted in `row`, by id, with what it counted of each."""
    return {int(pk): measure.detail(f) for pk, f in row.evidence.items() if measure.counts(f)}


def strategy_age_months(row: ScorecardRow) -> int | None:
    """Whole months from the current version's publication to the end of the period."""
    published, end = row.strategy_published_on, row.period_end
    if published is None:
        return None
    months = (end.year - published.year) * 12 + end.month - published.month
    return max(0, months - (end.day < published.day))


def age(row: ScorecardRow) -> str:
    months = strategy_age_months(row)
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


# The open-data table: one record per system, the same figures as the page, in this order.
COLUMNS = [
    "region",
    "system",
    "system_slug",
    "partnership",
    "partnership_url",
    "period_start",
    "period_end",
    "computed_at",
    "public_meetings",
    "cancelled_meetings",
    "agendas_on_time",
    "agendas_late",
    "agendas_not_published",
    "agendas_no_deadline",
    "draft_minutes",
    "draft_minutes_late",
    "median_working_days_to_draft_minutes",
    "approved_minutes",
    "median_working_days_to_approved_minutes",
    "meetings_with_papers",
    "items",
    "exempt_items",
    "strategy_version",
    "strategy_published_on",
    "strategy_age_months",
    "strategy_review_due",
    "strategy_review_due_since",
    "latest_publication_at",
    "latest_publication_kind",
    "latest_publication_title",
    "latest_publication_url",
]


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def open_data_record(row: ScorecardRow, absolute: Callable[[str], str]) -> dict:
    """The row as the CSV and JSON give it; `absolute` makes a path a full address."""
    partnership = row.partnership
    has = partnership is not None
    record = {
        "region": row.system.region.name,
        "system": row.system.name,
        "system_slug": row.system.slug,
        "partnership": partnership.name if has else None,
        "partnership_url": absolute(partnership.get_absolute_url()) if has else None,
        "period_start": _iso(row.period_start),
        "period_end": _iso(row.period_end),
        "computed_at": _iso(row.computed_at),
        "public_meetings": row.public_meetings if has else None,
        "cancelled_meetings": row.cancelled_meetings if has else None,
        "agendas_on_time": row.agendas_on_time if has else None,
        "agendas_late": row.agendas_late if has else None,
        "agendas_not_published": row.agendas_not_published if has else None,
        "agendas_no_deadline": row.agendas_no_deadline if has else None,
        "draft_minutes": row.draft_minutes if has else None,
        "draft_minutes_late": row.draft_minutes_late if has else None,
        "median_working_days_to_draft_minutes": _number(row.median_days_to_draft) if has else None,
        "approved_minutes": row.approved_minutes if has else None,
        "median_working_days_to_approved_minutes": _number(row.median_days_to_approved) if has else None,
        "meetings_with_papers": row.meetings_with_papers if has else None,
        "items": row.items if has else None,
        "exempt_items": row.exempt_items if has else None,
        "strategy_version": None,
        "strategy_published_on": None,
        "strategy_age_months": None,
        "strategy_review_due": None,
        "strategy_review_due_since": None,
        "latest_publication_at": None,
        "latest_publication_kind": None,
        "latest_publication_title": None,
        "latest_publication_url": None,
    }
    if has and row.strategy_published_on:
        record |= {
            "strategy_version": row.strategy_version,
            "strategy_published_on": _iso(row.strategy_published_on),
            "strategy_age_months": strategy_age_months(row),
            "strategy_review_due": row.strategy_review_due,
            "strategy_review_due_since": _iso(row.strategy_review_due_since),
        }
    if has and row.latest_publication_at:
        record |= {
            "latest_publication_at": _iso(row.latest_publication_at),
            "latest_publication_kind": row.latest_publication_kind,
            "latest_publication_title": row.latest_publication_title,
            "latest_publication_url": absolute(row.latest_publication_path),
        }
    return record


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
