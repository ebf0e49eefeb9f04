"""The conflicts policy: an exempt item's papers withheld from a member with a financial
interest in an organisation it concerns, on the meeting page, the paper download and the
members' pack, for each actor; and the secretariat's list of who was withheld what."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.access import papers_withheld_from, withholdings
from meetings.conflicts import MeetingInterests, conflict_prompts
from meetings.models import Declaration, ExemptionRelease
from membership.factories import InterestFactory, PersonFactory
from membership.models import Interest
from partnerships.models import ConflictsPolicy
from publishing import services as publishing
from tests.meetings.conftest import body

from .conftest import SECRET

NOTICE = "Withheld: you have declared an interest"


def _login(client, world, who):
    if who == "other_secretariat":
        client.force_login(world.other_secretariat)
    elif who:
        client.force_login(getattr(world.cast, who))


def _paper_url(paper):
    return reverse("meetings:paper", args=[paper.current_version.token])


def _policy(world, policy):
    world.cast.partnership.conflicts_policy = policy
    world.cast.partnership.save(update_fields=["conflicts_policy"])
    world.meeting.partnership.refresh_from_db()


# The rule ---------------------------------------------------------------------------------


def test_a_registered_financial_interest_withholds_the_exempt_papers_only(world):
    [withholding] = withholdings(world.meeting)
    assert withholding.person == world.member
    assert withholding.paper == world.tender
    assert withholding.organisations == ("Northshire Community Health CIC",)
    assert withholding.basis == "registered"
    # The chair's interest in the CIC is not financial; the co-chair's financial interest is in
    # an organisation of a public item, whose papers the public read anyway.


def test_a_restricted_paper_on_a_public_item_is_withheld_too(world):
    world.public_paper.restricted = True
    world.public_paper.save()
    assert {(w.person, w.paper) for w in withholdings(world.meeting)} == {
        (world.member, world.tender),
        (world.co_chair, world.public_paper),
    }


def test_a_financial_interest_declared_at_the_meeting_withholds(world):
    world.member.interests.all().delete()
    assert withholdings(world.meeting) == []
    interest = InterestFactory(
        person=world.chair, category=Interest.Category.FINANCIAL, organisation_name="Something unrelated"
    )
    # Declared on the exempt item itself: withheld, whatever organisation the entry names.
    Declaration.objects.create(
        meeting=world.meeting, agenda_item=world.exempt_item, person=world.chair, interest=interest, description="x"
    )
    [withholding] = withholdings(world.meeting)
    assert (withholding.person, withholding.paper, withholding.basis) == (world.chair, world.tender, "declared")


def test_an_ended_interest_withholds_nothing(world):
    world.member.interests.update(end_date=world.meeting.date.replace(year=world.meeting.date.year - 1))
    assert withholdings(world.meeting) == []


def test_the_policy_both_ways(world):
    assert set(papers_withheld_from(world.cast.member, world.meeting)) == {world.tender.pk}
    _policy(world, ConflictsPolicy.READ)
    assert withholdings(world.meeting) == []
    assert papers_withheld_from(world.cast.member, world.meeting) == {}


@pytest.mark.parametrize(
    ("who", "withheld"),
    [
        ("member", True),
        ("chair", False),
        ("co_chair", False),
        ("secretariat", False),
        ("other_secretariat", False),
        ("stranger", False),
    ],
)
def test_who_is_withheld(world, who, withheld):
    user = world.other_secretariat if who == "other_secretariat" else getattr(world.cast, who)
    assert bool(papers_withheld_from(user, world.meeting)) is withheld


def test_the_secretariat_is_never_withheld_even_with_an_interest(world):
    world.cast.secretariat.person = None
    from membership.factories import PersonFactory

    PersonFactory(user=world.cast.secretariat)
    InterestFactory(
        person=world.cast.secretariat.person,
        category=Interest.Category.FINANCIAL,
        organisation_name="Northshire Community Health CIC",
    )
    assert papers_withheld_from(world.cast.secretariat, world.meeting) == {}


# The meeting page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_link", "sees_notice"),
    [
        ("member", False, True),
        ("chair", True, False),
        ("co_chair", True, False),
        ("secretariat", True, False),
        ("other_secretariat", False, False),
        (None, False, False),
    ],
)
def test_meeting_page(client, world, who, sees_link, sees_notice):
    _login(client, world, who)
    response = client.get(world.meeting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (_paper_url(world.tender) in html) is sees_link
    assert (NOTICE in html) is sees_notice
    if sees_notice:
        assert "Tender evaluation" in html  # the title stays on the member's agenda
    # Everyone who reaches the page may read the public paper.
    assert _paper_url(world.public_paper) in html


def test_meeting_page_with_the_policy_read(client, world):
    _policy(world, ConflictsPolicy.READ)
    client.force_login(world.cast.member)
    html = client.get(world.meeting.get_absolute_url()).content.decode()
    assert _paper_url(world.tender) in html and NOTICE not in html


# The paper download -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("chair", 200),
        ("co_chair", 200),
        ("secretariat", 200),
        ("other_secretariat", 404),
        ("stranger", 404),
        (None, 404),
    ],
)
def test_paper_download(client, world, who, status):
    _login(client, world, who)
    response = client.get(_paper_url(world.tender))
    assert response.status_code == status
    if status == 403:
        html = response.content.decode()
        assert NOTICE in html and "Northshire Community Health CIC" in html
        assert SECRET not in html
        assert response["Cache-Control"] == "private, no-store"
    if status == 200:
        assert body(response).startswith(b"%PDF-")


def test_paper_download_with_the_policy_read(client, world):
    _policy(world, ConflictsPolicy.READ)
    client.force_login(world.cast.member)
    response = client.get(_paper_url(world.tender))
    assert response.status_code == 200 and body(response).startswith(b"%PDF-")


def test_the_public_paper_is_not_withheld(client, world):
    world.public_paper.organisations.set([world.cic])
    client.force_login(world.cast.member)
    response = client.get(_paper_url(world.public_paper))
    assert response.status_code == 200 and body(response).startswith(b"%PDF-")


# The members' pack ------------------------------------------------------------------------


@pytest.fixture
def members_pack(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, members = publishing.agenda_pack_request(meeting=world.meeting)
    members.refresh_from_db()
    assert members.status == "done"
    return members


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("who", "status", "reads_secret"),
    [
        ("member", 200, False),
        ("chair", 200, True),
        ("co_chair", 200, True),
        ("secretariat", 200, True),
        ("other_secretariat", 404, False),
        ("stranger", 404, False),
        (None, 404, False),
    ],
)
def test_members_pack(client, world, members_pack, who, status, reads_secret):
    _login(client, world, who)
    response = client.get(members_pack.get_absolute_url())
    assert response.status_code == status
    if status != 200:
        return
    text = _pdf_text(body(response))
    assert (SECRET in text) is reads_secret
    assert "Public review text" in text
    if not reads_secret:
        assert "Withheld: you have declared an interest" in text.replace("\n", " ")
        assert response["Cache-Control"] == "private, no-store"


def test_members_pack_with_the_policy_read(client, world, members_pack):
    _policy(world, ConflictsPolicy.READ)
    client.force_login(world.cast.member)
    assert SECRET in _pdf_text(body(client.get(members_pack.get_absolute_url())))


# The secretariat's view -------------------------------------------------------------------


def test_the_staff_meeting_page_says_who_was_withheld_what(client, world):
    client.force_login(world.cast.secretariat)
    response = client.get(reverse("meetings:staff_meeting", args=[world.cast.partnership.slug, world.meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Papers withheld because of an interest" in html
    assert world.member.display_name in html and "Item 2: Tender evaluation" in html
    assert "on their register of interests" in html
    # The prompts, each with its link to the filled-in declaration form.
    assert "has a financial interest in Northshire Community Health CIC, named on item 2" in html
    assert "Record the declaration" in html
    _policy(world, ConflictsPolicy.READ)
    html = client.get(
        reverse("meetings:staff_meeting", args=[world.cast.partnership.slug, world.meeting.pk])
    ).content.decode()
    assert "No member is withheld a paper of this meeting." in html


@pytest.mark.parametrize("who", ["other_secretariat", "member", "chair", None])
def test_only_the_secretariat_sees_the_staff_page(client, world, who):
    _login(client, world, who)
    response = client.get(reverse("meetings:staff_meeting", args=[world.cast.partnership.slug, world.meeting.pk]))
    assert response.status_code in {302, 403, 404}
    assert world.member.display_name not in response.content.decode()


def test_a_released_exemption_is_withheld_from_nobody(world):
    # Once released, the public read the paper: a member's interest withholds it no longer.
    ExemptionRelease.objects.create(agenda_item=world.exempt_item, reason="Contract signed.", determination="Clerk")
    assert withholdings(world.meeting) == []


def test_a_withdrawn_exempt_items_papers_stay_withheld(world):
    # A withdrawn item will not be taken, so it prompts no declaration; its papers stay on the
    # record, and still exempt, so what the item names still withholds them.
    world.exempt_item.withdrawn_at = world.meeting.starts_at
    world.exempt_item.withdrawal_reason = "Deferred"
    world.exempt_item.save()
    [withholding] = withholdings(world.meeting)
    assert (withholding.person, withholding.paper) == (world.member, world.tender)
    assert withholding.organisations == ("Northshire Community Health CIC",)


def test_who_declared_only_at_the_meeting_is_named_without_changing_whose_registers_are_read(world):
    outsider = PersonFactory()
    interest = InterestFactory(person=outsider, category=Interest.Category.FINANCIAL, organisation_name="Elsewhere")
    Declaration.objects.create(
        meeting=world.meeting, agenda_item=world.exempt_item, person=outsider, interest=interest, description="x"
    )
    reads = MeetingInterests(world.meeting)
    assert {w.person for w in withholdings(world.meeting, reads=reads)} == {world.member, outsider}
    # Withholdings adds the outsider to the people it names, not to the registers the prompts check.
    assert outsider.pk not in reads.people
    prompted = {p.person for p in conflict_prompts(world.meeting, reads=reads)}
    assert prompted == {world.member, world.chair, world.co_chair}


def test_with_no_paper_withheld_nothing_more_is_read(world, django_assert_num_queries):
    world.exempt_item.is_exempt = False
    world.exempt_item.save()
    with django_assert_num_queries(1):  # the exempt papers: there are none
        assert withholdings(world.meeting) == []
    world.public_paper.restricted = True
    world.public_paper.save()
    ExemptionRelease.objects.create(paper=world.public_paper, reason="Released.", determination="Clerk")
    with django_assert_num_queries(1):  # the restricted paper, released
        assert withholdings(world.meeting) == []


def test_with_no_organisation_named_a_declaration_on_the_item_still_withholds(world, django_assert_num_queries):
    # Nothing named on the agenda: no register can match, so none is read; a financial interest
    # declared on the exempt item withholds its papers all the same.
    world.exempt_item.organisations.clear()
    world.public_item.organisations.clear()
    assert withholdings(world.meeting) == []
    interest = InterestFactory(person=world.chair, category=Interest.Category.FINANCIAL, organisation_name="Elsewhere")
    Declaration.objects.create(
        meeting=world.meeting, agenda_item=world.exempt_item, person=world.chair, interest=interest, description="x"
    )
    reads = MeetingInterests(world.meeting)
    # The exempt papers, what the agenda names (two) and the declarations: no register.
    with django_assert_num_queries(4):
        [withholding] = withholdings(world.meeting, reads=reads)
    assert (withholding.person, withholding.paper, withholding.basis) == (world.chair, world.tender, "declared")
    [for_the_chair] = withholdings(world.meeting, person=world.chair)
    assert for_the_chair.paper == world.tender


def test_the_prompts_and_withholdings_read_the_meeting_once(world, django_assert_num_queries):
    reads = MeetingInterests(world.meeting)
    # What the agenda names (two), the registers of the people checked (one), the declarations (one).
    with django_assert_num_queries(4):
        prompts = conflict_prompts(world.meeting, reads=reads)
    with django_assert_num_queries(1):  # the exempt papers; the rest was read for the prompts
        shared = withholdings(world.meeting, reads=reads)
    assert prompts == conflict_prompts(world.meeting)
    assert shared == withholdings(world.meeting)
