"""The strategy workspace: who may open each page, and the forms the secretariat uses."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from meetings.factories import ActionFactory, AgendaItemFactory, DecisionFactory, MeetingFactory
from strategy.models import StrategyVersion
from strategy.services.approval import version_submit


def _urls(cast, draft):
    slug = cast.partnership.slug
    section, priority = draft.sections.get(), draft.priorities.get()
    return {
        "workspace": (reverse("strategy:workspace", args=[slug]), "staff"),
        "version": (reverse("strategy:version", args=[slug, 1]), "staff"),
        "compare": (reverse("strategy:compare", args=[slug]), "staff"),
        "evidence": (reverse("strategy:evidence", args=[slug]), "staff"),
        "evidence_add": (reverse("strategy:evidence_add", args=[slug]), "secretariat"),
        "version_edit": (reverse("strategy:version_edit", args=[slug, 1]), "secretariat"),
        "section_add": (reverse("strategy:section_add", args=[slug, 1]), "secretariat"),
        "section_edit": (reverse("strategy:section_edit", args=[slug, 1, section.pk]), "secretariat"),
        "section_remove": (reverse("strategy:section_remove", args=[slug, 1, section.pk]), "secretariat"),
        "priority_add": (reverse("strategy:priority_add", args=[slug, 1]), "secretariat"),
        "priority_edit": (reverse("strategy:priority_edit", args=[slug, 1, priority.pk]), "secretariat"),
        "measure_add": (reverse("strategy:measure_add", args=[slug, 1, priority.pk]), "secretariat"),
        "delivery": (reverse("strategy:delivery", args=[slug, 1, priority.pk]), "secretariat"),
        "engagement_add": (reverse("strategy:engagement_add", args=[slug, 1]), "secretariat"),
        "submit": (reverse("strategy:submit", args=[slug, 1]), "secretariat"),
        "review": (reverse("strategy:review", args=[slug, 1]), "chairs"),
    }


ALLOWED = {
    "staff": {"secretariat", "chair", "co_chair"},
    "secretariat": {"secretariat"},
    "chairs": {"chair", "co_chair"},
}


@pytest.mark.parametrize("who", ["secretariat", "chair", "co_chair", "member", "other_member", "stranger", None])
def test_every_workspace_page_states_who_may_open_it(client, cast, draft, who):
    if who:
        client.force_login(getattr(cast, who))
    for name, (url, audience) in _urls(cast, draft).items():
        status = client.get(url).status_code
        if who is None:
            assert status == 302, name
        else:
            assert status == (200 if who in ALLOWED[audience] else 403), (name, who, status)


def test_another_partnerships_versions_are_not_found(client, cast, draft):
    from strategy.factories import StrategyFactory, StrategyVersionFactory

    other = StrategyVersionFactory(strategy=StrategyFactory(partnership=cast.other_partnership))
    client.force_login(cast.secretariat)
    section = draft.sections.get()
    assert client.get(reverse("strategy:version", args=[cast.partnership.slug, other.number + 5])).status_code == 404
    url = reverse("strategy:section_edit", args=[cast.other_partnership.slug, 1, section.pk])
    assert client.get(url).status_code == 403  # not their partnership at all
    assert client.get(reverse("strategy:workspace", args=["no-such-partnership"])).status_code == 404


def test_starting_the_strategy_and_writing_a_draft(client, cast):
    client.force_login(cast.secretariat)
    slug = cast.partnership.slug
    page = client.get(reverse("strategy:workspace", args=[slug])).content.decode()
    assert "Start the strategy" in page
    response = client.post(reverse("strategy:start", args=[slug]), {"title": "Healthier together"})
    assert response.status_code == 302 and response.url == reverse("strategy:version", args=[slug, 1])

    response = client.post(reverse("strategy:section_add", args=[slug, 1]), {"title": "", "body": "x"})
    assert "Enter the section" in response.content.decode() and "There is a problem" in response.content.decode()
    response = client.post(
        reverse("strategy:section_add", args=[slug, 1]),
        {"title": "Our population", "body": "## Need\n\nText."},
        follow=True,
    )
    assert "The section “Our population” has been added." in response.content.decode()

    url = reverse("strategy:priority_add", args=[slug, 1])
    response = client.post(url, {"title": "Falls", "summary": "Fewer falls.", "theme": "topic"})
    page = response.content.decode()
    assert "Choose at least one of the four aims" in page and "Name the topic" in page
    response = client.post(
        url,
        {
            "title": "Falls",
            "summary": "Fewer falls.",
            "theme": "topic",
            "topic": "Falls prevention",
            "aims": ["outcomes", "value"],
        },
    )
    assert response.status_code == 302
    priority = StrategyVersion.objects.get(strategy__partnership=cast.partnership).priorities.get()
    assert priority.aims == ["outcomes", "value"] and priority.theme_label == "Falls prevention"

    response = client.post(
        reverse("strategy:measure_add", args=[slug, 1, priority.pk]),
        {"name": "Admissions after a fall", "baseline": "2,380", "target": "2,100", "target_date": "2028"},
    )
    assert response.status_code == 302 and priority.measures.get().target == "2,100"

    response = client.post(
        reverse("strategy:engagement_add", args=[slug, 1]),
        {
            "title": "Listening",
            "started_on": "2026-02-01",
            "ended_on": "2026-01-01",
            "method": "Events",
            "heard": "x",
            "response": "y",
        },
    )
    page = response.content.decode()
    assert "Say whom you involved." in page and "The end date must be on or after the start date." in page

    response = client.post(reverse("strategy:submit", args=[slug, 1]), follow=True)
    assert "has been submitted. We have emailed" in response.content.decode()
    actions = set(AuditEvent.objects.filter(partnership=cast.partnership).values_list("action", flat=True))
    assert {
        "strategy.version.created",
        "strategy.section.added",
        "strategy.priority.added",
        "strategy.version.submitted",
    } <= actions


def test_editing_a_submitted_version_warns_then_returns_it_to_draft(client, cast, draft):
    version_submit(version=draft, actor=cast.secretariat)
    client.force_login(cast.secretariat)
    url = reverse("strategy:section_edit", args=[cast.partnership.slug, 1, draft.sections.get().pk])
    assert "Saving a change returns version 1 to draft" in client.get(url).content.decode()
    client.post(url, {"title": "Our population", "body": "Changed."})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_version_cannot_be_edited_through_the_pages(client, cast, draft, adopting_decision):
    from .conftest import publish

    publish(draft, cast, adopting_decision)
    client.force_login(cast.secretariat)
    url = reverse("strategy:section_edit", args=[cast.partnership.slug, 1, draft.sections.get().pk])
    response = client.post(url, {"title": "Rewritten", "body": "Rewritten"}, follow=True)
    assert "can no longer be changed. Start a new draft" in response.content.decode()
    assert draft.sections.get().title == "Our population"
    response = client.post(reverse("strategy:new_draft", args=[cast.partnership.slug]), follow=True)
    assert "Version 2 has been started as a draft, copied from version 1" in response.content.decode()


def test_linking_delivery_through_the_meeting_chooser(client, cast, draft):
    meeting = MeetingFactory(partnership=cast.partnership, title="Partnership meeting")
    item = AgendaItemFactory(meeting=meeting, position=1, title="Falls prevention")
    decision = DecisionFactory(meeting=meeting, agenda_item=item, wording="Agree the falls plan.")
    ActionFactory(meeting=meeting, description="Report back.")
    client.force_login(cast.secretariat)
    priority = draft.priorities.get()
    url = reverse("strategy:delivery", args=[cast.partnership.slug, 1, priority.pk])
    page = client.get(url, {"meeting": meeting.pk}).content.decode()
    assert "Decision: Agree the falls plan." in page and "Agenda item: 1. Falls prevention" in page
    response = client.post(url, {"meeting": meeting.pk, "target": f"decision-{decision.pk}"})
    assert response.status_code == 302
    assert priority.delivery_links.get().decision == decision
    response = client.post(url, {"meeting": meeting.pk, "target": f"decision-{decision.pk}"})
    assert "already linked" in response.content.decode()
    other = MeetingFactory(partnership=cast.other_partnership)
    assert client.get(url, {"meeting": other.pk}).status_code == 404
    link = priority.delivery_links.get()
    client.post(reverse("strategy:delivery_unlink", args=[cast.partnership.slug, 1, priority.pk, link.pk]))
    assert not priority.delivery_links.exists()
