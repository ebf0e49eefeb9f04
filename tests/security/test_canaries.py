"""Canaries: a unique string planted in every kind of private material, then looked for
everywhere the public (and a member of another partnership) can reach.

Planted, through the secretariat's own pages so that the real publishing pipeline builds
the PDFs: a private session (title, venue, item, presenter, paper, published minutes,
decision, action); an agenda published and then changed three ways (a paper restricted,
a paper replaced, an item made exempt), each leaving a superseded pack behind; exempt
items (presenter, public interest reason, paper title and text, minute, decision,
action); a restricted paper on a public item; draft minutes; an unpublished agenda; a
draft of the strategy; a person's email and phone.

Looked for: by crawling everything reachable from the home page, the partnerships'
pages, feeds and calendars (reading every PDF found), by asking for every document and
paper version directly, and by searching for each canary. Members of the partnership
see the canaries meant for them and the secretariat sees the rest, so the planting is
proven and the test cannot pass by looking in the wrong place.
"""

import re
import uuid
from collections import deque
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import record_services
from meetings import services as meeting_services
from meetings.factories import ActionFactory, DecisionFactory, MeetingFactory, minimal_pdf
from meetings.models import Consideration, Paper, PaperVersion
from membership.factories import MembershipFactory, PersonFactory, SecretariatAssignmentFactory, UserFactory
from membership.permissions import permissions_sync
from partnerships.factories import PartnershipFactory
from publishing import services as publishing
from publishing.models import PublishedDocument
from strategy.factories import PriorityFactory, SectionFactory, StrategyVersionFactory
from strategy.models import Strategy, StrategyVersion
from strategy.services.sections import section_add
from strategy.services.versions import version_new_draft

from .conftest import built_once, days_from_now
from .helpers import body, client_for, pdf_text, response_text, squeeze, url_for

# Each canary kind, and who may see it.
MEMBERS = "members"  # members of A (and its secretariat): never the public, never B
STAFF = "staff"  # A's secretariat only
GONE = "gone"  # was public, then withdrawn: the public must lose it (members may keep it)

KINDS = {
    "PRIVATE-TITLE": MEMBERS,
    "PRIVATE-VENUE": MEMBERS,
    "PRIVATE-ITEM": MEMBERS,
    "PRIVATE-PRESENTER": MEMBERS,
    "PRIVATE-PAPER": MEMBERS,
    "PRIVATE-MINUTES": MEMBERS,
    "PRIVATE-DECISION": MEMBERS,
    "PRIVATE-ACTION": MEMBERS,
    "EXEMPT-PRESENTER": MEMBERS,
    "EXEMPT-REASON": MEMBERS,
    "EXEMPT-PAPER-TITLE": MEMBERS,
    "EXEMPT-PAPER": MEMBERS,
    "EXEMPT-MINUTE": MEMBERS,
    "EXEMPT-DECISION": MEMBERS,
    "EXEMPT-ACTION": MEMBERS,
    "RESTRICTED-TITLE": MEMBERS,
    "RESTRICTED-PAPER": MEMBERS,
    "RESTRICTED-LATER-PAPER": GONE,
    "REPLACED-PAPER": GONE,
    "MADE-EXEMPT-PRESENTER": GONE,
    "MADE-EXEMPT-PAPER": GONE,
    "MADE-EXEMPT-REASON": MEMBERS,
    # A public paper tabled again at an exempt item and in a private session (meetings.consultations),
    # each step's outcome only for members; a restricted paper tabled again at a public item.
    "REUSED-EXEMPT-OUTCOME": MEMBERS,
    "REUSED-PRIVATE-OUTCOME": MEMBERS,
    "REUSED-RESTRICTED-OUTCOME": MEMBERS,
    "DRAFT-MINUTES": STAFF,
    "UNPUBLISHED-ITEM": STAFF,
    "UNPUBLISHED-PRESENTER": STAFF,
    "UNPUBLISHED-PAPER": STAFF,
    "DRAFT-SECTION": STAFF,
    "DRAFT-PRIORITY": STAFF,
    "EMAIL": STAFF,
    "PHONE": STAFF,
}


def _canaries() -> SimpleNamespace:
    # Upper case, digits and hyphens only: nothing HTML escapes, nothing a PDF turns into a ligature.
    return SimpleNamespace(
        **{kind.lower().replace("-", "_"): f"CANARY-{kind}-{uuid.uuid4().hex[:8].upper()}" for kind in KINDS}
    )


def _pdf(text: str, name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(text), "application/pdf")


def _posted(client, capture, name: str, kwargs: dict, data=None) -> None:
    """POST a secretariat form and run what it enqueued (the PDF builds); it must succeed."""
    with capture(execute=True):
        response = client.post(reverse(name, kwargs=kwargs), data or {})
    assert response.status_code == 302, f"{name} did not succeed: {response.status_code}"
    # A redirect to a form or a sign-in step is not success: the secretariat's pages send it on to the meeting.
    assert "/accounts/" not in response["Location"], f"{name} was sent to {response['Location']}"


def plant(capture) -> SimpleNamespace:
    """Partnership A with a canary in every kind of private material, partnership B, and
    the readers: A's secretariat, a member of A and a member of B. `capture` runs what is
    enqueued on commit (the PDF builds)."""
    c = _canaries()
    a, b = PartnershipFactory(), PartnershipFactory()
    users = SimpleNamespace(
        secretariat=UserFactory(username="secretariat_a"),
        member=UserFactory(username="member_a"),
        other_member=UserFactory(username="member_b"),
    )
    SecretariatAssignmentFactory(partnership=a, user=users.secretariat)
    MembershipFactory(partnership=a, person=PersonFactory(user=users.member))
    MembershipFactory(partnership=b, person=PersonFactory(user=users.other_member))
    # A member of A's, added by A's secretariat, with private contact details, on A's public page.
    person = PersonFactory(
        given_name="Robin", family_name="Contact", email=f"{c.email}@example.org", phone=c.phone, added_for=a
    )
    MembershipFactory(partnership=a, person=person)
    permissions_sync(a)
    permissions_sync(b)
    staff = client_for(users.secretariat)
    slug = a.slug

    # A private session, held ten days ago, with its agenda and minutes published.
    private = MeetingFactory(
        partnership=a,
        title=c.private_title,
        venue=c.private_venue,
        is_public=False,
        starts_at=days_from_now(-10),
        status="held",
    )
    private_item = meeting_services.agenda_item_add(
        meeting=private, actor=None, title=c.private_item, presenter=c.private_presenter
    )
    meeting_services.paper_upload(item=private_item, actor=None, title="Notes", file=_pdf(c.private_paper))
    _posted(staff, capture, "meetings:staff_publish", {"slug": slug, "pk": private.pk})
    minutes = record_services.minutes_start_draft(meeting=private, actor=None)
    record_services.minutes_update_entry(
        minutes=minutes, agenda_item=private_item, discussion=c.private_minutes, resolutions="", actor=None
    )
    _posted(staff, capture, "record:minutes_publish", {"slug": slug, "pk": private.pk, "version": minutes.version})
    DecisionFactory(meeting=private, agenda_item=private_item, wording=c.private_decision)
    ActionFactory(meeting=private, agenda_item=private_item, description=c.private_action)

    # The next public meeting: exempt and restricted material from the start, then three
    # changes after publication, each superseding the packs before it.
    board = MeetingFactory(partnership=a, title="Partnership board", starts_at=days_from_now(20))
    public_item = meeting_services.agenda_item_add(meeting=board, actor=None, title="Winter plan", presenter="Director")
    winter = meeting_services.paper_upload(
        item=public_item, actor=None, title="Winter plan", file=_pdf("The winter plan.")
    )
    restricted = meeting_services.paper_upload(
        item=public_item, actor=None, title=c.restricted_title, file=_pdf(c.restricted_paper), restricted=True
    )
    later_restricted = meeting_services.paper_upload(
        item=public_item, actor=None, title="Appendix D", file=_pdf(c.restricted_later_paper)
    )
    replaced = meeting_services.paper_upload(
        item=public_item, actor=None, title="Finance report", file=_pdf(c.replaced_paper)
    )
    exempt_item = meeting_services.agenda_item_add(
        meeting=board,
        actor=None,
        title="Contract award",
        presenter=c.exempt_presenter,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason=c.exempt_reason,
    )
    meeting_services.paper_upload(item=exempt_item, actor=None, title=c.exempt_paper_title, file=_pdf(c.exempt_paper))
    later_exempt = meeting_services.agenda_item_add(
        meeting=board, actor=None, title="Estates update", presenter=c.made_exempt_presenter
    )
    meeting_services.paper_upload(
        item=later_exempt, actor=None, title="Estates valuation", file=_pdf(c.made_exempt_paper)
    )
    board_kwargs = {"slug": slug, "pk": board.pk}
    _posted(staff, capture, "meetings:staff_publish", board_kwargs)
    first_pack = PublishedDocument.objects.get(meeting=board, kind="agenda_pack")
    replaced_version = replaced.current_version
    _posted(
        staff,
        capture,
        "meetings:staff_paper_edit",
        {**board_kwargs, "paper_pk": later_restricted.pk},
        {"title": "Appendix D", "restricted": "on", "change_reason": "It names individual patients."},
    )
    _posted(
        staff,
        capture,
        "meetings:staff_paper_replace",
        {**board_kwargs, "paper_pk": replaced.pk},
        {"file": _pdf("Finance report, corrected.", "finance-v2.pdf"), "reason": "Corrected figures."},
    )
    _posted(
        staff,
        capture,
        "meetings:staff_item_edit",
        {**board_kwargs, "item_pk": later_exempt.pk},
        {
            "title": "Estates update",
            "purpose": "discussion",
            "presenter": c.made_exempt_presenter,
            "is_exempt": "on",
            "exempt_paragraph": "3",
            "exempt_reason": c.made_exempt_reason,
            "change_reason": "Valuations are commercially sensitive.",
        },
    )

    # A public meeting held three weeks ago: published minutes with an exempt item's minute,
    # and the exempt item's decision and action.
    held = MeetingFactory(partnership=a, title="Board held", starts_at=days_from_now(-21), status="held")
    budget = meeting_services.agenda_item_add(meeting=held, actor=None, title="Budget")
    staffing = meeting_services.agenda_item_add(
        meeting=held, actor=None, title="Staffing", is_exempt=True, exempt_paragraph=1, exempt_reason="A person."
    )
    meeting_services.agenda_publish(meeting=held, actor=None, late_reason="The budget could not wait.")
    held_minutes = record_services.minutes_start_draft(meeting=held, actor=None)
    record_services.minutes_update_entry(
        minutes=held_minutes, agenda_item=budget, discussion="The budget was agreed.", resolutions="", actor=None
    )
    record_services.minutes_update_entry(
        minutes=held_minutes, agenda_item=staffing, discussion=c.exempt_minute, resolutions="", actor=None
    )
    _posted(staff, capture, "record:minutes_publish", {"slug": slug, "pk": held.pk, "version": held_minutes.version})
    decision = DecisionFactory(meeting=held, agenda_item=budget, wording="The budget was agreed.")
    DecisionFactory(meeting=held, agenda_item=staffing, wording=c.exempt_decision)
    ActionFactory(meeting=held, agenda_item=staffing, description=c.exempt_action)

    # One report through many bodies, through the secretariat's pages: the public winter plan tabled
    # again at the exempt item and in the private session, the restricted paper at the held meeting's
    # public item, each with an outcome whose note only members may read.
    steps = [
        ({"slug": slug, "pk": board.pk}, exempt_item, winter, c.reused_exempt_outcome),
        ({"slug": slug, "pk": private.pk}, private_item, winter, c.reused_private_outcome),
        ({"slug": slug, "pk": held.pk}, budget, restricted, c.reused_restricted_outcome),
    ]
    for kwargs, item, paper, outcome in steps:
        reuse = {"paper": paper.pk, "role": "decision", "change_reason": "Considered here as well."}
        _posted(staff, capture, "meetings:staff_paper_reuse", {**kwargs, "item_pk": item.pk}, reuse)
        step = Consideration.objects.get(paper=paper, agenda_item=item)
        result = {"role": "decision", "outcome": "agreed", "outcome_note": outcome}
        _posted(staff, capture, "meetings:staff_consideration", {**kwargs, "consideration_pk": step.pk}, result)

    # Draft minutes of a meeting held last week, and a meeting whose agenda is not published.
    draft_held = MeetingFactory(partnership=a, title="Board last week", starts_at=days_from_now(-7), status="held")
    performance = meeting_services.agenda_item_add(meeting=draft_held, actor=None, title="Performance")
    draft_minutes = record_services.minutes_start_draft(meeting=draft_held, actor=None)
    record_services.minutes_update_entry(
        minutes=draft_minutes, agenda_item=performance, discussion=c.draft_minutes, resolutions="", actor=None
    )
    unpublished = MeetingFactory(partnership=a, title="Extra board", starts_at=days_from_now(30))
    unpublished_item = meeting_services.agenda_item_add(
        meeting=unpublished, actor=None, title=c.unpublished_item, presenter=c.unpublished_presenter
    )
    unpublished_paper = meeting_services.paper_upload(
        item=unpublished_item, actor=None, title="Estates strategy", file=_pdf(c.unpublished_paper)
    )

    # Every version's text extracted, as after each upload commits (the uploads above outside
    # `capture` leave theirs queued), so search is tried on the text of every paper.
    for version in PaperVersion.objects.all():
        meeting_services.paper_version_extract_text(version=version)

    # The strategy: version 1 published (with its PDF), version 2 a draft with new text.
    strategy = Strategy.objects.create(partnership=a)
    published = StrategyVersionFactory(
        strategy=strategy,
        status=StrategyVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        adopted_by_decision=decision,
    )
    SectionFactory(version=published, title="Our population")
    PriorityFactory(version=published, title="Start well")
    with capture(execute=True):
        publishing.strategy_document_request(version=published)
    draft = version_new_draft(strategy=strategy, actor=users.secretariat)
    draft_section = section_add(version=draft, actor=users.secretariat, title="Housing", body=c.draft_section)
    PriorityFactory(version=draft, title=c.draft_priority)

    return SimpleNamespace(
        c=c,
        a=a,
        b=b,
        users=users,
        person=person,
        private=private,
        board=board,
        first_pack=first_pack,
        replaced_version=replaced_version,
        draft_held=draft_held,
        draft_minutes=draft_minutes,
        unpublished=unpublished,
        unpublished_paper=unpublished_paper,
        draft=draft,
        draft_section=draft_section,
    )


@pytest.fixture(scope="module")
def shared_planted(django_db_setup, django_db_blocker, tmp_path_factory):
    # Built once for the module: the pipeline builds a dozen PDFs.
    yield from built_once(plant, django_db_blocker, tmp_path_factory)


@pytest.fixture
def planted(shared_planted, db, settings):
    planted, media = shared_planted
    settings.MEDIA_ROOT = media
    return planted


# Reading what a reader can reach --------------------------------------------------------

LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
ABSOLUTE = re.compile(r"""https?://[^\s"'<>/]+(/[^\s"'<>#]*)""")
NOT_CRAWLED = ("/static/", "/admin/", "/accounts/", "/workspace/", "/media/")
CRAWL_LIMIT = 800


def _local(link: str, here: str) -> str | None:
    """The site path (with query) `link` points at, if it is on this site."""
    link = link.strip()
    if link.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(link)
    own_hosts = {"", "testserver", urlsplit(settings.SITE_URL).netloc}
    if parts.netloc not in own_hosts:
        return None
    path = parts.path or urlsplit(here).path
    if not path.startswith("/"):
        path = urlsplit(here).path.rsplit("/", 1)[0] + "/" + path
    if path.startswith(NOT_CRAWLED):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, start: list[str]) -> dict[str, tuple[int, str]]:
    """Every page, feed, calendar and file reachable from `start` by following this site's
    links (and redirects), as {address: (status, readable text)}."""
    queue, seen, pages = deque(start), set(start), {}
    while queue and len(pages) < CRAWL_LIMIT:
        address = queue.popleft()
        response = client.get(address)
        content = body(response)
        text = response_text(response, content)
        pages[address] = (response.status_code, text)
        links = []
        if response.status_code in (301, 302, 303, 307, 308):
            links.append(response["Location"])
        elif content[:5] != b"%PDF-":
            links += LINK.findall(text) + ABSOLUTE.findall(text)
        for link in links:
            local = _local(link, address)
            if local and local not in seen:
                seen.add(local)
                queue.append(local)
    assert len(pages) < CRAWL_LIMIT, "the crawl did not finish: raise CRAWL_LIMIT or bound it better"
    return pages


def _starts(world) -> list[str]:
    """The home page, each partnership's page, meetings, feeds and calendars, and the
    systems' calendars: the crawl's way in."""
    starts = ["/", reverse("publishing:search")]
    for partnership in (world.a, world.b):
        starts += [
            partnership.get_absolute_url(),
            reverse("meetings:list", args=[partnership.slug]),
            reverse("meetings:feed", args=[partnership.slug]),
            reverse("meetings:calendar", args=[partnership.slug]),
            reverse("meetings:system_calendar", args=[partnership.ics.slug]),
            reverse("record:public_decisions", args=[partnership.slug]),
            reverse("record:public_actions", args=[partnership.slug]) + "?status=all",
            reverse("strategy:public", args=[partnership.slug]),
        ]
    return starts


def _direct(world) -> list[str]:
    """Addresses of A's private things that no public page should link to, but that may be
    known (an old link, an email, a guess): every document, every version of every paper,
    the private session, the draft strategy under its public address."""
    addresses = [world.private.get_absolute_url(), world.unpublished.get_absolute_url()]
    addresses += [document.get_absolute_url() for document in PublishedDocument.objects.filter(partnership=world.a)]
    for version in PaperVersion.objects.filter(paper__agenda_item__meeting__partnership=world.a):
        addresses.append(url_for("meetings:paper", pk=version.pk, token=getattr(version, "token", None)))
    addresses.append(reverse("strategy:public_version", args=[world.a.slug, world.draft.number]))
    # Every paper's own page (and its path), whether or not any page links to it.
    for paper in Paper.objects.filter(agenda_item__meeting__partnership=world.a):
        addresses.append(reverse("meetings:paper_page", args=[world.a.slug, paper.pk]))
    return addresses


def _found(pages: dict[str, tuple[int, str]], canaries) -> dict[str, list[str]]:
    """{canary: [addresses whose text holds it]}."""
    squeezed = {address: squeeze(text) for address, (_, text) in pages.items()}
    return {
        canary: [address for address, text in squeezed.items() if canary in text]
        for canary in canaries
        if any(canary in text for text in squeezed.values())
    }


def _search_hits(client: Client, canaries, **filters) -> dict[str, int]:
    """{canary: results beyond the search page's echo of the query} for the canaries search
    finds, with the search's `filters` (partnership, system, kind, start, end) if given."""
    url = reverse("publishing:search")
    control = "CANARY-NOTHING-00000000"
    echoes = response_text(client.get(url, {"q": control, **filters})).count(control)
    hits = {}
    for canary in canaries:
        count = response_text(client.get(url, {"q": canary, **filters})).count(canary) - echoes
        if count:
            hits[canary] = count
    return hits


def _search_filters(world) -> list[dict]:
    """Every way the public search can be narrowed, aimed at partnership A."""
    return [
        {"partnership": world.a.slug},
        {"system": world.a.ics.slug},
        {"start": "2000-01-01", "end": "2100-12-31"},
        *({"kind": kind} for kind in ("meeting", "item", "minutes", "paper", "pack", "strategy")),
    ]


def _by_kind(c, *kinds) -> list[str]:
    return [getattr(c, kind.lower().replace("-", "_")) for kind, seen_by in KINDS.items() if seen_by in kinds]


def _describe(found: dict[str, list[str]]) -> str:
    return "\n  ".join(f"{canary}: {', '.join(addresses[:6])}" for canary, addresses in found.items())


# The tests ----------------------------------------------------------------------------------


def test_the_canaries_are_planted_and_reach_those_entitled(planted):
    """The positive control: without it the other tests could pass by looking in the wrong place."""
    c = planted.c
    member = client_for(planted.users.member)
    pages = crawl(member, [*_starts(planted), planted.private.get_absolute_url()])
    members_see = _found(pages, _by_kind(c, MEMBERS))
    missing = sorted(set(_by_kind(c, MEMBERS)) - set(members_see))
    assert not missing, f"members of A cannot find these canaries anywhere: {missing}"

    staff = client_for(planted.users.secretariat, like=member)
    slug = planted.a.slug
    staff_pages = {
        "record:minutes_version": {"slug": slug, "pk": planted.draft_held.pk, "version": planted.draft_minutes.version},
        "meetings:staff_meeting": {"slug": slug, "pk": planted.unpublished.pk},
        "strategy:version": {"slug": slug, "number": planted.draft.number},
        "strategy:section_edit": {"slug": slug, "number": planted.draft.number, "pk": planted.draft_section.pk},
        "workspace:person": {"slug": slug, "person_slug": planted.person.slug},
    }
    texts = {name: response_text(staff.get(reverse(name, kwargs=kwargs))) for name, kwargs in staff_pages.items()}
    version = planted.unpublished_paper.current_version
    texts["the unpublished paper"] = response_text(
        staff.get(url_for("meetings:paper", pk=version.pk, token=getattr(version, "token", None)))
    )
    found = _found({name: (200, text) for name, text in texts.items()}, _by_kind(c, STAFF))
    missing = sorted(set(_by_kind(c, STAFF)) - set(found))
    assert not missing, f"A's secretariat cannot find these canaries on its own pages: {missing}"

    # What was withdrawn really was in the first pack and the first version of the paper.
    with planted.first_pack.file.open("rb") as handle:
        first_pack = squeeze(pdf_text(handle.read()))
    with planted.replaced_version.file.open("rb") as handle:
        first_version = squeeze(pdf_text(handle.read()))
    for canary in (c.restricted_later_paper, c.replaced_paper, c.made_exempt_paper, c.made_exempt_presenter):
        assert canary in first_pack, f"{canary} was not in the first agenda pack"
    assert c.replaced_paper in first_version
    assert PublishedDocument.objects.filter(pk=planted.first_pack.pk, superseded_by__isnull=False).exists()

    # Members do not get what is the secretariat's alone.
    leaked = _found(pages, _by_kind(c, STAFF))
    assert not leaked, "the secretariat's canaries reach a member of A:\n  " + _describe(leaked)


@pytest.mark.parametrize("reader", ["anonymous", "member of B"])
def test_no_canary_reaches_the_public_or_another_partnership(planted, reader):
    """Crawl every public page, feed, calendar and document; ask for every document and
    paper version of A directly; search for every canary. Nothing private is found."""
    c = planted.c
    client = client_for(planted.users.other_member if reader == "member of B" else None)
    canaries = _by_kind(c, MEMBERS, STAFF, GONE)
    pages = crawl(client, _starts(planted))

    # The crawl really went everywhere public: A's public meetings, papers, packs, minutes and strategy.
    reached = {address for address, (status, _) in pages.items() if status == 200}
    assert planted.board.get_absolute_url() in reached
    assert any(address.startswith(reverse("meetings:feed", args=[planted.a.slug])) for address in reached)
    files = [address for address in reached if address.startswith(("/documents/", "/papers/"))]
    assert len(files) >= 4, f"the crawl read too few papers and documents: {files}"
    public_pack = PublishedDocument.objects.get(meeting=planted.board, kind="agenda_pack", superseded_by__isnull=True)
    assert public_pack.get_absolute_url() in reached, "the current public pack was not reached"
    assert "The winter plan." in pages[public_pack.get_absolute_url()][1]

    failures = []
    leaked = _found(pages, canaries)
    if leaked:
        failures.append(f"canaries reached by crawling as {reader}:\n  " + _describe(leaked))

    direct = {}
    for address in _direct(planted):
        response = client.get(address)
        direct[address] = (response.status_code, response_text(response))
    leaked = _found(direct, canaries)
    if leaked:
        failures.append(f"canaries served to {reader} at addresses asked for directly:\n  " + _describe(leaked))

    # A superseded pack and a replaced version are gone for the public: 404, or a redirect.
    for document in PublishedDocument.objects.filter(meeting=planted.board, superseded_by__isnull=False):
        status = direct[document.get_absolute_url()][0]
        if status not in (301, 302, 303, 307, 308, 404):
            failures.append(f"the superseded pack {document.get_absolute_url()} answers {reader} with {status}")
    old_version = url_for(
        "meetings:paper", pk=planted.replaced_version.pk, token=getattr(planted.replaced_version, "token", None)
    )
    if direct[old_version][0] not in (301, 302, 303, 307, 308, 404):
        failures.append(f"the replaced paper version {old_version} answers {reader} with {direct[old_version][0]}")

    assert _search_hits(client, ["Winter plan"]), "search finds nothing at all: it cannot prove anything"
    by_text = response_text(client.get(reverse("publishing:search"), {"q": "corrected"}))
    assert ">Finance report</a>" in by_text, "search does not find a paper by its text: it cannot prove anything"
    hits = _search_hits(client, canaries)
    if hits:
        failures.append(f"search finds canaries for {reader}: {hits}")
    # Narrowed to A, to a kind of result or to dates, search still finds A's public record...
    # (A word without spaces: the page repeats the query in its links, URL-encoded, as the control's.)
    assert _search_hits(client, ["Winter"], partnership=planted.a.slug), "a filtered search finds nothing"
    # ...and never anything private.
    for filters in _search_filters(planted):
        hits = _search_hits(client, canaries, **filters)
        if hits:
            failures.append(f"search filtered by {filters} finds canaries for {reader}: {hits}")
    assert not failures, "\n".join(failures)


def test_the_secretariats_kept_parts_reach_nobody_else(planted, kept_pages):
    """The secretariat's pages keep their parts between requests (ADR 7), and here nothing
    replaces the version in between (the world's writes are never committed): the most a kept
    part could travel. A's secretariat reads its pages first; then B's secretariat, a member of A
    and the public ask for the same pages of A, and B's secretariat for B's own: none of them is
    shown a canary it may not see."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = planted.c
    b_secretariat = UserFactory(username="secretariat_b")
    SecretariatAssignmentFactory(partnership=planted.b, user=b_secretariat)
    permissions_sync(planted.b)

    def staff_pages(partnership, meetings=()) -> list[str]:
        slug = partnership.slug
        return [
            reverse("workspace:home"),
            reverse("workspace:dashboard", args=[slug]),
            reverse("meetings:staff_list", args=[slug]),
            *(reverse("meetings:staff_meeting", args=[slug, meeting.pk]) for meeting in meetings),
            reverse("publishing:jobs", args=[slug]),
            reverse("record:decision_register", args=[slug]),
            reverse("record:action_log", args=[slug]) + "?status=all",
        ]

    def read(client, urls) -> dict[str, tuple[int, str]]:
        return {url: ((response := client.get(url)).status_code, response_text(response)) for url in urls}

    a_pages = staff_pages(planted.a, [planted.private, planted.board, planted.draft_held, planted.unpublished])
    staff = client_for(planted.users.secretariat)
    kept = read(staff, a_pages)
    assert _found(kept, _by_kind(c, MEMBERS, STAFF)), "A's secretariat's pages hold no canary: nothing to travel"
    dashboard = a_pages[1]
    with CaptureQueriesContext(connection) as again:
        staff.get(dashboard)
    with CaptureQueriesContext(connection) as first:
        caches["fragments"].clear()
        staff.get(dashboard)
    assert len(again) < len(first), "the pages kept nothing: the test would prove nothing"
    read(staff, a_pages)  # kept again

    readers = {
        "secretariat of B": (client_for(b_secretariat, like=staff), _by_kind(c, MEMBERS, STAFF, GONE)),
        "member of A": (client_for(planted.users.member, like=staff), _by_kind(c, STAFF)),
        "anonymous": (client_for(None, like=staff), _by_kind(c, MEMBERS, STAFF, GONE)),
    }
    failures = []
    for reader, (client, forbidden) in readers.items():
        urls = a_pages + (staff_pages(planted.b) if reader == "secretariat of B" else [])
        pages = read(client, urls)
        leaked = _found(pages, forbidden)
        if leaked:
            failures.append(f"kept parts reach {reader}:\n  " + _describe(leaked))
        served = [url for url in a_pages[1:] if pages[url][0] == 200]
        if served:
            failures.append(f"A's staff pages answer {reader}: {served}")
    assert not failures, "\n".join(failures)
