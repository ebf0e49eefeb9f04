"""Email alerts: follow, confirm, receive, unsubscribe; once each; digests; limits; bounces."""

import datetime as dt
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from alerts import services
from alerts.models import AlertEvent, Delivery, Subscription, SuppressedAddress
from core import events
from meetings.factories import MeetingFactory
from partnerships.factories import IntegratedCareSystemFactory, PartnershipFactory

from .conftest import confirm_link, links, path_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()


def _follow_url(cast):
    return reverse("alerts:follow_partnership", args=[cast.partnership.slug])


def test_follow_confirm_receive_and_unsubscribe(
    client, cast, follow, publish_agenda, django_capture_on_commit_callbacks
):
    assert client.get(_follow_url(cast)).status_code == 200
    confirmation = follow(_follow_url(cast))
    assert cast.partnership.name in confirmation.subject
    assert confirmation.extra_headers["List-Unsubscribe"].startswith("<http")
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subscription = Subscription.objects.get()
    assert subscription.is_active and subscription.email == "reader@example.org"

    meeting = publish_agenda(items=("Strategy refresh", "Winter plan"))
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == ["reader@example.org"]
    assert alert.subject.startswith("Agenda published: Partnership board")
    assert "Item 1: Strategy refresh" in alert.body and "Item 2: Winter plan" in alert.body
    assert (
        f"http://testserver{meeting.get_absolute_url()}"
        in alert.body.replace("http://127.0.0.1:8000", "http://testserver")
        or meeting.get_absolute_url() in alert.body
    )
    unsubscribe = alert.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in alert.body
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The mail client's one-click unsubscribe: a POST with no session and no CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.ended_at is not None and subscription.end_reason == "unsubscribed"

    mail.outbox.clear()
    publish_agenda(title="Next board")
    assert mail.outbox == []


def test_unsubscribe_page_asks_before_ending(client, cast, follow):
    follow(_follow_url(cast))
    subscription = Subscription.objects.get()
    url = reverse("alerts:unsubscribe", args=[subscription.token])
    response = client.get(url)
    assert response.status_code == 200 and b"Unsubscribe" in response.content
    subscription.refresh_from_db()
    assert subscription.ended_at is None  # opening the link (or a mail scanner) ends nothing
    client.post(url)
    client.post(url)  # twice is fine
    subscription.refresh_from_db()
    assert subscription.ended_at is not None
    assert client.get(reverse("alerts:unsubscribe", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def test_nothing_is_sent_before_confirmation(client, cast, publish_agenda, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_follow_url(cast), {"email": "reader@example.org", "frequency": "immediate"})
    confirmation = mail.outbox[0]
    mail.outbox.clear()
    # Opening the link (a mail scanner's GET) confirms nothing.
    assert client.get(path_of(confirm_link(confirmation))).status_code == 200
    publish_agenda()
    assert mail.outbox == []
    assert not Subscription.objects.active().exists()


def test_confirmation_link_works_once_and_not_when_tampered_or_expired(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_follow_url(cast), {"email": "reader@example.org", "frequency": "immediate"})
    link = path_of(confirm_link(mail.outbox[0]))
    tampered = client.post(link[:-3] + "xyz/")
    assert tampered.status_code == 400 and b"not valid" in tampered.content
    assert client.post(link).status_code == 200
    again = client.post(link)
    assert again.status_code == 400 and b"used already" in again.content

    subscription = Subscription.objects.create(email="late@example.org", partnership=cast.partnership)
    with mock.patch("time.time", return_value=time.time() - 8 * 86400):
        old_token = services.confirmation_token(subscription)
    expired = client.post(reverse("alerts:confirm", args=[old_token]))
    assert expired.status_code == 400 and b"expired" in expired.content
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_form_errors_are_clear_and_nothing_is_written(client, cast):
    response = client.post(_follow_url(cast), {"email": "not an address", "frequency": ""})
    assert response.status_code == 200
    assert b"Enter an email address in the correct format" in response.content
    assert b"Choose how often you want emails" in response.content
    assert not Subscription.objects.exists()
    assert client.get(reverse("alerts:follow_partnership", args=["atlantis"])).status_code == 404
    assert client.get(reverse("alerts:follow_system", args=["atlantis"])).status_code == 404


def test_requests_are_rate_limited_per_address_with_the_same_answer(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.ALERT_REQUESTS_PER_ADDRESS = 2
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            response = client.post(_follow_url(cast), {"email": "Reader@Example.org", "frequency": "daily"})
            answers.append(response["Location"])
    assert len(set(answers)) == 1
    assert len(mail.outbox) == 2
    # Other addresses are unaffected.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_follow_url(cast), {"email": "other@example.org", "frequency": "daily"})
    assert len(mail.outbox) == 3


def test_requests_are_rate_limited_per_client(client, cast, settings, django_capture_on_commit_callbacks):
    settings.ALERT_REQUESTS_PER_CLIENT = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            client.post(_follow_url(cast), {"email": f"reader{n}@example.org", "frequency": "daily"})
    assert len(mail.outbox) == 2


def test_never_twice(cast, follow, publish_agenda, settings, django_capture_on_commit_callbacks):
    settings.ALERT_SWEEP_GRACE_SECONDS = 0
    follow(_follow_url(cast))
    meeting = publish_agenda()
    assert len(mail.outbox) == 1
    event = AlertEvent.objects.get()
    delivery = Delivery.objects.get()
    assert delivery.status == "sent"
    # The event announced again, fanned out again, the delivery sent again, the sweeper run: nothing more.
    services.event_record(kind=event.kind, partnership_id=cast.partnership.pk, object_id=meeting.pk)
    assert services.event_fan_out(event_pk=event.pk) == 0
    assert services.delivery_send(delivery_pk=delivery.pk) is None
    AlertEvent.objects.filter(pk=event.pk).update(fanned_out_at=None)
    services.event_fan_out(event_pk=event.pk)  # even a second fan-out writes no second delivery
    with django_capture_on_commit_callbacks(execute=True):
        services.alerts_sweep()
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_lost_message_is_picked_up_by_the_sweeper(
    cast, follow, publish_agenda, settings, django_capture_on_commit_callbacks
):
    follow(_follow_url(cast))
    with mock.patch("alerts.services._send_on_commit"):  # the broker lost the fan-out message
        publish_agenda()
    assert mail.outbox == [] and AlertEvent.objects.get().fanned_out_at is None
    settings.ALERT_SWEEP_GRACE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        services.alerts_sweep()
    assert len(mail.outbox) == 1


def test_a_transient_failure_is_retried_then_recorded_as_failed(cast, follow, publish_agenda):
    from alerts.tasks import send_alert

    follow(_follow_url(cast))
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("relay down")):
        publish_agenda()
        delivery = Delivery.objects.get()
        # The first attempt failed: released for its retry (or the sweeper), not lost.
        assert delivery.status == "pending" and "relay down" in delivery.error
        # The last retry fails too: recorded as failed, never sent.
        send_alert.apply(args=(delivery.pk,), retries=send_alert.max_retries)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "Gave up" in delivery.error
    assert mail.outbox == []


def test_a_transient_failure_releases_the_delivery_for_the_next_attempt(cast, follow, publish_agenda):
    follow(_follow_url(cast))
    with mock.patch("alerts.services._send_on_commit"):
        publish_agenda()
    services.event_fan_out(event_pk=AlertEvent.objects.get().pk)
    delivery = Delivery.objects.get()
    relay_down = mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("relay down"))
    with relay_down, pytest.raises(services.TransientSendError):
        services.delivery_send(delivery_pk=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert services.delivery_send(delivery_pk=delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_daily_digest_lists_the_day_once(cast, follow, publish_agenda):
    follow(_follow_url(cast), frequency="daily")
    publish_agenda(title="Morning board")
    publish_agenda(title="Evening board")
    assert mail.outbox == []  # nothing until the digest
    assert services.digests_send() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject.startswith("2 new publications")
    assert "Morning board" in digest.body and "Evening board" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.digests_send() == 0
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_digest_leaves_out_what_stopped_being_public(cast, follow, publish_agenda):
    follow(_follow_url(cast), frequency="daily")
    publish_agenda(title="Morning board")
    withdrawn = publish_agenda(title="Evening board")
    withdrawn.is_public = False  # made a private session before the digest went
    withdrawn.save()
    services.digests_send()
    assert "Morning board" in mail.outbox[0].body and "Evening board" not in mail.outbox[0].body
    assert Delivery.objects.filter(status="skipped").count() == 1


def test_an_alert_is_not_sent_if_its_subject_stopped_being_public(cast, follow, publish_agenda):
    follow(_follow_url(cast))
    with mock.patch("alerts.services._send_on_commit"):
        meeting = publish_agenda()
        services.event_fan_out(event_pk=AlertEvent.objects.get().pk)
    meeting.is_public = False
    meeting.save()
    assert services.delivery_send(delivery_pk=Delivery.objects.get().pk) == "skipped"
    assert mail.outbox == []


def test_private_sessions_send_nothing(cast, follow, publish_agenda):
    follow(_follow_url(cast))
    publish_agenda(title="Chief executives", is_public=False)
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_following_a_system_covers_its_partnerships_only(cast, follow, publish_agenda):
    ics = cast.partnership.ics
    follow(reverse("alerts:follow_system", args=[ics.slug]))
    publish_agenda()
    elsewhere = PartnershipFactory(ics=IntegratedCareSystemFactory())
    publish_agenda(elsewhere, title="Elsewhere board")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith(f"{cast.partnership.name}: Agenda published")


def test_following_a_partnership_covers_its_sub_partnerships(cast, follow, publish_agenda):
    area = PartnershipFactory(
        ics=cast.partnership.ics, parent=cast.partnership, kind="area", name="North Area Partnership"
    )
    follow(_follow_url(cast))
    publish_agenda(area, title="Area board")
    publish_agenda(cast.other_partnership, title="Other board")
    assert [m.subject for m in mail.outbox] == [f"{area.name}: Agenda published: Area board, {_day(40)}"]


def _day(days):
    from django.utils import timezone

    from tests.meetings.conftest import in_days

    return f"{timezone.localtime(in_days(days)):%-d %B %Y}"


def test_following_a_saved_search(client, cast, follow, publish_agenda):
    assert client.get(reverse("alerts:follow_search") + "?q=dementia").status_code == 200
    follow(reverse("alerts:follow_search"), query="Dementia  care")
    assert Subscription.objects.get().query == "Dementia care"
    publish_agenda(items=("Dementia care pathway",))
    publish_agenda(title="Other", items=("Winter plan",))
    assert len(mail.outbox) == 1 and "Dementia care pathway" in mail.outbox[0].body


def test_a_saved_search_never_matches_exempt_words(cast, follow, django_capture_on_commit_callbacks):
    from meetings import services as meetings
    from tests.meetings.conftest import in_days

    follow(reverse("alerts:follow_search"), query="acquisition")
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=in_days(40))
    with django_capture_on_commit_callbacks(execute=True):
        meetings.agenda_item_add(meeting=meeting, actor=None, title="Budget")
        meetings.agenda_item_add(
            meeting=meeting, actor=None, title="Acquisition", is_exempt=True, exempt_paragraph=3, exempt_reason="Price"
        )
        meetings.agenda_publish(meeting=meeting, actor=None)
    assert mail.outbox == []


def test_changing_frequency_by_following_again_replaces_the_subscription(cast, follow):
    follow(_follow_url(cast))
    follow(_follow_url(cast), frequency="daily")
    active = Subscription.objects.active()
    assert [s.frequency for s in active] == ["daily"]


def test_every_kind_of_event_reaches_followers(cast, board, follow, draft, django_capture_on_commit_callbacks):
    from meetings import record_services
    from tests.meetings_record.conftest import quorate
    from tests.strategy.conftest import publish

    follow(_follow_url(cast))
    with django_capture_on_commit_callbacks(execute=True):
        minutes = record_services.minutes_start_draft(meeting=board.meeting, actor=board.secretariat)
        record_services.minutes_update_entry(
            minutes=minutes,
            agenda_item=board.items.strategy,
            discussion="Discussed.",
            resolutions="Agreed.",
            actor=board.secretariat,
        )
        record_services.minutes_publish_draft(minutes=minutes, actor=board.secretariat)
        quorate(board, board.meeting)
        quorate(board, board.later)
        record_services.decision_record(
            meeting=board.meeting,
            agenda_item=board.items.strategy,
            wording="Consult widely.",
            status="agreed",
            actor=board.secretariat,
        )
        record_services.minutes_approve(minutes=minutes, approving_meeting=board.later, actor=board.secretariat)
        publish(draft, cast)
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("Draft minutes published") for s in subjects)
    assert any(s.startswith("Minutes approved") for s in subjects)
    assert any(s.startswith("Decision") for s in subjects)
    assert any(s.startswith("Strategy published") for s in subjects)
    assert "Consult widely." in "".join(m.body for m in mail.outbox)


def test_a_failing_listener_never_fails_the_publication(cast, publish_agenda):
    def broken(sender, **kwargs):
        raise RuntimeError("listener broke")

    events.agenda_published.connect(broken, dispatch_uid="test.broken")
    try:
        meeting = publish_agenda()
    finally:
        events.agenda_published.disconnect(dispatch_uid="test.broken")
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None


def test_bounce_list_suppresses_addresses_and_ends_their_alerts(cast, follow, publish_agenda, tmp_path, capsys):
    follow(_follow_url(cast), email="gone@example.org")
    follow(_follow_url(cast), email="stays@example.org")
    bounces = tmp_path / "bounces.txt"
    bounces.write_text("# from the relay\nGone@Example.org\n\nnot-an-address\n")
    call_command("alert_bounces", str(bounces))
    out, err = capsys.readouterr()
    assert "1 address(es) suppressed, 1 subscription(s) ended." in out
    assert "Line 4" in err and "not-an-address" in err
    assert SuppressedAddress.objects.filter(email="gone@example.org").exists()
    publish_agenda()
    assert [m.to for m in mail.outbox] == [["stays@example.org"]]
    # A suppressed address cannot be signed up again by anyone.
    assert (
        services.subscription_request(email="gone@example.org", frequency="daily", partnership=cast.partnership) is None
    )


def test_bounce_command_refuses_a_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("alert_bounces", "/nonexistent/bounces.txt")


def test_an_email_never_carries_a_line_break_in_its_subject(cast, follow, publish_agenda):
    follow(_follow_url(cast))
    publish_agenda(title="Board\nBcc: victim@example.org")
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].to == ["reader@example.org"]


def test_links_in_alerts_are_absolute(cast, follow, publish_agenda, settings):
    settings.SITE_URL = "https://icp.example.org"
    follow(_follow_url(cast))
    publish_agenda()
    assert all(link.startswith("https://icp.example.org/") for link in links(mail.outbox[0]))


def test_confirmed_subscriptions_end_after_given_days_are_not_sent_ended_ones(cast):
    # Subscription.followed reads in words for each kind of thing followed.
    ics = cast.partnership.ics
    assert Subscription(partnership=cast.partnership).followed == cast.partnership.name
    assert Subscription(ics=ics).followed == f"{ics.name} integrated care system"
    assert Subscription(query="dementia").followed == "the search “dementia”"
    assert dt  # noqa: B018
