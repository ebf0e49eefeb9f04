"""Agendas: items, standard items, reordering, publishing and late items."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from meetings import services
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory
from meetings.models import AgendaItem

from .conftest import in_days

pytestmark = pytest.mark.django_db


def _add(meeting, title, **kwargs):
    return services.agenda_item_add(meeting=meeting, actor=None, title=title, **kwargs)


def _titles(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def _positions(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("position", flat=True))


def test_items_are_numbered_in_order(meeting):
    first = _add(meeting, "Integrated care strategy refresh", purpose="decision", presenter="Director of Public Health")
    second = _add(meeting, "Healthwatch report")
    assert (first.number, second.number) == (1, 2)
    assert first.get_purpose_display() == "For decision"
    assert AuditEvent.objects.filter(action="meetings.agenda.item_added").count() == 2


def test_an_exempt_item_needs_its_paragraph_and_reason(meeting):
    with pytest.raises(ValidationError) as error:
        _add(meeting, "Contract award", is_exempt=True)
    assert {"exempt_paragraph", "exempt_reason"} <= set(error.value.error_dict)
    item = _add(meeting, "Contract award", is_exempt=True, exempt_paragraph=3, exempt_reason="Tender prices.")
    assert item.exempt_summary == "Exempt under paragraph 3 of Schedule 12A"


def test_making_an_item_public_again_drops_its_exemption(meeting):
    item = _add(meeting, "Contract award", is_exempt=True, exempt_paragraph=3, exempt_reason="Tender prices.")
    services.agenda_item_update(item=item, actor=None, title="Contract award", purpose="decision", is_exempt=False)
    item.refresh_from_db()
    assert not item.is_exempt and item.exempt_paragraph is None and item.exempt_reason == ""
    event = AuditEvent.objects.get(action="meetings.agenda.item_updated")
    assert event.changes["is_exempt"] == [True, False]


def test_reorder_keeps_positions_one_to_n(meeting):
    items = [_add(meeting, title) for title in ("A", "B", "C", "D")]
    services.agenda_items_reorder(
        meeting=meeting, actor=None, order=[items[2].pk, items[0].pk, items[3].pk, items[1].pk]
    )
    assert _titles(meeting) == ["C", "A", "D", "B"]
    assert _positions(meeting) == [1, 2, 3, 4]
    assert AuditEvent.objects.filter(action="meetings.agenda.reordered").count() == 1


def test_reorder_refuses_a_stale_order(meeting):
    items = [_add(meeting, title) for title in ("A", "B")]
    other = AgendaItemFactory()
    with pytest.raises(ValidationError):
        services.agenda_items_reorder(meeting=meeting, actor=None, order=[items[0].pk])
    with pytest.raises(ValidationError):
        services.agenda_items_reorder(meeting=meeting, actor=None, order=[items[0].pk, other.pk])
    assert _titles(meeting) == ["A", "B"]


def test_move_up_and_down(meeting):
    a, b, c = (_add(meeting, title) for title in ("A", "B", "C"))
    services.agenda_item_move(item=c, actor=None, direction="up")
    assert _titles(meeting) == ["A", "C", "B"]
    services.agenda_item_move(item=a, actor=None, direction="down")
    assert _titles(meeting) == ["C", "A", "B"]
    # At either end nothing moves.
    services.agenda_item_move(item=AgendaItem.objects.get(pk=c.pk), actor=None, direction="up")
    services.agenda_item_move(item=AgendaItem.objects.get(pk=b.pk), actor=None, direction="down")
    assert _titles(meeting) == ["C", "A", "B"]
    assert _positions(meeting) == [1, 2, 3]


def test_standard_items_in_one_click(meeting):
    _add(meeting, "Strategy refresh")
    created = services.agenda_add_standard_items(meeting=meeting, actor=None)
    assert len(created) == 5
    assert _titles(meeting) == [
        "Welcome and apologies for absence",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Action log",
        "Strategy refresh",
        "Any other business",
    ]
    assert _positions(meeting) == [1, 2, 3, 4, 5, 6]
    assert [item.position for item in created] == [1, 2, 3, 4, 6]
    # A second click adds nothing.
    assert services.agenda_add_standard_items(meeting=meeting, actor=None) == []
    assert meeting.agenda_items.count() == 6


def test_standard_items_skip_ones_already_present_and_keep_the_order(meeting):
    _add(meeting, "Welcome and apologies for absence")  # typed by hand
    _add(meeting, "Minutes of the last meeting")
    _add(meeting, "Strategy refresh")
    created = services.agenda_add_standard_items(meeting=meeting, actor=None)
    assert [item.title for item in created] == ["Declarations of interest", "Action log", "Any other business"]
    assert _titles(meeting) == [
        "Welcome and apologies for absence",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Action log",
        "Strategy refresh",
        "Any other business",
    ]


def test_publish_on_time(meeting, cast):
    _add(meeting, "Strategy refresh")
    now = timezone.make_aware(dt.datetime.combine(meeting.publication_deadline, dt.time(17)))
    outcome = services.agenda_publish(meeting=meeting, actor=cast.secretariat, now=now)
    assert not outcome.late
    meeting.refresh_from_db()
    assert meeting.agenda_published_at == now and meeting.agenda_published_by == cast.secretariat
    assert meeting.publication_status == "published on time"
    event = AuditEvent.objects.get(action="meetings.agenda.published")
    assert event.changes["late"] is False
    with pytest.raises(ValidationError, match="already published"):
        services.agenda_publish(meeting=meeting, actor=cast.secretariat)


def test_publish_after_the_deadline_needs_the_chairs_reason_and_is_reported_late(cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=in_days(2))
    _add(meeting, "Strategy refresh")
    # s.100B(4)(b): the business of a late agenda is considered only if the chair rules it urgent.
    with pytest.raises(ValidationError) as error:
        services.agenda_publish(meeting=meeting, actor=cast.secretariat)
    assert "late_reason" in error.value.error_dict
    meeting.refresh_from_db()
    assert not meeting.agenda_is_published
    outcome = services.agenda_publish(
        meeting=meeting, actor=cast.secretariat, late_reason="The ICB's winter plan must be agreed this week."
    )
    assert outcome.late
    meeting.refresh_from_db()
    assert meeting.agenda_is_published and meeting.agenda_published_late
    assert meeting.publication_status == "published late"
    assert meeting.late_publication_reason == "The ICB's winter plan must be agreed this week."


def test_publish_refuses_an_empty_or_invalid_agenda(meeting):
    with pytest.raises(ValidationError, match="at least one item"):
        services.agenda_publish(meeting=meeting, actor=None)
    # An item made exempt behind the services' back, without a paragraph.
    AgendaItemFactory(meeting=meeting, position=1, title="Contract award", is_exempt=True, exempt_reason="Prices")
    with pytest.raises(ValidationError) as error:
        services.agenda_publish(meeting=meeting, actor=None)
    assert "Item 1 (Contract award): Choose the Schedule 12A paragraph" in error.value.messages[0]
    meeting.refresh_from_db()
    assert not meeting.agenda_is_published


def test_publish_refuses_a_cancelled_meeting(meeting):
    _add(meeting, "Strategy refresh")
    services.meeting_cancel(meeting=meeting, actor=None, notice="Not quorate.")
    with pytest.raises(ValidationError, match="cancelled"):
        services.agenda_publish(meeting=meeting, actor=None)


def test_an_item_added_after_publication_is_late_and_needs_the_chairs_reason(meeting):
    _add(meeting, "Strategy refresh")
    services.agenda_publish(meeting=meeting, actor=None)
    with pytest.raises(ValidationError) as error:
        _add(meeting, "Winter pressures")
    assert "urgency_reason" in error.value.error_dict
    late = _add(meeting, "Winter pressures", urgency_reason="The NHS winter plan must be agreed before 1 December.")
    assert late.is_late and late.number == 2
    assert AuditEvent.objects.filter(action="meetings.agenda.late_item_added").exists()
    with pytest.raises(ValidationError):
        services.agenda_add_standard_items(meeting=meeting, actor=None)


def test_items_cannot_be_removed_once_published(meeting):
    a = _add(meeting, "A")
    b = _add(meeting, "B")
    PaperFactory(agenda_item=a)
    services.agenda_item_remove(item=a, actor=None)
    assert _titles(meeting) == ["B"] and _positions(meeting) == [1]
    services.agenda_publish(meeting=meeting, actor=None)
    with pytest.raises(ValidationError, match="stay on the record"):
        services.agenda_item_remove(item=AgendaItem.objects.get(pk=b.pk), actor=None)
