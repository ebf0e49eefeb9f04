"""The secretariat's pages keep their lists and read-outs between requests
(icp_portal/templatetags/fragments.py, docs/adr/007-workspace-fragments.md): a kept part is the
part as rendered, without its reads; a committed change is on the very next request; rights are
checked on every request; nothing kept is one reader's (accounts, CSRF tokens); and nothing kept
shows a table whose writes leave the version as it is.

The tests commit (`transaction=True`): the version is replaced only when a transaction commits."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icp_portal import pagecache
from icp_portal.templatetags import fragments
from meetings.factories import ActionFactory, AgendaItemFactory, DecisionFactory, MeetingFactory
from meetings.models import AgendaItem
from membership.factories import MembershipFactory, PersonFactory, SecretariatAssignmentFactory, UserFactory
from membership.models import SecretariatAssignment
from membership.permissions import permissions_sync
from partnerships.factories import PartnershipFactory
from publishing.models import PublishedDocument

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_pages")]

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
READS_PRIVATE_TABLE = re.compile(r'(FROM|JOIN) "({})'.format("|".join(pagecache.PRIVATE_TABLES)))


def statements(queries) -> set[str]:
    """The statements run, without their values (a session's expiry is compared with the time)."""
    return {re.sub(r"'[^']*'", "?", query["sql"]) for query in queries}


@pytest.fixture
def secretariat(client, cast):
    client.force_login(cast.secretariat)
    return client


def meeting_with_agenda(partnership, *, published: bool):
    meeting = MeetingFactory(
        partnership=partnership,
        title="Partnership board",
        agenda_published_at=timezone.now() - dt.timedelta(days=1) if published else None,
    )
    for position, title in enumerate(["Welcome and apologies", "Winter plan"], start=1):
        AgendaItemFactory(meeting=meeting, position=position, title=title)
    return meeting


def staff_pages(cast) -> dict[str, str]:
    slug = cast.partnership.slug
    meeting = meeting_with_agenda(cast.partnership, published=True)
    DecisionFactory(meeting=meeting, wording="The partnership agreed the winter plan.")
    ActionFactory(meeting=meeting, description="Report on the winter plan in March.")
    return {
        "workspace home": reverse("workspace:home"),
        "dashboard": reverse("workspace:dashboard", args=[slug]),
        "meetings": reverse("meetings:staff_list", args=[slug]),
        "meeting workspace": reverse("meetings:staff_meeting", args=[slug, meeting.pk]),
        "publications": reverse("publishing:jobs", args=[slug]),
        "decision register": reverse("record:decision_register", args=[slug]),
        "action log": reverse("record:action_log", args=[slug]),
    }


def assign(user, partnership):
    SecretariatAssignmentFactory(partnership=partnership, user=user)
    permissions_sync(partnership)


def failed_pack(meeting):
    return PublishedDocument.objects.create(
        partnership=meeting.partnership,
        kind=PublishedDocument.Kind.AGENDA_PACK,
        meeting=meeting,
        title="Agenda pack",
        status="failed",
        error="WeasyPrint ran out of memory",
    )


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """What the form `form_id` of a page submits besides the button pressed: its hidden fields."""
    form = re.search(rf'<form id="{form_id}" method="post">(.*?)</form>', html, re.S)[1]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF_TOKEN.sub("", response.content.decode())


def test_kept_parts_are_served_as_rendered_without_their_reads_and_read_no_private_table(secretariat, cast):
    """The second request of each page is the first as rendered (but for the CSRF token of the
    reader's session) and reads less; what only the first read, the kept part's reads, touches no
    table whose writes leave the version as it is (an invitation sent would not show)."""
    for name, url in staff_pages(cast).items():
        with CaptureQueriesContext(connection) as first_reads:
            first = page(secretariat, url)
        with CaptureQueriesContext(connection) as second_reads:
            second = page(secretariat, url)
        assert second == first, name
        assert len(second_reads) < len(first_reads), name
        kept_reads = statements(first_reads) - statements(second_reads)
        private = [sql for sql in kept_reads if READS_PRIVATE_TABLE.search(sql)]
        assert not private, (name, private)


def new_member(cast):
    MembershipFactory(partnership=cast.partnership, person=PersonFactory(family_name="Zebedee"))


CHANGES = {
    "dashboard": (new_member, "Zebedee"),
    "workspace home": (
        lambda cast: assign(cast.secretariat, PartnershipFactory(name="Fenland Partnership")),
        "Fenland Partnership",
    ),
    "meetings": (
        lambda cast: MeetingFactory(partnership=cast.partnership, title="Extraordinary board"),
        "Extraordinary board",
    ),
    "meeting workspace": (
        lambda cast: AgendaItem.objects.filter(title="Winter plan").update(title="Winter plan, revised"),
        "Winter plan, revised",
    ),
    "publications": (
        lambda cast: failed_pack(MeetingFactory(partnership=cast.partnership)),
        "WeasyPrint ran out of memory",
    ),
    "decision register": (
        lambda cast: DecisionFactory(
            meeting=MeetingFactory(partnership=cast.partnership), wording="The partnership adopted the carers' charter."
        ),
        "adopted the carers&#x27; charter",
    ),
    "action log": (
        lambda cast: ActionFactory(
            meeting=MeetingFactory(partnership=cast.partnership), description="Publish the carers' charter."
        ),
        "Publish the carers&#x27; charter",
    ),
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_committed_change_is_on_the_next_request(secretariat, cast, name):
    change, shown = CHANGES[name]
    url = staff_pages(cast)[name]
    assert shown not in page(secretariat, url)
    assert page(secretariat, url) == page(secretariat, url)  # kept
    change(cast)
    assert shown in page(secretariat, url)


def test_each_account_is_shown_its_own_partnerships(cast):
    """The home page's list is kept per account: another secretariat is never shown the first's."""
    first, second = Client(), Client()
    first.force_login(cast.secretariat)
    other_secretariat = UserFactory(username="other_secretariat")
    assign(other_secretariat, cast.other_partnership)
    second.force_login(other_secretariat)
    url = reverse("workspace:home")
    assert cast.partnership.name in page(first, url)
    shown = page(second, url)
    assert cast.other_partnership.name in shown and cast.partnership.name not in shown


def test_rights_are_checked_on_every_request(secretariat, cast):
    """A kept dashboard is no right to it: ended assignments refuse the very next request."""
    MembershipFactory(partnership=cast.partnership, person=PersonFactory(family_name="Zebedee"))
    url = reverse("workspace:dashboard", args=[cast.partnership.slug])
    assert "Zebedee" in page(secretariat, url)
    SecretariatAssignment.objects.filter(user=cast.secretariat).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    permissions_sync(cast.partnership)
    response = secretariat.get(url)
    assert response.status_code in (403, 404) and b"Zebedee" not in response.content


def test_the_next_secretariat_moves_items_of_a_kept_draft_agenda_with_their_own_token(cast):
    """The draft agenda's move buttons submit a form outside the kept agenda: the agenda holds
    no token, and a colleague served the kept agenda moves an item with their own session's."""
    meeting = meeting_with_agenda(cast.partnership, published=False)
    url = reverse("meetings:staff_meeting", args=[cast.partnership.slug, meeting.pk])
    # Everyone signs in first: signing in is a write (the account's last sign-in).
    colleague = UserFactory(username="colleague")
    assign(colleague, cast.partnership)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(cast.secretariat)
    second.force_login(colleague)
    assert first.get(url).status_code == 200
    with CaptureQueriesContext(connection) as reads:
        html = second.get(url).content.decode()
    # The agenda was kept: its papers were not read (the standard items still missing are read
    # for the button below it, from the items' titles alone).
    assert not any('FROM "meetings_paper"' in q["sql"] for q in reads)
    winter = AgendaItem.objects.get(meeting=meeting, title="Winter plan")
    move = reverse("meetings:staff_item_move", args=[cast.partnership.slug, meeting.pk, winter.pk])
    assert f'formaction="{move}"' in html
    response = second.post(move, {**form_fields(html, "agenda-moves"), "direction": "up"})
    assert response.status_code == 302
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Winter plan", "Welcome and apologies"]
    assert second.get(url).content.decode().index("Winter plan") < second.get(url).content.decode().index("Welcome")


@pytest.mark.parametrize(
    "page_name, form_id", [("meeting workspace", "document-retries"), ("publications", "publication-retries")]
)
def test_the_next_secretariat_retries_a_failed_pdf_of_a_kept_list_with_their_own_token(cast, page_name, form_id):
    """The "Try again" buttons submit a form outside the kept list, with the reader's own token
    (and, on the meeting's page, the way back to it)."""
    url = staff_pages(cast)[page_name]
    back = url + "#documents" if page_name == "meeting workspace" else url
    failed = failed_pack(AgendaItem.objects.get(title="Winter plan").meeting)
    colleague = UserFactory(username="colleague")
    assign(colleague, cast.partnership)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(cast.secretariat)
    second.force_login(colleague)
    assert "WeasyPrint ran out of memory" in page(first, url)
    with CaptureQueriesContext(connection) as reads:
        html = second.get(url).content.decode()
    assert not any('FROM "publishing_publisheddocument"' in q["sql"] for q in reads)  # the list was kept
    retry = reverse("publishing:retry", args=[cast.partnership.slug, failed.pk])
    assert f'form="{form_id}" formaction="{retry}"' in html
    response = second.post(retry, form_fields(html, form_id))
    assert response.status_code == 302 and response["Location"] == back


def test_a_part_holding_a_csrf_token_is_rendered_each_time_and_never_kept():
    kept = Template("{% load fragments %}{% workspace_fragment 'read-out' 1 %}{{ n }}{% endworkspace_fragment %}")
    assert kept.render(Context({"n": "first"})) == "first"
    assert kept.render(Context({"n": "second"})) == "first"
    with_token = Template(
        "{% load fragments %}{% workspace_fragment 'form' 1 %}"
        '<input type="hidden" name="csrfmiddlewaretoken" value="{{ n }}">{% endworkspace_fragment %}'
    )
    assert "first" in with_token.render(Context({"n": "first"}))
    assert "second" in with_token.render(Context({"n": "second"}))


def test_a_part_varies_with_the_values_named_after_it():
    template = Template("{% load fragments %}{% workspace_fragment 'read-out' pk %}{{ n }}{% endworkspace_fragment %}")
    assert template.render(Context({"pk": 1, "n": "one"})) == "one"
    assert template.render(Context({"pk": 2, "n": "two"})) == "two"
    assert template.render(Context({"pk": 1, "n": "changed"})) == "one"


def test_without_the_cache_the_page_is_rendered(secretariat, cast, monkeypatch):
    def unavailable():
        raise ConnectionError("cache down")

    MembershipFactory(partnership=cast.partnership, person=PersonFactory(family_name="Zebedee"))
    monkeypatch.setattr(fragments, "fragment_cache", unavailable)
    assert "Zebedee" in page(secretariat, reverse("workspace:dashboard", args=[cast.partnership.slug]))


def test_a_private_meeting_starting_or_ending_is_a_boundary(cast):
    """What is due changes when any meeting ends (attendance and minutes are then waited for),
    public or private: the next boundary counts private sessions too."""
    soon = timezone.now() + dt.timedelta(hours=1)
    MeetingFactory(partnership=cast.partnership, is_public=False, starts_at=soon, ends_at=soon + dt.timedelta(hours=2))
    version = pagecache.current_version()
    assert pagecache.next_boundary(version, timezone.now()) == soon.astimezone(dt.UTC).isoformat()


def test_each_page_of_a_list_is_kept_apart(secretariat, cast):
    for n in range(51):
        MembershipFactory(partnership=cast.partnership, person=PersonFactory(family_name=f"Zed{n:02d}"))
    url = reverse("workspace:dashboard", args=[cast.partnership.slug])
    first = page(secretariat, url)
    second = page(secretariat, url + "?page=2")
    assert "Current members, page 1 of 2" in first and "Current members, page 2 of 2" in second


def test_each_secretariat_is_shown_as_themselves(cast):
    """The dashboard's secretariat table marks the reader's own assignment: kept for each account."""
    colleague = UserFactory(username="colleague", first_name="Cora", last_name="Colleague")
    assign(colleague, cast.partnership)
    url = reverse("workspace:dashboard", args=[cast.partnership.slug])
    first, second = Client(), Client()
    first.force_login(cast.secretariat)
    second.force_login(colleague)
    shown_first, shown_second = page(first, url), page(second, url)
    assert "Cora Colleague (you)" not in shown_first and "Cora Colleague (you)" in shown_second
    assert shown_first.count("(you)") == shown_second.count("(you)") == 1
