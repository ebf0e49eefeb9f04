"""Minutes drafted on one page: every item's minute, beside the agenda, each saved on its own
by `minutes_entry` as before. An approved version stays read-only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import record_services
from meetings.models import MinuteEntry, Minutes


def url(meeting, name, **kwargs):
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk, **kwargs})


@pytest.fixture
def draft(board):
    return record_services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)


@pytest.fixture
def staff(client, board):
    client.force_login(board.secretariat)
    return client


def test_every_item_has_its_form_beside_the_agenda(staff, board, draft):
    html = staff.get(url(board.meeting, "minutes_version", version=draft.version)).content.decode()
    assert 'class="portal-minutes-agenda"' in html
    for item in vars(board.items).values():
        assert f'href="#item-{item.position}"' in html
        assert f'action="{url(board.meeting, "minutes_entry", version=draft.version, item_pk=item.pk)}"' in html
        assert f'id="item-{item.position}-discussion"' in html
        assert f"Discussion of item {item.position}" in html
    assert "This minute is never published" in html  # the exempt item's note


def test_saving_one_item_keeps_the_others_as_they_were_and_returns_to_the_page(staff, board, draft):
    record_services.minutes_update_entry(
        minutes=draft, agenda_item=board.items.welcome, actor=board.secretariat, discussion="Welcome.", resolutions=""
    )
    entry_url = url(board.meeting, "minutes_entry", version=draft.version, item_pk=board.items.strategy.pk)
    response = staff.post(entry_url, {"discussion": "The refresh was discussed.", "resolutions": "Agreed."})
    version_url = url(board.meeting, "minutes_version", version=draft.version)
    assert response.status_code == 302 and response["Location"] == f"{version_url}#item-3"
    assert MinuteEntry.objects.get(agenda_item=board.items.welcome).discussion == "Welcome."
    html = staff.get(version_url).content.decode()
    assert "The refresh was discussed." in html
    assert html.count("minute written") == 2


def test_an_approved_version_has_no_forms(staff, board, draft):
    Minutes.objects.filter(pk=draft.pk).update(status=Minutes.Status.APPROVED, published_at=timezone.now())
    html = staff.get(url(board.meeting, "minutes_version", version=draft.version)).content.decode()
    assert "<textarea" not in html
    assert "No minute written." in html
    response = staff.post(
        url(board.meeting, "minutes_entry", version=draft.version, item_pk=board.items.strategy.pk),
        {"discussion": "Changed after approval"},
    )
    assert response.status_code == 302
    assert not MinuteEntry.objects.filter(discussion="Changed after approval").exists()


@pytest.mark.parametrize("who", ["chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_drafts(client, cast, board, draft, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(board.meeting, "minutes_version", version=draft.version)).status_code == 403
    entry_url = url(board.meeting, "minutes_entry", version=draft.version, item_pk=board.items.strategy.pk)
    assert client.post(entry_url, {"discussion": "Not mine to write"}).status_code == 403
    assert not MinuteEntry.objects.filter(discussion="Not mine to write").exists()


def test_the_page_costs_the_same_queries_with_more_items(staff, board, draft, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.factories import AgendaItemFactory

    version_url = url(board.meeting, "minutes_version", version=draft.version)
    with CaptureQueriesContext(connection) as before:
        staff.get(version_url)
    for n in range(10):
        AgendaItemFactory(meeting=board.meeting, position=10 + n)
    with django_assert_max_num_queries(len(before.captured_queries)):
        staff.get(version_url)
