"""`manage.py load_demo`: fictional people on real footprints, loaded idempotently."""

import logging
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from membership.models import ChairAppointment, Membership, Person
from membership.permissions import ALL, APPROVE_STRATEGY, MANAGE, VIEW_EXEMPT, user_can
from partnerships.models import HealthAndWellbeingBoard, Partnership, Place
from publishing.models import PublishedDocument

STRATEGIC = "north-east-and-north-cumbria-strategic-icp"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, db):
    settings.DEBUG = True
    call_command("load_reference_data", stdout=StringIO())
    return load_demo()


def test_a_second_run_adds_nothing(settings, demo):
    assert "Demo data: " in demo and "people" in demo
    before = row_counts()
    second = load_demo()
    assert "Demo data: nothing new to create." in second
    assert row_counts() == before


def test_demo_logins_are_printed_and_hold_the_expected_permissions(demo):
    for username in ("admin", "secretariat", "chair", "member"):
        assert f"username {username} " in demo
    users = {user.username: user for user in get_user_model().objects.all()}
    strategic = Partnership.objects.get(slug=STRATEGIC)
    area = strategic.sub_partnerships.first()

    assert user_can(users["secretariat"], MANAGE, strategic)
    assert user_can(users["secretariat"], VIEW_EXEMPT, strategic)
    assert not user_can(users["secretariat"], APPROVE_STRATEGY, strategic)
    assert not user_can(users["secretariat"], MANAGE, area)  # assigned to the parent only

    assert user_can(users["chair"], APPROVE_STRATEGY, strategic)
    assert user_can(users["chair"], VIEW_EXEMPT, strategic)
    assert not user_can(users["chair"], MANAGE, strategic)
    assert ChairAppointment.objects.current().get(partnership=strategic, person__user=users["chair"]).role == (
        "co_chair"
    )

    assert user_can(users["member"], VIEW_EXEMPT, strategic)
    assert not user_can(users["member"], APPROVE_STRATEGY, strategic)
    assert not user_can(users["member"], MANAGE, strategic)

    assert users["admin"].is_superuser and users["admin"].is_staff
    assert all(user_can(users["admin"], codename, strategic) for codename in ALL)
    assert not any(users[name].is_staff for name in ("secretariat", "chair", "member"))


def test_every_demo_person_is_marked_as_demonstration(demo):
    assert Person.objects.count() > 60
    assert not Person.objects.filter(is_demonstration=False).exists()


def test_north_east_and_north_cumbria_has_a_strategic_icp_and_four_area_icps(demo):
    strategic = Partnership.objects.get(slug=STRATEGIC)
    assert strategic.kind == Partnership.Kind.STATUTORY_ICP
    areas = strategic.sub_partnerships.order_by("name")
    assert [area.name for area in areas] == [
        "Central Area Integrated Care Partnership",
        "North Area Integrated Care Partnership",
        "North Cumbria Area Integrated Care Partnership",
        "Tees Valley Area Integrated Care Partnership",
    ]
    assert all(area.kind == Partnership.Kind.AREA for area in areas)
    current = Membership.objects.current().filter(partnership=strategic)
    # The seed's core membership: each council's health and wellbeing board chair and a lead officer.
    councils = strategic.ics.local_authorities.all()
    assert councils.count() == 14
    for council in councils:
        assert current.filter(organisation=council).count() == 2, council
        assert HealthAndWellbeingBoard.objects.filter(local_authority=council).exists()
    assert current.filter(organisation=strategic.ics.icb).count() >= 10
    sectors = set(current.values_list("sector", flat=True))
    assert {"icb", "local_authority", "healthwatch", "vcse", "nhs_trust", "university"} <= sectors
    co_chairs = ChairAppointment.objects.current().filter(partnership=strategic, role="co_chair")
    assert co_chairs.count() == 2
    tees = Partnership.objects.get(slug="nenc-tees-valley-area-icp")
    tees_councils = set(
        Membership.objects.current()
        .filter(partnership=tees, sector="local_authority")
        .values_list("organisation__name", flat=True)
    )
    assert tees_councils == {
        "Darlington Borough Council",
        "Hartlepool Borough Council",
        "Middlesbrough Borough Council",
        "Redcar and Cleveland Borough Council",
        "Stockton-on-Tees Borough Council",
    }


def test_other_systems_and_history(demo):
    assert set(Place.objects.filter(ics__slug="surrey-heartlands").values_list("name", flat=True)) == {
        "Surrey Downs",
        "East Surrey",
        "North West Surrey",
        "Guildford and Waverley",
    }
    for slug in ("humber-and-north-yorkshire", "surrey-heartlands", "south-yorkshire", "hampshire-and-isle-of-wight"):
        icp = Partnership.objects.get(ics__slug=slug, kind=Partnership.Kind.STATUTORY_ICP)
        assert Membership.objects.current().filter(partnership=icp).count() >= 4
        assert ChairAppointment.objects.current().filter(partnership=icp).exists()
    assert Membership.objects.past().exclude(end_reason="").exists()
    assert ChairAppointment.objects.past().exclude(end_reason="").exists()
    assert Person.objects.filter(interests__isnull=False).exists()
    assert Person.objects.filter(nil_returns__isnull=False).exists()


def test_demo_pages_render_without_private_details(client, demo):
    strategic = Partnership.objects.get(slug=STRATEGIC)
    pages = [strategic.ics.get_absolute_url(), strategic.get_absolute_url()]
    pages += [person.get_absolute_url() for person in Person.objects.all()[:10]]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "@example.org" not in response.content.decode().replace(strategic.contact_email, ""), path


@pytest.mark.django_db(transaction=True)
def test_the_demo_has_its_pdfs_built_when_make_run_serves_it(settings, caplog):
    """Under `make run` a PDF is built in a thread after the response that asked for it; the demo
    is loaded by a command, whose threads would die with it (or find the database locked) and
    leave every document unbuilt: it builds them itself, before it returns."""
    settings.DEBUG = True
    settings.PUBLISHING_BUILD_IN_THREAD = True
    call_command("load_reference_data", stdout=StringIO())
    with caplog.at_level(logging.WARNING):
        load_demo()
    documents = PublishedDocument.objects.all()
    assert documents.count() >= 5
    assert {document.status for document in documents} == {PublishedDocument.Status.DONE}
    assert not [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    # Nor a warning a newcomer would wonder about: the embedded broker's address, or a rule of
    # the PDFs' stylesheet that WeasyPrint cannot read.
    noise = [
        r.getMessage() for r in caplog.records if r.name.startswith("kombu") or r.getMessage().startswith("Ignored")
    ]
    assert not noise


def test_load_demo_requires_the_reference_data(settings, db):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("load_demo", stdout=StringIO())
    assert not Person.objects.exists()


def test_load_demo_refuses_to_run_with_debug_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())


def test_demo_meetings_cover_the_whole_cycle(demo):
    from meetings.models import Meeting, MeetingsDay, Minutes
    from publishing.models import PublishedDocument

    strategic = Partnership.objects.get(slug=STRATEGIC)
    meetings = {m.title: m for m in strategic.meetings.all()}
    spring = meetings["Strategic Integrated Care Partnership (spring)"]
    summer = meetings["Strategic Integrated Care Partnership (summer)"]
    winter = meetings["Strategic Integrated Care Partnership (winter)"]
    approved = spring.minutes_versions.get()
    assert approved.status == Minutes.Status.APPROVED
    assert approved.approved_at_meeting == summer
    assert approved.approval_decision.meeting == summer
    assert summer.minutes_versions.get().status == Minutes.Status.DRAFT
    assert winter.agenda_is_published and winter.agenda_items.filter(is_exempt=True).exists()
    assert spring.actions.exists() and spring.decisions.exists()
    assert not meetings["Strategic Integrated Care Partnership (spring, next year)"].agenda_is_published
    kinds = set(PublishedDocument.objects.filter(meeting__partnership=strategic).values_list("kind", flat=True))
    assert kinds == {"agenda_pack", "members_pack", "minutes"}

    day = MeetingsDay.objects.get(partnership__slug="humber-and-north-yorkshire-icp")
    sessions = Meeting.objects.filter(meetings_day=day)
    assert sessions.count() == 5
    assert list(sessions.filter(is_public=True).values_list("title", flat=True)) == [
        "Humber and North Yorkshire Integrated Care Partnership"
    ]


def test_demo_decisions_follow_the_quorum(demo):
    """No decision at an item without a quorum unless recorded as taken without one; the demo
    shows both: the spring meeting was quorate, but not for item 6, whose decision is flagged."""
    from meetings.models import Decision
    from meetings.record import quorum_record

    strategic = Partnership.objects.get(slug=STRATEGIC)
    assert (strategic.quorum_numerator, strategic.quorum_denominator, strategic.quorum_minimum) == (1, 3, None)
    for meeting in strategic.meetings.filter(attendance__isnull=False).distinct():
        record = quorum_record(meeting)
        for decision in meeting.decisions.all():
            assert record.at(decision.agenda_item_id).met is not decision.inquorate, decision
    spring = strategic.meetings.get(title="Strategic Integrated Care Partnership (spring)")
    record = quorum_record(spring)
    assert record.explanation.startswith("Quorate: 16 of 42 voting members present, 14 needed")
    assert [entry.number for entry in record.differing if entry.quorum.met is False] == [6]
    assert Decision.objects.get(reference="SICP/2026/09").inquorate
    assert not Decision.objects.get(reference="SICP/2026/07").inquorate


def test_demo_staff_sign_in_with_the_demo_authenticator(demo, settings, client):
    """With DEBUG on, the accounts that must use two-factor sign-in get the demo's published key,
    and `make run` prints how to produce their codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from icp_portal.management.commands.load_demo import DEMO_TOTP_KEY, demo_totp_secret

    assert "manage.py demo_totp secretariat" in demo and demo_totp_secret() in demo
    assert "username secretariat    password demo-secretariat-password + a code" in demo
    demo_devices = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True)
    assert set(demo_devices.values_list("user__username", flat=True)) == {"admin", "secretariat", "chair"}

    out = StringIO()
    call_command("demo_totp", "secretariat", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    response = client.post("/accounts/login/", {"username": "secretariat", "password": "demo-secretariat-password"})
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302 and response["Location"] == "/workspace/"

    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG=1"):
        call_command("demo_totp", "secretariat", stdout=StringIO())


def test_demo_totp_never_computes_a_real_persons_code(settings, db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from membership.factories import UserFactory

    settings.DEBUG = True
    TOTPDevice.objects.create(user=UserFactory(username="real"), name="Phone", confirmed=True)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", "real", stdout=StringIO())


def test_forced_demo_data_without_debug_publishes_no_second_factor(settings, db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("load_reference_data", stdout=StringIO())
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert not TOTPDevice.objects.exists()
    assert "demo_totp" not in out.getvalue()


def test_demo_agenda_changed_after_publication_and_its_dates_are_consistent(demo, client):
    """The winter agenda has a supplementary agenda (a paper replaced, an item withdrawn), and
    no paper is dated after its agenda was published or its meeting held."""
    from django.db.models import F

    from meetings.models import AgendaChange, PaperVersion

    strategic = Partnership.objects.get(slug=STRATEGIC)
    winter = strategic.meetings.get(title="Strategic Integrated Care Partnership (winter)")
    assert set(AgendaChange.objects.filter(meeting=winter).values_list("kind", flat=True)) == {
        "paper_replaced",
        "item_withdrawn",
    }
    withdrawn = winter.agenda_items.get(withdrawn_at__isnull=False)
    assert withdrawn.title == "Access to NHS dentistry"
    page = client.get(winter.get_absolute_url()).content.decode()
    assert page.count("portal-supplement") == 2 and "Withdrawn: the ICB&#x27;s review" in page
    first_versions = PaperVersion.objects.filter(number=1, paper__agenda_item__meeting__partnership=strategic)
    assert first_versions.exists()
    assert not first_versions.filter(uploaded_at__gt=F("paper__agenda_item__meeting__agenda_published_at")).exists()
    assert not PaperVersion.objects.filter(uploaded_at__gt=F("paper__agenda_item__meeting__starts_at")).exists()


def test_demo_has_a_released_exemption_and_every_exemption_a_review_date(demo, client):
    """The spring meeting's lease item was released by an officer's determination: the public
    read its paper, and the record still says it was exempt under paragraph 3."""
    from meetings.models import AgendaItem, ExemptionRelease, Paper

    strategic = Partnership.objects.get(slug=STRATEGIC)
    release = ExemptionRelease.objects.get(agenda_item__meeting__partnership=strategic)
    item = release.agenda_item
    assert (item.is_exempt, item.exempt_paragraph) == (True, 3) and release.determination
    page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert f"Exempt under paragraph 3 until {release.released_on:%-d %B %Y}; released" in page
    assert "Heads of terms for the diagnostic centre lease" in page
    assert not AgendaItem.objects.filter(is_exempt=True, exemption_review_on=None).exists()
    assert not Paper.objects.filter(restricted=True, exemption_review_on=None).exists()


def test_demo_has_an_area_report_taken_through_three_bodies(demo, client):
    """The Central Area ICP's healthy ageing report, tabled again at the Strategic ICP's summer
    meeting and then agreed by the ICB board: the public read its path of three steps, in date
    order, on the paper's page and under the summer meeting's item."""
    from meetings.demo import AREA_REPORT, AREA_REPORT_ITEM
    from meetings.models import AgendaChange, Consideration, Paper

    paper = Paper.objects.get(title=AREA_REPORT)
    area = paper.agenda_item.meeting.partnership
    strategic = Partnership.objects.get(slug=STRATEGIC)
    assert area in strategic.sub_partnerships.all()
    summer = strategic.meetings.get(title="Strategic Integrated Care Partnership (summer)")
    assert paper.considerations.count() == 3
    # Tabled before the summer agenda was published: no supplementary agenda for it.
    assert not AgendaChange.objects.filter(meeting=summer).exists()

    page = client.get(f"/partnerships/{area.slug}/papers/{paper.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    path = html[html.index('id="path"') :]
    steps = [
        "Central Area Integrated Care Partnership (spring)",
        "Outcome: Agreed with amendments: Agreed, with falls prevention",
        f"Strategic Integrated Care Partnership (summer)</a>, item 7: {AREA_REPORT_ITEM}",
        "Outcome: Agreed: Endorsed as the model",
        "NHS North East and North Cumbria ICB board",
        'href="https://icb-board.example/nenc/board-papers"',
        "Outcome: Agreed: Funding agreed",
    ]
    positions = [path.replace("&#x27;", "'").find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), positions
    assert path.count("<li>") == 3

    assert Consideration.objects.public().filter(paper=paper).count() == 3
    meeting_page = client.get(summer.get_absolute_url()).content.decode()
    assert f"/partnerships/{area.slug}/papers/{paper.pk}/" in meeting_page
    assert "for decision here; first tabled at Central Area Integrated Care Partnership, " in meeting_page
