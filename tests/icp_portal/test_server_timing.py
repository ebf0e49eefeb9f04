"""SERVER_TIMING: each response says what it cost the server (wall and CPU time, database time
and queries), for the page benchmark and for looking into a slow page; off by default, and never
stored with a cached page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

TIMING = re.compile(r'^app;dur=[\d.]+, cpu;dur=[\d.]+, db;dur=[\d.]+;desc="(\d+) queries"$')


def test_off_by_default(db):
    assert not Client().get(reverse("home")).has_header("Server-Timing")


def test_each_response_says_what_it_cost(settings):
    settings.SERVER_TIMING = True
    partnership = PartnershipFactory()
    response = Client().get(partnership.get_absolute_url())
    assert response.status_code == 200
    queries = int(TIMING.match(response["Server-Timing"]).group(1))
    assert queries > 0  # the partnership page reads the database


def test_a_page_served_from_the_cache_carries_its_own_timing(settings, kept_pages):
    settings.SERVER_TIMING = True
    partnership = PartnershipFactory()
    client = Client()
    first = client.get(partnership.get_absolute_url())
    second = client.get(partnership.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    # The stored copy did not keep the first request's header: the hit reads no page data.
    assert int(TIMING.match(first["Server-Timing"]).group(1)) > int(TIMING.match(second["Server-Timing"]).group(1))
