"""Who approves a version: every current chair and co-chair of THAT partnership, and nobody else."""

import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from membership.factories import ChairAppointmentFactory, PersonFactory, UserFactory
from membership.permissions import permissions_sync
from strategy.models import StrategyVersion
from strategy.selectors import approval_state
from strategy.services.approval import approval_record, version_approval_settle, version_submit
from strategy.services.sections import section_update

Status = StrategyVersion.Status


@pytest.fixture
def submitted(cast, draft):
    version_submit(version=draft, actor=cast.secretariat)
    return draft


def _review_url(version):
    return reverse("strategy:review", args=[version.strategy.partnership.slug, version.number])


def test_submitting_emails_the_current_chairs_and_co_chairs(
    cast, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        state = version_submit(version=draft, actor=cast.secretariat)
    assert {approver.user.username for approver in state.required} == {"chair", "co_chair"}
    assert sorted(message.to[0] for message in mailoutbox) == ["chair@example.org", "co_chair@example.org"]
    message = mailoutbox[0]
    assert message.subject == f"Strategy for approval: {cast.partnership}, version 1"
    assert _review_url(draft) in message.body


def test_submitting_with_the_broker_down_submits_and_logs_the_unsent_email(
    cast, draft, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    from strategy.tasks import notify_chairs_of_submission

    broker_down = mock.patch.object(notify_chairs_of_submission, "apply_async", side_effect=ConnectionError("down"))
    with broker_down, django_capture_on_commit_callbacks(execute=True):
        version_submit(version=draft, actor=cast.secretariat)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and mailoutbox == []
    assert "the notification is not sent" in caplog.text


def test_the_version_is_approved_only_when_every_chair_has_approved(
    cast, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    approval_record(version=submitted, actor=cast.chair, decision="approved")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert [approver.user.username for approver in approval_state(submitted).waiting] == ["co_chair"]
    with django_capture_on_commit_callbacks(execute=True):
        approval_record(version=submitted, actor=cast.co_chair, decision="approved", comment="Well done.")
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert [message.to for message in mailoutbox] == [["secretariat@example.org"]]
    assert mailoutbox[0].subject.startswith("Strategy approved:")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("chair", 200),
        ("co_chair", 200),
        ("secretariat", 403),
        ("other_secretariat", 403),
        ("member", 403),
        ("other_member", 403),
        ("stranger", 403),
        (None, 302),
    ],
)
def test_the_review_page_is_for_the_partnerships_chairs(client, cast, submitted, other_secretariat, who, status):
    if who:
        client.force_login(other_secretariat if who == "other_secretariat" else getattr(cast, who))
    assert client.get(_review_url(submitted)).status_code == status
    response = client.post(_review_url(submitted), {"decision": "approved"})
    assert response.status_code == (302 if status == 200 else status)
    submitted.refresh_from_db()
    assert submitted.approvals.filter(voided_at__isnull=True).count() == (1 if status == 200 else 0)


def test_a_chair_of_another_partnership_cannot_approve(client, cast, submitted):
    outsider = UserFactory(username="other_chair")
    ChairAppointmentFactory(partnership=cast.other_partnership, person=PersonFactory(user=outsider), role="chair")
    permissions_sync(cast.other_partnership)
    client.force_login(outsider)
    assert client.post(_review_url(submitted), {"decision": "approved"}).status_code == 403
    with pytest.raises(ValidationError, match="Only a current chair or co-chair"):
        approval_record(version=submitted, actor=outsider, decision="approved")
    assert not submitted.approvals.exists()


def test_a_vice_chair_cannot_approve(client, cast, submitted):
    vice = UserFactory(username="vice_chair")
    ChairAppointmentFactory(partnership=cast.partnership, person=PersonFactory(user=vice), role="vice_chair")
    permissions_sync(cast.partnership)
    client.force_login(vice)
    assert client.get(_review_url(submitted)).status_code == 403
    assert client.post(_review_url(submitted), {"decision": "approved"}).status_code == 403
    # Nor is the vice-chair one of those whose approval is needed.
    assert vice.person.pk not in {approver.person.pk for approver in approval_state(submitted).required}


def test_a_member_cannot_approve_even_through_the_service(cast, submitted):
    with pytest.raises(ValidationError, match="Only a current chair or co-chair"):
        approval_record(version=submitted, actor=cast.member, decision="approved")


def test_an_edit_after_submission_returns_the_version_to_draft_and_clears_approvals(cast, submitted):
    approval_record(version=submitted, actor=cast.chair, decision="approved")
    section = submitted.sections.get()
    section_update(section=section, actor=cast.secretariat, title="Our population", body="Longer lives.")
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT
    assert not submitted.approvals.filter(voided_at__isnull=True).exists()
    assert submitted.approvals.filter(voided_at__isnull=False).count() == 1  # kept, marked cleared
    with pytest.raises(ValidationError, match="not waiting for approval"):
        approval_record(version=submitted, actor=cast.co_chair, decision="approved")
    version_submit(version=submitted, actor=cast.secretariat)
    approval_record(version=submitted, actor=cast.co_chair, decision="approved")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # the chair's earlier approval no longer counts


def test_a_chair_who_edited_the_version_after_submission_cannot_approve_it(cast, submitted):
    # A chair who also runs the partnership's secretariat changes the submitted text.
    from membership.factories import SecretariatAssignmentFactory

    SecretariatAssignmentFactory(partnership=cast.partnership, user=cast.chair)
    permissions_sync(cast.partnership)
    section_update(section=submitted.sections.get(), actor=cast.chair, title="Changed", body="By the chair")
    version_submit(version=submitted, actor=cast.secretariat)
    with pytest.raises(ValidationError, match="You changed this version after it was submitted"):
        approval_record(version=submitted, actor=cast.chair, decision="approved")
    state = approval_state(submitted)
    assert [approver.user.username for approver in state.excluded] == ["chair"]
    assert [approver.user.username for approver in state.required] == ["co_chair"]
    # The others' approval then suffices.
    approval_record(version=submitted, actor=cast.co_chair, decision="approved")
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED


def test_a_chair_whose_term_ended_no_longer_counts(cast, submitted):
    import datetime as dt

    from django.utils import timezone

    from membership.models import ChairAppointment

    approval_record(version=submitted, actor=cast.chair, decision="approved")
    ChairAppointment.objects.filter(person__user=cast.co_chair).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    permissions_sync(cast.partnership)
    with pytest.raises(ValidationError, match="Only a current chair or co-chair"):
        approval_record(version=submitted, actor=cast.co_chair, decision="approved")
    assert approval_state(submitted).complete
    version_approval_settle(version=submitted, actor=cast.secretariat)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED


def test_the_review_form_shows_errors_and_the_decision_is_recorded(client, cast, submitted):
    client.force_login(cast.co_chair)
    response = client.post(_review_url(submitted), {"decision": "changes_requested", "comment": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Say what needs to change." in page
    response = client.post(_review_url(submitted), {"decision": "approved"}, follow=True)
    page = response.content.decode()
    assert "It is not approved yet: Waiting for" in page
    assert f"{cast.chair.person.display_name} (chair) to approve it" in page


def test_an_unanswered_decision_links_the_error_summary_to_its_first_option(client, cast, submitted):
    # A group of radios has no single id: the NHS.UK error summary links to the first option.
    client.force_login(cast.chair)
    page = client.post(_review_url(submitted), {"comment": "Not yet."}).content.decode()
    link = re.search(r'<a href="#([^"]*)">Choose whether you approve this version or ask for changes\.</a>', page)
    assert link is not None and link.group(1) == "id_decision_0"
    assert re.search(r'<input[^>]+id="id_decision_0"[^>]+type="radio"', page)
    assert "Not yet." in page  # what was typed is kept
