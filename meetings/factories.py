"""Factories for the meeting cycle; shared by tests and demo data."""

import datetime as dt
import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from partnerships.factories import PartnershipFactory

from .models import (
    Action,
    AgendaItem,
    Attendance,
    Consideration,
    Decision,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    PaperText,
    PaperVersion,
)


def minimal_pdf(text: str = "Paper") -> bytes:
    """A small valid one-page PDF whose text layer says `text` (for tests and generated data)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _next_month():
    start = timezone.localtime(timezone.now()).replace(hour=14, minute=0, second=0, microsecond=0)
    return start + dt.timedelta(days=30)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    # Numbered, so that two meetings made at the same default time are not the same meeting
    # (a partnership cannot have two meetings with one title starting together).
    title = factory.LazyAttributeSequence(lambda o, n: f"{o.partnership.name} meeting {n + 1}")
    starts_at = factory.LazyFunction(_next_month)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    venue = "Civic Centre, Council Chamber"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    purpose = AgendaItem.Purpose.DISCUSSION

    class Params:
        exempt = factory.Trait(
            is_exempt=True, exempt_paragraph=3, exempt_reason="Commercially sensitive contract terms."
        )


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper
        skip_postgeneration_save = True

    agenda_item = factory.SubFactory(AgendaItemFactory)
    title = factory.Sequence(lambda n: f"Report {n}")

    @factory.post_generation
    def with_file(paper, create, extracted, **kwargs):
        """Give the paper a first version holding a small PDF (pass with_file=False to skip)."""
        if not create or extracted is False:
            return
        content = minimal_pdf(paper.title)
        version = PaperVersion(
            paper=paper,
            number=1,
            original_filename="report.pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            page_count=1,
        )
        version.file.save("report.pdf", ContentFile(content), save=False)
        version.save()
        # What extraction finds in that PDF, as if it had run (search finds the paper by it).
        PaperText.objects.create(version=version, text=paper.title, extracted_at=timezone.now())
        paper.current_version = version
        paper.save(update_fields=["current_version"])

    @factory.post_generation
    def considered(paper, create, extracted, **kwargs):
        """Its consideration at the item it is tabled at, as `services.paper_upload` records it."""
        if create and extracted is not False:
            Consideration.first_at(paper)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory("membership.factories.PersonFactory")
    status = Attendance.Status.PRESENT


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)
    version = 1


class MinuteEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinuteEntry

    minutes = factory.SubFactory(MinutesFactory)
    agenda_item = factory.SubFactory(AgendaItemFactory, meeting=factory.SelfAttribute("..minutes.meeting"))
    discussion = "The partnership discussed the report."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    partnership = factory.SelfAttribute("meeting.partnership")
    wording = "The partnership agreed the recommendations of the report."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    partnership = factory.SelfAttribute("meeting.partnership")
    description = "Bring a progress report to the next meeting."
    owner_organisation = factory.SubFactory("partnerships.factories.OrganisationFactory")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
