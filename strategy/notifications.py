"""Emails about the strategy: to the chairs when a version is put to them, and to the
secretariat when the chairs decide or new evidence means the strategy is due for review.

Called by the Celery tasks in `strategy.tasks`, after the change that prompted them has
been committed. Each person gets their own message, so no one sees another's address.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from membership.permissions import SECRETARIAT, users_holding

from .models import Approval, Strategy, StrategyVersion
from .selectors import approval_state

User = get_user_model()
SIGN_OFF = f"\n\n—\n{settings.PORTAL_NAME}. You are receiving this because of your role on the partnership."


def _addresses(user_ids) -> list[str]:
    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(recipients: list[str], subject: str, body: str) -> int:
    messages = [EmailMessage(subject, body + SIGN_OFF, None, [address]) for address in recipients]
    if not messages:
        return 0
    return get_connection().send_messages(messages)


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def submission_notify(*, version: StrategyVersion) -> int:
    """Ask the current chairs and co-chairs to review a submitted version, naming everyone whose
    approval it needs, and anyone who cannot give it yet."""
    partnership = version.strategy.partnership
    if version.status != StrategyVersion.Status.SUBMITTED:
        return 0  # changed again before the message went out: nothing to review any more
    state = approval_state(version)
    body = (
        f"{version.label} of {partnership}'s integrated care strategy, “{version.title}”, has been "
        "submitted for your approval.\n\n"
        f"Review it, then approve it or ask for changes:\n{_url('strategy:review', partnership.slug, version.number)}"
    )
    if state.required:
        names = "\n".join(f"- {approver.listed}" for approver in state.required)
        body += f"\n\nIt is approved when every current chair and co-chair has approved it:\n{names}"
    if state.unable:
        cannot = "\n".join(f"- {approver.name}" for approver in state.unable)
        body += (
            "\n\nThese cannot sign in to the portal yet, so the version cannot be approved until a portal "
            f"administrator links their accounts or invites them:\n{cannot}"
        )
    if version.change_summary:
        body += f"\n\nWhat changed in this version:\n{version.change_summary}"
    subject = f"Strategy for approval: {partnership}, version {version.number}"
    recipients = [approver.user.pk for approver in state.required if approver.user is not None]
    return _send(_addresses(recipients), subject, body)


def decision_notify(*, version: StrategyVersion) -> int:
    """Tell the secretariat that a version has been approved, or that changes were requested."""
    partnership = version.strategy.partnership
    link = _url("strategy:version", partnership.slug, version.number)
    if version.status == StrategyVersion.Status.APPROVED:
        approvals = version.approvals.filter(voided_at__isnull=True, decision=Approval.Verdict.APPROVED).select_related(
            "person", "user__person"
        )
        names = "\n".join(f"- {row.approver_name}" for row in approvals)
        subject = f"Strategy approved: {partnership}, version {version.number}"
        body = (
            f"Every chair and co-chair whose approval was needed has approved {version.label} of the "
            f"integrated care strategy, “{version.title}”:\n{names}\n\nOnce the partnership has adopted it "
            f"at a meeting held on or after {version.approved_on:%-d %B %Y}, record its decision and publish "
            f"it:\n{link}"
        )
    elif version.status == StrategyVersion.Status.CHANGES_REQUESTED:
        requests = version.approvals.filter(
            voided_at__isnull=True, decision=Approval.Verdict.CHANGES_REQUESTED
        ).select_related("person", "user__person")
        comments = "\n\n".join(f"{row.approver_name}:\n{row.comment}" for row in requests)
        subject = f"Changes requested to the strategy: {partnership}, version {version.number}"
        body = (
            f"Changes have been requested to {version.label} of the integrated care strategy, "
            f"“{version.title}”.\n\n{comments}\n\nMake the changes and submit it again:\n{link}"
        )
    else:
        return 0
    return _send(_addresses(users_holding(partnership, SECRETARIAT)), subject, body)


def review_due_notify(*, strategy: Strategy) -> int:
    """Tell the secretariat that new evidence means the strategy is due for review."""
    partnership = strategy.partnership
    if not strategy.review_due:
        return 0
    subject = f"Integrated care strategy due for review: {partnership}"
    body = (
        f"{partnership}'s integrated care strategy is due for review.\n\n{strategy.review_reason}\n\n"
        "The partnership must keep its strategy under review and revise it when a new joint strategic "
        f"needs assessment arrives. Start a new draft from the strategy workspace:\n"
        f"{_url('strategy:workspace', partnership.slug)}"
    )
    return _send(_addresses(users_holding(partnership, SECRETARIAT)), subject, body)
