"""The agenda pack carries the previous meeting's public minutes (the approved version, else the
published draft) and the action log of actions still open, for the items "Minutes of the last
meeting" and "Action log", and its fingerprint covers them."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from meetings import presenters, services
from meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    MinuteEntryFactory,
    MinutesFactory,
)
from meetings.models import Action, ActionUpdate, Meeting, Minutes
from meetings.record import actions_carried_forward
from publishing import renderers
from publishing import services as publishing_services
from publishing.models import PublishedDocument

from .conftest import in_days

pytestmark = pytest.mark.django_db


def _publish(meeting):
    services.agenda_add_standard_items(meeting=meeting, actor=None)
    services.agenda_item_add(meeting=meeting, actor=None, title="Strategy refresh")
    services.agenda_publish(meeting=meeting, actor=None, late_reason="The strategy could not wait.")
    meeting.refresh_from_db()
    return meeting


def _front(meeting):
    agendas = presenters.published_agendas([meeting], reader=False)
    return presenters.pack_front_matter([meeting], agendas)[meeting.pk]


@pytest.fixture
def last(cast):
    """The last meeting, held in public a month ago: a public and an exempt item, published
    draft minutes of both, and actions on each."""
    meeting = MeetingFactory(
        partnership=cast.partnership, title="Board", starts_at=in_days(-30), status=Meeting.Status.HELD
    )
    public = AgendaItemFactory(meeting=meeting, position=1, title="Healthy weight")
    exempt = AgendaItemFactory(meeting=meeting, position=2, title="Lease terms", exempt=True)
    minutes = MinutesFactory(meeting=meeting, published_at=in_days(-25))
    MinuteEntryFactory(minutes=minutes, agenda_item=public, discussion="Members discussed CANARY-PUBLIC-MINUTE.")
    MinuteEntryFactory(minutes=minutes, agenda_item=exempt, discussion="The rent is CANARY-EXEMPT-MINUTE.")
    ActionFactory(meeting=meeting, agenda_item=public, description="Bring a CANARY-OPEN-ACTION plan.")
    ActionFactory(meeting=meeting, agenda_item=exempt, description="Negotiate CANARY-EXEMPT-ACTION.")
    done = ActionFactory(meeting=meeting, agenda_item=public, description="CANARY-DONE-ACTION", status="done")
    ActionUpdate.objects.create(action=done, text="Done.", status="done", written_on=timezone.localdate())
    private = MeetingFactory(partnership=cast.partnership, starts_at=in_days(-20), is_public=False)
    ActionFactory(meeting=private, description="CANARY-PRIVATE-ACTION")
    return meeting


@pytest.fixture
def next_meeting(cast, last):
    return _publish(MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(30)))


def test_the_front_matter_holds_the_last_public_minutes_and_open_actions(next_meeting, last):
    front = _front(next_meeting)
    minutes = front.previous_minutes
    assert (minutes.meeting_date, minutes.is_approved, minutes.version) == (last.date, False, 1)
    assert [row.label for row in minutes.rows] == ["Item 1: Healthy weight", "Item 2: exempt under paragraph 3"]
    assert "CANARY-PUBLIC-MINUTE" in minutes.rows[0].discussion
    assert minutes.rows[1].discussion == "" and minutes.rows[1].resolutions == ""
    assert [action.description for action in front.actions] == ["Bring a CANARY-OPEN-ACTION plan."]


def test_the_pack_prints_them_and_nothing_exempt_or_private(next_meeting):
    for include_exempt in (False, True):
        data, _ = renderers.render_agenda_pack(next_meeting, include_exempt=include_exempt)
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
        # Table cells wrap long words at any width: look for the canaries with the spaces taken out.
        squashed = "".join(text.split())
        assert "Minutes of the last meeting" in text and "Draft minutes, to be approved" in text
        assert "CANARY-PUBLIC-MINUTE" in squashed and "exempt under paragraph 3" in text
        assert "Action log" in text and "CANARY-OPEN-ACTION" in squashed
        for hidden in ("CANARY-EXEMPT-MINUTE", "CANARY-EXEMPT-ACTION", "CANARY-PRIVATE-ACTION", "CANARY-DONE-ACTION"):
            assert hidden not in squashed


def test_an_unpublished_draft_is_never_printed(cast, last, next_meeting):
    Minutes.objects.filter(meeting=last).update(published_at=None)
    front = _front(next_meeting)
    assert front.minutes_wanted and front.previous_minutes is None


def test_the_fingerprint_follows_the_minutes_and_the_action_log(cast, last, next_meeting):
    fingerprints = [renderers.agenda_fingerprint(next_meeting, include_exempt=False)]

    def changed():
        fingerprints.append(renderers.agenda_fingerprint(next_meeting, include_exempt=False))
        return fingerprints[-1] != fingerprints[-2]

    entry = last.minutes_versions.get().entries.get(agenda_item__position=1)
    entry.resolutions = "Agreed."
    entry.save()
    assert changed()
    Minutes.objects.filter(meeting=last).update(status=Minutes.Status.APPROVED)
    assert changed()
    action = Action.objects.get(description__contains="CANARY-OPEN-ACTION")
    action.status = Action.Status.DONE
    action.save()
    ActionUpdate.objects.create(action=action, text="Done.", status="done", written_on=timezone.localdate())
    assert changed()
    # An exempt item's minute is not printed, so changing it changes nothing.
    last.minutes_versions.get().entries.filter(agenda_item__position=2).update(discussion="Other CANARY")
    assert not changed()


def test_without_those_items_the_pack_has_no_front_matter(cast, last):
    meeting = MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(30))
    services.agenda_item_add(meeting=meeting, actor=None, title="Strategy refresh")
    services.agenda_publish(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    assert not _front(meeting)
    before = renderers.agenda_fingerprint(meeting, include_exempt=False)
    Minutes.objects.filter(meeting=last).update(status=Minutes.Status.APPROVED)
    assert renderers.agenda_fingerprint(meeting, include_exempt=False) == before


def test_fingerprints_of_many_packs_take_a_fixed_number_of_queries(cast, last):
    def fingerprint_queries(count):
        meetings = [
            _publish(MeetingFactory(partnership=cast.partnership, starts_at=in_days(30 + 7 * n))) for n in range(count)
        ]
        meetings = list(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).select_related("partnership"))
        with CaptureQueriesContext(connection) as queries:
            renderers.agenda_fingerprints(meetings, include_exempt=False)
        return len(queries)

    assert fingerprint_queries(1) == fingerprint_queries(6)


def test_each_pack_has_the_action_log_of_its_own_date(cast, last):
    """Built together, each meeting's log holds what was open when it met: an action closed
    between the two meetings is on the first one's log only, and no meeting lists its own."""
    first = _publish(MeetingFactory(partnership=cast.partnership, title="Extra", starts_at=in_days(-10)))
    second = _publish(MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(30)))
    closed = ActionFactory(meeting=last, description="CANARY-CLOSED-BETWEEN", status="done")
    ActionUpdate.objects.create(action=closed, text="Done.", status="done", written_on=timezone.localdate())
    ActionFactory(meeting=first, description="CANARY-SET-AT-FIRST")
    agendas = presenters.published_agendas([first, second], reader=False)
    front = presenters.pack_front_matter([first, second], agendas)
    first_log = [action.description for action in front[first.pk].actions]
    second_log = [action.description for action in front[second.pk].actions]
    assert "CANARY-CLOSED-BETWEEN" in first_log and "CANARY-CLOSED-BETWEEN" not in second_log
    assert "CANARY-SET-AT-FIRST" not in first_log and "CANARY-SET-AT-FIRST" in second_log
    assert front[first.pk].previous_minutes.meeting_date == last.date
    assert front[second.pk].previous_minutes is None  # the first meeting has no minutes yet


def test_the_previous_meeting_is_the_last_one_held_in_public(cast, last):
    """A meeting cancelled or postponed since, or held in private, is passed over; so is any meeting
    of another partnership, however recent."""
    MeetingFactory(partnership=cast.partnership, starts_at=in_days(-5), status=Meeting.Status.CANCELLED)
    MeetingFactory(partnership=cast.partnership, starts_at=in_days(-4), status=Meeting.Status.POSTPONED)
    elsewhere = MeetingFactory(partnership=cast.other_partnership, starts_at=in_days(-3), status=Meeting.Status.HELD)
    MinutesFactory(meeting=elsewhere, published_at=in_days(-2))
    upcoming = _publish(MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(30)))
    assert _front(upcoming).previous_minutes.meeting_date == last.date


def test_an_action_log_the_page_has_read_gives_the_same_front_matter_without_reading_it_again(next_meeting):
    agendas = presenters.published_agendas([next_meeting], reader=False)
    with CaptureQueriesContext(connection) as reading:
        read = presenters.pack_front_matter([next_meeting], agendas)
    log = {next_meeting.pk: list(actions_carried_forward(next_meeting, public=True))}
    with CaptureQueriesContext(connection) as given:
        assert presenters.pack_front_matter([next_meeting], agendas, carried_forward=log) == read
    assert len(given) == len(reading) - 1


def test_a_held_meetings_page_checks_its_pack_against_the_action_log_it_shows(
    client, cast, last, django_capture_on_commit_callbacks
):
    """The public record of a held meeting shows its action log, and the page's check of the
    public pack uses it: the pack is offered while that log is what it printed, and not after."""
    meeting = MeetingFactory(partnership=cast.partnership, title="Board", starts_at=in_days(-1))
    services.agenda_add_standard_items(meeting=meeting, actor=None)
    services.agenda_publish(meeting=meeting, actor=None, now=in_days(-20))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publishing_services.agenda_pack_request(meeting=meeting)
    pack = PublishedDocument.objects.get(meeting=meeting, kind=PublishedDocument.Kind.AGENDA_PACK)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "CANARY-OPEN-ACTION" in page and pack.get_absolute_url() in page

    Action.objects.filter(description__contains="CANARY-OPEN-ACTION").update(description="A CANARY-NEW-WORDING plan")
    with django_capture_on_commit_callbacks(execute=False):
        page = client.get(meeting.get_absolute_url()).content.decode()
    assert "CANARY-NEW-WORDING" in page and pack.get_absolute_url() not in page
