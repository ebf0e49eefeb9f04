"""Query budgets: each list of the API, and each CSV export, runs a fixed number of queries
whatever the number of rows it returns (an N+1 would grow with the page size)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.urls import router
from icp_portal.national import Plan, generated_partnerships, national_generate
from partnerships.factories import IntegratedCareSystemFactory, RegionFactory, SystemLocalAuthorityFactory
from partnerships.models import Partnership

# The most queries each list may run: one for the page, one per prefetched relation, and the
# partnerships' visibility where a filter or field needs it.
BUDGETS = {
    "region": 1,
    "system": 2,
    "board": 1,
    "council": 2,
    "partnership": 3,
    "person": 1,
    "membership": 1,
    "chair-appointment": 1,
    "meeting": 1,
    "agenda-item": 2,
    "paper": 1,
    "consideration": 1,
    "decision": 1,
    "action": 1,
    "strategy": 2,
    "strategy-version": 1,
    "priority": 2,
}
EXPORT_BUDGETS = {"api:meetings_csv": 2, "api:decisions_csv": 2, "api:actions_csv": 2}
PLAN = Plan(systems=2, partnerships=4, people=60, meetings=24, years=4, upcoming_per_partnership=2)


@pytest.fixture
def national(db):
    region = RegionFactory()
    for councils in (2, 3, 6):
        ics = IntegratedCareSystemFactory(region=region)
        for _ in range(councils):
            SystemLocalAuthorityFactory(ics=ics)
    national_generate(PLAN, seed=1)


def _count(client, url, **params) -> tuple[int, int]:
    client.get(url, params)  # warm process-wide caches (content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured.captured_queries), len(response.json()["results"])


def test_every_list_runs_a_fixed_number_of_queries(client, national):
    assert set(BUDGETS) == {basename for _, _, basename in router.registry}
    failures = []
    for basename, budget in BUDGETS.items():
        url = reverse(f"api:{basename}-list")
        small, small_rows = _count(client, url, page_size=2)
        large, large_rows = _count(client, url, page_size=40)
        if large != small or large > budget:
            failures.append(f"{basename}: {small} queries for {small_rows} rows, {large} for {large_rows}")
        if basename in ("meeting", "agenda-item", "paper", "decision", "action", "person", "membership", "priority"):
            assert large_rows > small_rows, f"{basename}: too little data to tell"
    assert not failures, "\n".join(failures)


def test_the_csv_exports_run_a_fixed_number_of_queries(client, national, django_assert_max_num_queries):
    icps = generated_partnerships(1).filter(kind=Partnership.Kind.STATUTORY_ICP)
    partnership = max(icps, key=lambda p: p.meetings.count())
    for name, budget in EXPORT_BUDGETS.items():
        url = reverse(name, args=[partnership.slug])
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b"\n") > 5, f"{name}: too little data to tell"
