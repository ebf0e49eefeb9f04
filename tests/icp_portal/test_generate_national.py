"""The national-scale data generator and its command (benchmarks use them; see docs/performance.md)."""

import io

import pytest
from django.core.management import CommandError, call_command

from icp_portal.national import PREFIX, Plan, generated_batches, generated_partnerships, national_generate
from meetings.conflicts import conflict_prompts
from meetings.models import AgendaItem, Meeting, Minutes, Paper, PaperVersion
from membership.models import Interest, Person
from partnerships.factories import IntegratedCareSystemFactory, SystemLocalAuthorityFactory
from partnerships.models import Partnership

PLAN = Plan(systems=1, partnerships=2, people=30, meetings=12, years=8, upcoming_per_partnership=2)


@pytest.fixture
def geography(db):
    for _ in range(2):
        ics = IntegratedCareSystemFactory()
        SystemLocalAuthorityFactory(ics=ics)
        SystemLocalAuthorityFactory(ics=ics)


def _shape(batch: int) -> dict:
    partnerships = generated_partnerships(batch)
    meetings = Meeting.objects.filter(partnership__in=partnerships)
    return {
        "partnerships": sorted(p.slug.removeprefix(f"{PREFIX}b{batch}-").removeprefix(PREFIX) for p in partnerships),
        "meetings": sorted((m.starts_at, m.agenda_published_at, m.is_public, m.status) for m in meetings),
        "items": sorted(
            AgendaItem.objects.filter(meeting__in=meetings).values_list(
                "position", "title", "is_exempt", "exempt_paragraph"
            )
        ),
        "people": sorted(
            Person.objects.filter(memberships__partnership__in=partnerships)
            .distinct()
            .values_list("given_name", "family_name", "honorific")
        ),
        "named": sorted(
            AgendaItem.organisations.through.objects.filter(agendaitem__meeting__in=meetings).values_list(
                "agendaitem__position", "agendaitem__title", "organisation__name"
            )
        ),
        "registers": sorted(
            Interest.objects.filter(person__memberships__partnership__in=partnerships)
            .distinct()
            .values_list("person__given_name", "person__family_name", "organisation_name")
        ),
    }


def test_the_same_seed_gives_the_same_data(geography):
    national_generate(PLAN, seed=7)
    national_generate(PLAN, seed=7)
    assert generated_batches() == 2
    assert _shape(1) == _shape(2)


def test_generated_data_follows_the_rules(geography):
    report = national_generate(PLAN, seed=3)
    partnerships = generated_partnerships(1)
    assert partnerships.filter(kind=Partnership.Kind.STATUTORY_ICP).count() == 1
    assert partnerships.count() == 2
    assert report.created["meetings"] == 12
    assert not Person.objects.filter(slug__startswith=PREFIX, is_demonstration=False).exists()
    exempt = AgendaItem.objects.filter(is_exempt=True)
    assert exempt.exists() and not exempt.filter(exempt_paragraph=None).exists()
    assert not exempt.filter(exempt_reason="").exists()
    # Every paper has a current version, and every version shares one file.
    assert not Paper.objects.filter(current_version=None).exists()
    assert PaperVersion.objects.values("file").distinct().count() == 1
    # Past meetings have published agendas; each partnership's latest held meeting has draft minutes.
    assert Minutes.objects.filter(status=Minutes.Status.DRAFT).count() == 2
    assert Minutes.objects.filter(status=Minutes.Status.APPROVED, approval_decision=None).count() == 0
    upcoming = Meeting.objects.filter(status=Meeting.Status.SCHEDULED)
    assert upcoming.filter(agenda_published_at=None).exists()


def test_the_command_needs_the_reference_data(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("generate_national", "--scale", "0.01", stdout=io.StringIO())


def test_the_command_refuses_a_second_run_without_force(geography):
    out = io.StringIO()
    call_command("generate_national", "--scale", "0.01", "--seed", "5", stdout=out)
    assert "meetings" in out.getvalue() and "Generated batch 1" in out.getvalue()
    with pytest.raises(CommandError, match="already holds generated national data"):
        call_command("generate_national", "--scale", "0.01", stdout=io.StringIO())
    call_command("generate_national", "--scale", "0.01", "--force", stdout=out)
    assert generated_batches() == 2
    assert Partnership.objects.filter(slug__startswith=f"{PREFIX}b2-").exists()


def test_generated_decisions_follow_the_quorum(geography):
    """Each held meeting has attendance that makes it quorate, minutes are approved at a quorate
    item, and a decision at an item left without a quorum (members leaving early) says so."""
    from meetings.models import Decision
    from meetings.record import quorum_record

    national_generate(PLAN, seed=3)
    statutory = generated_partnerships(1).get(kind=Partnership.Kind.STATUTORY_ICP)
    assert (statutory.quorum_numerator, statutory.quorum_denominator, statutory.quorum_requires_council) == (1, 3, True)
    held = Meeting.objects.filter(status=Meeting.Status.HELD).select_related("partnership")
    assert held.exists()
    for meeting in held:
        record = quorum_record(meeting)
        assert record.met is True, meeting
        for decision in meeting.decisions.all():
            quorum = record.at(decision.agenda_item_id)
            assert quorum.met is not decision.inquorate, (decision, quorum.explanation)
    approvals = Decision.objects.filter(approved_minutes__isnull=False)
    assert approvals.exists() and not approvals.filter(inquorate=True).exists()


def test_a_council_covering_a_system_in_two_periods_is_generated_once(db):
    """The real reference data has a council in one system before and after a boundary change."""
    import datetime as dt

    from strategy.models import Priority

    ics = IntegratedCareSystemFactory()
    moved = SystemLocalAuthorityFactory(ics=ics, valid_to=dt.date(2024, 3, 31))
    SystemLocalAuthorityFactory(ics=ics, local_authority=moved.local_authority, valid_from=dt.date(2024, 4, 1))
    national_generate(
        Plan(systems=1, partnerships=1, people=20, meetings=6, years=4, upcoming_per_partnership=1), seed=1
    )
    through = Priority.local_authorities.through
    links = list(through.objects.values_list("priority_id", "localauthority_id"))
    assert links and len(links) == len(set(links))


def test_items_name_the_partner_bodies_that_registers_name(geography):
    # The conflicts of interest checks have something to find in generated data, as in a real
    # partnership's: every exempt item names a partner body of its system, and registers name them.
    national_generate(PLAN, seed=3)
    meetings = Meeting.objects.filter(partnership__in=generated_partnerships(1))
    exempt = AgendaItem.objects.filter(meeting__in=meetings, is_exempt=True)
    assert exempt.exists() and not exempt.filter(organisations=None).exists()
    assert not AgendaItem.objects.filter(meeting__in=meetings).exclude(standard="").exclude(organisations=None).exists()
    named = set(
        AgendaItem.organisations.through.objects.filter(agendaitem__meeting__in=meetings).values_list(
            "organisation__name", flat=True
        )
    )
    registered = set(Interest.objects.values_list("organisation_name", flat=True))
    assert registered & named and all(name.endswith("(synthetic)") for name in registered)
    assert any(conflict_prompts(meeting) for meeting in meetings.select_related("partnership"))
