"""The workspace leads with what is due in the meeting cycle (membership.due, meetings.due,
strategy.due): each task appears while its work is undone and leaves once it is done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import deadlines
from meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
    PaperFactory,
)
from membership.due import due_tasks
from membership.factories import SecretariatAssignmentFactory
from membership.permissions import permissions_sync
from partnerships.factories import PartnershipFactory
from strategy.factories import StrategyFactory, StrategyVersionFactory


def at(days: int, hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def names(partnership):
    return [task.name for task in due_tasks([partnership], timezone.localdate()).get(partnership.pk, [])]


def task(partnership, name):
    return next(t for t in due_tasks([partnership], timezone.localdate())[partnership.pk] if t.name == name)


@pytest.fixture
def partnership(db):
    return PartnershipFactory(minutes_due_working_days=10)


def test_an_unpublished_agenda_is_due_with_its_deadline_and_countdown(partnership):
    meeting = MeetingFactory(partnership=partnership, title="Board", starts_at=at(30))
    found = task(partnership, "Publish the agenda of Board")
    assert found.status_label == "Due"
    assert f"Publish by {meeting.publication_deadline:%A %-d %B %Y}" in found.hint
    assert "working day" in found.hint
    assert found.url == reverse("meetings:staff_meeting", args=[partnership.slug, meeting.pk])
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    assert "Publish the agenda of Board" not in names(partnership)


def test_an_agenda_past_its_deadline_is_late(partnership):
    MeetingFactory(partnership=partnership, title="Board", starts_at=at(2))
    found = task(partnership, "Publish the agenda of Board")
    assert found.status_label == "Late"
    assert "chair's reason for urgency" in found.hint


def test_a_private_session_has_no_deadline(partnership):
    MeetingFactory(partnership=partnership, title="Private", starts_at=at(2), is_public=False)
    found = task(partnership, "Publish the agenda of Private")
    assert found.status_label == "To do"
    assert "private session" in found.hint


def test_cancelled_and_far_off_meetings_are_not_due(partnership):
    MeetingFactory(partnership=partnership, title="Cancelled", starts_at=at(20), status="cancelled", notice="No")
    MeetingFactory(partnership=partnership, title="Far", starts_at=at(200))
    assert names(partnership) == []


def test_papers_missing_counts_items_without_papers_but_not_standard_or_withdrawn_ones(partnership):
    meeting = MeetingFactory(partnership=partnership, title="Board", starts_at=at(30))
    AgendaItemFactory(meeting=meeting, position=1, standard="welcome", title="Welcome")
    AgendaItemFactory(meeting=meeting, position=2, title="Finance")
    AgendaItemFactory(meeting=meeting, position=3, title="Withdrawn", withdrawn_at=timezone.now())
    with_paper = AgendaItemFactory(meeting=meeting, position=4, title="Strategy")
    # Two papers: the item is still one that has its papers, counted neither once nor twice.
    PaperFactory(agenda_item=with_paper)
    PaperFactory(agenda_item=with_paper, position=2)
    found = task(partnership, "Papers missing for Board")
    assert found.hint.startswith("1 item has no paper yet")
    PaperFactory(agenda_item=meeting.agenda_items.get(position=2))
    assert "Papers missing for Board" not in names(partnership)


def test_attendance_is_due_after_the_meeting_until_recorded(partnership):
    meeting = MeetingFactory(partnership=partnership, title="Board", starts_at=at(-3))
    MinutesFactory(meeting=meeting, published_at=timezone.now())
    assert names(partnership) == ["Record attendance at Board"]
    AttendanceFactory(meeting=meeting)
    assert names(partnership) == []


def test_a_meeting_under_way_is_due_both_for_its_agenda_and_its_attendance(partnership):
    # Upcoming and held meetings are read in one query; one under way is both.
    now = timezone.now()
    MeetingFactory(
        partnership=partnership,
        title="Board",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        is_public=False,
    )
    assert sorted(names(partnership)) == ["Publish the agenda of Board", "Record attendance at Board"]


def test_draft_minutes_follow_the_minutes_due_rule(partnership):
    recent = MeetingFactory(partnership=partnership, title="Recent", starts_at=at(-2))
    old = MeetingFactory(partnership=partnership, title="Old", starts_at=at(-40))
    for meeting in (recent, old):
        AttendanceFactory(meeting=meeting)
    due = task(partnership, "Publish the draft minutes of Recent")
    assert due.status_label == "Due"
    assert f"{deadlines.working_days_after(recent.date, 10):%-d %B %Y}" in due.hint
    assert task(partnership, "Publish the draft minutes of Old").status_label == "Late"
    # Late work leads the list.
    assert names(partnership)[0] == "Publish the draft minutes of Old"
    MinutesFactory(meeting=old, published_at=timezone.now())
    assert names(partnership) == ["Publish the draft minutes of Recent"]


def test_a_private_sessions_minutes_are_not_a_public_deadline(partnership):
    meeting = MeetingFactory(partnership=partnership, title="Private", starts_at=at(-2), is_public=False)
    AttendanceFactory(meeting=meeting)
    assert names(partnership) == []


def test_overdue_actions_are_counted(partnership):
    meeting = MeetingFactory(partnership=partnership, starts_at=at(-60))
    AttendanceFactory(meeting=meeting)
    MinutesFactory(meeting=meeting, published_at=timezone.now())
    ActionFactory(meeting=meeting, due_date=timezone.localdate() - dt.timedelta(days=1))
    ActionFactory(meeting=meeting, due_date=timezone.localdate() - dt.timedelta(days=9))
    ActionFactory(meeting=meeting, due_date=timezone.localdate() - dt.timedelta(days=9), status="done")
    ActionFactory(meeting=meeting, due_date=timezone.localdate() + dt.timedelta(days=9))
    found = task(partnership, "2 actions overdue")
    assert found.status_label == "Overdue"
    assert found.url == reverse("record:action_log", args=[partnership.slug])


def test_strategy_versions_waiting_for_the_chairs_or_publication(partnership):
    strategy = StrategyFactory(partnership=partnership)
    StrategyVersionFactory(strategy=strategy, status="draft")
    StrategyVersionFactory(strategy=strategy, status="submitted", submitted_at=timezone.now())
    assert task(partnership, "Chairs' approval of version 2 of the strategy").status_label == "Waiting"
    StrategyVersionFactory(strategy=strategy, status="approved", approved_at=timezone.now())
    assert "Publish version 3 of the strategy" in names(partnership)


def test_each_partnership_gets_only_its_own_tasks(partnership):
    other = PartnershipFactory()
    MeetingFactory(partnership=other, title="Theirs", starts_at=at(30))
    assert names(partnership) == []
    assert names(other) == ["Publish the agenda of Theirs"]


# The pages --------------------------------------------------------------------------------------


def test_the_dashboard_leads_with_the_task_list(client, cast):
    MeetingFactory(partnership=cast.partnership, title="Board", starts_at=at(30))
    client.force_login(cast.secretariat)
    response = client.get(reverse("workspace:dashboard", args=[cast.partnership.slug]))
    html = response.content.decode()
    assert 'class="nhsuk-task-list"' in html
    assert html.index("What is due") < html.index("Publish the agenda of Board") < html.index("Current members")


def test_the_dashboard_says_when_nothing_is_due(client, cast):
    client.force_login(cast.secretariat)
    response = client.get(reverse("workspace:dashboard", args=[cast.partnership.slug]))
    assert "Nothing is due" in response.content.decode()


@pytest.mark.parametrize("who", ["chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_sees_the_dashboard(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("workspace:dashboard", args=[cast.partnership.slug])).status_code == 403


def test_a_secretariat_of_several_sees_what_is_due_in_each_and_nothing_of_others(client, cast):
    second = PartnershipFactory(name="Second partnership")
    SecretariatAssignmentFactory(partnership=second, user=cast.secretariat)
    permissions_sync(second)
    MeetingFactory(partnership=cast.partnership, title="First board", starts_at=at(30))
    MeetingFactory(partnership=second, title="Second board", starts_at=at(30))
    MeetingFactory(partnership=cast.other_partnership, title="Not yours", starts_at=at(30))
    client.force_login(cast.secretariat)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Due in Second partnership" in html
    assert "Publish the agenda of First board" in html and "Publish the agenda of Second board" in html
    assert "Not yours" not in html


def test_a_member_sees_no_task_list_at_home(client, cast):
    MeetingFactory(partnership=cast.partnership, title="Board", starts_at=at(30))
    client.force_login(cast.member)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Publish the agenda" not in html


def _busy(partnership, n: int):
    for i in range(n):
        upcoming = MeetingFactory(partnership=partnership, starts_at=at(10 + i))
        AgendaItemFactory(meeting=upcoming, position=1)
        held = MeetingFactory(partnership=partnership, starts_at=at(-10 - i))
        ActionFactory(meeting=held, due_date=timezone.localdate() - dt.timedelta(days=1))
    strategy = StrategyFactory(partnership=partnership)
    StrategyVersionFactory(strategy=strategy, status="submitted", submitted_at=timezone.now())


def test_the_home_page_query_count_does_not_grow_with_partnerships_or_meetings(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.secretariat)
    url = reverse("workspace:home")
    _busy(cast.partnership, 1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(3):
        extra = PartnershipFactory(name=f"Extra {i}")
        SecretariatAssignmentFactory(partnership=extra, user=cast.secretariat)
        permissions_sync(extra)
        _busy(extra, 4)
    _busy(cast.partnership, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("approval of version 1 of the strategy") == 4


def test_the_dashboard_query_count_does_not_grow_with_meetings(client, cast, django_assert_max_num_queries):
    client.force_login(cast.secretariat)
    url = reverse("workspace:dashboard", args=[cast.partnership.slug])
    _busy(cast.partnership, 1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _busy(cast.partnership, 1)
    for _ in range(5):
        _busy(PartnershipFactory(), 0)
    MeetingFactory(partnership=cast.partnership, starts_at=at(50))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_exemptions_due_for_review_join_the_list(partnership):
    meeting = MeetingFactory(partnership=partnership, starts_at=at(-400))
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, exempt=True, exemption_review_on=timezone.localdate() - dt.timedelta(days=3))
    found = task(partnership, "Review exemptions")
    assert found.status_label == "Overdue"
    assert found.url == reverse("meetings:staff_exemptions", kwargs={"slug": partnership.slug})


def test_overdue_actions_and_exemptions_to_review_are_counted_apart(partnership):
    # One query counts both for every partnership: neither may be added to the other's figures.
    meeting = MeetingFactory(partnership=partnership, starts_at=at(-400))
    AttendanceFactory(meeting=meeting)
    for days in (1, 9):
        ActionFactory(meeting=meeting, due_date=timezone.localdate() - dt.timedelta(days=days))
    AgendaItemFactory(meeting=meeting, exempt=True, exemption_review_on=timezone.localdate() + dt.timedelta(days=3))
    assert "2 actions overdue" in names(partnership)
    found = task(partnership, "Review exemptions")
    assert found.status_label == "Due"
    assert found.hint.startswith("1 exemption to review by ")
