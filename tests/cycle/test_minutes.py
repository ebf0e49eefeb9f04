"""Minutes drafted on one page: every item's minute, beside the agenda, in one form. Each Save
saves every item changed (one by one, as `minutes_entry` still does for a single item), an item
in error is re-shown with the others saved, and nothing typed is lost. Someone else's newer
minute is never overwritten. An approved version stays read-only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import record_services
from meetings.models import MinuteEntry, Minutes
from meetings.record_forms import MINUTE_MAX_LENGTH


def url(meeting, name, **kwargs):
    return reverse(f"record:{name}", kwargs={"slug": meeting.partnership.slug, "pk": meeting.pk, **kwargs})


@pytest.fixture
def draft(board):
    return record_services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)


@pytest.fixture
def staff(client, board):
    client.force_login(board.secretariat)
    return client


def version_url(board, draft):
    return url(board.meeting, "minutes_version", version=draft.version)


def page_post(page, changes: dict, save=None) -> dict:
    """What the browser posts: every field of the page's form as shown, with `changes`
    ({(item, "discussion"): text}) typed in, and the Save button of `save` pressed."""
    data = {}
    for _item, _entry, form in page.context["items"]:
        for field in form:
            data[field.html_name] = field.value() or ""
    for (item, name), text in changes.items():
        data[f"minute-{item.pk}-{name}"] = text
    if save is not None:
        data["save"] = str(save.pk)
    return data


def test_every_item_has_its_fields_in_one_form_beside_the_agenda(staff, board, draft):
    html = staff.get(version_url(board, draft)).content.decode()
    assert 'class="portal-minutes-agenda"' in html
    assert html.count(f'action="{version_url(board, draft)}"') == 1
    for item in vars(board.items).values():
        assert f'href="#item-{item.position}"' in html
        assert f'id="minute-{item.pk}-discussion"' in html
        assert f'name="minute-{item.pk}-seen"' in html
        assert f"Discussion of item {item.position}" in html
        assert f'name="save" value="{item.pk}"' in html
    assert "This minute is never published" in html  # the exempt item's note


def test_one_save_saves_every_item_changed_and_returns_to_the_item(staff, board, draft):
    record_services.minutes_update_entry(
        minutes=draft, agenda_item=board.items.welcome, actor=board.secretariat, discussion="Welcome.", resolutions=""
    )
    page = staff.get(version_url(board, draft))
    changes = {
        (board.items.exempt, "discussion"): "The contract was discussed in private.",
        (board.items.strategy, "discussion"): "The refresh was discussed.",
        (board.items.strategy, "resolutions"): "Agreed.",
    }
    response = staff.post(version_url(board, draft), page_post(page, changes, save=board.items.strategy))
    assert response.status_code == 302 and response["Location"] == f"{version_url(board, draft)}#item-3"
    assert MinuteEntry.objects.get(agenda_item=board.items.welcome).discussion == "Welcome."
    assert (
        MinuteEntry.objects.get(agenda_item=board.items.exempt).discussion == "The contract was discussed in private."
    )
    assert MinuteEntry.objects.get(agenda_item=board.items.strategy).resolutions == "Agreed."
    html = staff.get(version_url(board, draft)).content.decode()
    assert "Minutes of items 2 and 3 saved." in html
    assert html.count("minute written") == 3


def test_an_error_in_one_item_loses_no_text_typed_in_the_others(staff, board, draft):
    page = staff.get(version_url(board, draft))
    too_long = "x" * (MINUTE_MAX_LENGTH + 1)
    changes = {
        (board.items.welcome, "discussion"): "The chair welcomed everyone.",
        (board.items.exempt, "discussion"): too_long,
        (board.items.strategy, "discussion"): "Typed but the other item is wrong.",
        (board.items.strategy, "resolutions"): "Agreed the refresh.",
    }
    response = staff.post(version_url(board, draft), page_post(page, changes, save=board.items.welcome))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#minute-{board.items.exempt.pk}-discussion"' in html
    assert "The discussion of item 2 must be 20000 characters or fewer" in html
    # Every word typed is on the page again, the wrong item's too ...
    for text in ("The chair welcomed everyone.", "Typed but the other item is wrong.", "Agreed the refresh.", too_long):
        assert text in html
    # ... and the items without a problem are saved; the item in error is not.
    assert MinuteEntry.objects.get(agenda_item=board.items.welcome).discussion == "The chair welcomed everyone."
    assert MinuteEntry.objects.get(agenda_item=board.items.strategy).resolutions == "Agreed the refresh."
    assert MinuteEntry.objects.get(agenda_item=board.items.exempt).discussion == ""
    assert "Minutes of items 1 and 3 saved." in html


def test_an_item_someone_else_saved_meanwhile_is_not_overwritten(staff, board, draft):
    page = staff.get(version_url(board, draft))
    record_services.minutes_update_entry(
        minutes=draft, agenda_item=board.items.strategy, actor=board.secretariat, discussion="Theirs.", resolutions=""
    )
    record_services.minutes_update_entry(
        minutes=draft,
        agenda_item=board.items.welcome,
        actor=board.secretariat,
        discussion="Also theirs.",
        resolutions="",
    )
    # This writer changed item 3 (which someone else saved meanwhile) and item 2; item 1 they left as shown.
    changes = {(board.items.strategy, "discussion"): "Mine.", (board.items.exempt, "discussion"): "Private."}
    response = staff.post(version_url(board, draft), page_post(page, changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved the minute of item 3 while you were writing" in html
    assert "Theirs." in html and "Mine." in html
    assert MinuteEntry.objects.get(agenda_item=board.items.strategy).discussion == "Theirs."
    assert MinuteEntry.objects.get(agenda_item=board.items.welcome).discussion == "Also theirs."
    assert MinuteEntry.objects.get(agenda_item=board.items.exempt).discussion == "Private."
    # Having seen theirs, saving again keeps this writer's text.
    again = staff.post(version_url(board, draft), page_post(response, {}))
    assert again.status_code == 302
    assert MinuteEntry.objects.get(agenda_item=board.items.strategy).discussion == "Mine."


def test_saving_one_item_alone_still_works(staff, board, draft):
    entry_url = url(board.meeting, "minutes_entry", version=draft.version, item_pk=board.items.strategy.pk)
    response = staff.post(entry_url, {"discussion": "The refresh was discussed.", "resolutions": "Agreed."})
    assert response.status_code == 302 and response["Location"] == f"{version_url(board, draft)}#item-3"
    assert MinuteEntry.objects.get(agenda_item=board.items.strategy).discussion == "The refresh was discussed."


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
    response = staff.post(
        url(board.meeting, "minutes_version", version=draft.version),
        {f"minute-{board.items.strategy.pk}-discussion": "Changed after approval", "save": board.items.strategy.pk},
    )
    assert response.status_code == 302
    assert not MinuteEntry.objects.filter(discussion="Changed after approval").exists()


@pytest.mark.parametrize("who", ["chair", "member", "other_member", "stranger"])
def test_only_the_secretariat_drafts(client, cast, board, draft, who):
    client.force_login(getattr(cast, who))
    assert client.get(url(board.meeting, "minutes_version", version=draft.version)).status_code == 403
    entry_url = url(board.meeting, "minutes_entry", version=draft.version, item_pk=board.items.strategy.pk)
    assert client.post(entry_url, {"discussion": "Not mine to write"}).status_code == 403
    version_post = {f"minute-{board.items.strategy.pk}-discussion": "Not mine to write"}
    assert client.post(url(board.meeting, "minutes_version", version=draft.version), version_post).status_code == 403
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
