"""The scorecard's figures against the record counted by hand (conftest.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from meetings.models import Meeting
from transparency import measures, presenters
from transparency.models import ScorecardRow
from transparency.services import scorecard_compute

from .conftest import ON

pytestmark = pytest.mark.django_db


def _row(system):
    return ScorecardRow.objects.get(system=system, period_end=ON)


def test_the_period_is_the_twelve_months_to_the_day_both_included():
    assert measures.period_ending(ON) == (dt.date(2025, 7, 1), ON)
    assert measures.period_ending(dt.date(2028, 2, 29)) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))


def test_working_days_count_from_the_day_after_the_meeting():
    thursday = dt.date(2026, 6, 25)
    assert measures.working_days_from(thursday, thursday) == 0
    assert measures.working_days_from(thursday, dt.date(2026, 6, 26)) == 1  # Friday
    assert measures.working_days_from(thursday, dt.date(2026, 6, 28)) == 1  # Sunday: still one
    # Friday 22 May to Tuesday 26 May 2026: the Spring bank holiday is not a working day.
    assert measures.working_days_from(dt.date(2026, 5, 22), dt.date(2026, 5, 26)) == 1


def test_one_row_per_system_in_force_and_none_for_an_ended_system(record):
    assert scorecard_compute(on=ON) == 3
    rows = {row.system.name: row for row in ScorecardRow.objects.latest_period()}
    assert set(rows) == {"Alpha", "Beta", "Gamma"}
    assert rows["Alpha"].partnership == record.alpha
    assert rows["Gamma"].partnership is None
    assert rows["Alpha"].period_start == dt.date(2025, 7, 1)


def test_meetings_held_in_public(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    # M1-M5; not the private session, the cancelled meeting, 30 June 2025, 13 months ago or July 2026.
    assert row.public_meetings == 5
    assert row.cancelled_meetings == 1
    counted = presenters.measure_rows(row, presenters.MEASURES["public-meetings"])
    assert set(counted) == {record.m1.pk, record.m2.pk, record.m3.pk, record.m4.pk, record.m5.pk}
    assert set(presenters.measure_rows(row, presenters.MEASURES["cancelled-meetings"])) == {record.cancelled.pk}
    # Nothing of the private session is stored, not even its id.
    assert str(record.private.pk) not in row.evidence


def test_agendas_on_time_late_and_missing_by_five_clear_working_days(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    assert (row.agendas_on_time, row.agendas_late, row.agendas_not_published) == (2, 1, 1)
    assert row.agendas_no_deadline == 1  # M5, recorded after it was held
    assert row.agendas_with_deadline == 4
    assert row.agendas_on_time_percent == Decimal(50)
    late = presenters.measure_rows(row, presenters.MEASURES["agendas-late"])
    assert set(late) == {record.m1.pk, record.m4.pk}
    # Late because of the bank holiday: the deadline for Friday 29 May was Wednesday 20 May.
    assert late[record.m1.pk] == "Published 21 May 2026, late (due by 20 May 2026)"
    assert late[record.m4.pk] == "Not published (due by 7 January 2026)"


def test_minutes_median_working_days_and_late_drafts(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    # Draft minutes: M1 after 5 working days, M3 after 15; the median of (5, 15) is 10.
    assert row.draft_minutes == 2
    assert row.median_days_to_draft == Decimal("10.0")
    # Late: M3 (published after its due date), M4 and M5 (due, never published). M2 is not due yet.
    assert row.draft_minutes_late == 3
    late = presenters.measure_rows(row, presenters.MEASURES["draft-minutes-late"])
    assert set(late) == {record.m3.pk, record.m4.pk, record.m5.pk}
    assert late[record.m3.pk] == "Published 2 April 2026: 15 working days, late (due by 26 March 2026)"
    # Approved: M1 at M2, 19 working days after.
    assert row.approved_minutes == 1
    assert row.median_days_to_approved == Decimal("19.0")


def test_papers_count_only_what_the_public_may_download(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    # M1 has a public paper; M2's only paper is restricted; the exempt item's paper is not counted.
    assert row.meetings_with_papers == 1
    assert row.papers_percent == Decimal(20)
    assert record.m1.pk in presenters.measure_rows(row, presenters.MEASURES["papers"])


def test_exempt_items_as_a_share_of_items_on_published_agendas(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    # M1's three items (one exempt) and M2's two not withdrawn; M4's agenda was not published, the
    # cancelled meeting was not held, and the private session's items are never counted.
    assert (row.exempt_items, row.items) == (1, 5)
    assert row.exempt_percent == Decimal(20)


def test_strategy_age_and_review_status(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    assert row.strategy_version == 1  # the draft version 2 is not counted
    assert row.strategy_published_on == dt.date(2024, 3, 15)
    assert presenters.strategy_age_months(row) == 27
    assert presenters.age(row) == "2 years 3 months"
    assert row.strategy_review_due is True
    assert row.strategy_review_due_since == dt.date(2026, 2, 1)


def test_the_most_recent_publication(record):
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    # M2's agenda (17 June); not the July meeting's agenda, published after the scorecard's day.
    assert row.latest_publication_kind == "Agenda"
    assert row.latest_publication_path == record.m2.get_absolute_url()


def test_a_partnership_with_no_meetings_scores_zero_and_a_system_without_one_has_no_figures(record):
    scorecard_compute(on=ON)
    beta = _row(record.beta.ics)
    assert beta.partnership == record.beta
    assert (beta.public_meetings, beta.items, beta.agendas_with_deadline) == (0, 0, 0)
    assert beta.median_days_to_draft is None and beta.papers_percent is None
    assert beta.strategy_published_on is None and beta.latest_publication_at is None
    gamma = _row(record.gamma)
    assert gamma.partnership is None and gamma.evidence == {}


def test_recomputing_replaces_the_row(record):
    scorecard_compute(on=ON)
    Meeting.objects.filter(pk=record.m2.pk).update(is_public=False)
    scorecard_compute(on=ON)
    row = _row(record.alpha.ics)
    assert ScorecardRow.objects.filter(system=record.alpha.ics).count() == 1
    assert row.public_meetings == 4
    assert str(record.m2.pk) not in row.evidence


def test_one_systems_event_recomputes_only_that_system_once_the_period_is_complete(record):
    scorecard_compute(on=ON)
    ScorecardRow.objects.update(public_meetings=99)
    scorecard_compute(on=ON, system_ids=[record.beta.ics_id])
    assert _row(record.beta.ics).public_meetings == 0
    assert _row(record.alpha.ics).public_meetings == 99


def test_the_first_event_of_a_period_computes_every_system(record):
    assert scorecard_compute(on=ON, system_ids=[record.beta.ics_id]) == 3
