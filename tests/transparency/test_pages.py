"""The scorecard's pages and files: what they show from stored rows, what they never show, and
the number of queries they run whatever the number of partnerships."""

import csv
import io

import pytest
from django.urls import reverse

from core import events
from meetings.factories import MeetingFactory
from meetings.models import Meeting
from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory
from transparency.models import ScorecardRow
from transparency.services import scorecard_compute

from .conftest import ON

pytestmark = pytest.mark.django_db

SCORECARD = reverse("transparency:scorecard")


def _measure(partnership, measure):
    return reverse("transparency:measure", kwargs={"slug": partnership.slug, "measure": measure})


def test_before_any_computation_the_page_says_so_honestly(client):
    response = client.get(SCORECARD)
    assert response.status_code == 200
    assert "has not been worked out yet" in response.content.decode()
    assert client.get(reverse("transparency:scorecard_json")).json()["computed"] is False


def test_the_page_shows_every_system_with_its_figures_linked_to_the_meetings(client, record):
    scorecard_compute(on=ON)
    page = client.get(SCORECARD).content.decode()
    assert "12 months to 30 June 2026" in page
    for name in ("Alpha ICP", "Beta ICP", "Gamma"):
        assert name in page
    assert "Ended" not in page
    assert "No integrated care partnership is recorded for this system" in page
    assert "2 of 4" in page  # agendas on time
    assert "1 of 5" in page  # exempt items, and meetings with papers
    assert _measure(record.alpha, "agendas-late") in page
    assert "Review due" in page
    assert reverse("transparency:methodology") in page
    assert 'class="nhsuk-table-responsive' in page


def test_a_figure_lists_the_meetings_behind_it(client, record):
    scorecard_compute(on=ON)
    page = client.get(_measure(record.alpha, "agendas-late")).content.decode()
    assert record.m1.get_absolute_url() in page
    assert record.m4.get_absolute_url() in page
    assert record.m2.get_absolute_url() not in page
    assert "Published 21 May 2026, late (due by 20 May 2026)" in page


def test_a_meeting_made_private_since_the_computation_is_not_listed(client, record):
    scorecard_compute(on=ON)
    Meeting.objects.filter(pk=record.m1.pk).update(is_public=False)
    page = client.get(_measure(record.alpha, "public-meetings")).content.decode()
    assert record.m1.get_absolute_url() not in page
    assert record.m2.get_absolute_url() in page


def test_the_private_session_is_on_no_page_or_file(client, record):
    scorecard_compute(on=ON)
    urls = [SCORECARD, reverse("transparency:scorecard_csv"), reverse("transparency:scorecard_json")]
    urls += [_measure(record.alpha, measure) for measure in ("public-meetings", "agendas-late", "draft-minutes")]
    for url in urls:
        body = client.get(url).content.decode()
        assert record.private.get_absolute_url() not in body, url
        assert record.private.title not in body, url


def test_an_unknown_measure_or_partnership_is_not_found(client, record):
    assert client.get(_measure(record.alpha, "no-such-measure")).status_code == 404
    missing = reverse("transparency:measure", kwargs={"slug": "no-such-partnership", "measure": "papers"})
    assert client.get(missing).status_code == 404


def test_csv_and_json_give_the_same_table(client, record):
    scorecard_compute(on=ON)
    response = client.get(reverse("transparency:scorecard_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = {row["system"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert set(rows) == {"Alpha", "Beta", "Gamma"}
    alpha = rows["Alpha"]
    assert (alpha["public_meetings"], alpha["agendas_on_time"], alpha["agendas_late"]) == ("5", "2", "1")
    assert alpha["median_working_days_to_draft_minutes"] == "10"
    assert alpha["strategy_review_due"] == "yes"
    assert rows["Gamma"]["partnership"] == "" and rows["Gamma"]["public_meetings"] == ""
    data = client.get(reverse("transparency:scorecard_json")).json()
    assert data["period_end"] == "2026-06-30"
    systems = {s["system"]: s for s in data["systems"]}
    assert systems["Alpha"]["exempt_items"] == 1 and systems["Alpha"]["items"] == 5
    assert systems["Alpha"]["median_working_days_to_approved_minutes"] == 19
    assert systems["Alpha"]["strategy_age_months"] == 27
    assert systems["Gamma"]["partnership"] is None


def test_a_publication_recomputes_its_systems_row(record, django_capture_on_commit_callbacks):
    scorecard_compute()  # today's period: every system
    alpha = ScorecardRow.objects.latest_period().get(system=record.alpha.ics)
    before = alpha.computed_at
    with django_capture_on_commit_callbacks(execute=True):
        events.announce(events.agenda_published, meeting_id=record.m2.pk)
    alpha.refresh_from_db()
    assert alpha.computed_at > before


def test_a_meeting_made_private_leaves_the_public_counts_at_once(record, django_capture_on_commit_callbacks):
    from meetings.services import meeting_update

    scorecard_compute()
    alpha = ScorecardRow.objects.latest_period().get(system=record.alpha.ics)
    before = alpha.public_meetings
    m2 = record.m2
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            meeting=m2,
            actor=None,
            title=m2.title,
            starts_at=m2.starts_at,
            ends_at=m2.ends_at,
            venue=m2.venue,
            is_public=False,
        )
    alpha.refresh_from_db()
    assert alpha.public_meetings == before - 1


def test_a_sub_partnerships_publication_recomputes_nothing(record, django_capture_on_commit_callbacks):
    area = PartnershipFactory(ics=record.alpha.ics, parent=record.alpha, kind="area", name="Alpha North")
    meeting = MeetingFactory(partnership=area)
    with django_capture_on_commit_callbacks(execute=True):
        events.announce(events.agenda_published, meeting_id=meeting.pk)
    assert not ScorecardRow.objects.exists()


@pytest.mark.parametrize(
    ("page", "budget"),
    [("scorecard", 2), ("measure", 5), ("csv", 2), ("json", 2)],
)
def test_pages_run_a_fixed_number_of_queries(client, record, page, budget, django_assert_max_num_queries):
    urls = {
        "scorecard": SCORECARD,
        "measure": _measure(record.alpha, "public-meetings"),
        "csv": reverse("transparency:scorecard_csv"),
        "json": reverse("transparency:scorecard_json"),
    }
    counts = []
    for extra in (1, 6):
        for _ in range(extra):
            PartnershipFactory(ics=IntegratedCareSystemFactory())
            IntegratedCareSystemFactory()  # with no partnership
        ScorecardRow.objects.all().delete()
        scorecard_compute(on=ON)
        client.get(urls[page])  # warm process-wide caches
        with django_assert_max_num_queries(budget) as captured:
            assert client.get(urls[page]).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_nightly_run_is_a_beat_entry_for_the_refresh_task(settings):
    from icp_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["transparency-scorecard"]
    assert entry["task"] == "transparency.tasks.scorecard_refresh"
    assert entry["task"] in app.tasks


def test_the_refresh_task_computes_every_system(record):
    from transparency.tasks import scorecard_refresh

    assert scorecard_refresh.delay().get() == 3
    assert ScorecardRow.objects.latest_period().count() == 3


def test_a_partnership_wound_up_since_the_computation_shows_no_figures(client, record):
    scorecard_compute(on=ON)
    type(record.alpha).objects.filter(pk=record.alpha.pk).update(ended_on="2026-07-01")
    page = client.get(SCORECARD).content.decode()
    assert "Alpha ICP" not in page
    systems = {s["system"]: s for s in client.get(reverse("transparency:scorecard_json")).json()["systems"]}
    assert systems["Alpha"]["partnership"] is None
    assert systems["Alpha"]["public_meetings"] is None and systems["Alpha"]["strategy_version"] is None


def test_the_latest_publication_of_a_meeting_made_private_since_is_not_shown(client, record):
    scorecard_compute(on=ON)
    Meeting.objects.filter(pk=record.m2.pk).update(is_public=False)
    page = client.get(SCORECARD).content.decode()
    assert record.m2.get_absolute_url() not in page and record.m2.title not in page
    systems = {s["system"]: s for s in client.get(reverse("transparency:scorecard_json")).json()["systems"]}
    assert systems["Alpha"]["latest_publication_title"] is None
