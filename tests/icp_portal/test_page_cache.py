"""The public page cache (icp_portal/pagecache.py): a committed change is on the very next
anonymous request, a hit is the page as rendered, and nobody signed in is served from or into it.

The tests commit (`transaction=True`): the version is replaced only when a transaction commits,
as in production, so a test inside a transaction that never commits could not see it."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_migrate, pre_migrate
from django.urls import reverse
from django.utils import timezone

from icp_portal import pagecache
from meetings import exemptions, record_services, services
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from meetings.models import Paper
from tests.meetings_record.conftest import board, quorate  # noqa: F401 (board is a fixture)
from tests.meetings_record.test_minutes import write_draft
from tests.strategy.conftest import meeting_decision, publish

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_pages")]


def anonymous(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def held_meeting(partnership, **fields):
    past = timezone.now() - dt.timedelta(days=3)
    meeting = MeetingFactory(
        partnership=partnership,
        starts_at=past,
        ends_at=past + dt.timedelta(hours=2),
        status="held",
        agenda_published_at=past - dt.timedelta(days=10),
        **fields,
    )
    return meeting


def test_a_hit_serves_the_identical_page_and_304s_on_its_etag(client, cast):
    meeting = held_meeting(cast.partnership, title="Board in public")
    url = reverse("meetings:meeting", args=[cast.partnership.slug, meeting.pk])
    first = anonymous(client, url)
    second = anonymous(client, url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_committed_edit_is_on_the_next_request(client, cast):
    meeting = held_meeting(cast.partnership, title="Board in public")
    url = reverse("meetings:list", args=[cast.partnership.slug])
    assert b"Board in public" in anonymous(client, url).content
    meeting.title = "Board renamed"
    meeting.save()
    content = anonymous(client, url).content
    assert b"Board renamed" in content and b"Board in public" not in content


def test_an_uncommitted_edit_keeps_the_stored_page(client, cast):
    """The bump waits for the commit: a rolled-back change never empties the cache."""
    meeting = held_meeting(cast.partnership, title="Board in public")
    url = reverse("meetings:list", args=[cast.partnership.slug])
    anonymous(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting.title = "Board renamed"
        meeting.save()
        raise RuntimeError("rolled back")
    assert anonymous(client, url)["X-Page-Cache"] == "hit"


def test_a_bulk_update_is_seen_too(client, cast):
    """`QuerySet.update()` sends no model signal; the write is seen at the database layer."""
    meeting = held_meeting(cast.partnership, title="Board in public")
    url = reverse("meetings:list", args=[cast.partnership.slug])
    anonymous(client, url)
    type(meeting).objects.filter(pk=meeting.pk).update(title="Board renamed in bulk")
    assert b"Board renamed in bulk" in anonymous(client, url).content


def test_publishing_an_agenda_shows_it(client, cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=timezone.now() + dt.timedelta(days=20))
    AgendaItemFactory(meeting=meeting, position=1, title="Winter pressures plan")
    url = reverse("meetings:meeting", args=[cast.partnership.slug, meeting.pk])
    assert b"Winter pressures plan" not in anonymous(client, url).content
    services.agenda_publish(meeting=meeting, actor=None)
    assert b"Winter pressures plan" in anonymous(client, url).content


def test_restricting_a_paper_hides_it_at_once(client, cast):
    meeting = held_meeting(cast.partnership)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Estates")
    paper = PaperFactory(agenda_item=item, title="Hospital site valuation")
    url = reverse("meetings:meeting", args=[cast.partnership.slug, meeting.pk])
    assert b"Hospital site valuation" in anonymous(client, url).content
    services.paper_update(
        paper=paper, actor=cast.secretariat, title=paper.title, restricted=True, change_reason="Commercial terms"
    )
    assert b"Hospital site valuation" not in anonymous(client, url).content


def test_withdrawing_a_paper_takes_it_off_the_page(client, cast):
    meeting = held_meeting(cast.partnership)
    item = AgendaItemFactory(meeting=meeting, position=1, title="Estates")
    paper = PaperFactory(agenda_item=item, title="Draft site valuation")
    url = reverse("meetings:meeting", args=[cast.partnership.slug, meeting.pk])
    assert b"Draft site valuation" in anonymous(client, url).content
    Paper.objects.filter(pk=paper.pk).update(restricted=True)  # as a task or the admin would
    assert b"Draft site valuation" not in anonymous(client, url).content


def test_releasing_an_exemption_shows_the_item(client, cast):
    meeting = held_meeting(cast.partnership)
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    exempt = AgendaItemFactory(meeting=meeting, position=2, title="Acme Widgets contract", exempt=True)
    PaperFactory(agenda_item=exempt, title="Acme pricing schedule")
    url = reverse("meetings:meeting", args=[cast.partnership.slug, meeting.pk])
    assert b"Acme pricing schedule" not in anonymous(client, url).content
    exemptions.exemption_release(
        actor=cast.secretariat,
        item=exempt,
        reason="The contract has been signed and published.",
        determination="The monitoring officer determined on 1 May that it is no longer exempt.",
    )
    assert b"Acme pricing schedule" in anonymous(client, url).content


def download(client, version):
    response = client.get(version.get_absolute_url())
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_a_public_paper_is_sent_from_storage_without_asking_again(client, cast, django_assert_num_queries):
    """The page cache keeps where a public paper's file is, not its bytes: the next anonymous
    request streams the same file with the same headers, and a matching ETag gets 304."""
    meeting = held_meeting(cast.partnership)
    paper = PaperFactory(agenda_item=AgendaItemFactory(meeting=meeting, position=1), title="Estates strategy")
    first, first_body = download(client, paper.current_version)
    assert first["X-Page-Cache"] == "miss" and first_body.startswith(b"%PDF")
    with django_assert_num_queries(0):
        second, second_body = download(client, paper.current_version)
    assert second["X-Page-Cache"] == "hit" and second_body == first_body
    for header in ("Content-Type", "Content-Disposition", "Content-Length", "ETag", "Cache-Control", "Vary"):
        assert second[header] == first[header], header
    revalidated = client.get(paper.current_version.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert revalidated.status_code == 304


def test_restricting_a_paper_refuses_its_file_at_once(client, cast):
    meeting = held_meeting(cast.partnership)
    paper = PaperFactory(agenda_item=AgendaItemFactory(meeting=meeting, position=1), title="Site valuation")
    version = paper.current_version
    assert download(client, version)[0].status_code == 200
    assert download(client, version)[0]["X-Page-Cache"] == "hit"
    services.paper_update(
        paper=paper, actor=cast.secretariat, title=paper.title, restricted=True, change_reason="Commercial terms"
    )
    assert download(client, version)[0].status_code == 404


def test_replacing_a_paper_withdraws_the_old_file_from_the_public(client, cast):
    from tests.meetings.conftest import pdf_file

    meeting = held_meeting(cast.partnership)
    paper = PaperFactory(agenda_item=AgendaItemFactory(meeting=meeting, position=1), title="Finance report")
    old = paper.current_version
    _, old_body = download(client, old)
    assert download(client, old)[0]["X-Page-Cache"] == "hit"
    new = services.paper_replace(
        paper=paper, actor=None, file=pdf_file("v2.pdf", minimal_pdf("Corrected figures")), reason="Corrected figures"
    )
    assert download(client, old)[0].status_code == 404
    response, body = download(client, new)
    assert response.status_code == 200 and body != old_body


def test_a_members_download_is_never_served_from_or_into_the_cache(client, cast):
    meeting = held_meeting(cast.partnership)
    paper = PaperFactory(agenda_item=AgendaItemFactory(meeting=meeting, position=1), title="Estates strategy")
    exempt = PaperFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, position=2, exempt=True), title="Acme pricing schedule"
    )
    client.force_login(cast.member)
    for version in (paper.current_version, exempt.current_version):
        response, _ = download(client, version)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    client.logout()
    assert download(client, paper.current_version)[0]["X-Page-Cache"] == "miss"  # the member's was not stored
    assert download(client, exempt.current_version)[0].status_code == 404


def test_approving_minutes_shows_them_approved(client, cast, board):  # noqa: F811
    quorate(board, board.later)
    minutes = write_draft(board)
    record_services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
    url = reverse("meetings:meeting", args=[cast.partnership.slug, board.meeting.pk])
    before = anonymous(client, url).content
    assert b"draft" in before.lower()
    record_services.minutes_approve(
        minutes=minutes, approving_meeting=board.later, reference="ICP/26/01", actor=board.secretariat
    )
    after = anonymous(client, url)
    assert after["X-Page-Cache"] == "miss" and after.content != before


def test_publishing_a_strategy_shows_it(client, cast):
    from strategy.factories import PriorityFactory, SectionFactory, StrategyFactory, StrategyVersionFactory

    strategy = StrategyFactory(partnership=cast.partnership)
    version = StrategyVersionFactory(strategy=strategy)
    SectionFactory(version=version)
    PriorityFactory(version=version, title="Healthy homes for everyone")
    url = reverse("strategy:public", args=[cast.partnership.slug])
    assert client.get(url).status_code in (200, 404)
    assert b"Healthy homes for everyone" not in client.get(url).content
    publish(version, cast, decision=meeting_decision(cast.partnership, reference="ICP/ADOPT/1"))
    assert b"Healthy homes for everyone" in anonymous(client, url).content


def test_a_signed_in_member_is_never_served_from_or_into_the_cache(client, cast):
    meeting = held_meeting(cast.partnership)
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome")
    AgendaItemFactory(meeting=meeting, position=2, title="Acme Widgets contract", exempt=True)
    url = reverse("meetings:meeting", args=[cast.partnership.slug, meeting.pk])
    client.force_login(cast.member)
    as_member = client.get(url)
    assert "X-Page-Cache" not in as_member
    client.logout()
    public = anonymous(client, url)
    assert public["X-Page-Cache"] == "miss"  # the member's page was not stored
    client.force_login(cast.member)
    again = client.get(url)
    assert "X-Page-Cache" not in again  # nor is the member served the stored public page


def test_a_page_not_listed_is_never_cached(client, cast):
    url = reverse("service_status")
    assert "X-Page-Cache" not in client.get(url)
    assert "service_status" not in pagecache.CACHED_VIEWS


def test_the_cache_can_be_turned_off(client, cast, settings):
    settings.PAGE_CACHE = False
    url = reverse("meetings:list", args=[cast.partnership.slug])
    assert "X-Page-Cache" not in client.get(url)


def test_a_meeting_starting_changes_the_key(cast):
    """What depends on the time of day (minutes readable once a meeting starts, "meets next")
    changes only when a public meeting starts or ends: that moment is part of the key."""
    soon = timezone.now() + dt.timedelta(hours=1)
    MeetingFactory(partnership=cast.partnership, starts_at=soon, ends_at=soon + dt.timedelta(hours=2))
    version = pagecache.current_version()
    before = pagecache.next_boundary(version, timezone.now())
    after = pagecache.next_boundary(version, soon + dt.timedelta(minutes=1))
    assert before and after and before < after


def test_the_writer_leaves_the_next_boundary_for_the_first_reader(cast, django_assert_num_queries):
    """Rendering the first page after a change is what a reader waits for: the process that
    committed the change has already asked when a public meeting next starts or ends."""
    soon = timezone.now() + dt.timedelta(hours=1)
    MeetingFactory(partnership=cast.partnership, starts_at=soon, ends_at=soon + dt.timedelta(hours=2))
    version = pagecache.current_version()
    with django_assert_num_queries(0):
        assert pagecache.next_boundary(version, timezone.now()) == soon.astimezone(dt.UTC).isoformat()


def test_while_migrations_run_a_write_only_replaces_the_version(django_assert_num_queries):
    """Migrations write before the meetings table exists, or before it has every column its model
    names: the boundary is left to the first reader, rather than logging an error per migration."""
    config = apps.get_app_config("icp_portal")
    signal = {"sender": config, "app_config": config, "verbosity": 0, "interactive": False, "using": "default"}
    before = pagecache.current_version()
    pre_migrate.send(**signal, plan=[], apps=apps)
    try:
        with django_assert_num_queries(0):
            pagecache.bump()
    finally:
        post_migrate.send(**signal, plan=[], apps=apps)
    assert pagecache.current_version() != before
    with django_assert_num_queries(2):  # when the next meeting starts, and ends
        pagecache.bump()


def test_private_tables_do_not_empty_the_cache():
    assert not pagecache._written_table('INSERT INTO "django_session" ("session_key") VALUES (%s)')
    assert not pagecache._written_table('INSERT INTO "icp_portal_auditevent" ("action") VALUES (%s)')
    assert pagecache._written_table('UPDATE "meetings_paper" SET "restricted" = %s')
    assert pagecache._written_table('DELETE FROM "strategy_priority" WHERE id = 1')


def test_a_reader_with_a_message_waiting_is_not_served_from_the_cache(client, cast):
    url = reverse("meetings:list", args=[cast.partnership.slug])
    anonymous(client, url)
    client.cookies["messages"] = "a message for this reader"
    assert "X-Page-Cache" not in client.get(url)


def test_a_page_holding_a_csrf_token_is_not_stored(rf, cast):
    """A CSRF token is one reader's: a page that holds one is never shared."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    response = HttpResponse("ok")
    assert pagecache._may_store(request, response)
    get_token(request)
    assert not pagecache._may_store(request, response)


def test_the_page_is_stored_once_it_is_sent(rf, cast):
    """The first reader after a change does not wait for the page to be written to the cache:
    it is written when the server closes the response, after sending it."""
    from django.http import HttpResponse

    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    request._page_cache_key = pagecache.page_key(request)
    response = pagecache.PageCacheMiddleware(lambda request: HttpResponse("the page"))(request)
    assert response["X-Page-Cache"] == "miss"
    assert pagecache.page_cache().get(request._page_cache_key) is None
    response.close()
    body, headers = pagecache.page_cache().get(request._page_cache_key)
    assert body == b"the page" and ("X-Page-Cache", "miss") not in headers
