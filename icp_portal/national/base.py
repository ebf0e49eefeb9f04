"""Shared pieces of the national-scale generator: the plan, the report, small helpers."""

import datetime as dt
import hashlib
import math
import random
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from meetings import deadlines
from meetings.models import (
    Meeting,
    Minutes,
    PaperVersion,
)
from membership.models import Membership
from partnerships.models import Organisation, Partnership
from publishing.models import PublishedDocument

PREFIX = "national-"
SHARED_PAPER_NAME = "national/shared-paper.pdf"
LONDON = ZoneInfo("Europe/London")
BATCH = 1000

# The design size (scale 1).
SYSTEMS = 42
PARTNERSHIPS = 60
PEOPLE = 10_000
MEETINGS = 5_000
YEARS = 15

SECTOR = Organisation.Sector
KIND = Partnership.Kind


class ReferenceDataMissing(Exception):
    """England's systems and boards have not been loaded (manage.py load_reference_data)."""


@dataclass(frozen=True)
class Plan:
    """How much to generate. `for_scale(1)` is the design size; tests build tiny plans."""

    systems: int
    partnerships: int
    people: int
    meetings: int
    years: int = YEARS
    items_per_meeting: int = 12  # on average; 8 to 16
    papers_per_item: float = 2.5
    exempt_share: float = 0.05
    upcoming_per_partnership: int = 3
    secretariat: bool = True

    @classmethod
    def for_scale(cls, scale: float, **options) -> "Plan":
        """The design size times `scale`. Below 1 fewer systems and partnerships are used,
        but each keeps the depth of history it has at full size (about 83 meetings and 166
        people), so pages show what they would show nationally."""
        if scale <= 0:
            raise ValueError("The scale must be greater than 0.")
        systems = min(SYSTEMS, max(1, math.ceil(SYSTEMS * scale)))
        partnerships = max(systems, round(PARTNERSHIPS * scale))
        upcoming = options.get("upcoming_per_partnership", cls.upcoming_per_partnership)
        return cls(
            systems=systems,
            partnerships=partnerships,
            people=max(partnerships * 10, round(PEOPLE * scale)),
            meetings=max(partnerships * (upcoming + 2), round(MEETINGS * scale)),
            **options,
        )


@dataclass
class Seat:
    title: str
    sector: str
    organisation_id: int | None
    is_voting: bool = True
    role: str = Membership.Role.MEMBER


@dataclass
class Term:
    """A generated membership, kept in memory for attendance and chairs."""

    seat_index: int
    person_id: int
    start: dt.date
    end: dt.date | None


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    batch: int = 1

    def add(self, kind: str, number: int) -> None:
        self.created[kind] += number


def bulk(model, rows: list, report: Report, kind: str | None = None) -> list:
    """bulk_create in batches; the rows get their primary keys (PostgreSQL and SQLite return them)."""
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH)
        report.add(kind or model._meta.verbose_name_plural, len(rows))
    return rows


@contextmanager
def explicit_timestamps():
    """Let generated rows carry their historical creation and change times.

    `auto_now`/`auto_now_add` would stamp 15 years of meetings and papers with today's date (and
    make every historic paper look "added after the agenda was published"). They are switched off
    for the duration of the generation only; this runs in a management command or a test, on one
    thread."""
    fields = [
        Meeting._meta.get_field("created_at"),
        Meeting._meta.get_field("updated_at"),
        PaperVersion._meta.get_field("uploaded_at"),
        Minutes._meta.get_field("created_at"),
        PublishedDocument._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def shared_paper() -> tuple[str, int, str]:
    """The one PDF every generated paper version points at: (storage name, size, sha256)."""
    from meetings.factories import minimal_pdf

    content = minimal_pdf("Synthetic paper (generated national-scale data)")
    if not default_storage.exists(SHARED_PAPER_NAME):
        name = default_storage.save(SHARED_PAPER_NAME, ContentFile(content))
    else:
        name = SHARED_PAPER_NAME
    return name, len(content), hashlib.sha256(content).hexdigest()


def generated_batches() -> int:
    """How many batches of generated data the database holds."""
    if not Partnership.objects.filter(slug__startswith=PREFIX).exists():
        return 0
    batch = 1
    while Partnership.objects.filter(slug__startswith=f"{PREFIX}b{batch + 1}-").exists():
        batch += 1
    return batch


def batch_prefix(batch: int) -> str:
    return PREFIX if batch == 1 else f"{PREFIX}b{batch}-"


def at_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def working_day(day: dt.date, forward: bool = True) -> dt.date:
    step = dt.timedelta(days=1 if forward else -1)
    while not deadlines.is_working_day(day):
        day += step
    return day


def random_uuid(rng: random.Random, batch: int) -> uuid.UUID:
    """A random (version 4) UUID from the seeded generator, different in each batch (calendar
    UIDs are unique, and a second batch may use the same seed)."""
    return uuid.UUID(int=rng.getrandbits(128) ^ ((batch - 1) * 0x9E3779B97F4A7C15), version=4)
