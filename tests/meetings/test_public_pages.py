"""Public meeting pages and paper downloads: what the public and members see, caching,
and a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory, minimal_pdf
from partnerships.factories import PartnershipFactory

from .conftest import body, in_days, pdf_file

pytestmark = pytest.mark.django_db


def _list_url(partnership, **params):
    url = reverse("meetings:list", args=[partnership.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _publish(meeting, *titles):
    for title in titles:
        services.agenda_item_add(meeting=meeting, actor=None, title=title)
    services.agenda_publish(meeting=meeting, actor=None)


def test_list_shows_upcoming_and_past_by_year(client, cast):
    p = cast.partnership
    MeetingFactory(partnership=p, title="Next board", starts_at=in_days(20))
    MeetingFactory(partnership=p, title="Last month's board", starts_at=in_days(-30))
    MeetingFactory(partnership=p, title="Private away day", starts_at=in_days(10), is_public=False)
    old = timezone.make_aware(dt.datetime.combine(dt.date(2024, 3, 14), dt.time(14)))
    MeetingFactory(partnership=p, title="Board of March 2024", starts_at=old)
    response = client.get(_list_url(p))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Next board" in content and "Board of March 2024" in content
    assert "Private away day" not in content
    assert 'href="?year=2024#past"' in content
    assert f'href="{p.get_absolute_url()}"' in content  # breadcrumb to the partnership
    assert f'href="{p.ics.get_absolute_url()}"' in content and f'href="{p.ics.region.get_absolute_url()}"' in content

    content = client.get(_list_url(p, year=2024)).content.decode()
    assert "Board of March 2024" in content and "Last month&#x27;s board" not in content
    assert "Past meetings in 2024" in content

    assert client.get(_list_url(p, year="abc")).status_code == 404
    assert client.get(_list_url(p, page=9)).status_code == 404


def test_list_has_empty_states(client, cast):
    content = client.get(_list_url(cast.partnership)).content.decode()
    assert "No meetings are scheduled at the moment." in content
    assert "No past meetings to show." in content


def test_past_meetings_are_paginated_twenty_to_a_page(client, cast):
    for n in range(45):
        MeetingFactory(partnership=cast.partnership, title=f"Board {n:02d}", starts_at=in_days(-7 * (n + 1)))
    content = client.get(_list_url(cast.partnership)).content.decode()
    assert content.count("Board ") >= 20 and "Board 00" in content and "Board 20" not in content
    assert 'aria-label="Page 3"' in content and 'rel="next"' in content
    page3 = client.get(_list_url(cast.partnership, page=3)).content.decode()
    assert "Board 44" in page3 and "Board 39" not in page3
    assert "Upcoming meetings" not in page3


def test_each_meeting_in_the_list_says_when_where_and_whether_it_goes_ahead(client, cast):
    starts = dt.datetime(2026, 3, 3, 14, 0, tzinfo=dt.UTC)
    MeetingFactory(
        partnership=cast.partnership,
        title="Spring board",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        venue="Civic Hall",
        status="cancelled",
        agenda_published_at=starts - dt.timedelta(days=10),
    )
    content = client.get(_list_url(cast.partnership)).content.decode()
    line = content[content.index("Spring board") :]
    line = line[: line.index("</li>")]
    assert 'class="nhsuk-tag nhsuk-tag--grey">Cancelled</strong>' in line
    assert "Tuesday 3 March 2026, 2pm to 4pm, Civic Hall" in line
    assert "Agenda published" in line
    assert "Private session" not in line


def test_members_see_private_sessions(client, cast):
    MeetingFactory(partnership=cast.partnership, title="Private away day", starts_at=in_days(10), is_public=False)
    client.force_login(cast.member)
    content = client.get(_list_url(cast.partnership)).content.decode()
    assert "Private away day" in content and "Private session" in content
    client.force_login(cast.other_member)
    assert "Private away day" not in client.get(_list_url(cast.partnership)).content.decode()


def test_meeting_page_before_publication(client, cast, meeting):
    services.agenda_item_add(meeting=meeting, actor=None, title="Unpublished item")
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert "The agenda will be published by" in content
    assert f"{meeting.publication_deadline:%A %-d %B %Y}" in content
    assert "Unpublished item" not in content


def test_meeting_page_shows_the_published_agenda(client, cast, meeting):
    meeting.joining_url = "https://meet.example.org/icp"
    meeting.webcast_url = "https://webcast.example.org/icp"
    meeting.save()
    strategy = services.agenda_item_add(
        meeting=meeting, actor=None, title="Strategy refresh", purpose="decision", presenter="Director of Public Health"
    )
    paper = services.paper_upload(item=strategy, actor=None, title="Draft strategy", file=pdf_file())
    services.agenda_item_add(
        meeting=meeting, actor=None, title="Contract award", is_exempt=True, exempt_paragraph=3, exempt_reason="Prices."
    )
    services.agenda_publish(meeting=meeting, actor=None)
    services.agenda_item_add(meeting=meeting, actor=None, title="Winter plan", urgency_reason="Due before December.")
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert "1. Strategy refresh" in content and "For decision" in content and "Director of Public Health" in content
    assert "Draft strategy" in content and f"(PDF, {filesizeformat(paper.current_version.size)}, 1 page)" in content
    assert "2. Contract award" in content and "Exempt under paragraph 3 of Schedule 12A" in content
    assert "Prices." not in content
    assert "3. Winter plan" in content and "Late item." in content and "Due before December." in content
    assert "https://meet.example.org/icp" in content and "https://webcast.example.org/icp" in content
    local = timezone.localtime(meeting.starts_at)
    assert f"{local:%A %-d %B %Y}" in content and "2pm to 4pm" in content


def test_cancelled_meeting_shows_its_notice(client, cast, meeting):
    services.meeting_cancel(meeting=meeting, actor=None, notice="The meeting was not quorate.")
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert "This meeting has been cancelled" in content and "The meeting was not quorate." in content
    assert "No agenda will be published" in content


def test_private_sessions_are_not_found_by_the_public(client, cast):
    private = MeetingFactory(partnership=cast.partnership, is_public=False, title="Chief executives")
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(cast.other_member)
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(cast.member)
    assert "Chief executives" in client.get(private.get_absolute_url()).content.decode()


def test_a_meeting_of_another_partnership_is_not_found(client, cast):
    elsewhere = MeetingFactory(partnership=cast.other_partnership)
    url = reverse("meetings:meeting", args=[cast.partnership.slug, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_a_wound_up_partnership_has_no_public_pages(client):
    ended = PartnershipFactory(ended_on=dt.date(2020, 3, 31))
    meeting = MeetingFactory(partnership=ended)
    assert client.get(_list_url(ended)).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_public_paper_download_headers(client, cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1)
    paper = services.paper_upload(item=item, actor=None, title="Draft strategy", file=pdf_file("Draft strategy.pdf"))
    version = paper.current_version
    url = reverse("meetings:paper", args=[version.token])
    assert client.get(url).status_code == 404  # not published yet
    services.agenda_publish(meeting=meeting, actor=None)

    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == minimal_pdf("A paper")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Draft strategy.pdf"'
    assert response["ETag"] == f'"{version.sha256}"'
    # A paper can be restricted or replaced at any moment: caches must revalidate before each use.
    assert "public" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]

    not_modified = client.get(url, headers={"If-None-Match": f'"{version.sha256}"'})
    assert not_modified.status_code == 304 and not_modified["ETag"] == f'"{version.sha256}"'


def test_superseded_versions_are_not_public(client, cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1)
    paper = services.paper_upload(item=item, actor=None, title="Finance", file=pdf_file())
    old = paper.current_version
    services.agenda_publish(meeting=meeting, actor=None)
    services.paper_replace(paper=paper, actor=None, file=pdf_file("v2.pdf", minimal_pdf("v2")), reason="Corrected")
    assert client.get(reverse("meetings:paper", args=[old.token])).status_code == 404
    client.force_login(cast.member)
    response = client.get(reverse("meetings:paper", args=[old.token]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    body(response)


def test_exempt_paper_download(client, cast, meeting):
    item = AgendaItemFactory(meeting=meeting, position=1, exempt=True)
    paper = PaperFactory(agenda_item=item)
    services.agenda_publish(meeting=meeting, actor=None)
    url = reverse("meetings:paper", args=[paper.current_version.token])
    assert client.get(url).status_code == 404
    for outsider in (cast.stranger, cast.other_member):
        client.force_login(outsider)
        assert client.get(url).status_code == 404  # never 403: its existence is not revealed
    client.force_login(cast.member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert body(response).startswith(b"%PDF-")


def test_public_pages_are_cacheable(client, cast, meeting):
    _publish(meeting, "Strategy refresh")
    for url in (_list_url(cast.partnership), meeting.get_absolute_url()):
        response = client.get(url)
        assert response.has_header("ETag")
        assert response["Cache-Control"] == "public, no-cache"  # kept, but revalidated before each use
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
    client.force_login(cast.member)
    response = client.get(meeting.get_absolute_url())
    assert response["Cache-Control"] == "private, no-store"


def _grow(partnership, meetings: int, items: int, papers: int):
    for m in range(meetings):
        meeting = MeetingFactory(partnership=partnership, starts_at=in_days(-10 - m))
        for i in range(items):
            item = AgendaItemFactory(
                meeting=meeting, position=i + 1, is_exempt=i % 3 == 2, exempt_paragraph=3 if i % 3 == 2 else None
            )
            for _ in range(papers):
                PaperFactory(agenda_item=item, restricted=i % 4 == 1)
        meeting.agenda_published_at = in_days(-20 - m)
        meeting.save()
        MeetingFactory(partnership=partnership, starts_at=in_days(10 + m))
    return meeting


@pytest.mark.parametrize("reader", [False, True])
def test_query_counts_do_not_grow(client, cast, reader, django_assert_max_num_queries):
    if reader:
        client.force_login(cast.member)
    small = _grow(cast.partnership, meetings=1, items=2, papers=1)
    with CaptureQueriesContext(connection) as list_small:
        assert client.get(_list_url(cast.partnership)).status_code == 200
    with CaptureQueriesContext(connection) as page_small:
        assert client.get(small.get_absolute_url()).status_code == 200

    big = _grow(cast.partnership, meetings=25, items=8, papers=3)
    with django_assert_max_num_queries(len(list_small)):
        assert client.get(_list_url(cast.partnership)).status_code == 200
    with django_assert_max_num_queries(len(page_small)):
        assert client.get(big.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("year", ["²", "٢٠٢٤", "20x4", "1899", "3000"])
def test_a_year_nobody_could_mean_is_not_found_never_an_error(client, cast, year):
    response = client.get(_list_url(cast.partnership), {"year": year})
    assert response.status_code == 404
