"""The cross-check of registers of interests against the organisations an agenda names,
and the declaration form filled in from a prompt. Hand-worked cases."""

import datetime as dt

from django.urls import reverse

from meetings.conflicts import conflict_prompts, declaration_prefill
from meetings.factories import AttendanceFactory
from meetings.models import Declaration
from membership.factories import ChairAppointmentFactory, InterestFactory, MembershipFactory, PersonFactory
from membership.models import Interest

from .conftest import paper_with_text


def _texts(meeting):
    return {(p.text, p.is_financial, p.declared) for p in conflict_prompts(meeting)}


def test_each_register_naming_an_agenda_organisation_gives_a_prompt(world):
    member, chair, co_chair = world.member, world.chair, world.co_chair
    cic = "Northshire Community Health CIC"
    assert _texts(world.meeting) == {
        # Item 1 names Riverside Hospice: the co-chair's financial interest.
        (f"{co_chair.display_name} has a financial interest in Riverside Hospice, named on item 1", True, False),
        # Item 2 names the CIC: the member's financial interest...
        (f"{member.display_name} has a financial interest in {cic}, named on item 2", True, False),
        # ...and the chair's non-financial one, written in other letter case and spacing.
        (f"{chair.display_name} has a non-financial professional interest in {cic}, named on item 2", False, False),
    }
    # In agenda order.
    assert [p.concern.item.number for p in conflict_prompts(world.meeting)] == [1, 2, 2]


def test_ended_and_future_interests_do_not_count(world):
    on = world.meeting.date
    world.member.interests.update(end_date=on - dt.timedelta(days=1))  # ended the day before
    world.chair.interests.update(start_date=on + dt.timedelta(days=1))  # starts the day after
    texts = {text for text, *_ in _texts(world.meeting)}
    assert texts == {f"{world.co_chair.display_name} has a financial interest in Riverside Hospice, named on item 1"}
    # An interest ending on the day of the meeting still counts.
    world.member.interests.update(end_date=on)
    assert len(conflict_prompts(world.meeting)) == 2


def test_an_interest_in_an_organisation_not_named_gives_no_prompt(world):
    InterestFactory(person=world.member, category=Interest.Category.FINANCIAL, organisation_name="Acme Care Homes Ltd")
    InterestFactory(person=world.member, category=Interest.Category.FINANCIAL, organisation_name="")
    # A name that merely contains a named organisation's is another organisation.
    InterestFactory(
        person=world.member, category=Interest.Category.FINANCIAL, organisation_name="Riverside Hospice Shop"
    )
    assert len(conflict_prompts(world.meeting)) == 3


def test_nothing_named_nothing_checked(world):
    world.public_item.organisations.clear()
    world.exempt_item.organisations.clear()
    assert conflict_prompts(world.meeting) == []


def test_papers_name_organisations_and_withdrawn_items_do_not_count(world):
    world.public_item.organisations.clear()
    paper = world.public_paper
    paper.organisations.set([world.hospice])
    [prompt] = [p for p in conflict_prompts(world.meeting) if p.concern.item == world.public_item]
    assert prompt.text.endswith("named on item 1 (paper “End of life care review”)")
    # A second paper naming it again adds no second prompt for the same item.
    paper_with_text(world.public_item, "Annex", "Annex").organisations.set([world.hospice])
    assert len([p for p in conflict_prompts(world.meeting) if p.concern.item == world.public_item]) == 1
    world.public_item.withdrawn_at = world.meeting.starts_at
    world.public_item.withdrawal_reason = "Deferred"
    world.public_item.save()
    assert all(p.concern.item != world.public_item for p in conflict_prompts(world.meeting))


def test_members_chairs_and_attendees_on_the_day_are_checked_others_not(world):
    cast = world.cast
    former = MembershipFactory(
        partnership=cast.partnership,
        start_date=world.meeting.date - dt.timedelta(days=400),
        end_date=world.meeting.date - dt.timedelta(days=1),
    ).person
    former_chair = ChairAppointmentFactory(
        partnership=cast.partnership,
        start_date=world.meeting.date - dt.timedelta(days=400),
        end_date=world.meeting.date - dt.timedelta(days=1),
    ).person
    future_chair = ChairAppointmentFactory(
        partnership=cast.partnership, start_date=world.meeting.date + dt.timedelta(days=1)
    ).person
    elsewhere = MembershipFactory(partnership=cast.other_partnership).person
    chair_elsewhere = ChairAppointmentFactory(partnership=cast.other_partnership).person
    visitor = PersonFactory()
    AttendanceFactory(meeting=world.meeting, person=visitor, status="in_attendance")
    others = (former, former_chair, future_chair, elsewhere, chair_elsewhere)
    for person in (*others, visitor):
        InterestFactory(person=person, category=Interest.Category.FINANCIAL, organisation_name="Riverside Hospice")
    people = {p.person for p in conflict_prompts(world.meeting)}
    # The cast's chair and co-chair (chair appointments) and member (a seat), and the visitor.
    assert {world.chair, world.co_chair, world.member, visitor} <= people
    assert not people & set(others)


def test_a_declared_prompt_is_marked(world):
    interest = world.member.interests.get()
    Declaration.objects.create(
        meeting=world.meeting,
        agenda_item=world.exempt_item,
        person=world.member,
        interest=interest,
        description=interest.description,
        action_taken=Declaration.ActionTaken.LEFT_THE_ROOM,
    )
    declared = [p for p in conflict_prompts(world.meeting) if p.declared]
    assert [p.person for p in declared] == [world.member]


def test_the_prompt_links_to_the_declaration_form_filled_in(client, world):
    prompt = next(p for p in conflict_prompts(world.meeting) if p.person == world.member)
    client.force_login(world.cast.secretariat)
    response = client.get(prompt.declaration_url)
    assert response.status_code == 200
    form = response.context["form"]
    interest = world.member.interests.get()
    assert response.context["person"] == world.member
    assert form.initial == {
        "agenda_item": world.exempt_item.pk,
        "interest": str(interest.pk),
        "new_category": Interest.Category.FINANCIAL,
        "new_organisation": "Northshire Community Health CIC",
    }
    html = response.content.decode()
    assert f'value="{interest.pk}" checked' in html
    assert f'<option value="{world.exempt_item.pk}" selected>' in html
    # Saving the pre-filled form records the declaration the prompt asked for.
    data = {
        "agenda_item": world.exempt_item.pk,
        "interest": interest.pk,
        "action_taken": Declaration.ActionTaken.LEFT_THE_ROOM,
    }
    token = response.context["form"]["form_token"].value() if "form_token" in form.fields else None
    if token:
        data["form_token"] = token
    url = reverse("record:declaration_add", args=[world.cast.partnership.slug, world.meeting.pk])
    response = client.post(f"{url}?person={world.member.pk}", data)
    assert response.status_code == 302
    assert Declaration.objects.filter(person=world.member, agenda_item=world.exempt_item, interest=interest).exists()


def test_prefill_ignores_what_is_not_of_this_meeting_or_register(world, cast):
    other_interest = InterestFactory(category=Interest.Category.FINANCIAL)
    other_item = paper_with_text(
        world.exempt_item, "x", "x"
    ).agenda_item  # an item of this meeting, to contrast with one of another
    from meetings.factories import AgendaItemFactory

    foreign_item = AgendaItemFactory()
    query = {
        "item": str(foreign_item.pk),
        "interest": str(other_interest.pk),
        "category": "bribery",
        "organisation": "  Riverside   Hospice ",
    }
    interests = list(world.member.interests.all())
    assert declaration_prefill(query, meeting=world.meeting, interests=interests) == {
        "new_organisation": "Riverside Hospice"
    }
    query["item"] = str(other_item.pk)
    assert declaration_prefill(query, meeting=world.meeting, interests=interests)["agenda_item"] == other_item.pk


def test_the_demo_has_a_conflict_prompt_and_a_withheld_paper(settings, db):
    from io import StringIO

    from django.core.management import call_command

    from meetings.access import withholdings
    from partnerships.models import Partnership

    settings.DEBUG = True
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    strategic = Partnership.objects.get(slug="north-east-and-north-cumbria-strategic-icp")
    meeting = strategic.meetings.get(title="Strategic Integrated Care Partnership (winter)")
    texts = [p.text for p in conflict_prompts(meeting)]
    assert any(t.startswith("Cllr Edwin Saltmarsh has a non-financial personal interest in Friends") for t in texts)
    assert any(t.startswith("Dr Imogen Larchfield has a financial interest in Wear Valley Home Care") for t in texts)
    [withheld] = withholdings(meeting)
    assert (
        withheld.person.display_name == "Dr Imogen Larchfield" and withheld.paper.title == "Winter capacity contracts"
    )
    # A second run adds nothing.
    call_command("load_demo", stdout=StringIO())
    assert len(conflict_prompts(meeting)) == len(texts)
