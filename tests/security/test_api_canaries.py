"""Canaries in the open-data API: with a unique string planted in every kind of private
material (`test_canaries.plant`: private sessions, exempt items and papers, restricted and
withdrawn papers, draft minutes, unpublished agendas, strategy drafts, contact details),
walk the whole API (every endpoint, every page of results, every detail, every link it gives
to papers and documents, read as PDFs), ask for every object of the partnership by id, and
read the CSV exports. No canary is found, by the public, by a member of another partnership,
or by a member of the partnership itself: the API is the public record for everyone.
"""

import json
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from meetings.models import Action, AgendaItem, Consideration, Decision, Meeting, Paper
from membership.models import ChairAppointment, Membership, Person
from strategy.models import Priority, StrategyVersion

from .conftest import built_once
from .helpers import body, client_for, response_text, squeeze
from .test_canaries import GONE, MEMBERS, STAFF, _by_kind, plant

FOLLOWED = ("/api/v1/", "/papers/", "/documents/")
WALK_LIMIT = 1500


@pytest.fixture(scope="module")
def shared_planted(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from built_once(plant, django_db_blocker, tmp_path_factory)


@pytest.fixture
def planted(shared_planted, db, settings):
    planted, media = shared_planted
    settings.MEDIA_ROOT = media
    return planted


def _links(value):
    """Every string in a JSON document that is an address on this site."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _links(item)
    elif isinstance(value, str) and value.startswith("http://testserver/"):
        yield value


def walk(client) -> dict[str, tuple[int, str]]:
    """Everything reachable from the API's root by following the addresses it gives (lists,
    their next pages, details, agenda links, paper and document downloads)."""
    start = reverse("api:api-root")
    queue, seen, pages = deque([start]), {start}, {}
    while queue and len(pages) < WALK_LIMIT:
        address = queue.popleft()
        response = client.get(address)
        content = body(response)
        pages[address] = (response.status_code, response_text(response, content))
        if response.get("Content-Type", "").startswith("application/json"):
            for link in _links(json.loads(content)):
                parts = urlsplit(link)
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if parts.path.startswith(FOLLOWED) and local not in seen:
                    seen.add(local)
                    queue.append(local)
    assert len(pages) < WALK_LIMIT, "the walk did not finish: raise WALK_LIMIT"
    return pages


def direct(client, planted) -> dict[str, tuple[int, str]]:
    """Every object of A at its detail address, whether or not any list gives it; the schema
    and the CSV exports."""
    a = planted.a
    by_kind = {
        "meeting": Meeting.objects.filter(partnership=a),
        "agenda-item": AgendaItem.objects.filter(meeting__partnership=a),
        "paper": Paper.objects.filter(agenda_item__meeting__partnership=a),
        # Every step of every path, the reused papers' steps at the exempt item and private session included.
        "consideration": Consideration.objects.filter(paper__agenda_item__meeting__partnership=a),
        "decision": Decision.objects.filter(partnership=a),
        "action": Action.objects.filter(partnership=a),
        "strategy-version": StrategyVersion.objects.filter(strategy__partnership=a),
        "priority": Priority.objects.filter(version__strategy__partnership=a),
        "person": Person.objects.all(),
        "membership": Membership.objects.filter(partnership=a),
        "chair-appointment": ChairAppointment.objects.filter(partnership=a),
    }
    addresses = [
        reverse(f"api:{kind}-detail", args=[pk])
        for kind, rows in by_kind.items()
        for pk in rows.values_list("pk", flat=True)
    ]
    addresses += [reverse("api:schema"), reverse("api:docs")]
    addresses += [reverse(name, args=[a.slug]) for name in ("api:meetings_csv", "api:decisions_csv", "api:actions_csv")]
    found = {}
    for address in addresses:
        response = client.get(address)
        found[address] = (response.status_code, response_text(response))
    return found


def _found(pages, canaries) -> dict[str, list[str]]:
    squeezed = {address: squeeze(text) for address, (_, text) in pages.items()}
    return {
        canary: [address for address, text in squeezed.items() if canary in text][:5]
        for canary in canaries
        if any(canary in text for text in squeezed.values())
    }


@pytest.mark.parametrize("reader", ["anonymous", "member of A", "member of B"])
def test_no_canary_reaches_any_api_response(planted, reader):
    user = {"anonymous": None, "member of A": planted.users.member, "member of B": planted.users.other_member}[reader]
    client = client_for(user)
    canaries = _by_kind(planted.c, MEMBERS, STAFF, GONE)
    pages = walk(client)

    # The walk really went everywhere: every endpoint, A's public meeting, its papers and pack.
    reached = {address for address, (status, _) in pages.items() if status == 200}
    for basename in (
        "meeting",
        "agenda-item",
        "paper",
        "consideration",
        "decision",
        "action",
        "strategy-version",
        "priority",
    ):
        assert reverse(f"api:{basename}-list") in reached, basename
    assert reverse("api:meeting-detail", args=[planted.board.pk]) in reached
    assert any("The winter plan." in text for address, (_, text) in pages.items() if address.startswith("/papers/"))
    assert any(address.startswith("/documents/") for address in reached), "no agenda pack or minutes reached"
    assert any("Contract award" in text for _, text in pages.values()), "the exempt item's title is public"

    failures = []
    leaked = _found(pages, canaries)
    if leaked:
        failures.append(f"canaries in the API walked as {reader}: {leaked}")
    asked = direct(client, planted)
    leaked = _found(asked, canaries)
    if leaked:
        failures.append(f"canaries in API responses asked for directly by {reader}: {leaked}")
    for address in (reverse("api:meeting-detail", args=[planted.private.pk]),):
        if asked[address][0] != 404:
            failures.append(f"the private session answers {reader} with {asked[address][0]}")
    assert not failures, "\n".join(failures)
