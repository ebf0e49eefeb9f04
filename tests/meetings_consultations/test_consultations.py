"""One report through many bodies: a paper tabled at an Area ICP is considered again at the
Strategic ICP (and outside the portal, by the ICB board), its path shown on its page. Reuse
never makes the paper, or where it went, visible to anyone who could not see it before."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meetings import consultations, presenters
from meetings.factories import AgendaItemFactory, MeetingFactory, PaperFactory
from meetings.models import AgendaChange, Consideration
from partnerships.factories import PartnershipFactory

from .conftest import _at, _client, _published


def _reuse(system, item, paper, *, role="decision", note=""):
    consideration = consultations.consideration_reuse(
        item=item, paper=paper, actor=system.users.strategic_staff, role=role, change_reason="Added to the agenda."
    )
    if note:
        consultations.consideration_record(
            consideration=consideration, actor=None, role=role, outcome="agreed", outcome_note=note
        )
    return consideration


def _page(system, paper=None):
    paper = paper or system.report
    return reverse("meetings:paper_page", args=[paper.agenda_item.meeting.partnership.slug, paper.pk])


def test_a_paper_tabled_again_shows_on_the_later_agenda_and_its_path(system):
    _reuse(system, system.public_item, system.report, role="information", note="Noted the system-wide plan.")
    consultations.consideration_add_outside(
        paper=system.report,
        actor=None,
        body_name="ICB board",
        considered_on=timezone.localdate() + dt.timedelta(days=30),
        url="https://icb.example.org/board/papers",
        role="decision",
    )

    meeting_page = _client().get(system.board.get_absolute_url()).content.decode()
    assert "Winter plan 2026" in meeting_page
    assert "first tabled at North Area ICP" in meeting_page
    assert _page(system) in meeting_page
    # Where it was first tabled, it links to its page too: its path onwards.
    assert _page(system) in _client().get(system.area_meeting.get_absolute_url()).content.decode()

    page = _client().get(_page(system)).content.decode()
    path = page[page.index('id="path"') :]
    assert path.index("North Area ICP") < path.index("Strategic ICP board") < path.index("ICB board")
    assert "For information. Outcome: Agreed: Noted the system-wide plan." in page
    assert "https://icb.example.org/board/papers" in page
    assert "For decision. Outcome: Not yet recorded" in page  # the first step, its role from the item's purpose


def test_an_agenda_reads_papers_tabled_elsewhere_only_when_one_of_its_items_has_one(system, django_assert_num_queries):
    for reader in (False, True):
        with django_assert_num_queries(2):  # the items, and their own papers
            presenters.published_agenda_items([system.board], reader=reader)
    _reuse(system, system.public_item, system.report)
    for reader in (False, True):
        with django_assert_num_queries(3):
            items = presenters.published_agenda_items([system.board], reader=reader)[system.board.pk]
        assert [c.paper for item in items for c in getattr(item, "reused", ())] == [system.report]


def test_the_staff_meeting_page_reads_papers_tabled_elsewhere_only_when_one_of_its_items_has_one(system):
    staff = _client(system.users.strategic_staff)
    url = reverse("meetings:staff_meeting", args=[system.strategic.slug, system.board.pk])
    staff.get(url)  # warms process-wide caches
    with CaptureQueriesContext(connection) as without:
        page = staff.get(url).content.decode()
    assert "Winter plan 2026" not in page
    consideration = _reuse(system, system.exempt_item, system.report)
    with CaptureQueriesContext(connection) as with_one:
        page = staff.get(url).content.decode()
    assert len(with_one) == len(without) + 1  # the considerations, with their papers
    assert "Winter plan 2026" in page and "tabled at North Area ICP" in page
    record = reverse("meetings:staff_consideration", args=[system.strategic.slug, system.board.pk, consideration.pk])
    assert record in page
    # The other item, which reuses nothing, still says it has no papers.
    assert page.count("No papers.") == 1


def test_a_paper_tabled_again_at_an_exempt_item_or_a_private_session_shows_the_public_nothing(system):
    _reuse(system, system.exempt_item, system.report, note="EXEMPT-OUTCOME")
    _reuse(system, system.private_item, system.report, note="PRIVATE-OUTCOME")

    public = _client().get(_page(system)).content.decode()
    for hidden in ("EXEMPT-OUTCOME", "Estates disposal", "PRIVATE-OUTCOME", "chief executives", "Winter pressures"):
        assert hidden not in public
    meeting_page = _client().get(system.board.get_absolute_url()).content.decode()
    assert "Estates disposal" in meeting_page  # the exempt item's title is public...
    assert "Winter plan 2026" not in meeting_page  # ...what is tabled at it is not
    assert set(Consideration.objects.public().values_list("agenda_item", flat=True)) == {system.report.agenda_item_id}

    # Members of the Strategic ICP see both steps; a member of the Area ICP only the Area's and the public's.
    member = _client(system.users.strategic_member).get(_page(system)).content.decode()
    assert "EXEMPT-OUTCOME" in member and "PRIVATE-OUTCOME" in member
    area_member = _client(system.users.area_member).get(_page(system)).content.decode()
    assert "EXEMPT-OUTCOME" not in area_member and "PRIVATE-OUTCOME" not in area_member


def test_tabling_a_public_paper_again_never_makes_an_exempt_one_public(system):
    with pytest.raises(ValidationError) as refused:
        _reuse(system, system.public_item, system.secret_report)
    assert "public, or of this partnership" in str(refused.value)
    assert system.secret_report not in consultations.reusable_papers(item=system.public_item)
    # Its page is the Area's members' only, whoever asks.
    assert _client().get(_page(system, system.secret_report)).status_code == 404
    assert _client(system.users.strategic_member).get(_page(system, system.secret_report)).status_code == 404
    assert _client(system.users.area_member).get(_page(system, system.secret_report)).status_code == 200


def test_a_paper_restricted_where_it_was_tabled_is_withheld_wherever_it_was_tabled_again(system):
    _reuse(system, system.public_item, system.report)
    assert "Winter plan 2026" in _client().get(system.board.get_absolute_url()).content.decode()
    system.report.restricted = True
    system.report.save()
    assert "Winter plan 2026" not in _client().get(system.board.get_absolute_url()).content.decode()
    assert _client().get(_page(system)).status_code == 404
    assert not Consideration.objects.public().exists()


def test_the_reuse_list_offers_public_papers_of_the_system_and_the_partnerships_own(system):
    own = PaperFactory(
        agenda_item=AgendaItemFactory(meeting=system.private, title="Own exempt", exempt=True), title="Own paper"
    )
    PaperFactory(agenda_item=AgendaItemFactory(meeting=_published(system.elsewhere, "Elsewhere", -3)), title="Far")
    offered = set(consultations.reusable_papers(item=system.public_item))
    assert offered == {system.report, own}
    assert set(consultations.reusable_papers(item=system.public_item, query="winter 2026")) == {system.report}
    _reuse(system, system.public_item, system.report)
    assert system.report not in consultations.reusable_papers(item=system.public_item)


def test_tabling_a_paper_after_publication_needs_a_reason_and_goes_on_the_supplementary_agenda(system):
    with pytest.raises(ValidationError) as refused:
        consultations.consideration_reuse(
            item=system.public_item, paper=system.report, actor=None, role="decision", change_reason=""
        )
    assert "change_reason" in refused.value.error_dict
    _reuse(system, system.public_item, system.report)
    change = AgendaChange.objects.get(meeting=system.board)
    assert (change.kind, change.agenda_item, change.reason) == (
        "paper_added",
        system.public_item,
        "Added to the agenda.",
    )
    assert AuditEvent.objects.filter(action="meetings.consideration.added").count() == 1


def test_the_secretariat_tables_records_and_adds_steps_through_its_pages(system):
    staff = _client(system.users.strategic_staff)
    kwargs = {"slug": system.strategic.slug, "pk": system.board.pk}
    reuse = reverse("meetings:staff_paper_reuse", kwargs={**kwargs, "item_pk": system.public_item.pk})
    listing = staff.get(reuse, {"q": "winter"}).content.decode()
    assert "Winter plan 2026" in listing and "Care home contract terms" not in listing
    bad = staff.post(reuse, {"paper": system.report.pk})
    assert "Choose whether the paper is for decision" in bad.content.decode()
    assert "Say why the agenda is changing" in bad.content.decode()
    done = staff.post(reuse, {"paper": system.report.pk, "role": "decision", "change_reason": "For assurance."})
    assert done.status_code == 302
    consideration = Consideration.objects.get(agenda_item=system.public_item)

    record = reverse("meetings:staff_consideration", kwargs={**kwargs, "consideration_pk": consideration.pk})
    assert staff.post(record, {"role": "decision", "outcome": "agreed_amended", "outcome_note": "With changes."})
    consideration.refresh_from_db()
    assert (consideration.outcome, consideration.outcome_note) == ("agreed_amended", "With changes.")

    # Steps outside the portal are added by the secretariat that tabled the paper.
    area_kwargs = {"slug": system.area.slug, "pk": system.area_meeting.pk, "paper_pk": system.report.pk}
    path = reverse("meetings:staff_paper_path", kwargs=area_kwargs)
    area_staff = _client(system.users.area_staff)
    missing = area_staff.post(path, {"role": "decision"}).content.decode()
    assert "Enter the name of the body" in missing and "Enter the date the body considered the paper" in missing
    added = area_staff.post(
        path, {"body_name": "Sunderland HWB", "considered_on": "2027-01-12", "role": "comment", "outcome": ""}
    )
    assert added.status_code == 302
    assert Consideration.objects.filter(paper=system.report, body_name="Sunderland HWB").exists()


def test_the_secretariat_of_another_partnership_cannot_reach_these_pages(system):
    consideration = _reuse(system, system.public_item, system.report)
    area_staff = _client(system.users.area_staff)
    kwargs = {"slug": system.strategic.slug, "pk": system.board.pk}
    assert area_staff.get(reverse("meetings:staff_paper_reuse", kwargs={**kwargs, "item_pk": 1})).status_code == 403
    assert (
        area_staff.get(
            reverse("meetings:staff_consideration", kwargs={**kwargs, "consideration_pk": consideration.pk})
        ).status_code
        == 403
    )
    # Through its own meeting, the Area's secretariat cannot record the Strategic ICP's step.
    own = {"slug": system.area.slug, "pk": system.area_meeting.pk, "consideration_pk": consideration.pk}
    assert area_staff.get(reverse("meetings:staff_consideration", kwargs=own)).status_code == 404


def test_a_reused_paper_comes_off_an_unpublished_agenda_but_stays_on_a_published_one(system):
    consideration = _reuse(system, system.public_item, system.report)
    with pytest.raises(ValidationError, match="Withdraw the item instead"):
        consultations.consideration_remove(consideration=consideration, actor=None)
    first = Consideration.objects.get(agenda_item=system.report.agenda_item)
    with pytest.raises(ValidationError, match="stays on that item's record"):
        consultations.consideration_remove(consideration=first, actor=None)
    draft = MeetingFactory(partnership=system.strategic, title="Next board", starts_at=_at(70))
    later = consultations.consideration_reuse(
        item=AgendaItemFactory(meeting=draft), paper=system.report, actor=None, role="comment"
    )
    consultations.consideration_remove(consideration=later, actor=None)
    assert not Consideration.objects.filter(pk=later.pk).exists()


# The open-data API ---------------------------------------------------------------------------


def _api(path, **params):
    response = _client().get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_api_lists_the_public_steps_only(system):
    _reuse(system, system.public_item, system.report, role="information", note="Noted.")
    _reuse(system, system.exempt_item, system.report, note="EXEMPT-OUTCOME")
    _reuse(system, system.private_item, system.report, note="PRIVATE-OUTCOME")
    consultations.consideration_add_outside(
        paper=system.report, actor=None, body_name="ICB board", considered_on=dt.date(2027, 1, 5), role="decision"
    )
    results = _api(reverse("api:consideration-list"), paper=system.report.pk)["results"]
    assert {(r["agenda_item"], r["body"]) for r in results} == {
        (system.report.agenda_item_id, ""),
        (system.public_item.pk, ""),
        (None, "ICB board"),
    }
    later = next(r for r in results if r["agenda_item"] == system.public_item.pk)
    assert (later["meeting"], later["organization"], later["role"], later["authoritative"]) == (
        system.board.pk,
        system.strategic.pk,
        "information",
        False,
    )
    assert later["outcome_note"] == "Noted." and later["html_url"].endswith(_page(system))
    hidden = Consideration.objects.get(agenda_item=system.exempt_item)
    assert _client().get(reverse("api:consideration-detail", args=[hidden.pk])).status_code == 404
    assert "EXEMPT-OUTCOME" not in _client().get(reverse("api:consideration-list")).content.decode()
    # The paper restricted where it was tabled: no step of it is left.
    system.report.restricted = True
    system.report.save()
    assert _api(reverse("api:consideration-list"))["results"] == []


def test_the_api_filters_steps_by_partnership_and_time_of_change(system):
    _reuse(system, system.public_item, system.report)
    before = timezone.now()
    first = Consideration.objects.get(agenda_item=system.report.agenda_item)
    Consideration.objects.filter(pk=first.pk).update(updated_at=before - dt.timedelta(days=2))
    strategic = _api(reverse("api:consideration-list"), partnership=system.strategic.slug)["results"]
    assert [r["agenda_item"] for r in strategic] == [system.public_item.pk]
    area = _api(reverse("api:consideration-list"), partnership=system.area.slug)["results"]
    assert len(area) == 2  # of a paper it tabled, wherever it went
    since = (before - dt.timedelta(hours=1)).isoformat()
    changed = _api(reverse("api:consideration-list"), updated_since=since)["results"]
    assert [r["agenda_item"] for r in changed] == [system.public_item.pk]
    bad = _client().get(reverse("api:consideration-list"), {"updated_since": "yesterday"})
    assert bad.status_code == 400 and "updated_since" in bad.json()


def test_strategies_and_priorities_filter_by_when_a_version_was_published(db):
    from strategy.factories import PriorityFactory, StrategyVersionFactory
    from strategy.models import Strategy, StrategyVersion

    old_partnership, new_partnership = PartnershipFactory(), PartnershipFactory()
    now = timezone.now()
    versions = {}
    for partnership, published_at in ((old_partnership, now - dt.timedelta(days=90)), (new_partnership, now)):
        strategy = Strategy.objects.create(partnership=partnership)
        versions[partnership] = StrategyVersionFactory(
            strategy=strategy, status=StrategyVersion.Status.PUBLISHED, published_at=published_at
        )
        PriorityFactory(version=versions[partnership], title=f"Start well in {partnership.name}")
    since = (now - dt.timedelta(days=1)).isoformat()
    strategies = _api(reverse("api:strategy-list"), updated_since=since)["results"]
    assert [s["id"] for s in strategies] == [versions[new_partnership].strategy_id]
    priorities = _api(reverse("api:priority-list"), updated_since=since)["results"]
    assert [p["strategy_version"] for p in priorities] == [versions[new_partnership].pk]
    assert len(_api(reverse("api:priority-list"))["results"]) == 2
