"""Exemptions over time: every exempt item and restricted paper has a review date, the
secretariat is reminded once per review date, and a review extends the exemption or
releases the material, a recorded and audited act that leaves the exemption on the record.

A release is read at read time, through the same helpers as everything public: the meeting
page, the paper download, the public pack (its fingerprint changes) and search."""

import datetime as dt
import importlib
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from meetings import exemptions
from meetings import services as meeting_services
from meetings.factories import AgendaItemFactory, DecisionFactory, MeetingFactory, PaperFactory
from meetings.models import AgendaItem, ExemptionExtension, ExemptionRelease, Paper
from membership.factories import SecretariatAssignmentFactory, UserFactory
from membership.permissions import permissions_sync
from publishing import renderers, visibility
from publishing import services as publishing_services
from publishing.models import PublishedDocument

from .conftest import in_days, pdf_file

User = get_user_model()
TODAY = timezone.localdate()


def _london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo("Europe/London"))


def _held_meeting(partnership, *, days_ago=300, is_public=True, title="Partnership board"):
    """A meeting held `days_ago` days ago, its agenda published, with a public item and paper,
    an exempt item (paragraph 3) with a paper, and a restricted paper on the public item."""
    meeting = MeetingFactory(partnership=partnership, title=title, starts_at=in_days(-days_ago), is_public=is_public)
    public_item = AgendaItemFactory(meeting=meeting, position=1, title="Population health report")
    PaperFactory(agenda_item=public_item, title="Population health summary")
    exempt_item = AgendaItemFactory(
        meeting=meeting,
        position=2,
        title="Community services contract award",
        presenter="Director PRESENTER-CANARY",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Bidders' prices are commercially confidential.",
        exemption_review_on=TODAY + dt.timedelta(days=10),
    )
    PaperFactory(agenda_item=exempt_item, title="Tender evaluation RELEASE-CANARY")
    PaperFactory(
        agenda_item=public_item,
        title="Staffing appendix",
        restricted=True,
        exemption_review_on=TODAY + dt.timedelta(days=200),
    )
    meeting.agenda_published_at = meeting.starts_at - dt.timedelta(days=10)
    meeting.save()
    return meeting


@pytest.fixture
def held(cast):
    return _held_meeting(cast.partnership)


def _exempt_item(meeting) -> AgendaItem:
    return meeting.agenda_items.get(is_exempt=True)


def _exempt_paper(meeting) -> Paper:
    return Paper.objects.get(agenda_item__meeting=meeting, agenda_item__is_exempt=True)


def _restricted_paper(meeting) -> Paper:
    return Paper.objects.get(agenda_item__meeting=meeting, restricted=True)


def _release(item=None, paper=None, actor=None, **extra):
    return exemptions.exemption_release(
        actor=actor,
        item=item,
        paper=paper,
        reason=extra.pop("reason", "The contract has been signed and published."),
        determination=extra.pop(
            "determination", "The monitoring officer determined on 1 May that it is no longer exempt."
        ),
        **extra,
    )


def _item_url(partnership, item):
    return reverse("meetings:staff_exemption_item", kwargs={"slug": partnership.slug, "pk": item.pk})


def _paper_url(partnership, paper):
    return reverse("meetings:staff_exemption_paper", kwargs={"slug": partnership.slug, "pk": paper.pk})


def _download_status(client, paper) -> int:
    paper.refresh_from_db()
    response = client.get(reverse("meetings:paper", kwargs={"token": paper.current_version.token}))
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


# Review dates ----------------------------------------------------------------------------------


def test_an_exempt_item_gets_a_review_date_twelve_months_after_its_meeting(cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=_london(2027, 1, 31, 14))
    item = meeting_services.agenda_item_add(
        meeting=meeting,
        actor=cast.secretariat,
        title="Estates",
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Price.",
    )
    public = meeting_services.agenda_item_add(meeting=meeting, actor=cast.secretariat, title="Strategy")
    assert item.exemption_review_on == dt.date(2028, 1, 31)
    assert public.exemption_review_on is None


def test_making_an_item_exempt_starts_its_review_and_making_it_public_ends_it(cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=_london(2027, 3, 31, 10))
    item = meeting_services.agenda_item_add(meeting=meeting, actor=cast.secretariat, title="Estates")
    item = meeting_services.agenda_item_update(
        item=item,
        actor=cast.secretariat,
        title="Estates",
        purpose=item.purpose,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Price.",
    )
    assert item.exemption_review_on == dt.date(2028, 3, 31)
    item = meeting_services.agenda_item_update(item=item, actor=cast.secretariat, title="Estates", purpose=item.purpose)
    assert item.exemption_review_on is None


def test_a_restricted_paper_gets_a_review_date_and_a_public_one_none(cast):
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=_london(2027, 5, 12, 10))
    item = meeting_services.agenda_item_add(meeting=meeting, actor=cast.secretariat, title="Finance")
    restricted = meeting_services.paper_upload(
        item=item, actor=cast.secretariat, title="Rates", file=pdf_file(), restricted=True
    )
    public = meeting_services.paper_upload(item=item, actor=cast.secretariat, title="Report", file=pdf_file("b.pdf"))
    assert restricted.exemption_review_on == dt.date(2028, 5, 12)
    assert public.exemption_review_on is None
    public = meeting_services.paper_update(paper=public, actor=cast.secretariat, title="Report", restricted=True)
    assert public.exemption_review_on == dt.date(2028, 5, 12)


def test_existing_exemptions_get_a_review_date_by_migration(cast):
    migration = importlib.import_module("meetings.migrations.0013_exemption_lifecycle")
    meeting = MeetingFactory(partnership=cast.partnership, starts_at=_london(2025, 2, 28, 18))
    item = AgendaItemFactory(meeting=meeting, exempt=True)
    public_item = AgendaItemFactory(meeting=meeting)
    restricted = PaperFactory(agenda_item=public_item, restricted=True)
    public_paper = PaperFactory(agenda_item=public_item)
    migration.review_dates_fill(apps, None)
    for row in (item, public_item, restricted, public_paper):
        row.refresh_from_db()
    assert item.exemption_review_on == dt.date(2026, 2, 28)
    assert restricted.exemption_review_on == dt.date(2026, 2, 28)
    assert public_item.exemption_review_on is None and public_paper.exemption_review_on is None


@pytest.mark.parametrize(
    ("review_on", "message"),
    [
        (lambda meeting: meeting.date, "must be after the meeting"),
        (lambda meeting: TODAY, "must be in the future"),
        (lambda meeting: TODAY.replace(year=TODAY.year + 6), "at least every 5 years"),
    ],
)
def test_a_review_date_is_validated_and_bad_input_saves_nothing(client, cast, review_on, message):
    meeting = _held_meeting(cast.partnership, days_ago=3)
    item = _exempt_item(meeting)
    client.force_login(cast.secretariat)
    response = client.post(
        _item_url(cast.partnership, item),
        {"action": "extend", "review_on": review_on(meeting).isoformat(), "reason": "Negotiations continue."},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    item.refresh_from_db()
    assert item.exemption_review_on == TODAY + dt.timedelta(days=10)
    assert not ExemptionExtension.objects.exists()


def test_an_extension_needs_a_reason(client, cast, held):
    client.force_login(cast.secretariat)
    response = client.post(
        _item_url(cast.partnership, _exempt_item(held)),
        {"action": "extend", "review_on": (TODAY + dt.timedelta(days=180)).isoformat(), "reason": ""},
    )
    assert "Say why the information is still exempt" in response.content.decode()
    assert not ExemptionExtension.objects.exists()


# Extension -------------------------------------------------------------------------------------


def test_a_review_extends_the_exemption_with_its_reason_recorded_and_audited(client, cast, held):
    item = _exempt_item(held)
    previous = item.exemption_review_on
    new_date = TODAY + dt.timedelta(days=365)
    client.force_login(cast.secretariat)
    response = client.post(
        _item_url(cast.partnership, item),
        {"action": "extend", "review_on": new_date.isoformat(), "reason": "The contract is still being negotiated."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.exemption_review_on == new_date
    extension = ExemptionExtension.objects.get(agenda_item=item)
    assert (extension.previous_review_on, extension.review_on) == (previous, new_date)
    assert extension.extended_by == cast.secretariat
    event = AuditEvent.objects.get(action="meetings.exemption.extended")
    assert event.actor == cast.secretariat and event.partnership == cast.partnership
    assert event.changes["reason"] == "The contract is still being negotiated."
    page = client.get(_item_url(cast.partnership, item)).content.decode()
    assert "The contract is still being negotiated." in page
    # Still exempt: the public see nothing more.
    client.logout()
    assert _download_status(client, _exempt_paper(held)) == 404


# Reminders -------------------------------------------------------------------------------------


def test_the_secretariat_is_reminded_once_for_a_review_date(cast, held):
    cast.secretariat.email = "secretariat@example.org"
    cast.secretariat.save()
    other = _held_meeting(cast.other_partnership, title="Other board")
    other_secretariat = UserFactory(username="other-sec", email="other@example.org")
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=other_secretariat)
    permissions_sync(cast.other_partnership)

    assert exemptions.reminders_send() == 2  # one exempt item each; the restricted papers are not due yet
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.org", "secretariat@example.org"]
    ours = next(m for m in mail.outbox if m.to == ["secretariat@example.org"])
    assert "Community services contract award" in ours.body and "Other board" not in ours.body
    assert reverse("meetings:staff_exemption_item", args=[cast.partnership.slug, _exempt_item(held).pk]) in ours.body

    mail.outbox.clear()
    assert exemptions.reminders_send() == 0
    assert exemptions.reminders_send(today=TODAY + dt.timedelta(days=3)) == 0
    assert mail.outbox == []
    assert other.pk  # (the other partnership's reminder went to its own secretariat only)


def test_a_new_review_date_gets_its_own_reminder_and_a_released_exemption_none(cast, held):
    cast.secretariat.email = "secretariat@example.org"
    cast.secretariat.save()
    item = _exempt_item(held)
    assert exemptions.reminders_send() == 1
    exemptions.exemption_extend(
        actor=cast.secretariat, item=item, review_on=TODAY + dt.timedelta(days=60), reason="Still live."
    )
    assert exemptions.reminders_send() == 0  # not due again until 28 days before the new date
    later = TODAY + dt.timedelta(days=40)
    assert exemptions.reminders_send(today=later) == 1
    assert exemptions.reminders_send(today=later) == 0
    restricted = _restricted_paper(held)
    _release(paper=restricted, actor=cast.secretariat)
    assert exemptions.reminders_send(today=TODAY + dt.timedelta(days=400)) == 0


def test_a_long_reminder_names_the_first_and_links_to_the_rest(cast, held, monkeypatch):
    cast.secretariat.email = "secretariat@example.org"
    cast.secretariat.save()
    _held_meeting(cast.partnership, days_ago=400, title="Board of last year")
    monkeypatch.setattr(exemptions, "EMAIL_LISTS_AT_MOST", 1)
    assert exemptions.reminders_send() == 2  # both are reminded, and neither again
    (message,) = mail.outbox
    assert "and 1 more, listed on the exemptions page" in message.body
    assert reverse("meetings:staff_exemptions", kwargs={"slug": cast.partnership.slug}) in message.body
    assert exemptions.reminders_send() == 0


def test_the_beat_schedule_runs_the_reminder_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["meetings-exemption-reviews"]
    assert entry["task"] == "meetings.tasks.exemption_reviews_remind"
    from meetings.tasks import exemption_reviews_remind

    assert exemption_reviews_remind.name == entry["task"]


def test_staff_pages_list_exemptions_due_and_overdue(client, cast, held, django_assert_max_num_queries):
    overdue = _held_meeting(cast.partnership, days_ago=400, title="Board of last year")
    AgendaItem.objects.filter(meeting=overdue, is_exempt=True).update(exemption_review_on=TODAY - dt.timedelta(days=5))
    _held_meeting(cast.other_partnership, title="Other board")
    due = exemptions.due_for_review([cast.partnership], TODAY)
    assert [row.meeting.title for row in due] == ["Board of last year", "Partnership board"]
    assert [row.status(TODAY) for row in due] == ["overdue", "due"]
    client.force_login(cast.secretariat)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:staff_exemptions", kwargs={"slug": cast.partnership.slug}))
    page = response.content.decode()
    assert "Due or overdue for review" in page and "Overdue" in page
    assert "Other board" not in page
    for _ in range(5):
        _held_meeting(cast.partnership, days_ago=100 + _, title=f"Board {_}")
    with django_assert_max_num_queries(20):
        client.get(reverse("meetings:staff_exemptions", kwargs={"slug": cast.partnership.slug}))


def test_the_workspace_task_list_leads_with_exemptions_to_review(cast, held):
    from membership.due import OVERDUE, due_tasks

    AgendaItem.objects.filter(meeting=held, is_exempt=True).update(exemption_review_on=TODAY - dt.timedelta(days=2))
    _held_meeting(cast.other_partnership, title="Other board")
    tasks = [t for t in due_tasks([cast.partnership], TODAY)[cast.partnership.pk] if t.name == "Review exemptions"]
    assert len(tasks) == 1
    assert tasks[0].status == OVERDUE and "1 overdue" in tasks[0].hint
    assert tasks[0].url == reverse("meetings:staff_exemptions", kwargs={"slug": cast.partnership.slug})
    _release(item=_exempt_item(held), actor=cast.secretariat)
    assert not [t for t in due_tasks([cast.partnership], TODAY)[cast.partnership.pk] if t.name == "Review exemptions"]


# Who may release -------------------------------------------------------------------------------


def _superuser():
    return User.objects.create_superuser("portal-admin", "admin@example.org", "a long password 1")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("chair", 403),
        ("other_member", 403),
        ("stranger", 403),
        ("other_secretariat", 403),
        ("secretariat", 302),
        ("admin", 302),
    ],
)
def test_only_the_secretariat_or_a_portal_administrator_may_release(client, cast, held, who, expected):
    if who == "other_secretariat":
        user = UserFactory(username="other-sec")
        SecretariatAssignmentFactory(partnership=cast.other_partnership, user=user)
        permissions_sync(cast.other_partnership)
    elif who == "admin":
        user = _superuser()
    else:
        user = getattr(cast, who, None)
    if user is not None:
        client.force_login(user)
    item = _exempt_item(held)
    response = client.post(
        _item_url(cast.partnership, item),
        {"action": "release", "reason": "Signed.", "determination": "Monitoring officer, 1 May."},
    )
    assert response.status_code == expected
    released = ExemptionRelease.objects.filter(agenda_item=item).exists()
    if expected == 302 and who != "anonymous":
        assert released
        assert response["Location"] == _item_url(cast.partnership, item)
    else:
        assert not released
        if who == "anonymous":
            assert response["Location"].startswith(reverse("login"))


def test_another_partnerships_secretariat_cannot_reach_the_item_through_its_own_address(client, cast, held):
    user = UserFactory(username="other-sec")
    SecretariatAssignmentFactory(partnership=cast.other_partnership, user=user)
    permissions_sync(cast.other_partnership)
    client.force_login(user)
    response = client.post(
        _item_url(cast.other_partnership, _exempt_item(held)),
        {"action": "release", "reason": "Signed.", "determination": "Monitoring officer."},
    )
    assert response.status_code == 404
    assert not ExemptionRelease.objects.exists()


# What a release needs --------------------------------------------------------------------------


def test_a_release_needs_a_reason_and_a_decision_or_determination(client, cast, held):
    client.force_login(cast.secretariat)
    response = client.post(_item_url(cast.partnership, _exempt_item(held)), {"action": "release", "reason": "Signed."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the partnership&#x27;s decision that allowed the release" in page
    response = client.post(_item_url(cast.partnership, _exempt_item(held)), {"action": "release", "determination": "x"})
    assert "Say why the information is no longer exempt" in response.content.decode()
    assert not ExemptionRelease.objects.exists()


def test_a_release_by_decision_must_be_an_agreed_quorate_decision_of_the_partnership(cast, held):
    item = _exempt_item(held)
    others = DecisionFactory(meeting=MeetingFactory(partnership=cast.other_partnership))
    deferred = DecisionFactory(meeting=held, status="deferred")
    inquorate = DecisionFactory(meeting=held, inquorate=True)
    for decision, message in [
        (others, "Choose a decision of this partnership."),
        (deferred, "Choose a decision the partnership agreed."),
        (inquorate, "A decision recorded without a quorum cannot allow a release."),
    ]:
        with pytest.raises(Exception) as error:
            _release(item=item, actor=cast.secretariat, decision=decision, determination="")
        assert message in str(error.value)
    agreed = DecisionFactory(meeting=held, reference="ICP/2027/9")
    release = _release(item=item, actor=cast.secretariat, decision=agreed, determination="")
    assert release.decision == agreed


def test_a_private_sessions_items_cannot_be_released(client, cast):
    private = _held_meeting(cast.partnership, is_public=False, title="Closed session")
    item = _exempt_item(private)
    client.force_login(cast.secretariat)
    page = client.get(_item_url(cast.partnership, item)).content.decode()
    assert "A private session is never published" in page
    response = client.post(
        _item_url(cast.partnership, item), {"action": "release", "reason": "Signed.", "determination": "Officer."}
    )
    assert "is in a private session" in response.content.decode()
    assert not ExemptionRelease.objects.exists()


def test_a_paper_of_an_exempt_item_is_released_with_its_item_not_alone(cast, held):
    paper = _exempt_paper(held)
    paper.restricted = True
    paper.save()
    with pytest.raises(Exception, match="release the item first"):
        _release(paper=paper, actor=cast.secretariat)


def test_a_restricted_paper_of_an_exempt_item_is_listed_with_its_item_until_the_item_is_released(cast, held):
    # The item's exemption covers its papers: one exemption to review, not one more per paper.
    paper = _exempt_paper(held)
    Paper.objects.filter(pk=paper.pk).update(restricted=True, exemption_review_on=TODAY)
    for rows in (exemptions.exemptions_of(cast.partnership), exemptions.due_for_review([cast.partnership], TODAY)):
        assert paper.pk not in [row.paper.pk for row in rows if row.paper]
        assert _exempt_item(held).pk in [row.item.pk for row in rows if row.paper is None]
    _release(item=_exempt_item(held), actor=cast.secretariat)
    # Released, the item is public; its restricted paper is now an exemption of its own.
    due = exemptions.due_for_review([cast.partnership], TODAY)
    assert [(row.kind, row.paper.pk) for row in due] == [("paper", paper.pk)]


def test_the_review_task_counts_a_restricted_paper_of_an_exempt_item_with_its_item_until_released(cast, held):
    from membership.due import due_tasks

    def review_hint():
        tasks = due_tasks([cast.partnership], TODAY)[cast.partnership.pk]
        return next(t.hint for t in tasks if t.name == "Review exemptions")

    AgendaItem.objects.filter(pk=_exempt_item(held).pk).update(exemption_review_on=TODAY)
    Paper.objects.filter(pk=_exempt_paper(held).pk).update(restricted=True, exemption_review_on=TODAY)
    assert review_hint().startswith("1 exemption to review")
    _release(item=_exempt_item(held), actor=cast.secretariat)
    assert review_hint().startswith("1 exemption to review")
    assert [row.kind for row in exemptions.due_for_review([cast.partnership], TODAY)] == ["paper"]


def test_a_released_exemption_stays_on_the_record(cast, held):
    item = _exempt_item(held)
    _release(item=item, actor=cast.secretariat)
    with pytest.raises(Exception, match="stay on the record"):
        meeting_services.agenda_item_update(
            item=item, actor=cast.secretariat, title=item.title, purpose=item.purpose, change_reason="Tidying up."
        )
    item.refresh_from_db()
    assert (item.is_exempt, item.exempt_paragraph) == (True, 3)
    with pytest.raises(Exception, match="already been released"):
        _release(item=item, actor=cast.secretariat)
    paper = _restricted_paper(held)
    _release(paper=paper, actor=cast.secretariat)
    with pytest.raises(Exception, match="stays on the record"):
        meeting_services.paper_update(
            paper=paper, actor=cast.secretariat, title=paper.title, restricted=False, change_reason="Public now."
        )


def test_a_release_is_audited_with_its_authority(cast, held):
    item = _exempt_item(held)
    decision = DecisionFactory(meeting=held, reference="ICP/2027/4")
    _release(item=item, actor=cast.secretariat, decision=decision, reason="Contract signed.")
    event = AuditEvent.objects.get(action="meetings.exemption.released")
    assert event.actor == cast.secretariat and event.partnership == cast.partnership
    assert event.object_id == str(item.pk)
    assert event.changes["exempt_paragraph"] == 3
    assert event.changes["decision_reference"] == "ICP/2027/4"
    assert event.changes["reason"] == "Contract signed."


# The public before and after ------------------------------------------------------------------


def _pack_text(client, document) -> str:
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _search(client, words) -> str:
    response = client.get(reverse("publishing:search"), {"q": words})
    listed = " ".join(f"{r.title} {r.snippet} {r.url}" for r in response.context["page"].object_list)
    return re.sub(r"</?mark>", "", listed)


def test_the_public_page_download_pack_and_search_follow_the_release(
    client, cast, held, django_capture_on_commit_callbacks
):
    item, paper = _exempt_item(held), _exempt_paper(held)
    meeting_url = held.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        before = publishing_services.agenda_pack_request(meeting=held)
    public_pack = next(d for d in before if d.kind == PublishedDocument.Kind.AGENDA_PACK)
    public_pack.refresh_from_db()
    assert public_pack.status == PublishedDocument.Status.DONE

    page = client.get(meeting_url).content.decode()
    assert "Exempt under paragraph 3 of Schedule 12A" in page
    assert "Tender evaluation RELEASE-CANARY" not in page
    assert "PRESENTER-CANARY" not in page
    assert _download_status(client, paper) == 404
    assert "RELEASE-CANARY" not in _pack_text(client, public_pack)
    assert "RELEASE-CANARY" not in _search(client, "RELEASE-CANARY")

    client.force_login(cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _item_url(cast.partnership, item),
            {"action": "release", "reason": "Contract signed.", "determination": "Monitoring officer, 1 May."},
        )
    assert response.status_code == 302
    client.logout()

    released_on = ExemptionRelease.objects.get().released_on
    page = client.get(meeting_url).content.decode()
    assert f"Exempt under paragraph 3 until {released_on:%-d %B %Y}; released" in page
    assert "Tender evaluation RELEASE-CANARY" in page
    assert "PRESENTER-CANARY" in page
    assert _download_status(client, paper) == 200
    # The old pack no longer matches the agenda; a new one, with the paper, replaced it.
    assert not visibility.is_public_now(public_pack)
    assert renderers.agenda_fingerprint(held, include_exempt=False) != public_pack.source_version
    current = visibility.current_public_document(kind=PublishedDocument.Kind.AGENDA_PACK, meeting=held)
    assert current is not None and current.pk != public_pack.pk
    text = _pack_text(client, current)
    assert f"until {released_on:%-d %B %Y}; released" in text
    assert "Tender evaluation RELEASE-CANARY" in text
    assert "RELEASE-CANARY" in _search(client, "RELEASE-CANARY")
    # The exemption itself is still on the record.
    item.refresh_from_db()
    assert (item.is_exempt, item.exempt_paragraph, item.exempt_reason) == (
        True,
        3,
        "Bidders' prices are commercially confidential.",
    )


def test_releasing_a_restricted_paper_publishes_that_paper_only(client, cast, held):
    restricted, exempt_paper = _restricted_paper(held), _exempt_paper(held)
    assert _download_status(client, restricted) == 404
    _release(paper=restricted, actor=cast.secretariat)
    assert _download_status(client, restricted) == 200
    assert _download_status(client, exempt_paper) == 404
    page = client.get(held.get_absolute_url()).content.decode()
    assert "Staffing appendix" in page and "restricted until" in page
    assert "Tender evaluation" not in page


def test_unreleased_exemptions_stay_exempt_everywhere(client, cast, held):
    # Releasing one item of a meeting releases nothing else, here or at another meeting.
    other = _held_meeting(cast.partnership, days_ago=200, title="Earlier board")
    _release(item=_exempt_item(other), actor=cast.secretariat)
    assert _download_status(client, _exempt_paper(held)) == 404
    assert _download_status(client, _restricted_paper(held)) == 404
    assert _download_status(client, _restricted_paper(other)) == 404
    public = set(Paper.objects.public().values_list("title", flat=True))
    assert public == {"Population health summary", "Tender evaluation RELEASE-CANARY"}
    assert Paper.objects.public().filter(agenda_item__meeting=held).count() == 1


def _exempt(meeting, *, position, review_on):
    return AgendaItemFactory(
        meeting=meeting,
        position=position,
        is_exempt=True,
        exempt_paragraph=3,
        exempt_reason="Commercial terms",
        exemption_review_on=review_on,
    )


def test_the_review_task_counts_what_the_exemptions_page_lists_and_says_since_when_overdue(cast, held):
    from membership.due import DUE, OVERDUE, due_tasks

    week_ago, two_days_ago, soon = (TODAY + dt.timedelta(days=n) for n in (-7, -2, 5))
    AgendaItem.objects.filter(pk=_exempt_item(held).pk).update(exemption_review_on=week_ago)
    Paper.objects.filter(pk=_restricted_paper(held).pk).update(exemption_review_on=two_days_ago)
    _exempt(held, position=8, review_on=None)  # no review date: due now
    _exempt(held, position=9, review_on=TODAY + dt.timedelta(days=200))  # not due yet
    other = MeetingFactory(partnership=cast.other_partnership, starts_at=in_days(-20))
    _exempt(other, position=1, review_on=soon)

    tasks = due_tasks([cast.partnership, cast.other_partnership], TODAY)
    ours, theirs = (
        next(t for t in tasks[p.pk] if t.name == "Review exemptions")
        for p in (cast.partnership, cast.other_partnership)
    )
    assert len(exemptions.due_for_review([cast.partnership], TODAY)) == 3
    assert ours.status == OVERDUE
    assert ours.hint == f"3 exemptions to review; 2 overdue since {week_ago:%-d %B %Y}."
    assert theirs.status == DUE and theirs.order == soon
    assert theirs.hint == f"1 exemption to review by {soon:%-d %B %Y}: release each or extend it with the reason."
