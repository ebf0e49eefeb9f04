"""Query budgets: each public page type and each staff list page runs a fixed number of
database queries, whatever the size of the data.

Each page is loaded at two data sizes built by the national generator (`icp_portal.national`):
a small batch, then a larger one on top (more partnerships, people, meetings, items, papers,
minutes, decisions and actions, strategy versions), and the page of the larger batch's biggest
statutory ICP is loaded again. Both loads must stay within the page's budget and run the same number of queries
(feeds and the staff meeting page: see `BY_KIND` and `WHEN_NEEDED`).
A page whose count grows with the data has an N+1 query: fix it in the view, not the budget.
"""

import pytest
from django.urls import reverse

from icp_portal.national import Plan, generated_partnerships, national_generate
from meetings.models import Meeting, PaperVersion
from membership.models import ChairAppointment, SecretariatAssignment
from partnerships.factories import IntegratedCareSystemFactory, RegionFactory, SystemLocalAuthorityFactory
from partnerships.models import Partnership

# The most queries each page may run. Public pages are read signed out; staff pages by the
# partnership's secretariat (the session, the user and the second factor that verified the
# session cost three of the queries).
BUDGETS = {
    # Public pages and feeds.
    "home": 1,
    "home search": 3,
    "region": 2,
    # Councils with their moves (one), the partnerships covering them, the systems' history, and when each
    # partnership meets next and what it decided (four: meetings.glance).
    "system": 11,
    "partnership": 11,  # the area covered, the partnerships merged into it, and the glance's four
    "meeting list": 2,  # the partnership, then all its meetings, split and paginated in Python
    # The meeting with its partnership (one, signed out); the agenda (three, with papers tabled elsewhere
    # and considered here) and supplementary agenda, which the check that the public pack is current
    # reuses; the record (eight: the minutes and their entries, attendance, seats, declarations, decisions,
    # actions, and the actions carried forward, which the pack's action log reuses); the documents, and three
    # for the pack's last minutes.
    "meeting": 17,
    "paper page": 3,  # the paper, then its path: which steps the public may see, and those steps
    "paper": 1,
    "person": 6,
    "decisions": 3,
    "actions": 3,  # the partnership, and the open, closed and all counts, which the pages reuse; the page
    "search": 6,  # one per source (meetings, items, minutes, papers, strategies), and papers to rank
    "calendar": 2,
    "system calendar": 2,
    # The partnership, the newest publications of every kind ranked in one, then the rows of each kind
    # among them (meetings.publications): agendas and their items, supplementary agendas, draft and
    # approved minutes with their minutes, decisions, strategies.
    "feed": 9,
    "system feed": 9,
    "national feed": 8,
    "national calendar": 1,
    # The partnership with its strategy, all the public versions, eight for what the version says
    # (strategy.selectors.version_content) and one for its PDF.
    "strategy": 11,
    "strategy versions": 2,
    "strategy version": 11,
    "strategy priority": 6,
    "strategy compare": 8,
    # Staff pages.
    # Three for what is due, whatever the number of partnerships (membership.due): meetings, the
    # figures counted per partnership (actions overdue and exemptions to review, in one), strategy
    # versions.
    "workspace home": 9,
    "dashboard": 15,  # current and future members in one; one for the invitations not accepted
    "past members": 7,
    "audit": 6,
    "staff meetings": 7,  # the partnership, then all its meetings, split and paginated in Python; the series
    # One each for the supplementary agenda and the minutes deadline; five for the conflicts of interest
    # prompts (what the agenda names) and who is withheld which exempt paper (meetings.access.withholdings),
    # which read the registers once between them; one for papers tabled elsewhere and considered here, when
    # an item has one.
    "staff meeting": 17,
    "publications": 7,
    "decision register": 7,
    "action log": 7,
    "strategy workspace": 11,
}

# Long enough for two published versions of the strategy at the small size and three at the large.
SMALL = Plan(systems=1, partnerships=2, people=20, meetings=8, years=8, upcoming_per_partnership=1)
LARGE = Plan(systems=2, partnerships=5, people=150, meetings=50, years=12, upcoming_per_partnership=3)


@pytest.fixture
def geography(db):
    """Three systems with their boards and two, three and six councils (the generator needs them)."""
    region = RegionFactory()
    for councils in (2, 3, 6):
        ics = IntegratedCareSystemFactory(region=region)
        for _ in range(councils):
            SystemLocalAuthorityFactory(ics=ics)


def _urls(batch: int) -> dict[str, tuple[str, object]]:
    """(address, user to sign in or None) for each page, on the biggest statutory ICP of `batch`."""
    icps = generated_partnerships(batch).filter(kind=Partnership.Kind.STATUTORY_ICP)
    partnership = max(icps, key=lambda p: p.meetings.count())
    slug, ics = partnership.slug, partnership.ics
    meeting = (
        partnership.meetings.filter(is_public=True, status=Meeting.Status.HELD, minutes_versions__status="approved")
        .order_by("-starts_at")
        .first()
    )
    paper = PaperVersion.objects.filter(
        paper__agenda_item__meeting=meeting, paper__agenda_item__is_exempt=False, paper__restricted=False
    ).first()
    person = ChairAppointment.objects.filter(partnership=partnership).order_by("-start_date").first().person
    staff = SecretariatAssignment.objects.filter(partnership=partnership).first().user
    first_version = partnership.strategy.versions.public().order_by("number").first()
    priority = partnership.strategy.versions.get(status="published").priorities.order_by("position").first()
    public = {
        "home": reverse("home"),
        "home search": reverse("home") + "?q=council",
        "region": ics.region.get_absolute_url(),
        "system": ics.get_absolute_url(),
        "partnership": partnership.get_absolute_url(),
        "meeting list": reverse("meetings:list", args=[slug]),
        "meeting": meeting.get_absolute_url(),
        "paper": reverse("meetings:paper", args=[paper.token]),
        "paper page": reverse("meetings:paper_page", args=[slug, paper.paper_id]),
        "person": person.get_absolute_url(),
        "decisions": reverse("record:public_decisions", args=[slug]),
        "actions": reverse("record:public_actions", args=[slug]) + "?status=all",
        "search": reverse("publishing:search") + "?q=strategy",
        "calendar": reverse("meetings:calendar", args=[slug]),
        "system calendar": reverse("meetings:system_calendar", args=[ics.slug]),
        "feed": reverse("meetings:feed", args=[slug]),
        "system feed": reverse("meetings:system_feed", args=[ics.slug]),
        "national feed": reverse("meetings:national_feed"),
        "national calendar": reverse("meetings:national_calendar"),
        "strategy": reverse("strategy:public", args=[slug]),
        "strategy versions": reverse("strategy:public_versions", args=[slug]),
        "strategy version": reverse("strategy:public_version", args=[slug, first_version.number]),
        "strategy priority": reverse("strategy:public_priority", args=[slug, priority.version.number, priority.pk]),
        "strategy compare": reverse("strategy:public_compare", args=[slug]),
    }
    staff_pages = {
        "workspace home": reverse("workspace:home"),
        "dashboard": reverse("workspace:dashboard", args=[slug]),
        "past members": reverse("workspace:past_members", args=[slug]),
        "audit": reverse("workspace:audit", args=[slug]),
        "staff meetings": reverse("meetings:staff_list", args=[slug]),
        "staff meeting": reverse("meetings:staff_meeting", args=[slug, meeting.pk]),
        "publications": reverse("publishing:jobs", args=[slug]),
        "decision register": reverse("record:decision_register", args=[slug]),
        "action log": reverse("record:action_log", args=[slug]) + "?status=all",
        "strategy workspace": reverse("strategy:workspace", args=[slug]),
    }
    return {name: (url, None) for name, url in public.items()} | {
        name: (url, staff) for name, url in staff_pages.items()
    }


# Feeds read the rows of only the kinds of publication among their newest entries: a kind absent at
# one size and present at the other is a query less or more, never more than the budget.
BY_KIND = {"feed", "system feed", "national feed"}

# The staff meeting page reads the declarations and the registers of interests for who is withheld
# which paper only when a paper is withheld (meetings.access.withholdings), and papers tabled elsewhere
# only when an item considers one: fewer queries without, never more than the budget.
# tests/meetings_conflicts/test_query_budgets.py holds the page to a fixed number of queries as its
# agenda, members and interests grow.
WHEN_NEEDED = {"staff meeting"}


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_runs_a_fixed_number_of_queries(client, geography, page, django_assert_max_num_queries):
    counts = []
    for batch, plan in enumerate((SMALL, LARGE), start=1):
        national_generate(plan, seed=batch)
        url, user = _urls(batch)[page]
        client.logout()
        if user is not None:
            client.force_login(user)
        # Once to warm process-wide caches (content types, templates), then measured.
        warm = client.get(url)
        if warm.streaming:
            b"".join(warm.streaming_content)
        with django_assert_max_num_queries(BUDGETS[page]) as captured:
            response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # reading a download to the end closes its file
        assert response.status_code == 200, url
        counts.append(len(captured.captured_queries))
    if page not in BY_KIND | WHEN_NEEDED:
        assert counts[0] == counts[1], f"{page}: {counts[0]} queries at the small size, {counts[1]} at the large one"
