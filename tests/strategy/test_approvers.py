"""Every current chair and co-chair must approve a version, and the record names them.

A chair or co-chair with no sign-in account is not skipped: they block approval, and the pages,
messages and emails say who and what to do. Approvers are named as people (honorific and name),
never by an account's username."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from membership.factories import ChairAppointmentFactory, PersonFactory, UserFactory
from membership.models import ChairAppointment, Person
from membership.permissions import permissions_sync
from strategy.models import Approval, StrategyVersion
from strategy.selectors import approval_state
from strategy.services.approval import approval_record, version_approval_settle, version_submit
from strategy.services.versions import version_update

Status = StrategyVersion.Status
NO_ACCOUNT = (
    "Cllr Edwin Saltmarsh, co-chair, has no sign-in account: invite them to sign in from their page in the "
    "workspace (Invite to sign in)."
)


@pytest.fixture
def named(cast):
    """The cast's chair and co-chair as the record names them, with usernames no page should show."""
    for user, (honorific, given, family) in (
        (cast.chair, ("Dr", "Ada", "Fellside")),
        (cast.co_chair, ("Prof", "Imogen", "Larch")),
    ):
        Person.objects.filter(user=user).update(honorific=honorific, given_name=given, family_name=family)
        user.username = f"acct-{family.lower()}-7731"
        user.save(update_fields=["username"])
    return cast


@pytest.fixture
def councillor(cast):
    """A council co-chair of the cast partnership with no sign-in account."""
    person = PersonFactory(honorific="Cllr", given_name="Edwin", family_name="Saltmarsh")
    ChairAppointmentFactory(partnership=cast.partnership, person=person, role="co_chair")
    permissions_sync(cast.partnership)
    return person


def _approve(version, *users):
    for user in users:
        approval_record(version=version, actor=user, decision="approved")
    version.refresh_from_db()
    return version


def _url(name, version):
    return reverse(f"strategy:{name}", args=[version.strategy.partnership.slug, version.number])


def test_a_co_chair_without_an_account_blocks_approval(cast, draft, councillor):
    # The finding: the NHS co-chair (and here the chair) approved, and the council co-chair, who
    # has no account, was silently left out, so the joint strategy counted as approved.
    version_submit(version=draft, actor=cast.secretariat)
    _approve(draft, cast.chair, cast.co_chair)
    assert draft.status == Status.SUBMITTED
    state = approval_state(draft)
    assert [approver.person for approver in state.waiting] == [councillor]
    assert state.blockers == [NO_ACCOUNT]
    assert not state.complete
    with pytest.raises(ValidationError) as refused:
        version_approval_settle(version=draft, actor=cast.secretariat)
    assert refused.value.messages == [NO_ACCOUNT]
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.approved_at is None


def test_once_an_administrator_links_their_account_they_approve_and_it_is_approved(cast, draft, councillor):
    version_submit(version=draft, actor=cast.secretariat)
    _approve(draft, cast.chair, cast.co_chair)
    account = UserFactory(username="saltmarsh")
    councillor.user = account
    councillor.save(update_fields=["user"])
    permissions_sync(cast.partnership)
    assert approval_state(draft).blockers == []
    _approve(draft, account)
    assert draft.status == Status.APPROVED
    assert set(draft.approvals.values_list("person__family_name", flat=True)) == {
        cast.chair.person.family_name,
        cast.co_chair.person.family_name,
        "Saltmarsh",
    }


def test_a_chair_whose_account_is_switched_off_blocks_approval_too(cast, draft):
    cast.co_chair.is_active = False
    cast.co_chair.save(update_fields=["is_active"])
    version_submit(version=draft, actor=cast.secretariat)
    _approve(draft, cast.chair)
    assert draft.status == Status.SUBMITTED
    (blocker,) = approval_state(draft).blockers
    assert blocker.startswith(
        f"{cast.co_chair.person.display_name}, co-chair, has a sign-in account that is switched off"
    )
    assert "ask a portal administrator" in blocker


def test_only_chairs_and_co_chairs_current_today_are_needed(cast, draft):
    today = timezone.localdate()
    ChairAppointmentFactory(partnership=cast.partnership, role="co_chair", start_date=today + dt.timedelta(days=1))
    ChairAppointmentFactory(
        partnership=cast.partnership, role="chair", start_date=today - dt.timedelta(days=400), end_date=today
    )  # ends today: still in post, so needed
    ChairAppointmentFactory(partnership=cast.partnership, role="vice_chair")
    version_submit(version=draft, actor=cast.secretariat)
    state = approval_state(draft)
    assert len(state.required) == 3  # chair, co-chair, and the chair whose term ends today
    assert len(state.blockers) == 1  # the one ending today has no account


def test_the_pages_name_approvers_and_who_cannot_approve(client, named, draft, councillor):
    cast = named
    version_submit(version=draft, actor=cast.secretariat)
    client.force_login(cast.secretariat)
    submit_page = client.get(_url("submit", draft))  # submitted: redirected with a message
    assert submit_page.status_code == 302
    _approve(draft, cast.chair)
    version_page = client.get(_url("version", draft)).content.decode()
    assert "Dr Ada Fellside (chair)" in version_page and "Prof Imogen Larch (co-chair)" in version_page
    assert NO_ACCOUNT in version_page and "Cannot sign in" in version_page
    client.force_login(cast.co_chair)
    review_page = client.get(_url("review", draft)).content.decode()
    assert "Waiting for: Prof Imogen Larch (co-chair), Cllr Edwin Saltmarsh (co-chair)." in review_page
    assert NO_ACCOUNT in review_page
    response = client.post(_url("review", draft), {"decision": "approved"}, follow=True)
    assert f"It is not approved yet: {NO_ACCOUNT}" in response.content.decode()
    version_update(version=draft, actor=cast.secretariat, title="Changed", summary="", change_summary="")
    client.force_login(cast.secretariat)
    history = client.get(_url("version", draft)).content.decode()
    assert "Dr Ada Fellside" in history and "Prof Imogen Larch" in history  # the cleared decisions
    # No approver's username anywhere (the site header shows the signed-in reader's own account).
    for page in (version_page, history):
        assert "acct-" not in page
    assert "acct-fellside" not in review_page


def test_the_submit_page_names_the_approvers_before_submission(client, named, draft, councillor):
    client.force_login(named.secretariat)
    page = client.get(_url("submit", draft)).content.decode()
    assert "Dr Ada Fellside (chair)" in page and "Cllr Edwin Saltmarsh (co-chair)" in page
    assert NO_ACCOUNT in page
    response = client.post(_url("submit", draft), follow=True)
    page = response.content.decode()
    assert "We have emailed Dr Ada Fellside and Prof Imogen Larch to approve it." in page
    assert f"Version 1 cannot be approved yet. {NO_ACCOUNT}" in page
    assert "acct-" not in page


def test_emails_and_the_audit_log_name_people_not_accounts(
    named, draft, councillor, mailoutbox, django_capture_on_commit_callbacks
):
    cast = named
    with django_capture_on_commit_callbacks(execute=True):
        version_submit(version=draft, actor=cast.secretariat)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [cast.chair.email, cast.co_chair.email]
    )  # the councillor has no account to email
    body = mailoutbox[0].body
    assert "- Dr Ada Fellside (chair)\n- Prof Imogen Larch (co-chair)\n- Cllr Edwin Saltmarsh (co-chair)" in body
    assert "cannot sign in to the portal yet" in body and "- Cllr Edwin Saltmarsh" in body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approval_record(version=draft, actor=cast.chair, decision="changes_requested", comment="Add housing.")
    assert "Dr Ada Fellside:\nAdd housing." in mailoutbox[0].body
    events = AuditEvent.objects.filter(partnership=cast.partnership)
    submitted = events.get(action="strategy.version.submitted")
    assert submitted.changes["approvers"] == [
        "Dr Ada Fellside (chair)",
        "Prof Imogen Larch (co-chair)",
        "Cllr Edwin Saltmarsh (co-chair)",
    ]
    assert submitted.changes["cannot_approve_yet"] == [NO_ACCOUNT]
    assert events.get(action="strategy.approval.changes_requested").changes["approver"] == "Dr Ada Fellside (chair)"
    for event in events:
        assert "acct-" not in str(event.changes)
    for message in mailoutbox:
        assert "acct-" not in message.body


def test_the_approved_email_and_audit_name_every_approver(named, draft, mailoutbox, django_capture_on_commit_callbacks):
    cast = named
    version_submit(version=draft, actor=cast.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        _approve(draft, cast.chair, cast.co_chair)
    (message,) = mailoutbox
    assert "- Dr Ada Fellside\n- Prof Imogen Larch" in message.body and "acct-" not in message.body
    approved = AuditEvent.objects.get(partnership=cast.partnership, action="strategy.version.approved")
    assert approved.changes["approved_by"] == ["Dr Ada Fellside (chair)", "Prof Imogen Larch (co-chair)"]


def test_an_approval_stays_the_persons_when_their_account_is_unlinked(client, named, draft):
    cast = named
    version_submit(version=draft, actor=cast.secretariat)
    _approve(draft, cast.chair)
    person = cast.chair.person
    approval = draft.approvals.get()
    assert approval.person == person and approval.user == cast.chair
    Person.objects.filter(pk=person.pk).update(user=None)  # a portal administrator unlinks it
    approval = Approval.objects.get(pk=approval.pk)
    assert approval.approver_name == "Dr Ada Fellside"
    state = approval_state(draft)
    # Their decision still counts; without an account they could not approve again, but need not.
    assert person in [approver.person for approver in state.approved]
    assert state.blockers == []
    client.force_login(cast.secretariat)
    page = client.get(_url("version", draft)).content.decode()
    assert "Dr Ada Fellside" in page and "acct-" not in page


def test_an_account_that_is_no_current_chairs_cannot_approve_even_if_it_holds_the_permission(cast, draft):
    version_submit(version=draft, actor=cast.secretariat)
    ChairAppointment.objects.filter(person__user=cast.co_chair).update(role="vice_chair")
    # Permissions are synced daily; until then the account still holds APPROVE_STRATEGY.
    with pytest.raises(ValidationError, match="Only a current chair or co-chair"):
        approval_record(version=draft, actor=cast.co_chair, decision="approved")
