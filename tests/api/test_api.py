"""The open-data API: every endpoint, its filters, pagination, ETags and rate limit, and what
the public may see of exempt items, private sessions and people."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.urls import router
from membership.factories import MembershipFactory, UserFactory
from membership.permissions import permissions_sync

from .conftest import days_from_now

ENDPOINTS = [basename for _, _, basename in router.registry]


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def walk(client, url, **params) -> list[dict]:
    """Every result of a list, following the cursor to the end."""
    results, page = [], get(client, url, **params)
    while True:
        results += page["results"]
        if not page["next"]:
            return results
        page = get(client, page["next"])


def ids(client, basename, **params) -> set[int]:
    return {row["id"] for row in walk(client, reverse(f"api:{basename}-list"), **params)}


def test_the_openapi_schema_validates_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "openapi: 3" in schema
    for basename in ENDPOINTS:
        assert reverse(f"api:{basename}-list") in schema


def test_the_schema_and_docs_are_served(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "ICP Portal open data API"
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    # Nothing inline for the Content Security Policy to refuse: scripts and styles are our own files.
    assert "<script>" not in html and "<style" not in html and "style=" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_the_root_lists_every_endpoint(client):
    root = get(client, reverse("api:api-root"))
    assert len(root) == len(ENDPOINTS)


@pytest.mark.parametrize("basename", ENDPOINTS)
def test_every_endpoint_lists_and_shows_each_of_its_results(client, record, basename):
    rows = walk(client, reverse(f"api:{basename}-list"))
    assert rows, f"{basename}: the record has some, the list shows none"
    for row in rows:
        detail = get(client, row["url"])
        assert detail["id"] == row["id"]


def test_the_api_is_read_only(client, record):
    url = reverse("api:meeting-detail", args=[record.held.pk])
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url, {}).status_code == 405
    record.held.refresh_from_db()
    assert record.held.title == "Board in public"


def test_private_sessions_and_unpublished_agendas_are_absent(client, record):
    meetings = ids(client, "meeting")
    assert record.held.pk in meetings
    assert record.private.pk not in meetings
    assert client.get(reverse("api:meeting-detail", args=[record.private.pk])).status_code == 404
    # A public meeting is listed before its agenda is published, but has no agenda items yet.
    assert record.unpublished.pk in meetings
    assert ids(client, "agenda-item", meeting=record.unpublished.pk) == set()
    assert record.private_item.pk not in ids(client, "agenda-item")
    # A wound-up partnership's meetings and seats go with it, as on its pages.
    assert record.ended_meeting.pk not in meetings
    assert record.ended.pk not in ids(client, "partnership")
    assert record.ended_member.pk not in ids(client, "membership")


def test_an_exempt_item_shows_only_its_number_title_and_paragraph(client, record):
    item = get(client, reverse("api:agenda-item-detail", args=[record.exempt_item.pk]))
    assert item["number"] == 2 and item["title"] == "Contract award"
    assert item["is_exempt"] is True and item["exempt_paragraph"] == 3
    assert item["presenter"] is None and item["classification"] is None and item["papers"] == []
    assert "Secret" not in str(item)
    public = get(client, reverse("api:agenda-item-detail", args=[record.public_item.pk]))
    assert public["presenter"] == "Director of Finance"
    assert public["papers"] == [record.paper.pk]  # not the restricted paper


def test_exempt_and_restricted_papers_decisions_and_actions_are_absent(client, record):
    assert ids(client, "paper") == {record.paper.pk}
    assert ids(client, "decision") == {record.decision.pk}
    assert ids(client, "action") == {record.action.pk}
    for basename, obj in [
        ("paper", record.exempt_paper),
        ("paper", record.restricted),
        ("decision", record.exempt_decision),
        ("action", record.exempt_action),
    ]:
        assert client.get(reverse(f"api:{basename}-detail", args=[obj.pk])).status_code == 404


def test_a_paper_links_to_its_pdf(client, record):
    paper = get(client, reverse("api:paper-detail", args=[record.paper.pk]))
    assert paper["download_url"].endswith(f"/papers/{record.paper.current_version.token}/")
    response = client.get(paper["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_people_are_their_public_record_only(client, record):
    people = ids(client, "person")
    assert record.person.pk in people and record.chair.person.pk in people
    assert record.nobody.pk not in people  # no seat or chair on any partnership
    person = get(client, reverse("api:person-detail", args=[record.person.pk]))
    assert person["name"] == record.person.display_name
    assert "email" not in person and "phone" not in person
    assert "pat.private" not in str(walk(client, reverse("api:person-list")))
    assert "07700" not in str(walk(client, reverse("api:membership-list")))


def test_partnerships_carry_their_parent_and_sub_partnerships(client, record):
    icp = get(client, reverse("api:partnership-detail", args=[record.icp.pk]))
    area = get(client, reverse("api:partnership-detail", args=[record.area.pk]))
    assert icp["sub_partnerships"] == [record.area.pk] and icp["parent"] is None
    assert area["parent"] == record.icp.pk and area["classification"] == "area"


def test_the_parent_of_a_partnership_is_named_only_while_it_is_public(client, record):
    record.icp.ended_on = timezone.localdate() - dt.timedelta(days=1)
    record.icp.save()
    area = get(client, reverse("api:partnership-detail", args=[record.area.pk]))
    assert area["parent"] is None


def test_organisations_expose_their_validity_dates(client, record):
    record.council.valid_to = dt.date(2027, 3, 31)
    record.council.save()
    council = get(client, reverse("api:council-detail", args=[record.council.pk]))
    assert council["dissolution_date"] == "2027-03-31"
    assert council["systems"] == [record.icp.ics.pk]
    record.icp.ics.valid_from = dt.date(2022, 7, 1)
    record.icp.ics.save()
    system = get(client, reverse("api:system-detail", args=[record.icp.ics.pk]))
    assert system["board"] == record.icp.ics.icb.pk
    assert system["founding_date"] == "2022-07-01" and system["dissolution_date"] is None
    assert system["council_areas"] == [
        {
            "council": record.council.pk,
            "share_of_area_pct": "100.0",
            "start_date": None,
            "end_date": None,
            "provisional": False,
        }
    ]


def test_a_partnership_that_merged_names_its_successor(client, record):
    record.ended.successor = record.icp
    record.ended.save()
    ended = get(client, reverse("api:partnership-detail", args=[record.ended.pk]))
    assert ended["successor"] == record.icp.pk
    assert ended["dissolution_date"] == record.ended.ended_on.isoformat()


def test_only_published_strategy_versions_and_their_priorities(client, record):
    assert ids(client, "strategy-version") == {record.published.pk}
    assert ids(client, "priority") == {record.priority.pk}
    version = get(client, reverse("api:strategy-version-detail", args=[record.published.pk]))
    assert version["adopted_by_decision"] == record.decision.pk
    assert [section["title"] for section in version["sections"]] == ["Our population"]
    strategy = get(client, reverse("api:strategy-detail", args=[record.strategy.pk]))
    assert strategy["versions"] == [record.published.pk]


def test_an_adopting_decision_that_is_not_public_is_not_named(client, record):
    record.published.adopted_by_decision = record.exempt_decision
    record.published.save()
    version = get(client, reverse("api:strategy-version-detail", args=[record.published.pk]))
    assert version["adopted_by_decision"] is None


@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_signed_in_readers_get_the_public_record_only(client, record, who):
    """A session gives nothing more: no private session, no exempt paper, even to a member."""
    user = UserFactory()
    if who == "member":
        MembershipFactory(partnership=record.icp, person__user=user)
    else:
        from membership.factories import SecretariatAssignmentFactory

        SecretariatAssignmentFactory(partnership=record.icp, user=user)
    permissions_sync(record.icp)
    client.force_login(user)
    assert record.private.pk not in ids(client, "meeting")
    assert ids(client, "paper") == {record.paper.pk}
    assert "Secret" not in str(get(client, reverse("api:agenda-item-detail", args=[record.exempt_item.pk])))
    response = client.get(reverse("api:meeting-list"))
    assert "public" not in response["Cache-Control"]


# Filters ------------------------------------------------------------------------------------


def test_filter_by_partnership_and_system(client, record):
    assert ids(client, "meeting", partnership=record.area.slug) == {record.area_meeting.pk}
    assert ids(client, "meeting", system=record.icp.ics.slug) == {
        record.held.pk,
        record.unpublished.pk,
        record.area_meeting.pk,
    }
    assert ids(client, "decision", partnership=record.area.slug) == set()
    assert ids(client, "partnership", parent=record.icp.slug) == {record.area.pk}
    assert ids(client, "person", partnership=record.icp.slug) == {record.person.pk, record.chair.person.pk}
    assert ids(client, "council", system=record.icp.ics.slug) == {record.council.pk}


def test_filter_by_date_range(client, record):
    today = timezone.localdate()
    since = (today - dt.timedelta(days=31)).isoformat()
    until = (today - dt.timedelta(days=29)).isoformat()
    assert ids(client, "meeting", date_from=since, date_to=until) == {record.held.pk}
    assert ids(client, "decision", date_from=since) == {record.decision.pk}
    assert ids(client, "decision", date_to=(today - dt.timedelta(days=60)).isoformat()) == set()
    assert ids(client, "agenda-item", date_from=since, date_to=until) == {record.public_item.pk, record.exempt_item.pk}


def test_filter_by_updated_since(client, record):
    cutoff = timezone.now()
    record.area_meeting.venue = "Town hall"
    record.area_meeting.save()
    assert ids(client, "meeting", updated_since=cutoff.isoformat()) == {record.area_meeting.pk}
    assert ids(client, "strategy-version", updated_since=(cutoff + dt.timedelta(days=1)).isoformat()) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"partnership": "no-such-partnership"}, "partnership"),
        ({"partnership": "old-forum"}, "partnership"),  # wound up: not on the public record
        ({"system": "nowhere"}, "system"),
        ({"date_from": "31/02/2026"}, "date_from"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_bad_filters_are_a_400_that_says_which(client, record, params, field):
    response = client.get(reverse("api:meeting-list"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_bad_cursor_is_a_404_that_says_so(client, record):
    response = client.get(reverse("api:meeting-list"), {"cursor": "not-a-cursor"})
    assert response.status_code == 404
    assert "cursor" in response.json()["detail"].lower()


# Pagination, ETags, rate limit ----------------------------------------------------------------


def test_cursor_pagination_walks_every_result_once(client, record, settings):
    from meetings.factories import MeetingFactory

    settings.API_PAGE_SIZE = 2
    for n in range(5):
        MeetingFactory(partnership=record.icp, title=f"Extra {n}", starts_at=days_from_now(60 + n))
    first = get(client, reverse("api:meeting-list"))
    assert len(first["results"]) == 2 and first["previous"] is None and first["next"]
    rows = walk(client, reverse("api:meeting-list"))
    assert len(rows) == len({row["id"] for row in rows}) == 8
    assert len(get(client, reverse("api:meeting-list"), page_size=5)["results"]) == 5


def test_etag_answers_a_repeat_with_304(client, record):
    url = reverse("api:meeting-detail", args=[record.held.pk])
    response = client.get(url)
    etag = response["ETag"]
    assert etag
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    record.held.title = "Board in public (moved)"
    record.held.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_anonymous_responses_may_be_cached_publicly(client, record):
    response = client.get(reverse("api:meeting-list"))
    assert "public" in response["Cache-Control"]


def test_the_rate_limit_answers_429_per_client_address(client, record, settings):
    settings.API_RATE_LIMIT = "3/minute"
    url = reverse("api:region-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another client address has its own allowance.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_rate_limit_is_not_fooled_by_a_forged_forwarded_for(client, record, settings):
    settings.API_RATE_LIMIT = "2/minute"
    url = reverse("api:region-list")
    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_filter_by_status_and_an_unknown_status_is_a_400(client, record):
    assert ids(client, "decision", status="agreed") == {record.decision.pk}
    assert ids(client, "action", status="done") == set()
    assert ids(client, "meeting", status="held") == {record.held.pk}
    response = client.get(reverse("api:action-list"), {"status": "agreed"})  # a decision's status
    assert response.status_code == 400 and "status" in response.json()


def test_an_exempt_item_released_reads_as_the_meeting_page_shows_it(client, record):
    from meetings.models import ExemptionRelease

    ExemptionRelease.objects.create(agenda_item=record.exempt_item, reason="Contract signed.", determination="The DPO.")
    item = get(client, reverse("api:agenda-item-detail", args=[record.exempt_item.pk]))
    assert item["is_exempt"] is True
    assert item["release_summary"].startswith("Exempt under paragraph 3 until ")
    assert item["presenter"] == "Secret presenter"
    assert item["papers"] == [record.exempt_paper.pk]
    assert record.exempt_paper.pk in ids(client, "paper")
    # Its reason for exemption stays with the members, and its decisions follow their own rule.
    assert "Secret reason" not in str(item)
    assert ids(client, "decision") == {record.decision.pk}
