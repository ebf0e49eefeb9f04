"""The world the security tests run in: partnership A with a sub-partnership and an
unrelated partnership B, one of everything their URLs point at, and the cast of actors.

Everything is made with the project's factories and services; the PDFs (agenda packs,
minutes, the strategy) are built by the real publishing pipeline, Celery running eagerly.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import override_settings
from django.utils import timezone

from meetings import record_services
from meetings import services as meeting_services
from meetings.factories import ActionFactory, DecisionFactory, MeetingFactory, minimal_pdf
from meetings.models import Declaration, MeetingSeries
from meetings.record import members_at
from membership.factories import (
    ChairAppointmentFactory,
    InterestFactory,
    MembershipFactory,
    PersonFactory,
    SecretariatAssignmentFactory,
    UserFactory,
)
from membership.permissions import permissions_sync
from partnerships.factories import OrganisationFactory, PartnershipFactory
from partnerships.models import Partnership, Place
from publishing import services as publishing
from publishing.models import PublishedDocument
from strategy.factories import (
    EngagementActivityFactory,
    EvidenceFactory,
    OutcomeMeasureFactory,
    PriorityFactory,
    SectionFactory,
    StrategyVersionFactory,
)
from strategy.models import PriorityLink, Strategy, StrategyVersion

STATIC_FILES = "django.contrib.staticfiles.storage.StaticFilesStorage"


def pdf_upload(text: str, name: str = "paper.pdf") -> SimpleUploadedFile:
    """An uploaded PDF whose text layer says `text`."""
    return SimpleUploadedFile(name, minimal_pdf(text), "application/pdf")


def days_from_now(days: int, hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def current_document(meeting, kind: str) -> PublishedDocument:
    """The meeting's built document of `kind` that nothing has superseded."""
    return PublishedDocument.objects.get(meeting=meeting, kind=kind, status="done", superseded_by__isnull=True)


@dataclass
class Side:
    """One partnership and one of everything its URLs point at."""

    partnership: Partnership
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


ALL_DOCUMENTS, PACKS, NO_DOCUMENTS = "all", "packs", "none"


def build_side(partnership: Partnership, *, label: str, version_base: int = 0, documents: str, capture) -> Side:
    """Meetings in every state, papers in every state, the record, people and terms, and the
    strategy in draft and published, for `partnership`.

    `documents` says which PDFs the real pipeline builds (each takes a good part of a
    second): ALL_DOCUMENTS (packs before and after a paper is replaced, a private session's
    packs, minutes, the strategy), PACKS (the current packs of the next meeting) or
    NO_DOCUMENTS. `capture` runs the builds enqueued on commit (pytest-django's
    django_capture_on_commit_callbacks or TestCase.captureOnCommitCallbacks)."""
    every = documents == ALL_DOCUMENTS
    o = {}
    p = partnership
    p.terms_of_reference.save("terms.pdf", ContentFile(minimal_pdf(f"Terms of reference {label}")))

    # People and terms the workspace pages point at.
    o["person"] = PersonFactory(given_name=f"Pat{label}", family_name="Member", phone="01234 567890")
    o["membership"] = MembershipFactory(partnership=p, person=o["person"])
    # A place of the system with its public page (issue 15).
    o["place"] = Place.objects.create(ics=p.ics, name=f"Place {label}", slug=f"place-{label}".lower())
    o["chair_appointment"] = ChairAppointmentFactory(
        partnership=p, person=PersonFactory(given_name=f"Val{label}", family_name="Vice"), role="vice_chair"
    )
    o["secretariat_assignment"] = SecretariatAssignmentFactory(partnership=p, user=UserFactory())
    o["organisation"] = OrganisationFactory(name=f"Partner {label}", added_for=p)
    o["interest"] = InterestFactory(person=o["person"])
    o["series"] = MeetingSeries.objects.create(
        partnership=p, title="Quarterly board", first_date=timezone.localdate(), start_time=dt.time(14)
    )

    # The next public meeting: a published agenda with a public item (a public paper, a
    # restricted paper and a paper replaced after publication) and an exempt item.
    meeting = MeetingFactory(partnership=p, title=f"Board {label}", starts_at=days_from_now(40))
    public_item = meeting_services.agenda_item_add(
        meeting=meeting, actor=None, title="Winter plan", presenter="Director"
    )
    exempt_item = meeting_services.agenda_item_add(
        meeting=meeting,
        actor=None,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercially sensitive.",
    )
    o.update(meeting=meeting, public_item=public_item, exempt_item=exempt_item)
    o["public_paper"] = meeting_services.paper_upload(
        item=public_item, actor=None, title="Winter plan", file=pdf_upload(f"Winter plan {label}")
    )
    o["restricted_paper"] = meeting_services.paper_upload(
        item=public_item, actor=None, title="Rates appendix", file=pdf_upload(f"Rates {label}"), restricted=True
    )
    o["replaced_paper"] = meeting_services.paper_upload(
        item=public_item, actor=None, title="Finance report", file=pdf_upload(f"Finance v1 {label}")
    )
    o["exempt_paper"] = meeting_services.paper_upload(
        item=exempt_item, actor=None, title="Tender scores", file=pdf_upload(f"Tender {label}")
    )
    meeting_services.agenda_publish(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    if every:
        with capture(execute=True):
            publishing.agenda_pack_request(meeting=meeting)
        o["old_agenda_pack"] = current_document(meeting, "agenda_pack")
    o["old_version"] = o["replaced_paper"].current_version
    meeting_services.paper_replace(
        paper=o["replaced_paper"], actor=None, file=pdf_upload(f"Finance v2 {label}"), reason="Corrected figures."
    )
    o["replaced_paper"].refresh_from_db()
    if documents != NO_DOCUMENTS:
        with capture(execute=True):
            publishing.agenda_pack_request(meeting=meeting)
        o["agenda_pack"] = current_document(meeting, "agenda_pack")
        o["members_pack"] = current_document(meeting, "members_pack")

    # A private session with a published agenda, and a public meeting whose agenda is not published.
    private = MeetingFactory(
        partnership=p, title=f"Chief executives {label}", starts_at=days_from_now(41), is_public=False
    )
    private_item = meeting_services.agenda_item_add(meeting=private, actor=None, title="Away day")
    o["private_paper"] = meeting_services.paper_upload(
        item=private_item, actor=None, title="Away day notes", file=pdf_upload(f"Away day {label}")
    )
    meeting_services.agenda_publish(meeting=private, actor=None)
    private.refresh_from_db()
    o["private_meeting"] = private
    if every:
        with capture(execute=True):
            publishing.agenda_pack_request(meeting=private)
        # A private session should have no public pack at all; probe the one it has, if
        # any, else its members' pack.
        o["private_pack"] = (
            PublishedDocument.objects.filter(meeting=private, status="done").order_by("kind", "-pk").first()
        )
    unpublished = MeetingFactory(partnership=p, title=f"Extra board {label}", starts_at=days_from_now(42))
    unpublished_item = meeting_services.agenda_item_add(meeting=unpublished, actor=None, title="Estates")
    o["unpublished_paper"] = meeting_services.paper_upload(
        item=unpublished_item, actor=None, title="Estates plan", file=pdf_upload(f"Estates {label}")
    )
    o.update(unpublished_meeting=unpublished, unpublished_item=unpublished_item)

    # The record: a meeting held a month ago whose approved minutes are being corrected, a
    # meeting held two days ago with published draft minutes, and one with no minutes yet.
    earlier = MeetingFactory(partnership=p, title=f"Board held {label}", starts_at=days_from_now(-30), status="held")
    past_item = meeting_services.agenda_item_add(meeting=earlier, actor=None, title="Budget")
    past_exempt_item = meeting_services.agenda_item_add(
        meeting=earlier, actor=None, title="Estates sale", is_exempt=True, exempt_paragraph=3, exempt_reason="Price."
    )
    meeting_services.agenda_publish(meeting=earlier, actor=None, late_reason="The budget could not wait.")
    earlier.refresh_from_db()
    # Recorded before the minutes are published, so that the minutes document prints them.
    o["decision"] = DecisionFactory(meeting=earlier, agenda_item=past_item, reference=f"{label}/1")
    o["exempt_decision"] = DecisionFactory(meeting=earlier, agenda_item=past_exempt_item, reference=f"{label}/2")
    o["action"] = ActionFactory(meeting=earlier, agenda_item=past_item)
    o["declaration"] = Declaration.objects.create(
        meeting=earlier, agenda_item=past_item, person=o["person"], description="Trustee of a charity."
    )
    later = MeetingFactory(partnership=p, title=f"Board later {label}", starts_at=days_from_now(-2), status="held")
    later_item = meeting_services.agenda_item_add(meeting=later, actor=None, title="Minutes of the last meeting")
    first = record_services.minutes_start_draft(meeting=earlier, actor=None)
    for item in (past_item, past_exempt_item):
        record_services.minutes_update_entry(
            minutes=first, agenda_item=item, discussion="Discussed.", resolutions="", actor=None
        )
    record_services.minutes_publish_draft(minutes=first, actor=None)
    # A meeting approves minutes only with its attendance recorded and a quorum: every member came.
    record_services.attendance_record(
        meeting=later,
        entries=[record_services.AttendanceEntry(person=m.person, status="present") for m in members_at(later)],
        actor=None,
    )
    record_services.minutes_approve(minutes=first, approving_meeting=later, actor=None)
    first.refresh_from_db()
    if every:
        with capture(execute=True):
            o["minutes_document"] = publishing.minutes_document_request(minutes=first)
    o["minutes_draft"] = record_services.minutes_correct(minutes=first, reason="A name was wrong.", actor=None)
    o["minutes_approved"] = first
    second = record_services.minutes_start_draft(meeting=later, actor=None)
    record_services.minutes_update_entry(
        minutes=second, agenda_item=later_item, discussion="Approved.", resolutions="", actor=None
    )
    record_services.minutes_publish_draft(minutes=second, actor=None)
    second.refresh_from_db()
    o["minutes_published_draft"] = second
    # Never built: the failed document a secretariat can retry.
    failed = publishing.minutes_document_request(minutes=second)
    PublishedDocument.objects.filter(pk=failed.pk).update(status=PublishedDocument.Status.FAILED, error="Broken.")
    o["failed_document"] = failed
    early = MeetingFactory(partnership=p, title=f"Board long ago {label}", starts_at=days_from_now(-60), status="held")
    meeting_services.agenda_item_add(meeting=early, actor=None, title="Welcome")
    o.update(past_meeting=earlier, later_meeting=later, early_meeting=early, past_item=past_item)

    # The strategy: a published version and a draft of the next one.
    strategy = Strategy.objects.create(partnership=p)
    published = StrategyVersionFactory(
        strategy=strategy,
        number=version_base + 1,
        status=StrategyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        adopted_by_decision=o["decision"],
    )
    o["evidence_cited"] = EvidenceFactory(strategy=strategy, title=f"JSNA {label}")
    o["evidence_cited"].file.save("jsna.pdf", ContentFile(minimal_pdf(f"JSNA {label}")))
    o["evidence_uncited"] = EvidenceFactory(strategy=strategy, title=f"Draft data {label}")
    o["evidence_uncited"].file.save("data.pdf", ContentFile(minimal_pdf(f"Draft data {label}")))
    SectionFactory(version=published, title="Our population").evidence.add(o["evidence_cited"])
    o["published_priority"] = PriorityFactory(version=published, title="Start well")
    OutcomeMeasureFactory(priority=o["published_priority"])
    draft = StrategyVersionFactory(strategy=strategy, number=version_base + 2, based_on=published)
    o["section"] = SectionFactory(version=draft, title="Our population")
    o["priority"] = PriorityFactory(version=draft, title="Start well", key=o["published_priority"].key)
    o["priority"].evidence.add(o["evidence_uncited"])
    o["measure"] = OutcomeMeasureFactory(priority=o["priority"])
    o["engagement"] = EngagementActivityFactory(version=draft)
    o["link"] = PriorityLink.objects.create(priority=o["priority"], agenda_item=past_item)
    o.update(strategy=strategy, published_version=published, draft_version=draft)
    if every:
        with capture(execute=True):
            o["strategy_document"] = publishing.strategy_document_request(version=published)
    return Side(partnership=p, objects=o)


# Who may do what, as the rules say (not as the code computes it).
READ, MANAGE, APPROVE = "read", "manage", "approve"
# The portal administrator's own right: creating partnerships (membership.onboarding).
ADMINISTER = "administer"


@dataclass(frozen=True)
class Scenario:
    """An actor acting on one partnership (`target` is "a" or "sub")."""

    name: str
    user: str | None  # key in world.users; None is anonymous
    target: str
    rights: frozenset = frozenset()


SCENARIOS = [
    Scenario("anonymous", None, "a"),
    Scenario("member of A", "member_a", "a", frozenset({READ})),
    Scenario("member of B", "member_b", "a"),
    Scenario("member of A whose term ended yesterday", "ex_member_a", "a"),
    Scenario("secretariat of A", "secretariat_a", "a", frozenset({READ, MANAGE})),
    Scenario("secretariat of B", "secretariat_b", "a"),
    Scenario("secretariat of A's sub-partnership, on A", "secretariat_sub", "a"),
    Scenario("secretariat of A, on A's sub-partnership", "secretariat_a", "sub"),
    Scenario("secretariat of the sub-partnership, on it", "secretariat_sub", "sub", frozenset({READ, MANAGE})),
    Scenario("chair of A", "chair_a", "a", frozenset({READ, APPROVE})),
    Scenario("co-chair of A", "co_chair_a", "a", frozenset({READ, APPROVE})),
    # A vice-chair sits as a member too: reads what members read, approves nothing.
    Scenario("vice-chair of A", "vice_chair_a", "a", frozenset({READ})),
    Scenario("observer of A", "observer_a", "a"),
    Scenario("portal administrator", "admin", "a", frozenset({READ, MANAGE, APPROVE, ADMINISTER})),
]


def build_cast(a: Partnership, sub: Partnership, b: Partnership) -> dict:
    """The actors' accounts, with their terms, and permissions synced."""
    today = timezone.localdate()
    users = {}

    def member(key, partnership, **kwargs):
        users[key] = UserFactory(username=key)
        MembershipFactory(partnership=partnership, person=PersonFactory(user=users[key]), **kwargs)

    member("member_a", a)
    member("member_b", b)
    member("ex_member_a", a, start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=1))
    member("observer_a", a, role="observer")
    for key, partnership in (("secretariat_a", a), ("secretariat_b", b), ("secretariat_sub", sub)):
        users[key] = UserFactory(username=key)
        SecretariatAssignmentFactory(partnership=partnership, user=users[key])
    for key, role in (("chair_a", "chair"), ("co_chair_a", "co_chair"), ("vice_chair_a", "vice_chair")):
        users[key] = UserFactory(username=key)
        ChairAppointmentFactory(partnership=a, person=PersonFactory(user=users[key]), role=role)
    MembershipFactory(partnership=a, person=users["vice_chair_a"].person)
    users["admin"] = UserFactory(username="admin", is_staff=True, is_superuser=True)
    for partnership in (a, sub, b):
        permissions_sync(partnership)
    return users


def build_world(capture) -> SimpleNamespace:
    """Partnership A, its sub-partnership, an unrelated
    partnership B, one of everything for each, and the cast of actors."""
    a = PartnershipFactory()
    sub = PartnershipFactory(
        ics=a.ics, parent=a, kind=Partnership.Kind.AREA, name=f"{a.name} North", slug=f"{a.slug}-north"
    )
    b = PartnershipFactory()
    users = build_cast(a, sub, b)
    return SimpleNamespace(
        a=build_side(a, label="A", documents=ALL_DOCUMENTS, capture=capture),
        sub=build_side(sub, label="S", documents=PACKS, capture=capture),
        # B's strategy versions are numbered apart from A's, so that B's numbers under A's
        # address name nothing of A's.
        b=build_side(b, label="B", version_base=10, documents=NO_DOCUMENTS, capture=capture),
        users=users,
    )


def built_once(build, django_db_blocker, tmp_path_factory):
    """For a module-scoped fixture: run `build(capture)` once, inside a transaction that is
    rolled back when the module is done, as Django's TestCase does for setUpTestData. Each
    test then runs in a savepoint of its own (pytest-django's `db`), so tests cannot see
    each other's changes. Yields (what `build` returned, the media directory its files are
    in); a test fixture puts that directory back in MEDIA_ROOT, which conftest resets per test."""
    from django.test import TestCase

    from icp_portal.celery import app

    media = tmp_path_factory.mktemp("security-media")
    overrides = override_settings(
        MEDIA_ROOT=media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        STORAGES={**django_settings.STORAGES, "staticfiles": {"BACKEND": STATIC_FILES}},
    )
    overrides.enable()
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    outer = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            try:
                built = build(partial(TestCase.captureOnCommitCallbacks, using=DEFAULT_DB_ALIAS))
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield built, media
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    finally:
        app.conf.task_always_eager = eager
        overrides.disable()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from built_once(build_world, django_db_blocker, tmp_path_factory)


@pytest.fixture
def world(shared_world, db, settings):
    """The shared world, in this test's own savepoint, with its files where they were written."""
    world, media = shared_world
    settings.MEDIA_ROOT = media
    return world
