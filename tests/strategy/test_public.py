"""The public strategy pages: only published versions, nothing exempt, a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.factories import ActionFactory, AgendaItemFactory, DecisionFactory, MeetingFactory
from strategy.factories import (
    EngagementActivityFactory,
    EvidenceFactory,
    OutcomeMeasureFactory,
    PriorityFactory,
    SectionFactory,
)
from strategy.models import StrategyVersion
from strategy.services.approval import approval_record, version_submit
from strategy.services.delivery import delivery_link
from strategy.services.sections import section_add, section_update
from strategy.services.versions import version_new_draft

from .conftest import approve_by_all, publish

Status = StrategyVersion.Status


def _public(slug, number=None):
    if number is None:
        return reverse("strategy:public", args=[slug])
    return reverse("strategy:public_version", args=[slug, number])


def test_before_anything_is_published_the_public_page_says_so(client, cast, draft):
    response = client.get(_public(cast.partnership.slug))
    assert response.status_code == 200
    page = response.content.decode()
    assert "has not published an integrated care strategy" in page
    assert draft.title not in page and "Our population" not in page


@pytest.mark.parametrize("stage", ["draft", "submitted", "changes_requested", "approved"])
def test_unpublished_versions_are_404_to_the_public(client, cast, draft, stage):
    if stage != "draft":
        version_submit(version=draft, actor=cast.secretariat)
    if stage == "changes_requested":
        approval_record(version=draft, actor=cast.chair, decision="changes_requested", comment="More.")
    if stage == "approved":
        approve_by_all(draft, cast)
    slug = cast.partnership.slug
    for user in (None, cast.member, cast.chair):
        if user:
            client.force_login(user)
        assert client.get(_public(slug, 1)).status_code == 404
        assert (
            client.get(reverse("strategy:public_priority", args=[slug, 1, draft.priorities.get().pk])).status_code
            == 404
        )
        assert "Our population" not in client.get(_public(slug)).content.decode()
        client.logout()


def test_the_public_sees_published_and_superseded_versions_but_not_the_next_draft(
    client, cast, draft, adopting_decision
):
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    section_update(
        section=second.sections.get(), actor=cast.secretariat, title="Our population", body="A secret redraft."
    )
    slug = cast.partnership.slug
    assert client.get(_public(slug, 1)).status_code == 200
    assert client.get(_public(slug, 2)).status_code == 404
    assert "A secret redraft" not in client.get(_public(slug)).content.decode()
    publish(second, cast)
    old = client.get(_public(slug, 1)).content.decode()
    assert "This version has been replaced" in old and "see what changed" in old
    current = client.get(_public(slug)).content.decode()
    assert "A secret redraft" in current and "Version 1: " in current
    versions = client.get(reverse("strategy:public_versions", args=[slug])).content.decode()
    assert "Version 1: " in versions and "Version 2: " in versions


@pytest.mark.parametrize("taken_off", ["meeting made private", "item made exempt"])
def test_the_adopting_meeting_is_named_only_while_it_is_on_the_public_record(
    client, cast, draft, adopting_decision, taken_off
):
    publish(draft, cast, adopting_decision)
    meeting = adopting_decision.meeting
    named = f"meeting on {meeting.starts_at:%-d %B %Y}</a> (decision ICP/2026/7)"
    slug = cast.partnership.slug
    assert named in client.get(_public(slug, 1)).content.decode()
    assert meeting.get_absolute_url() in client.get(reverse("strategy:public_versions", args=[slug])).content.decode()

    if taken_off == "meeting made private":
        type(meeting).objects.filter(pk=meeting.pk).update(is_public=False)
    else:
        type(adopting_decision.agenda_item).objects.filter(pk=adopting_decision.agenda_item_id).update(
            is_exempt=True, exempt_paragraph="3", exempt_reason="Commercial terms."
        )
    for page in (_public(slug, 1), _public(slug), reverse("strategy:public_versions", args=[slug])):
        content = client.get(page).content.decode()
        assert meeting.get_absolute_url() not in content and "ICP/2026/7" not in content, page
        assert f"{meeting.starts_at:%-d %B %Y}" not in content, page
    assert "By the partnership</dd>" in client.get(_public(slug, 1)).content.decode()


def test_markdown_is_rendered_and_sanitised(client, cast, draft, adopting_decision):
    SectionFactory(
        version=draft,
        title="Living well",
        body=(
            "# Our aims\n\nRead [the JSNA](https://example.gov.uk/jsna) and [this](javascript:alert(1)).\n\n"
            "<script>alert('owned')</script>\n\n<style>body{display:none}</style>\n\n"
            '<img src=x onerror="alert(2)">\n\n| Area | Rate |\n| --- | --- |\n| Hartlepool | 12% |\n\n- one\n- two'
        ),
    )
    publish(draft, cast, adopting_decision)
    page = client.get(_public(cast.partnership.slug)).content.decode()
    assert "<script>alert" not in page and "alert('owned')" not in page
    assert "display:none" not in page and "onerror" not in page and "javascript:" not in page
    assert "<h3>Our aims</h3>" in page  # headings start below the section's <h2>
    assert '<a href="https://example.gov.uk/jsna" rel="noopener noreferrer">the JSNA</a>' in page
    assert '<table class="nhsuk-table">' in page and '<th scope="col" class="nhsuk-table__header">Area</th>' in page
    assert "<li>one</li>" in page


def test_a_priority_page_shows_public_delivery_and_never_anything_exempt(client, cast, draft, adopting_decision):
    publish(draft, cast, adopting_decision)
    priority = draft.priorities.get()
    past = timezone.now() - dt.timedelta(days=2)
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=past, ends_at=past + dt.timedelta(hours=2))
    public_item = AgendaItemFactory(meeting=meeting, position=1, title="Best start in life")
    exempt_item = AgendaItemFactory(meeting=meeting, position=2, title="Nursery contract award", exempt=True)
    private = MeetingFactory(
        partnership=cast.partnership, starts_at=past, ends_at=past + dt.timedelta(hours=1), is_public=False
    )
    targets = [
        {"decision": DecisionFactory(meeting=meeting, agenda_item=public_item, wording="Fund family hubs.")},
        {"action": ActionFactory(meeting=meeting, agenda_item=public_item, description="Report on hubs in May.")},
        {"decision": DecisionFactory(meeting=meeting, agenda_item=exempt_item, wording="Award to Secret Ltd.")},
        {"action": ActionFactory(meeting=meeting, agenda_item=exempt_item, description="Negotiate Secret Ltd price.")},
        {"decision": DecisionFactory(meeting=private, wording="Private session decision.")},
        {"agenda_item": exempt_item},
    ]
    for target in targets:
        delivery_link(priority=priority, actor=cast.secretariat, **target)
    # Delivery follows the priority into the next version (same key).
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    publish(second, cast)
    for number, pk in ((1, priority.pk), (2, second.priorities.get().pk)):
        page = client.get(
            reverse("strategy:public_priority", args=[cast.partnership.slug, number, pk])
        ).content.decode()
        assert "Fund family hubs." in page and "Report on hubs in May." in page
        for secret in ("Secret Ltd", "Private session decision", "Nursery contract award"):
            assert secret not in page
    client.force_login(cast.secretariat)
    staff = client.get(reverse("strategy:delivery", args=[cast.partnership.slug, 2, second.priorities.get().pk]))
    assert "Award to Secret Ltd." in staff.content.decode()  # staff see every link, marked exempt


def test_delivery_links_only_the_partnerships_own_business(cast, draft):
    from django.core.exceptions import ValidationError

    other = DecisionFactory(meeting=MeetingFactory(partnership=cast.other_partnership))
    with pytest.raises(ValidationError, match="own meetings"):
        delivery_link(priority=draft.priorities.get(), actor=cast.secretariat, decision=other)
    mine = DecisionFactory(meeting=MeetingFactory(partnership=cast.partnership))
    delivery_link(priority=draft.priorities.get(), actor=cast.secretariat, decision=mine)
    with pytest.raises(ValidationError, match="already linked"):
        delivery_link(priority=draft.priorities.get(), actor=cast.secretariat, decision=mine)


def _grow(version, council, size):
    for n in range(size):
        section = SectionFactory(version=version, title=f"Section {n}")
        priority = PriorityFactory(version=version, title=f"Priority {n}")
        OutcomeMeasureFactory(priority=priority)
        evidence = EvidenceFactory(strategy=version.strategy, local_authority=council, title=f"JSNA {n}")
        section.evidence.add(evidence)
        priority.evidence.add(evidence)
        priority.local_authorities.add(council)
        EngagementActivityFactory(version=version)


def _link_delivery(priority, cast, size):
    past = timezone.now() - dt.timedelta(days=2)
    for n in range(size):
        meeting = MeetingFactory(partnership=cast.partnership, starts_at=past, ends_at=past + dt.timedelta(hours=1))
        item = AgendaItemFactory(meeting=meeting, position=1, title=f"Item {n}")
        delivery_link(priority=priority, actor=cast.secretariat, agenda_item=item)
        delivery_link(priority=priority, actor=cast.secretariat, decision=DecisionFactory(meeting=meeting))
        delivery_link(priority=priority, actor=cast.secretariat, action=ActionFactory(meeting=meeting))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_public_pages_run_a_fixed_number_of_queries(client, cast, draft, council, adopting_decision):
    _grow(draft, council, 2)
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    publish(second, cast)
    slug = cast.partnership.slug
    priority = second.priorities.first()
    _link_delivery(priority, cast, 1)
    urls = [
        _public(slug),
        _public(slug, 1),
        reverse("strategy:public_priority", args=[slug, 2, priority.pk]),
        reverse("strategy:public_compare", args=[slug]),
        reverse("strategy:public_versions", args=[slug]),
    ]
    small = [_queries(client, url) for url in urls]

    third = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    _grow(third, council, 12)
    publish(third, cast)
    _link_delivery(third.priorities.first(), cast, 6)
    urls[2] = reverse("strategy:public_priority", args=[slug, 3, third.priorities.first().pk])
    urls[3] = reverse("strategy:public_compare", args=[slug]) + "?old=2&new=3"
    large = [_queries(client, url) for url in urls]
    assert large == small


def test_comparing_versions_shows_changes_side_by_side_escaped(client, cast, draft, adopting_decision):
    section = draft.sections.get()
    section.body = "People here live shorter lives.\nSmoking is falling."
    section.save()
    publish(draft, cast, adopting_decision)
    second = version_new_draft(strategy=draft.strategy, actor=cast.secretariat)
    copy = second.sections.get()
    section_update(
        section=copy,
        actor=cast.secretariat,
        title="Our people",
        body="People here live much shorter lives.\nSmoking is falling.\n<b>Bold</b> new line.",
    )
    section_add(version=second, actor=cast.secretariat, title="Housing", body="Warm homes.")
    url = reverse("strategy:public_compare", args=[cast.partnership.slug]) + "?old=1&new=2"
    # Version 2 is not public yet: the public cannot compare with it.
    assert "Warm homes" not in client.get(url).content.decode()
    assert "Choose two different versions" not in client.get(url).content.decode()
    publish(second, cast)
    page = client.get(url).content.decode()
    assert "Renamed from “Our population” to “Our people”" in page
    assert '<ins class="portal-ins"><span class="nhsuk-u-visually-hidden">added: </span>much ' in page
    assert "&lt;b&gt;Bold&lt;/b&gt; new line." in page and "<b>Bold</b>" not in page
    assert '<th scope="col" class="nhsuk-table__header">Version 1</th>' in page
    assert "Housing" in page and "Added" in page


def test_engagement_shown_is_of_this_and_earlier_public_versions_only_on_the_page_and_in_the_pdf(
    client, cast, draft, adopting_decision
):
    import io

    from pypdf import PdfReader

    from publishing.renderers import render_strategy
    from strategy.factories import StrategyVersionFactory

    first = publish(draft, cast, adopting_decision)
    StrategyVersion.objects.filter(pk=first.pk).update(status=Status.SUPERSEDED)
    # Version two was approved but never published; version three was published after it.
    unpublished = StrategyVersionFactory(strategy=first.strategy, number=2, status=Status.APPROVED)
    third = StrategyVersionFactory(
        strategy=first.strategy, number=3, status=Status.PUBLISHED, published_at=timezone.now()
    )
    EngagementActivityFactory(version=first, title="Listening events of version one")
    EngagementActivityFactory(version=unpublished, title="Consultation never published")
    EngagementActivityFactory(version=third, title="Workshops of version three")

    page = client.get(_public(cast.partnership.slug, 3)).content.decode()
    reader = PdfReader(io.BytesIO(render_strategy(third)))
    pdf = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for text in (page, pdf):
        assert "Listening events of version one" in text and "Workshops of version three" in text
        assert "Consultation never published" not in text
    # Version one's own page shows nothing of the versions after it.
    first_page = client.get(_public(cast.partnership.slug, 1)).content.decode()
    assert "Listening events of version one" in first_page and "Workshops of version three" not in first_page
